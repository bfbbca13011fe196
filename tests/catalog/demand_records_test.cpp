// The demand records (catalog/demand.h) on both backends (SQLite and PostgreSQL, the same
// assertions), and the rules every front end shares: the answer deadlines judged at a given time.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "catalog/demand.h"
#include "catalog/errors.h"
#include "catalog/sqlite/connection.h"
#include "catalog/sqlite/migrations.h"
#include "tests/support/store_backends.h"
#include "tests/support/temp_dir.h"

namespace datamap::catalog {
namespace {

DataRequest titled(std::string title) {
  DataRequest r;
  r.title = std::move(title);
  r.user_id = "u1";
  return r;
}

class DemandRecordsTest : public testing::StoreBackendTest {
 protected:
  // The records of this test's catalog, as a node opens them; each call is one more node's.
  std::unique_ptr<DemandRecords> records() {
    return on_postgres() ? open_postgres_demand_records(catalog_location())
                         : open_sqlite_demand_records(catalog_location());
  }
};
DATAMAP_STORE_BACKENDS(DemandRecordsTest);

TEST(DemandRecords, AVersionEightCatalogIsUpgradedAndKeepsItsLinkChecks) {
  testing::TempDir dir;
  const std::string path = dir.file("catalog.db");
  {
    sqlite::Connection c(path, sqlite::Connection::Mode::kReadWrite);
    sqlite::migrate(c, 8);
    c.exec("INSERT INTO link_urls (url, host, next_check_at) VALUES ('https://a.kr/x', 'a.kr', 1)");
  }
  auto records = open_sqlite_demand_records(path);
  DataRequest r = titled("주차장");
  records->insert_request(r);
  EXPECT_TRUE(records->request(r.id));
  sqlite::Connection c(path, sqlite::Connection::Mode::kReadOnly);
  EXPECT_EQ(sqlite::schema_version(c), sqlite::latest_schema_version());
  sqlite::Statement q(c.handle(), "SELECT COUNT(*) FROM link_urls");
  ASSERT_TRUE(q.step());
  EXPECT_EQ(q.integer(0), 1);
}

// A search's matches (search/request_index.h) come back in its order, filtered and counted; every
// request written is in the change log the search follows, a vote is not.
TEST_P(DemandRecordsTest, ASearchsMatchesKeepTheirRankUnderTheFilters) {
  auto store = open();
  auto records = this->records();
  DataRequest a = titled("a"), b = titled("b"), c = titled("c");
  for (DataRequest* r : {&a, &b, &c}) records->insert_request(*r);
  c.status = "refused";
  c.refusal_reason = "not_held";
  records->update_request(c);
  records->add_vote(a.id, "u2");
  RequestQuery q;
  q.ids = std::vector<std::string>{c.id, a.id, "no-such-request", b.id};
  q.sort = "rank";
  auto page = records->requests(q);
  ASSERT_EQ(page.count, 3);
  ASSERT_EQ(page.items.size(), 3u);
  EXPECT_EQ(page.items[0].id, c.id);
  EXPECT_EQ(page.items[1].id, a.id);
  EXPECT_EQ(page.items[2].id, b.id);
  q.status = "open";
  q.offset = 1;
  page = records->requests(q);
  EXPECT_EQ(page.count, 2);
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].id, b.id);
  q.ids = std::vector<std::string>{};
  EXPECT_EQ(records->requests(q).count, 0) << "no match is no request, not every request";
  auto changes = store->changes_since(0, 100);
  EXPECT_EQ(std::count_if(changes.begin(), changes.end(),
                          [](const Change& c) { return c.entity == "datarequest"; }),
            4);  // three inserts, one update
}

TEST_P(DemandRecordsTest, OneVotePerUserAndCountsKeptOnTheRequest) {
  auto records = this->records();
  DataRequest r = titled("하천 수위");
  records->insert_request(r);
  EXPECT_EQ(records->add_vote(r.id, "u2"), 1);
  EXPECT_EQ(records->add_vote(r.id, "u2"), 0) << "a second vote is not counted";
  EXPECT_EQ(records->add_vote(r.id, "u3"), 2);
  EXPECT_EQ(records->request(r.id)->votes, 2);
  EXPECT_THROW(records->add_vote("no-such-request", "u2"), NotFound);
  EXPECT_TRUE(records->voters("no-such-request").empty()) << "a refused vote leaves no row";
}

TEST_P(DemandRecordsTest, HidingAndShowingACommentIsAudited) {
  auto records = this->records();
  DataRequest r = titled("t");
  records->insert_request(r);
  RequestComment c;
  c.request_id = r.id;
  c.user_id = "u2";
  c.text = "광고";
  records->add_comment(c);
  records->set_comment_hidden(c.id, true, {c.id, "admin", "hide", "spam", ""});
  EXPECT_EQ(records->request(r.id)->comments, 0);
  records->set_comment_hidden(c.id, false, {c.id, "sys", "show", "mistake", ""});
  EXPECT_EQ(records->request(r.id)->comments, 1);
  auto audit = records->comment_audit(r.id);
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].actor_id, "admin");
  EXPECT_EQ(audit[1].action, "show");
  EXPECT_EQ(records->comment(c.id)->text, "광고");
}

// Overdue and filtered lists: the shared filters (catalog/demand_rows.h) mean the same on both.
TEST_P(DemandRecordsTest, OverdueAndFilteredListsAndReports) {
  auto records = this->records();
  DataRequest a = titled("a"), b = titled("b");
  a.organization_id = "org1";
  records->insert_request(a);
  records->insert_request(b);
  b.extended = true;
  records->update_request(b);
  RequestQuery q;
  q.overdue_at = utc_seconds(a.created.substr(0, 19)) + 9 * 86400;
  auto overdue = records->requests(q);
  ASSERT_EQ(overdue.count, 1) << "only the unextended one is past 8 days";
  EXPECT_EQ(overdue.items[0].id, a.id);
  RequestQuery by_org;
  by_org.organization_id = "org1";
  EXPECT_EQ(records->requests(by_org).count, 1);
  DataRequest unknown;
  unknown.id = "no-such-request";
  EXPECT_THROW(records->update_request(unknown), NotFound);

  IssueReport rep;
  rep.dataset_id = "d1";
  rep.kind = "broken_link";
  rep.description = "404";
  rep.user_id = "u2";
  records->insert_report(rep);
  rep.status = "accepted";
  records->update_report(rep);
  ReportQuery open;
  open.status = "open";
  open.dataset_id = "d1";
  auto page = records->reports(open);
  ASSERT_EQ(page.count, 1);
  EXPECT_EQ(page.items[0].status, "accepted");
  open.dataset_id = "d2";
  EXPECT_EQ(records->reports(open).count, 0);

  Notification n{.id = {},
                 .user_id = "u1",
                 .subject = "s",
                 .body = "b",
                 .link = "/requests/x",
                 .entity = "datarequest",
                 .entity_id = a.id,
                 .email_state = "off",
                 .created = {},
                 .read = false};
  records->add_notification(n);
  EXPECT_EQ(records->unread_notifications("u1"), 1);
  records->mark_notifications_read("u1");
  EXPECT_EQ(records->unread_notifications("u1"), 0);
  auto listed = records->notifications("u1", 0, 10);
  ASSERT_EQ(listed.count, 1);
  EXPECT_TRUE(listed.items[0].read);
}

// Two nodes' records on one catalog, votes from many threads on both: every counted vote gets a
// number of its own and the tally is exact (on SQLite: two connections to one file).
TEST_P(DemandRecordsTest, ConcurrentVotesOnTwoNodesAreEachCountedOnce) {
  auto node1 = records(), node2 = records();
  DataRequest r = titled("버스 노선");
  node1->insert_request(r);
  ASSERT_TRUE(node2->request(r.id)) << "a request made on one node is read on the other";
  constexpr int kThreads = 4, kVoters = 10;
  std::vector<std::vector<std::int64_t>> numbers(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      DemandRecords& node = t % 2 ? *node2 : *node1;
      for (int v = 0; v < kVoters; ++v) {
        const std::string user = "voter" + std::to_string(v * 2 + t / 2);
        numbers[t].push_back(node.add_vote(r.id, user));  // each voter on both nodes
      }
    });
  for (auto& th : threads) th.join();
  std::vector<std::int64_t> counted;
  for (const auto& n : numbers)
    for (std::int64_t v : n)
      if (v > 0) counted.push_back(v);
  std::sort(counted.begin(), counted.end());
  const std::int64_t distinct_voters = 2 * kVoters;
  ASSERT_EQ(static_cast<std::int64_t>(counted.size()), distinct_voters);
  for (std::int64_t i = 0; i < distinct_voters; ++i) EXPECT_EQ(counted[i], i + 1);
  EXPECT_EQ(node1->request(r.id)->votes, distinct_voters);
  EXPECT_EQ(static_cast<std::int64_t>(node2->voters(r.id).size()), distinct_voters);
}

TEST(DemandRules, TheAnswerDeadlineIsEightDaysOnceExtendableByTen) {
  DataRequest r;
  r.created = "2026-12-01T09:00:00.000000";
  EXPECT_EQ(request_deadline(r), "2026-12-09T09:00:00Z");
  const std::int64_t day9 = utc_seconds("2026-12-10");
  EXPECT_TRUE(request_overdue(r, day9));
  EXPECT_FALSE(request_overdue(r, utc_seconds("2026-12-09T09:00:00")));
  r.extended = true;
  EXPECT_EQ(request_deadline(r), "2026-12-19T09:00:00Z");
  EXPECT_FALSE(request_overdue(r, day9));
  r.status = "scheduled";  // an answer: never overdue
  EXPECT_FALSE(request_overdue(r, utc_seconds("2027-06-01")));
  IssueReport rep;
  rep.created = "2026-12-01T09:00:00";
  EXPECT_EQ(report_deadline(rep), "2026-12-11T09:00:00Z");
  EXPECT_TRUE(report_overdue(rep, utc_seconds("2026-12-12")));
  rep.status = "notified";
  EXPECT_FALSE(report_overdue(rep, utc_seconds("2026-12-12")));
  EXPECT_EQ(utc_seconds("next week"), -1);
  EXPECT_EQ(utc_seconds("2026-13-01"), -1);
}

}  // namespace
}  // namespace datamap::catalog

// The demand records (catalog/demand.h) on SQLite, and the rules every front end shares: the
// answer deadlines judged at a given time.
#include <gtest/gtest.h>

#include "catalog/demand.h"
#include "catalog/errors.h"
#include "catalog/sqlite/connection.h"
#include "catalog/sqlite/migrations.h"
#include "tests/support/temp_dir.h"

namespace datamap::catalog {
namespace {

DataRequest titled(std::string title) {
  DataRequest r;
  r.title = std::move(title);
  r.user_id = "u1";
  return r;
}

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
TEST(DemandRecords, ASearchsMatchesKeepTheirRankUnderTheFilters) {
  testing::TempDir dir;
  auto records = open_sqlite_demand_records(dir.file("catalog.db"));
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
  sqlite::Connection conn(dir.file("catalog.db"), sqlite::Connection::Mode::kReadOnly);
  sqlite::Statement logged(conn.handle(),
                           "SELECT COUNT(*) FROM changes WHERE entity = 'datarequest'");
  ASSERT_TRUE(logged.step());
  EXPECT_EQ(logged.integer(0), 4);  // three inserts, one update
}

TEST(DemandRecords, OneVotePerUserAndCountsKeptOnTheRequest) {
  testing::TempDir dir;
  auto records = open_sqlite_demand_records(dir.file("catalog.db"));
  DataRequest r = titled("하천 수위");
  records->insert_request(r);
  EXPECT_EQ(records->add_vote(r.id, "u2"), 1);
  EXPECT_EQ(records->add_vote(r.id, "u2"), 0) << "a second vote is not counted";
  EXPECT_EQ(records->add_vote(r.id, "u3"), 2);
  EXPECT_EQ(records->request(r.id)->votes, 2);
  EXPECT_THROW(records->add_vote("no-such-request", "u2"), NotFound);
  EXPECT_TRUE(records->voters("no-such-request").empty()) << "a refused vote leaves no row";
}

TEST(DemandRecords, HidingAndShowingACommentIsAudited) {
  testing::TempDir dir;
  auto records = open_sqlite_demand_records(dir.file("catalog.db"));
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

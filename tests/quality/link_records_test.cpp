// The link records (catalog/link_checks.h) on both backends, SQLite and PostgreSQL, with the same
// assertions: what a recorded check changes, the bounded history, the schedule's claims (on
// PostgreSQL, two nodes' claims), and the change-log rows that tell search a dataset's links
// changed status; and SQLite's migration step 8 on an old catalog.
#include <gtest/gtest.h>

#include <algorithm>

#include "catalog/link_checks.h"
#include "catalog/postgres/pg_record_stores.h"
#include "catalog/sqlite/connection.h"
#include "catalog/sqlite/migrations.h"
#include "catalog/store.h"
#include "tests/support/store_backends.h"
#include "tests/support/temp_dir.h"

namespace datamap::catalog {
namespace {

using Links = LinkRecords::DatasetLinks;

LinkCheck check(LinkAnswer a, long status, const std::string& at = "2026-12-06T00:00:00") {
  LinkCheck c;
  c.answer = a;
  c.status = status;
  c.checked_at = at;
  c.error = a == LinkAnswer::kNo ? "http_status" : "";
  return c;
}

std::int64_t link_changes(Store& store, std::int64_t after, const std::string& dataset_id) {
  std::int64_t n = 0;
  for (const Change& c : store.changes_since(after, 1000))
    n += c.entity == "dataset" && c.kind == "links" && c.id == dataset_id;
  return n;
}

class LinkRecordsTest : public testing::StoreBackendTest {
 protected:
  // The records of this test's catalog, as a node opens them; each call is one more node's.
  std::unique_ptr<LinkRecords> records() {
    return on_postgres() ? open_postgres_link_records(catalog_location())
                         : open_sqlite_link_records(catalog_location());
  }
};
DATAMAP_STORE_BACKENDS(LinkRecordsTest);

TEST(LinkRecords, AVersionSevenCatalogGetsTheLinkTablesAndKeepsItsData) {
  testing::TempDir dir;
  const std::string path = dir.file("v7.db");
  {
    sqlite::Connection c(path, sqlite::Connection::Mode::kReadWrite);
    sqlite::migrate(c, 7);
    c.exec("INSERT INTO organizations (id, name, title) VALUES ('o1', 'old-org', '옛 기관')");
  }
  auto records = open_sqlite_link_records(path);
  EXPECT_EQ(records->counts().urls, 0);
  auto store = open_sqlite_store(path);
  EXPECT_TRUE(store->organization("old-org"));
  sqlite::Connection c(path, sqlite::Connection::Mode::kReadOnly);
  EXPECT_EQ(sqlite::schema_version(c), sqlite::latest_schema_version());
}

TEST_P(LinkRecordsTest, ACheckMovesTheDatasetsStatusAndLogsOnlyRealChanges) {
  auto store = open();
  auto records = this->records();
  const std::vector<Links> sets = {
      {"d1", "one", "org", {{"http://a/x", "a", "r1"}, {"http://a/y", "a", "r2"}}},
      {"d2", "two", "org", {{"http://a/x", "a", "r3"}}}};
  records->set_links(sets);
  const std::int64_t start = store->head_revision();
  EXPECT_EQ(store->head_revision(), start);  // new datasets start unknown: nothing to announce

  ASSERT_TRUE(records->record("http://a/x", check(LinkAnswer::kYes, 200), 1, 0, 3));
  EXPECT_EQ(link_changes(*store, start, "d1"), 0);  // d1 still has y unknown
  EXPECT_EQ(link_changes(*store, start, "d2"), 1);  // unknown -> answering
  ASSERT_TRUE(records->record("http://a/y", check(LinkAnswer::kNo, 404), 1, 0, 3));
  EXPECT_EQ(link_changes(*store, start, "d1"), 1);  // unknown -> broken
  ASSERT_TRUE(records->record("http://a/y", check(LinkAnswer::kNo, 404), 2, 0, 3));
  EXPECT_EQ(link_changes(*store, start, "d1"), 1);  // still broken: no new row
  EXPECT_EQ(records->count_broken_links("org"), 1);
  auto report = records->broken_links("org", 0, 10);
  ASSERT_EQ(report.size(), 1u);
  EXPECT_EQ(report[0].dataset_name, "one");
  EXPECT_EQ(report[0].resource_id, "r2");
  EXPECT_EQ(report[0].latest.status, 404);
  ASSERT_TRUE(records->record("http://a/y", check(LinkAnswer::kYes, 200), 1, 0, 3));
  EXPECT_EQ(link_changes(*store, start, "d1"), 2);  // broken -> answering
  EXPECT_EQ(records->count_broken_links("org"), 0);
  auto c = records->counts();
  EXPECT_EQ(c.urls, 2);
  EXPECT_EQ(c.answering, 2);
  EXPECT_EQ(c.datasets_broken, 0);
}

TEST_P(LinkRecordsTest, HistoryKeepsTheLastChecksNewestFirst) {
  auto store = open();
  auto records = this->records();
  const std::vector<Links> sets = {{"d1", "one", "", {{"http://a/x", "a", "r1"}}}};
  records->set_links(sets);
  const char* times[] = {"t0", "t1", "t2", "t3", "t4", "t5", "t6"};
  for (int i = 0; i < 7; ++i)
    records->record("http://a/x", check(LinkAnswer::kYes, 200 + i, times[i]), i + 1, 0, 3);
  auto r = records->link("http://a/x");
  ASSERT_TRUE(r && r->latest);
  ASSERT_EQ(r->history.size(), 3u);
  EXPECT_EQ(r->history[0].checked_at, "t6");
  EXPECT_EQ(r->history[2].checked_at, "t4");
  EXPECT_EQ(r->latest->status, 206);
  ASSERT_EQ(r->targets.size(), 1u);
  EXPECT_EQ(r->targets[0].resource_id, "r1");
}

TEST_P(LinkRecordsTest, ClaimsAreBoundedPerHostAndAClaimedUrlIsNotClaimedTwice) {
  auto store = open();
  auto records = this->records();
  Links many{"d1", "many", "", {}};
  for (int i = 0; i < 50; ++i)
    many.links.push_back({"http://busy/" + std::to_string(i), "busy", ""});
  many.links.push_back({"http://quiet/1", "quiet", ""});
  records->set_links(std::vector<Links>{many});
  const std::int64_t later = 4'000'000'000;  // everything is due
  auto first = records->due_urls(later, 100, 5, {}, 600, 1000);
  ASSERT_EQ(first.size(), 6u);  // five of busy, the one of quiet
  EXPECT_EQ(std::count_if(first.begin(), first.end(), [](auto& d) { return d.host == "quiet"; }),
            1);
  // busy already has five queued: it gets none; quiet has nothing left due.
  auto second = records->due_urls(later, 100, 5, {{"busy", 5}}, 600, 1000);
  EXPECT_TRUE(second.empty());
  auto third = records->due_urls(later, 100, 5, {{"busy", 3}}, 600, 1000);
  EXPECT_EQ(third.size(), 2u);
  for (const auto& d : third)
    for (const auto& f : first) EXPECT_NE(d.url, f.url);
}

TEST_P(LinkRecordsTest, ARemovedDatasetTakesItsUrlsButNotSharedOnes) {
  auto store = open();
  auto records = this->records();
  const std::vector<Links> sets = {
      {"d1", "one", "", {{"http://a/shared", "a", "r1"}, {"http://a/own", "a", "r2"}}},
      {"d2", "two", "", {{"http://a/shared", "a", "r3"}}}};
  records->set_links(sets);
  auto gone = records->remove_dataset("d1");
  EXPECT_EQ(gone, std::vector<std::string>{"http://a/own"});
  EXPECT_FALSE(records->link("http://a/own"));
  EXPECT_FALSE(records->record("http://a/own", check(LinkAnswer::kYes, 200), 1, 0, 3));
  EXPECT_TRUE(records->link("http://a/shared"));
  EXPECT_EQ(records->counts().urls, 1);
}

// What the quality score reads: the Store's link_answers follows the recorded checks, on either
// backend (a URL never checked, or unknown to the records, is "unknown").
TEST_P(LinkRecordsTest, TheStoreReadsTheRecordedAnswers) {
  auto store = open();
  auto records = this->records();
  records->set_links(std::vector<Links>{
      {"d1", "one", "", {{"http://a/ok", "a", "r1"}, {"http://a/bad", "a", "r2"}}}});
  records->record("http://a/ok", check(LinkAnswer::kYes, 200), 1, 0, 3);
  records->record("http://a/bad", check(LinkAnswer::kNo, 500), 1, 0, 3);
  const std::vector<std::string> urls = {"http://a/bad", "http://nowhere/", "http://a/ok"};
  EXPECT_EQ(store->link_answers(urls),
            (std::vector<LinkAnswer>{LinkAnswer::kNo, LinkAnswer::kUnknown, LinkAnswer::kYes}));
}

// Two nodes' checkers share one schedule: what one claimed the other does not claim until the
// lease runs out; a check recorded by one is read by the other; the applied revision only moves
// forward whichever node writes it.
TEST_P(LinkRecordsTest, TwoNodesNeverClaimTheSameUrlAndReadEachOthersChecks) {
  auto store = open();
  auto node_a = records();
  auto node_b = records();
  Links many{"d1", "many", "org", {}};
  for (int i = 0; i < 20; ++i)
    many.links.push_back({"http://h" + std::to_string(i % 4) + "/" + std::to_string(i),
                          "h" + std::to_string(i % 4), ""});
  node_a->set_links(std::vector<Links>{many});
  const std::int64_t later = 4'000'000'000;
  auto a = node_a->due_urls(later, 12, 3, {}, 600, 1000);
  auto b = node_b->due_urls(later, 100, 100, {}, 600, 1000);
  EXPECT_EQ(a.size(), 12u);  // three of each of the four hosts
  EXPECT_EQ(b.size(), 8u);   // the rest, none of a's
  for (const auto& x : b)
    for (const auto& y : a) EXPECT_NE(x.url, y.url);
  EXPECT_TRUE(node_a->due_urls(later, 100, 100, {}, 600, 1000).empty());
  EXPECT_EQ(node_b->due_urls(later + 601, 100, 100, {}, 600, 1000).size(), 20u);  // lapsed

  ASSERT_TRUE(node_b->record(a[0].url, check(LinkAnswer::kNo, 404), 1, 0, 3));
  auto seen = node_a->link(a[0].url);
  ASSERT_TRUE(seen && seen->latest);
  EXPECT_EQ(seen->latest->status, 404);
  EXPECT_EQ(node_a->count_broken_links("org"), 1);

  node_a->set_applied_revision(7);
  node_b->set_applied_revision(5);  // a node behind the other does not move it back
  EXPECT_EQ(node_a->applied_revision(), 7);
}

}  // namespace
}  // namespace datamap::catalog

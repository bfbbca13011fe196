// The scoreboard history's storage (catalog/quality_history.h, migration step 9): a catalog at
// version 8 with datasets in it gains the empty history and keeps its datasets; a day's rows
// are replaced as a whole; history() is bounded to the newest days, oldest first — on both
// backends (SQLite and PostgreSQL, the same assertions), and on PostgreSQL read by every node.
#include <gtest/gtest.h>

#include <thread>

#include "catalog/postgres/pg_record_stores.h"
#include "catalog/quality_history.h"
#include "catalog/sqlite/connection.h"
#include "catalog/sqlite/migrations.h"
#include "catalog/store.h"
#include "tests/support/store_backends.h"
#include "tests/support/temp_dir.h"

namespace datamap::catalog {
namespace {

QualitySnapshot row(const std::string& day, const std::string& org, std::int64_t datasets,
                    double mean) {
  QualitySnapshot s;
  s.day = day;
  s.organization_id = org;
  s.datasets = datasets;
  s.mean_percent = mean;
  s.by_rating = {1, 2, 3, 4};
  s.broken_links = 5;
  s.checked_values = 1000;
  s.invalid_values = 7;
  return s;
}

TEST(QualityHistoryStore, AVersionEightCatalogGainsAnEmptyHistoryAndKeepsItsDatasets) {
  testing::TempDir dir;
  const std::string path = dir.file("v8.db");
  {
    sqlite::Connection c(path, sqlite::Connection::Mode::kReadWrite);
    sqlite::migrate(c, 8);
  }
  {
    auto store = open_sqlite_store(path);  // migrates to the latest
    Dataset d;
    d.name = "kept";
    d.title = "kept";
    store->write([&](Transaction& tx) { tx.insert_dataset(d); });
  }
  auto history = open_sqlite_quality_history(path);
  EXPECT_TRUE(history->history("", 10).empty());
  EXPECT_FALSE(history->has_day("2026-01-01"));
  EXPECT_TRUE(open_sqlite_store(path)->dataset("kept"));
}

class QualityHistoryStoreTest : public testing::StoreBackendTest {
 protected:
  std::unique_ptr<QualityHistory> history() {
    return on_postgres() ? open_postgres_quality_history(catalog_location())
                         : open_sqlite_quality_history(catalog_location());
  }
};
DATAMAP_STORE_BACKENDS(QualityHistoryStoreTest);

TEST_P(QualityHistoryStoreTest, ADayIsReplacedWholeAndHistoryIsBoundedOldestFirst) {
  auto store = open();
  auto history = this->history();
  for (int d = 1; d <= 5; ++d) {
    const std::string day = "2026-01-0" + std::to_string(d);
    const QualitySnapshot rows[] = {row(day, "", 10, 10.0 * d), row(day, "org-a", 4, 12.34 * d)};
    history->put_day(day, rows);
  }
  const QualitySnapshot replaced[] = {row("2026-01-05", "", 11, 99.5)};
  history->put_day("2026-01-05", replaced);  // org-a had nothing public any more that day

  const auto national = history->history("", 3);
  ASSERT_EQ(national.size(), 3u);
  EXPECT_EQ(national[0].day, "2026-01-03");
  EXPECT_EQ(national[2].day, "2026-01-05");
  EXPECT_EQ(national[2].datasets, 11);
  EXPECT_DOUBLE_EQ(national[2].mean_percent, 99.5);
  EXPECT_EQ(national[2].by_rating, (std::array<std::int64_t, 4>{1, 2, 3, 4}));
  EXPECT_EQ(national[2].invalid_values, 7);
  EXPECT_DOUBLE_EQ(national[2].error_rate(), 0.007);
  const auto a = history->history("org-a", 10);
  ASSERT_EQ(a.size(), 4u);
  EXPECT_EQ(a.back().day, "2026-01-04");
  EXPECT_DOUBLE_EQ(a.back().mean_percent, 49.36);  // kept to 0.01
  EXPECT_TRUE(history->has_day("2026-01-05"));
}

// Two nodes' snapshot jobs may both take the day's snapshot: the day keeps one set of rows (the
// last taken), whichever node reads it.
TEST_P(QualityHistoryStoreTest, TwoNodesTakingTheSameDayLeaveOneSnapshot) {
  auto store = open();
  auto node_a = history();
  auto node_b = history();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      const QualitySnapshot rows[] = {row("2026-02-01", "", 10 + t, 50.0),
                                      row("2026-02-01", "org-a", 5, 40.0)};
      for (int i = 0; i < 5; ++i) (t % 2 ? *node_a : *node_b).put_day("2026-02-01", rows);
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(node_a->history("", 10).size(), 1u);
  EXPECT_EQ(node_b->history("org-a", 10).size(), 1u);
  EXPECT_TRUE(node_b->has_day("2026-02-01"));
}

}  // namespace
}  // namespace datamap::catalog

// The daily snapshot job (quality/snapshot_job.h) with an injected day: it takes a day's
// snapshot once, takes the next day's when the day turns, and its history shows an agency's
// progress between them. No sleeping: run_once() is what the job's thread runs at every poll.
#include "quality/snapshot_job.h"

#include <gtest/gtest.h>

#include <string>

#include "catalog/ids.h"
#include "catalog/quality_history.h"
#include "catalog/store.h"
#include "tests/support/temp_dir.h"

namespace datamap::quality {
namespace {

struct Env {
  datamap::testing::TempDir dir;
  std::unique_ptr<catalog::Store> store = catalog::open_sqlite_store(dir.file("catalog.db"));
  std::unique_ptr<catalog::QualityHistory> history =
      catalog::open_sqlite_quality_history(dir.file("catalog.db"));
  std::string today = "2026-04-01";
  SnapshotJob job{*store, *history, std::chrono::seconds(600), [this] { return today; }};
  std::string org_id;

  Env() {
    catalog::Organization o;
    o.name = "agency";
    o.title = "기관";
    store->write([&](catalog::Transaction& tx) { tx.put_organization(o); });
    org_id = o.id;
  }

  catalog::Dataset add(const std::string& name) {
    catalog::Dataset d;
    d.id = catalog::new_id();
    d.name = name;
    d.title = name;
    d.owner_org = org_id;
    store->write([&](catalog::Transaction& tx) { tx.insert_dataset(d); });
    return d;
  }
};

TEST(SnapshotJob, TakesEachDayOnceAndItsHistoryShowsProgress) {
  Env e;
  catalog::Dataset d = e.add("bare");
  EXPECT_TRUE(e.job.run_once());
  EXPECT_FALSE(e.job.run_once());  // the same day: nothing more
  ASSERT_EQ(e.history->history(e.org_id, 10).size(), 1u);

  // The agency describes its dataset; the next day's poll records it.
  d.notes = "서울시 공영주차장의 위치, 주차면수, 요금과 운영시간을 담았습니다.";
  d.tags = {"주차장"};
  d.license_id = "KOGL-1";
  d.maintainer = "교통정책과";
  e.store->write([&](catalog::Transaction& tx) { tx.update_dataset(d); });
  e.today = "2026-04-02";
  EXPECT_TRUE(e.job.run_once());

  const auto days = e.history->history(e.org_id, 10);
  ASSERT_EQ(days.size(), 2u);
  EXPECT_EQ(days[0].day, "2026-04-01");  // oldest first
  EXPECT_EQ(days[1].day, "2026-04-02");
  EXPECT_EQ(days[0].datasets, 1);
  EXPECT_GT(days[1].mean_percent, days[0].mean_percent);
  const auto national = e.history->history("", 10);
  ASSERT_EQ(national.size(), 2u);
  EXPECT_DOUBLE_EQ(national[1].mean_percent, days[1].mean_percent);
  // Bounded: the newest first asked for.
  const auto last = e.history->history(e.org_id, 1);
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last[0].day, "2026-04-02");
}

TEST(SnapshotJob, AnAgencyWithoutPublicDatasetsLeavesTheDayItHadNone) {
  Env e;
  catalog::Dataset d = e.add("only");
  catalog::quality::take_snapshot(*e.store, *e.history, "2026-05-01");
  ASSERT_EQ(e.history->history(e.org_id, 10).size(), 1u);
  // Taken again the same day after the dataset went private: the day's rows are replaced.
  d.is_private = true;
  e.store->write([&](catalog::Transaction& tx) { tx.update_dataset(d); });
  catalog::quality::take_snapshot(*e.store, *e.history, "2026-05-01");
  EXPECT_TRUE(e.history->history(e.org_id, 10).empty());
  ASSERT_EQ(e.history->history("", 10).size(), 1u);
  EXPECT_EQ(e.history->history("", 10)[0].datasets, 0);
}

}  // namespace
}  // namespace datamap::quality

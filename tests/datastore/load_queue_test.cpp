// The load queue in one process, without HTTP: a job loads the real parking file into the table
// store and writes its profile into the catalog; the same bytes are not loaded twice; a failed
// load keeps the previous table and profile; forget() drops the table; jobs run on the worker.
#include "datastore/load_queue.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

#include "catalog/errors.h"
#include "catalog/ids.h"
#include "catalog/store.h"
#include "tests/support/temp_dir.h"

namespace datamap::testing {
namespace {

const std::string kParking =
    std::string(DATAMAP_SOURCE_DIR) + "/data/sample/datafiles/datago-std-parking-15012896.csv";

class LoadQueueWorld : public ::testing::Test {
 protected:
  void SetUp() override {
    store = catalog::open_sqlite_store(dir.file("catalog.db"));
    tables = datastore::open_sqlite_table_store(dir.file("datastore.db"));
    jobs = datastore::open_sqlite_load_jobs(dir.file("datastore_jobs.db"));
    store->write([&](catalog::Transaction& tx) {
      catalog::Organization changwon;
      changwon.name = "changwon";
      changwon.code = "5670000";
      tx.put_organization(changwon);
      changwon_id = changwon.id;
      catalog::Dataset d;
      d.id = catalog::new_id();
      d.name = "parking";
      d.title = "주차장";
      d.columns.push_back({"비고", "text", "the agency's own column", ""});
      catalog::Resource r;
      r.id = resource_id;
      r.name = "parking.csv";
      r.format = "CSV";
      d.resources.push_back(r);
      tx.insert_dataset(d);
    });
  }

  datastore::LoadRequest parking() { return {resource_id, kParking, "hash-of-parking", "CSV"}; }

  TempDir dir;
  std::unique_ptr<catalog::Store> store;
  std::unique_ptr<datastore::TableStore> tables;
  std::unique_ptr<datastore::LoadJobs> jobs;
  std::string resource_id = catalog::new_id();
  std::string changwon_id;
};

TEST_F(LoadQueueWorld, RunNowLoadsTheRowsAndWritesTheProfileIntoTheCatalog) {
  datastore::LoadQueue queue(*store, *tables, *jobs);
  auto started = std::chrono::steady_clock::now();
  auto job = queue.run_now(parking());
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("[ figure ] parking file load + profile + catalog update (in process): %.2f s\n",
              seconds);
  ASSERT_EQ(job.status, "complete") << job.error;
  EXPECT_EQ(job.rows_done, 14851);
  EXPECT_EQ(job.total_rows, 14851);
  EXPECT_EQ(tables->info(resource_id)->row_count, 14851);

  auto d = store->dataset("parking");
  ASSERT_TRUE(d);
  const auto& r = d->resources.front();
  EXPECT_TRUE(r.datastore_active);
  ASSERT_EQ(r.columns.size(), 33u);
  bool org_matched = false;
  for (const auto& c : r.columns)
    if (c.name == "제공기관코드")
      for (const auto& o : c.organizations) org_matched |= o == changwon_id;
  EXPECT_TRUE(org_matched);
  // Dataset columns: the 33 profiled ones after the agency's own, which stays.
  ASSERT_EQ(d->columns.size(), 34u);
  EXPECT_EQ(d->columns.front().description, "the agency's own column");
  // The profile went through the change log (search and the map follow it).
  auto changes = store->changes_since(0, 100);
  ASSERT_FALSE(changes.empty());
  EXPECT_EQ(changes.back().id, d->id);
  EXPECT_EQ(changes.back().kind, "update");
}

// The full text is the load's last phase: while it is built the rows answer datastore_search
// without q, filters and the catalog's profile, the job says "full_text", and q is refused with a
// message saying why. A reload drops the old full text with the old rows.
TEST_F(LoadQueueWorld, RowsAreQueryableWhileTheFullTextPhaseRuns) {
  datastore::LoadQueue queue(*store, *tables, *jobs);
  ASSERT_EQ(queue.run_now(parking()).status, "complete");
  datastore::SearchQuery with_q;
  with_q.resource_id = resource_id;
  with_q.q = "창원";
  const auto old_matches = tables->search(with_q).total.value_or(0);
  ASSERT_GT(old_matches, 0);

  std::string small = dir.file("small.csv");
  {
    std::ofstream out(small, std::ios::binary);
    out << "주차장명,지역\n율하공영주차장,김해\n반송주차장,창원\n";
  }
  std::vector<std::string> phases;
  bool checked = false;
  auto job = queue.run_now({resource_id, small, "hash-of-small", "CSV"}, [&](const auto& j) {
    if (phases.empty() || phases.back() != j.phase) phases.push_back(j.phase);
    if (j.phase != "full_text" || checked) return;
    checked = true;
    EXPECT_EQ(jobs->latest(resource_id)->phase, "full_text");
    EXPECT_EQ(jobs->latest(resource_id)->status, "running");
    datastore::SearchQuery rows;
    rows.resource_id = resource_id;
    rows.conditions.push_back({"지역", datastore::Op::eq, {"창원"}});
    auto r = tables->search(rows);
    EXPECT_EQ(r.total, 1);  // the new rows, filtered
    EXPECT_TRUE(tables->info(resource_id)->search_indexes_pending);
    EXPECT_EQ(store->dataset("parking")->resources.front().columns.size(), 2u);
    try {
      tables->search(with_q);
      ADD_FAILURE() << "q answered from a full text still being built";
    } catch (const ValidationError& e) {
      ASSERT_TRUE(e.fields().count("q"));
      EXPECT_NE(e.fields().at("q").front().find("being built"), std::string::npos);
    }
  });
  ASSERT_EQ(job.status, "complete") << job.error;
  EXPECT_TRUE(checked);
  EXPECT_EQ(phases, (std::vector<std::string>{"profile", "load", "full_text", ""}));
  EXPECT_EQ(jobs->latest(resource_id)->phase, "");
  EXPECT_FALSE(tables->info(resource_id)->search_indexes_pending);
  auto r = tables->search(with_q);  // the new rows' full text, not the parking file's
  EXPECT_EQ(r.total, 1);
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(std::get<std::string>(r.records[0][1]), "반송주차장");
}

TEST_F(LoadQueueWorld, TheSameBytesAgainAreANoOpAndForceLoadsThemAgain) {
  datastore::LoadQueue queue(*store, *tables, *jobs);
  auto first = queue.run_now(parking());
  ASSERT_EQ(first.status, "complete") << first.error;
  auto head = store->head_revision();
  auto again = queue.run_now(parking());
  EXPECT_EQ(again.id, first.id);
  EXPECT_EQ(store->head_revision(), head);  // nothing written
  auto forced = queue.run_now(parking(), nullptr, true);
  EXPECT_NE(forced.id, first.id);
  EXPECT_EQ(forced.status, "complete");
}

TEST_F(LoadQueueWorld, AFailedLoadKeepsThePreviousTableAndProfile) {
  datastore::LoadQueue queue(*store, *tables, *jobs);
  ASSERT_EQ(queue.run_now(parking()).status, "complete");
  auto head = store->head_revision();
  std::string broken = dir.file("broken.csv");
  {
    std::ofstream out(broken, std::ios::binary);
    out << "a,b\n1,2\n" << std::string(5000, ',') << "\n";  // 5,001 fields on line 3
  }
  auto failed = queue.run_now({resource_id, broken, "hash-of-broken", "CSV"});
  EXPECT_EQ(failed.status, "error");
  EXPECT_EQ(failed.error_line, 3);
  EXPECT_NE(failed.error.find("line 3"), std::string::npos) << failed.error;
  EXPECT_EQ(tables->info(resource_id)->row_count, 14851);
  EXPECT_EQ(store->head_revision(), head);
  EXPECT_EQ(store->dataset("parking")->resources.front().columns.size(), 33u);
  // The status shows the failure; the table still holds the earlier load.
  EXPECT_EQ(queue.status(resource_id)->status, "error");
}

TEST_F(LoadQueueWorld, TheWorkerRunsSubmittedJobsAndForgetDropsTheTable) {
  datastore::LoadQueue queue(*store, *tables, *jobs);
  queue.start();
  auto job = queue.submit(parking());
  EXPECT_EQ(job.status, "pending");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (queue.status(resource_id)->status != "complete" &&
         queue.status(resource_id)->status != "error" &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_EQ(queue.status(resource_id)->status, "complete") << queue.status(resource_id)->error;
  EXPECT_EQ(queue.submit(parking()).id, job.id);  // already loaded
  queue.forget(resource_id);
  EXPECT_FALSE(tables->info(resource_id));
  EXPECT_FALSE(queue.status(resource_id));
  queue.stop();
}

TEST_F(LoadQueueWorld, ALoadOfAResourceDeletedMeanwhileLeavesNoTable) {
  datastore::LoadQueue queue(*store, *tables, *jobs);
  store->write([&](catalog::Transaction& tx) {
    auto d = tx.find_dataset("parking");
    d->resources.clear();
    tx.update_dataset(*d);
  });
  auto job = queue.run_now(parking());
  EXPECT_EQ(job.status, "error");
  EXPECT_NE(job.error.find("deleted"), std::string::npos) << job.error;
  EXPECT_FALSE(tables->info(resource_id));
}

}  // namespace
}  // namespace datamap::testing

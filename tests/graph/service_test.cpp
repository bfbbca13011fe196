// MapService over a real SQLite catalog: the first build, following the change log, privacy,
// explicit relationships, and readers that keep working while snapshots are swapped.
#include "graph/service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "catalog/store.h"
#include "graph/queries.h"
#include "tests/support/temp_dir.h"

namespace datamap::graph {
namespace {

catalog::Dataset dataset(const std::string& name, const std::string& org, const std::string& title,
                         const std::string& notes = "") {
  catalog::Dataset d;
  d.id = "id-" + name;
  d.name = name;
  d.owner_org = org;
  d.title = title;
  d.notes = notes;
  d.groups = {"교통물류"};
  return d;
}

struct ServiceFixture : ::testing::Test {
  testing::TempDir dir;
  std::unique_ptr<catalog::Store> store = catalog::open_sqlite_store(dir.file("catalog.db"));

  void SetUp() override {
    store->write([&](catalog::Transaction& tx) {
      for (const char* id : {"org-a", "org-b"}) {
        catalog::Organization o;
        o.id = id;
        o.name = id;
        o.title = std::string("기관 ") + id;
        tx.put_organization(o);
      }
      auto a = dataset("parking", "org-a", "주차장 현황", "법정동코드별 주차장");
      auto b = dataset("population", "org-b", "인구 현황", "법정동코드 기준 인구");
      tx.insert_dataset(a);
      tx.insert_dataset(b);
    });
  }
  void write(const std::function<void(catalog::Transaction&)>& fn) { store->write(fn); }
};

bool related_to(const DataMap& map, const std::string& a, const std::string& b) {
  auto na = map.find(a), nb = map.find(b);
  if (!na || !nb) return false;
  for (const auto& r : related(map, *na, 50))
    if (r.node == *nb) return true;
  return false;
}

TEST_F(ServiceFixture, BuildsFromTheCatalogThenAppliesOnlyWhatChanged) {
  MapService::Options options;
  options.incremental_min_datasets = 0;  // incremental even for this small catalog
  options.refresh_after = std::chrono::hours(1);
  MapService svc(*store, options);
  EXPECT_EQ(svc.snapshot(), nullptr);
  EXPECT_TRUE(svc.catch_up());
  auto first = svc.snapshot();
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->dataset_count(), 2u);
  EXPECT_TRUE(related_to(*first, "parking", "population"));
  EXPECT_EQ(first->label(*first->find("agency:org-a")), "기관 org-a");
  EXPECT_FALSE(svc.catch_up()) << "nothing changed";

  write([](catalog::Transaction& tx) {
    auto c = dataset("buildings", "org-b", "건축물 현황", "법정동코드 단위 건축물");
    tx.insert_dataset(c);
  });
  EXPECT_TRUE(svc.catch_up());
  auto second = svc.snapshot();
  EXPECT_EQ(second->dataset_count(), 3u);
  EXPECT_TRUE(related_to(*second, "buildings", "parking"));
  EXPECT_TRUE(second->stats().incremental);
  EXPECT_EQ(svc.status().applied_revision, store->head_revision());
  EXPECT_EQ(first->dataset_count(), 2u) << "an old snapshot stays as it was for its readers";

  write([](catalog::Transaction& tx) { tx.delete_dataset("id-buildings"); });
  svc.catch_up();
  EXPECT_FALSE(svc.snapshot()->find("buildings"));
}

TEST_F(ServiceFixture, AQuietCatalogGetsAFullBuildAfterIncrementalOnes) {
  MapService::Options options;
  options.incremental_min_datasets = 0;
  options.refresh_after = std::chrono::milliseconds(0);
  MapService svc(*store, options);
  svc.catch_up();
  write([](catalog::Transaction& tx) {
    auto c = dataset("buildings", "org-b", "건축물 현황", "법정동코드 단위 건축물");
    tx.insert_dataset(c);
  });
  EXPECT_TRUE(svc.catch_up());
  EXPECT_TRUE(svc.snapshot()->stats().incremental);
  EXPECT_TRUE(svc.catch_up()) << "no new changes, but incremental ones to fold in";
  EXPECT_FALSE(svc.snapshot()->stats().incremental);
  EXPECT_EQ(svc.snapshot()->dataset_count(), 3u);
  EXPECT_FALSE(svc.catch_up()) << "then nothing to do";
}

TEST_F(ServiceFixture, PrivateDatasetsNeverAppear) {
  write([](catalog::Transaction& tx) {
    auto p = dataset("secret", "org-a", "비공개 자료", "법정동코드");
    p.is_private = true;
    tx.insert_dataset(p);
  });
  MapService svc(*store);
  svc.catch_up();
  auto map = svc.snapshot();
  EXPECT_FALSE(map->find("secret"));
  EXPECT_EQ(map->count(*map->find("term:법정동코드")), 2u);
}

TEST_F(ServiceFixture, ExplicitRelationshipsFollowTheChangeLog) {
  MapService svc(*store);
  svc.catch_up();
  write([](catalog::Transaction& tx) {
    tx.put_relationship({"id-population", "id-parking", "links_to", ""});
  });
  EXPECT_TRUE(svc.catch_up());
  auto map = svc.snapshot();
  auto reasons = map->explain(*map->find("population"), *map->find("parking"));
  ASSERT_FALSE(reasons.empty());
  EXPECT_EQ(reason_kind_name(reasons[0].kind), std::string("explicit"));
  EXPECT_EQ(reasons[0].value, "links_to");

  write([](catalog::Transaction& tx) {
    tx.delete_relationship({"id-population", "id-parking", "links_to", ""});
  });
  svc.catch_up();
  map = svc.snapshot();
  for (const auto& r : map->explain(*map->find("population"), *map->find("parking")))
    EXPECT_NE(r.kind, ReasonKind::explicit_relation);
}

TEST_F(ServiceFixture, BackgroundFollowerPicksUpNewDatasets) {
  MapService::Options options;
  options.poll_interval = std::chrono::milliseconds(20);
  MapService svc(*store, options);
  svc.start();
  ASSERT_NE(svc.wait_for_snapshot(std::chrono::seconds(30)), nullptr);
  write([](catalog::Transaction& tx) {
    auto c = dataset("fresh", "org-a", "신규 자료", "법정동코드 포함");
    tx.insert_dataset(c);
  });
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  bool seen = false;
  while (!seen && std::chrono::steady_clock::now() < deadline) {
    seen = related_to(*svc.snapshot(), "fresh", "parking");
    if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(seen);
  EXPECT_EQ(svc.status().last_error, "");
  svc.stop();
}

TEST_F(ServiceFixture, ReadersKeepWorkingWhileSnapshotsAreSwapped) {
  MapService svc(*store);
  svc.catch_up();
  std::atomic<bool> done{false};
  std::atomic<std::size_t> queries{0}, failures{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r)
    readers.emplace_back([&] {
      // do-while: on a loaded machine a reader may first run after the writes are done, and it
      // must still have queried at least once for the test to mean anything.
      do {
        auto map = svc.snapshot();
        auto a = map->find("parking");
        if (!a || related(*map, *a, 10).empty()) ++failures;
        ++queries;
      } while (!done);
    });
  // Readers must really overlap the swaps: each write waits until they have queried again.
  auto wait_for_readers = [&] {
    std::size_t seen = queries.load();
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (queries.load() < seen + 2 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::yield();
  };
  for (int i = 0; i < 20; ++i) {
    wait_for_readers();
    write([&](catalog::Transaction& tx) {
      auto d = dataset("more-" + std::to_string(i), "org-b", "자료", "법정동코드");
      tx.insert_dataset(d);
    });
    svc.catch_up();
  }
  wait_for_readers();
  done = true;
  for (auto& t : readers) t.join();
  EXPECT_GT(queries.load(), 0u);
  EXPECT_EQ(failures.load(), 0u);
  EXPECT_EQ(svc.snapshot()->dataset_count(), 22u);
}

TEST(MapServiceSetup, MissingTermsFileIsAClearError) {
  testing::TempDir dir;
  auto store = catalog::open_sqlite_store(dir.file("catalog.db"));
  MapService::Options options;
  options.terms_path = dir.file("nope.csv");
  try {
    MapService svc(*store, options);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("nope.csv"), std::string::npos);
  }
}

}  // namespace
}  // namespace datamap::graph

// Prepared point sets kept between near measures (datastore/point_grid_cache.h,
// near_measurer.h): a build from scratch reads each table once instead of once per pair, and
// every figure is exactly the one measured with nothing kept, whatever the budget (none, one
// that forces evictions, one that holds all); a table written since it was read (a reload, an
// upsert, a drop) is read again, never answered from the kept grid.
#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "catalog/store.h"
#include "datastore/near_measurer.h"
#include "datastore/point_grid_cache.h"
#include "datastore/profile_writer.h"
#include "tests/support/temp_dir.h"

namespace datamap::testing {
namespace {

using datastore::LatLon;
using datastore::NearMeasurer;
using datastore::PointGridCache;

// Everything a measure writes, as text: two summaries are equal exactly when these are.
std::string describe(const catalog::PointSummary& s) {
  std::ostringstream o;
  o << s.lat_column << "," << s.lon_column << " points=" << s.points << " fp=" << s.fingerprint
    << " cells=";
  for (const auto& [c, n] : s.cells) o << c << ":" << n << ";";
  for (const auto& p : s.near)
    o << "\n  " << p.resource_id << "/" << p.package_id << " fp=" << p.fingerprint
      << " within=" << p.within_m << " " << p.points_near << " | " << p.other_points_near << "/"
      << p.other_points;
  return o.str();
}

std::vector<LatLon> points_around(std::mt19937_64& rng, std::size_t n) {
  std::uniform_real_distribution<double> lat(37.50, 37.60), lon(126.90, 127.05);
  std::vector<LatLon> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back({lat(rng), lon(rng)});
  return out;
}

// Resources of their own datasets, each a table of points in a SQLite DataStore, loaded the way
// the load job loads them (measure, write the profile, remember).
class NearWorld : public ::testing::Test {
 protected:
  static constexpr std::size_t kResources = 10;

  void SetUp() override {
    store = catalog::open_sqlite_store(dir.file("catalog.db"));
    tables = datastore::open_sqlite_table_store(dir.file("datastore.db"));
    store->write([&](catalog::Transaction& tx) {
      for (std::size_t i = 0; i < kResources; ++i) {
        catalog::Dataset d;
        d.name = "points-" + std::to_string(i);
        d.title = d.name;
        catalog::Resource r;
        r.name = "points.csv";
        r.format = "CSV";
        d.resources.push_back(r);
        tx.insert_dataset(d);
        datasets.push_back(d.id);
        resources.push_back(d.resources.front().id);
      }
    });
    std::mt19937_64 rng(7);
    for (std::size_t i = 0; i < kResources; ++i)
      write_table(resources[i], points_around(rng, 200 + 40 * i));
  }

  void write_table(const std::string& rid, const std::vector<LatLon>& points) {
    std::vector<datastore::Field> fields{
        {"id", "int", {}}, {"위도", "numeric", {}}, {"경도", "numeric", {}}};
    datastore::TableOptions options;
    options.point = {"위도", "경도"};
    options.primary_key = {"id"};
    auto w = tables->replace_table(rid, fields, options);
    std::int64_t id = 0;
    for (const auto& p : points) w->append({++id, p.lat, p.lon});
    w->commit();
  }

  catalog::PointSummary load(NearMeasurer& m, std::size_t i) {
    auto s = m.measure(resources[i], datasets[i]);
    datastore::write_profile(*store, resources[i], {}, nullptr, &s);
    m.remember(resources[i], datasets[i], s);
    return s;
  }

  // Every resource loaded in order into a fresh catalog state, with this cache budget.
  std::vector<std::string> build(NearMeasurer& m) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < kResources; ++i) out.push_back(describe(load(m, i)));
    return out;
  }

  void clear_points() {
    store->write([&](catalog::Transaction& tx) {
      for (const auto& id : datasets) {
        auto d = tx.find_dataset(id);
        d->resources.front().points = {};
        tx.update_dataset(*d);
      }
    });
  }

  NearMeasurer::Options with_budget(std::size_t bytes) { return {300, 4, bytes}; }

  TempDir dir;
  std::unique_ptr<catalog::Store> store;
  std::unique_ptr<datastore::TableStore> tables;
  std::vector<std::string> datasets, resources;
};

TEST_F(NearWorld, FiguresAreTheSameWithoutAWithATinyAndWithAFullCache) {
  NearMeasurer none(*store, *tables, with_budget(0));
  auto expected = build(none);
  const auto pairs = [&] {
    std::size_t n = 0;
    for (const auto& d : datasets) n += store->dataset(d)->resources.front().points.near.size();
    return n;
  }();
  ASSERT_GT(pairs, kResources) << "the points overlap: most resources have near pairs";
  // Nothing kept: each measure reads its own table and each candidate's.
  EXPECT_GT(none.cache_stats().reads, 2 * kResources);
  EXPECT_EQ(none.cache_stats().hits, 0u);
  EXPECT_EQ(none.cache_stats().bytes, 0u);

  clear_points();
  NearMeasurer full(*store, *tables, with_budget(64 << 20));
  EXPECT_EQ(build(full), expected);
  // Each table read once: by its own load; every pair it is a candidate in reuses that.
  EXPECT_EQ(full.cache_stats().reads, kResources);
  EXPECT_GT(full.cache_stats().hits, kResources);
  EXPECT_EQ(full.cache_stats().evictions, 0u);
  EXPECT_EQ(full.cache_stats().entries, kResources);
  EXPECT_GT(full.cache_stats().bytes, 0u);

  // A budget of about two grids: evictions on every load, the figures unchanged.
  clear_points();
  PointGridCache probe(std::size_t{1} << 30, 300);
  auto one = probe.get("x", {"위도", "경도", 0, std::nullopt}, [&] {
    return NearMeasurer::read_points(*tables, resources.back(), "위도", "경도");
  });
  NearMeasurer tiny(*store, *tables, with_budget(2 * one->grid.bytes() + 1024));
  EXPECT_EQ(build(tiny), expected);
  EXPECT_GT(tiny.cache_stats().evictions, 0u);
  EXPECT_GT(tiny.cache_stats().reads, kResources);
  EXPECT_LE(tiny.cache_stats().peak_bytes, tiny.cache_stats().budget_bytes);
}

TEST_F(NearWorld, AReloadReadsOnlyItsOwnTableAndMeasuresOnlyItsPairs) {
  NearMeasurer cached(*store, *tables, with_budget(64 << 20));
  build(cached);
  std::mt19937_64 rng(99);
  write_table(resources[3], points_around(rng, 300));
  auto reads = cached.cache_stats().reads;
  auto after = describe(load(cached, 3));
  EXPECT_EQ(cached.cache_stats().reads, reads + 1) << "its candidates' grids were kept";
  // The same figures as a measurer that keeps nothing.
  NearMeasurer none(*store, *tables, with_budget(0));
  EXPECT_EQ(describe(none.measure(resources[3], datasets[3])), after);
  // Only its own record changed: the others' figures about it are now stale by fingerprint.
  auto r3 = store->resource(resources[3]);
  for (std::size_t i = 0; i < kResources; ++i) {
    if (i == 3) continue;
    auto r = store->resource(resources[i]);
    for (const auto& p : r->points.near) {
      if (p.resource_id == resources[3]) {
        EXPECT_NE(p.fingerprint, r3->points.fingerprint);
      }
    }
  }
}

TEST_F(NearWorld, ATableWrittenSinceItWasReadIsReadAgain) {
  NearMeasurer cached(*store, *tables, with_budget(64 << 20));
  NearMeasurer none(*store, *tables, with_budget(0));
  build(cached);
  // Rows of a candidate change without a reload (datastore_upsert / datastore_delete): its
  // profile still has the old fingerprint, its table a new revision.
  const auto& victim = resources[0];
  const auto victim_points = store->resource(victim)->points.points;
  tables->upsert(victim, datastore::TableStore::Method::upsert, {"id", "위도", "경도"},
                 {{std::int64_t{1}, 37.55, 127.0}, {std::int64_t{100000}, 37.56, 127.01}});
  tables->delete_rows(victim, {{"id", datastore::Op::in, {"2", "3"}}});
  bool seen_new_points = false;
  for (std::size_t i = 1; i < kResources; ++i) {
    auto s = cached.measure(resources[i], datasets[i]);
    EXPECT_EQ(describe(s), describe(none.measure(resources[i], datasets[i]))) << i;
    for (const auto& p : s.near)
      if (p.resource_id == victim) seen_new_points |= p.other_points == victim_points - 1;
  }
  EXPECT_TRUE(seen_new_points) << "a pair measured on the victim's rows as they are now";
  // Dropped: no figure about it any more, from either.
  tables->drop(victim);
  EXPECT_EQ(describe(cached.measure(resources[5], datasets[5])),
            describe(none.measure(resources[5], datasets[5])));
  for (const auto& p : cached.measure(resources[5], datasets[5]).near)
    EXPECT_NE(p.resource_id, victim);
}

TEST(PointGridCache, KeepsWhileTheSourceMatchesAndDropsTheLeastRecentlyUsed) {
  std::mt19937_64 rng(3);
  auto points = points_around(rng, 500);
  int reads = 0;
  auto read = [&] {
    ++reads;
    return points;
  };
  PointGridCache::Source source{"lat", "lon", 1, std::nullopt};
  PointGridCache cache(std::size_t{1} << 30, 300);
  auto a = cache.get("a", source, read);
  const std::size_t one = cache.stats().bytes;
  ASSERT_GT(one, a->grid.bytes());
  EXPECT_EQ(a->points, 500);
  EXPECT_EQ(a->fingerprint, datastore::point_fingerprint(points));
  EXPECT_EQ(cache.get("a", source, read), a);
  EXPECT_EQ(reads, 1);
  // Another revision, other columns, another catalog fingerprint, no revision: read again.
  auto changed = source;
  changed.revision = 2;
  EXPECT_NE(cache.get("a", changed, read), a);
  EXPECT_EQ(reads, 2);
  changed.lon = "lng";
  cache.get("a", changed, read);
  EXPECT_EQ(reads, 3);
  changed.fingerprint = a->fingerprint + 1;
  cache.get("a", changed, read);
  EXPECT_EQ(reads, 4);
  changed.fingerprint.reset();
  changed.revision.reset();
  cache.get("a", changed, read);
  cache.get("a", changed, read);
  EXPECT_EQ(reads, 6) << "a backend that cannot tell a table's revision: nothing kept";

  // A budget of two grids: the third evicts the least recently used.
  PointGridCache two(2 * one + one / 2, 300);
  reads = 0;
  two.get("a", source, read);
  two.get("b", source, read);
  two.get("a", source, read);  // a is now the most recent
  two.get("c", source, read);  // evicts b
  EXPECT_EQ(reads, 3);
  two.get("a", source, read);
  EXPECT_EQ(reads, 3);
  two.get("b", source, read);
  EXPECT_EQ(reads, 4);
  EXPECT_EQ(two.stats().evictions, 2u);
  EXPECT_LE(two.stats().peak_bytes, two.stats().budget_bytes);
  // Heavier than the whole budget: handed out, not kept.
  PointGridCache small(100, 300);
  auto g = small.get("a", source, read);
  EXPECT_EQ(g->points, 500);
  EXPECT_EQ(small.stats().entries, 0u);
  EXPECT_EQ(small.stats().bytes, 0u);
}

}  // namespace
}  // namespace datamap::testing

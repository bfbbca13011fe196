// Joinable and near edges (issue 14): the JoinIndex, the near measuring and the map over 1,000
// loaded resources shaped like the real files (datago-std-parking / -citypark).
// - Joinable: profiles with a 제공기관코드 column with ~250 of ~300 agency codes over ~15k rows,
//   exact value sets; a third also carry a 법정동코드 column with 3k-20k distinct codes out of
//   20k, MinHash sketches only.
// - Near: every generated resource is one of the real files' point sets, thinned to 10-100% and
//   each point moved by ~100 m (so the resources overlap the way national standard datasets do),
//   written as a table of a SQLite DataStore with a catalog record (one dataset each). Each is
//   measured the way a load measures it (datastore/near_measurer.h: coarse-cell candidates, then
//   exact figures against the best 16, the points read from the tables), in load order, then the
//   map takes the figures (graph/near.h). Run twice on the same tables in one process: keeping no
//   prepared points (--cache-mb 0: every pair reads both tables, as before the cache) and with
//   the cache; the figures of the two runs are compared exactly.
// Measures the edges from scratch, then reloaded resources (one table rewritten, its pairs
// re-measured by both measurers and a new snapshot built). CPU seconds are the process's own.
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <random>

#include "catalog/store.h"
#include "datastore/loader.h"
#include "datastore/loader/sketch.h"
#include "datastore/near_measurer.h"
#include "datastore/profile_writer.h"
#include "graph/builder.h"
#include "graph/joinable.h"
#include "graph/near.h"
#include "graph/service.h"

using namespace datamap;

namespace {

double since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// This process's CPU seconds so far: on a shared machine the wall clock says more about the
// neighbours than about the code.
double cpu_now() {
  return double(std::clock()) / CLOCKS_PER_SEC;
}

graph::JoinColumn column(const std::string& key, const std::vector<std::string>& pool,
                         std::size_t distinct, std::int64_t rows, std::mt19937_64& rng) {
  std::vector<std::string> chosen = pool;
  std::shuffle(chosen.begin(), chosen.end(), rng);
  chosen.resize(std::min(distinct, chosen.size()));
  // Skewed row counts (a few agencies publish most rows), at least one row per value.
  std::vector<std::pair<std::uint64_t, std::int64_t>> counts;
  std::int64_t left = rows - std::int64_t(chosen.size());
  std::exponential_distribution<double> share(1.0);
  std::vector<double> w(chosen.size());
  double total = 0;
  for (auto& x : w) total += (x = share(rng));
  datastore::loader::BottomK sketch;
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    auto h = datastore::loader::BottomK::normalised_hash(chosen[i]);
    sketch.add_hash(h);
    counts.emplace_back(h, 1 + std::int64_t(double(left) * w[i] / total));
  }
  std::sort(counts.begin(), counts.end());
  graph::JoinColumn c{key, key, "", rows, std::int64_t(chosen.size()), sketch.sorted(), {}};
  if (counts.size() <= catalog::ColumnProfile::kExactValuesMax) c.value_counts = std::move(counts);
  return c;
}

std::vector<datastore::LatLon> generate(const std::vector<datastore::LatLon>& base,
                                        std::mt19937_64& rng) {
  std::uniform_real_distribution<double> keep_share(0.1, 1.0), u(0, 1);
  std::normal_distribution<double> move(0, 100.0 / 111194.9);  // ~100 m, in degrees
  double keep = keep_share(rng);
  std::vector<datastore::LatLon> out;
  for (const auto& p : base)
    if (u(rng) < keep) out.push_back({p.lat + move(rng), p.lon + move(rng)});
  return out;
}

// One generated resource's points as its DataStore table (what a load commits).
void write_table(datastore::TableStore& tables, const std::string& rid,
                 const std::vector<datastore::LatLon>& points) {
  std::vector<datastore::Field> fields{{"위도", "numeric", {}}, {"경도", "numeric", {}}};
  datastore::TableOptions options;
  options.point = {"위도", "경도"};
  auto w = tables.replace_table(rid, fields, options);
  for (const auto& p : points) w->append({p.lat, p.lon});
  w->commit_rows();
}

// Near: n datasets of one resource each in a catalog, their point tables in a DataStore, and
// the figures the last run wrote.
struct NearWorld {
  std::unique_ptr<catalog::Store> store;
  std::unique_ptr<datastore::TableStore> tables;
  std::vector<std::string> resource_ids, dataset_ids;
  std::vector<catalog::PointSummary> summaries;

  // Every resource's point summary cleared, as before its first load.
  void clear_points() {
    store->write([&](catalog::Transaction& tx) {
      for (const auto& id : dataset_ids) {
        auto d = tx.find_dataset(id);
        d->resources.front().points = {};
        tx.update_dataset(*d);
      }
    });
  }
  // What a load does after its rows are committed: measure, write the figures, remember.
  catalog::PointSummary load(datastore::NearMeasurer& m, std::size_t i, double& cpu) {
    double c = cpu_now();
    auto s = m.measure(resource_ids[i], dataset_ids[i]);
    cpu += cpu_now() - c;
    datastore::write_profile(*store, resource_ids[i], {}, nullptr, &s);
    m.remember(resource_ids[i], dataset_ids[i], s);
    return s;
  }
  std::vector<graph::NearSide> side(std::size_t i) const {
    const auto& s = summaries[i];
    return {{resource_ids[i], s.fingerprint, s.points, s.near}};
  }
};

bool same(const catalog::PointSummary& a, const catalog::PointSummary& b) {
  if (a.points != b.points || a.fingerprint != b.fingerprint || a.cells != b.cells ||
      a.near.size() != b.near.size())
    return false;
  for (std::size_t k = 0; k < a.near.size(); ++k) {
    const auto &x = a.near[k], &y = b.near[k];
    if (x.resource_id != y.resource_id || x.package_id != y.package_id ||
        x.fingerprint != y.fingerprint || x.points_near != y.points_near ||
        x.other_points != y.other_points || x.other_points_near != y.other_points_near ||
        x.within_m != y.within_m)
      return false;
  }
  return true;
}

double max_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_maxrss) / 1024;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_joinable: joinable and near edges for N loaded resources"};
  std::size_t n = 1000;
  std::size_t cache_mb = 1024;
  int reloads = 20;
  app.add_option("-n,--resources", n, "loaded resources (one per dataset)");
  app.add_option("--cache-mb", cache_mb, "prepared points kept between near measures, MiB");
  app.add_option("--reloads", reloads, "resources reloaded after the build from scratch");
  bool compare = true;
  app.add_flag("!--no-compare", compare,
               "skip the from-scratch run without the cache (reloads still compare)");
  CLI11_PARSE(app, argc, argv);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // each figure as soon as it is known

  std::mt19937_64 rng(14);
  std::vector<std::string> orgs, dongs;
  for (int i = 0; i < 300; ++i) orgs.push_back(std::to_string(3000000 + i * 10000));
  for (int i = 0; i < 20000; ++i) dongs.push_back(std::to_string(1111010100LL + i * 100));
  std::vector<std::shared_ptr<const graph::DatasetRecord>> records;
  for (std::size_t i = 0; i < n; ++i) {
    auto r = std::make_shared<graph::DatasetRecord>();
    r->id = "ds-" + std::to_string(100000 + i);
    r->name = r->id;
    r->title = "표준데이터 " + std::to_string(i);
    r->organization_id = "org-" + std::to_string(i % 50);
    std::int64_t rows = 10000 + std::int64_t(rng() % 10000);
    r->join_columns.push_back(column("제공기관코드", orgs, 200 + rng() % 70, rows, rng));
    if (i % 3 == 0)
      r->join_columns.push_back(column("법정동코드", dongs, 3000 + rng() % 17000, rows, rng));
    records.push_back(r);
  }
  auto terms = graph::StandardTerms::load(graph::default_terms_path());

  // The real files' points, then n generated tables and their catalog records.
  namespace fs = std::filesystem;
  fs::path tmp = fs::temp_directory_path() / ("bench_edges_" + std::to_string(::getpid()));
  fs::create_directories(tmp);
  NearWorld world;
  world.store = catalog::open_sqlite_store((tmp / "catalog.db").string());
  world.tables = datastore::open_sqlite_table_store((tmp / "datastore.db").string());
  const std::string data = DATAMAP_SOURCE_DIR "/data/sample/datafiles/";
  std::vector<std::vector<datastore::LatLon>> bases;
  for (const char* file : {"datago-std-parking-15012896.csv", "datago-std-citypark-15012890.csv"}) {
    std::string rid = std::string(file).substr(0, 15);
    auto loaded = datastore::load_file(data + file, "csv", *world.tables, rid);
    bases.push_back(datastore::NearMeasurer::read_points(
        *world.tables, rid, loaded.table.point->first, loaded.table.point->second));
  }
  auto ts = std::chrono::steady_clock::now();
  std::size_t total_points = 0;
  world.store->write([&](catalog::Transaction& tx) {
    for (std::size_t i = 0; i < n; ++i) {
      catalog::Dataset d;
      d.id = records[i]->id;
      d.name = records[i]->id;
      d.title = records[i]->title;
      catalog::Resource r;
      r.id = "rs-" + std::to_string(100000 + i);
      r.name = "points.csv";
      r.format = "CSV";
      d.resources.push_back(r);
      tx.insert_dataset(d);
      world.dataset_ids.push_back(d.id);
      world.resource_ids.push_back(r.id);
    }
  });
  for (std::size_t i = 0; i < n; ++i) {
    auto points = generate(bases[i % 2], rng);
    total_points += points.size();
    write_table(*world.tables, world.resource_ids[i], points);
  }
  std::printf(
      "setup: points of the real tables %zu and %zu; %zu tables of %zu points written "
      "in %.1f s\n",
      bases[0].size(), bases[1].size(), n, total_points, since(ts));

  // Near from scratch, twice on the same tables: with prepared points kept, then without (the
  // way every pair read both tables before the cache).
  struct Run {
    std::size_t cache_mb;
    std::unique_ptr<datastore::NearMeasurer> measurer;
    std::vector<catalog::PointSummary> summaries;
    double cpu = 0, wall = 0;
  };
  std::vector<Run> runs;
  runs.push_back({cache_mb, nullptr, {}, 0, 0});
  runs.push_back({0, nullptr, {}, 0, 0});
  Run &cached = runs[0], &uncached = runs[1];
  for (auto& run : runs) {
    run.measurer = std::make_unique<datastore::NearMeasurer>(
        *world.store, *world.tables, datastore::NearMeasurer::Options{300, 16, run.cache_mb << 20});
    if (&run == &uncached && !compare) {
      run.summaries = cached.summaries;  // it seeds its candidates from the catalog instead
      continue;
    }
    world.clear_points();
    auto t = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < n; ++i)
      run.summaries.push_back(world.load(*run.measurer, i, run.cpu));
    run.wall = since(t);
    auto st = run.measurer->cache_stats();
    std::size_t pairs = 0;
    for (const auto& s : run.summaries) pairs += s.near.size();
    std::printf(
        "near from scratch, cache %zu MiB: %zu near pairs found; measuring %.2f CPU s (%.1f s "
        "wall), %llu table reads, %llu grids reused, %llu evicted, %.1f MiB kept at the end "
        "(peak %.1f MiB, %zu grids)\n",
        run.cache_mb, pairs, run.cpu, run.wall, (unsigned long long)st.reads,
        (unsigned long long)st.hits, (unsigned long long)st.evictions, double(st.bytes) / (1 << 20),
        double(st.peak_bytes) / (1 << 20), st.entries);
  }
  bool identical = true;
  for (std::size_t i = 0; i < n; ++i)
    identical = identical && same(runs[0].summaries[i], runs[1].summaries[i]);
  if (compare) std::printf("figures of the two runs identical: %s\n", identical ? "yes" : "NO");
  world.summaries = cached.summaries;

  double edges_s = 0;
  graph::NearIndex near_index;
  auto build = [&](graph::JoinIndex& index) {
    graph::MapInput in;
    in.datasets = records;
    in.terms = terms;
    auto t = std::chrono::steady_clock::now();
    in.joinable = index.edges();
    in.near = near_index.edges();
    edges_s = since(t);
    return graph::build_map(std::move(in));
  };

  graph::JoinIndex index;
  auto t0 = std::chrono::steady_clock::now();
  double c0 = cpu_now();
  std::size_t measured = 0;
  for (const auto& r : records) measured += index.update(r->id, r->join_columns);
  double join_s = since(t0), join_cpu = cpu_now() - c0;
  for (std::size_t i = 0; i < n; ++i) near_index.update(records[i]->id, world.side(i));
  auto t1 = std::chrono::steady_clock::now();
  double c1 = cpu_now();
  auto map = build(index);
  double map_s = since(t1), map_cpu = cpu_now() - c1;
  std::printf(
      "from scratch: %zu resources, %zu column pairs measured, %zu joinable dataset pairs; "
      "%zu points, %zu near dataset pairs: join index %.2f s + near %.2f s + map %.2f s "
      "(wall)\n",
      n, measured, map->joinable_count(), total_points, map->near_count(), join_s, cached.wall,
      map_s);
  for (const auto& run : runs)
    if (&run == &cached || compare)
      std::printf(
          "from scratch in CPU seconds, cache %zu MiB: join index %.2f + near %.2f (table "
          "reads included) + map %.2f = %.2f\n",
          run.cache_mb, join_cpu, run.cpu, map_cpu, join_cpu + run.cpu + map_cpu);

  // Reloads: one resource's profile and points change, its table is rewritten, its pairs are
  // measured again (by both measurers, compared) and a new snapshot is built.
  double worst = 0, sum = 0, cpu_before = 0, cpu_after = 0;
  std::uint64_t reads_before = 0, reads_after = 0;
  for (int k = 0; k < reloads; ++k) {
    std::size_t i = rng() % n;
    auto r = std::make_shared<graph::DatasetRecord>(*records[i]);
    r->join_columns[0] = column("제공기관코드", orgs, 200 + rng() % 70, 15000, rng);
    records[i] = r;
    write_table(*world.tables, world.resource_ids[i], generate(bases[i % 2], rng));
    auto before_reads = uncached.measurer->cache_stats().reads;
    double c = cpu_now();
    auto without = uncached.measurer->measure(world.resource_ids[i], world.dataset_ids[i]);
    cpu_before += cpu_now() - c;
    reads_before += uncached.measurer->cache_stats().reads - before_reads;
    uncached.measurer->remember(world.resource_ids[i], world.dataset_ids[i], without);

    auto t = std::chrono::steady_clock::now();
    c = cpu_now();
    std::size_t m = index.update(r->id, r->join_columns);
    double upd = since(t);
    auto after_reads = cached.measurer->cache_stats().reads;
    double near_cpu = 0;
    auto s = world.load(*cached.measurer, i, near_cpu);
    reads_after += cached.measurer->cache_stats().reads - after_reads;
    cpu_after += near_cpu;
    identical = identical && same(without, s);
    world.summaries[i] = s;
    near_index.update(r->id, world.side(i));
    double upd_near = since(t) - upd;
    map = build(index);
    double wall = since(t), cpu = cpu_now() - c;
    worst = std::max(worst, cpu);
    sum += cpu;
    if (k == 0)
      std::printf(
          "reload: %zu column pairs re-measured in %.3f s; %zu near pairs measured in %.3f s "
          "(table reads included); pairs for the map %.3f s; with the new snapshot %.3f s wall, "
          "%.3f CPU s\n",
          m, upd, s.near.size(), upd_near, edges_s, wall, cpu);
  }
  std::printf(
      "reload of one resource (joinable + near + snapshot, cache on): mean %.3f CPU s, worst "
      "%.3f CPU s over %d reloads\n",
      sum / reloads, worst, reloads);
  std::printf(
      "reload near measuring over %d reloads: without the cache %.3f CPU s and %.1f table reads "
      "each, with it %.3f CPU s and %.1f table reads each; figures identical: %s\n",
      reloads, cpu_before / reloads, double(reads_before) / reloads, cpu_after / reloads,
      double(reads_after) / reloads, identical ? "yes" : "NO");
  std::printf("peak RSS %.0f MiB\n", max_rss_mb());
  fs::remove_all(tmp);
  return identical ? 0 : 1;
}

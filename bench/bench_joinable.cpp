// Joinable and near edges (issue 14): the JoinIndex, the near measuring and the map over 1,000
// loaded resources shaped like the real files (datago-std-parking / -citypark).
// - Joinable: profiles with a 제공기관코드 column with ~250 of ~300 agency codes over ~15k rows,
//   exact value sets; a third also carry a 법정동코드 column with 3k-20k distinct codes out of
//   20k, MinHash sketches only.
// - Near: the two real files are loaded into a SQLite DataStore (datastore/loader.h); every
//   generated resource is one of their point sets, thinned to 10-100% and each point moved by
//   ~100 m, so the resources overlap the way national standard datasets do. Each resource is
//   measured the way a load measures it (datastore/near.h: coarse-cell candidates, then exact
//   figures against the best 16), in load order, then the map takes the figures (graph/near.h).
// Measures the edges from scratch, then one reloaded resource (its pairs re-measured and a new
// snapshot built). A load also reads the points from its table and its candidates' tables:
// that read is timed on the real tables and added per candidate.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <random>

#include "datastore/loader.h"
#include "datastore/loader/sketch.h"
#include "datastore/near.h"
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

// Near: the generated point sets and the figures a load would write.
struct NearBench {
  std::vector<std::vector<datastore::LatLon>> points;
  std::vector<catalog::PointSummary> summaries;
  datastore::NearCandidates candidates;
  std::size_t pairs_measured = 0;

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

  // What NearMeasurer::measure does for resource i, minus the table reads.
  void measure(std::size_t i, const std::vector<std::shared_ptr<const graph::DatasetRecord>>& ids) {
    const auto& mine = points[i];
    catalog::PointSummary s = datastore::summarize_points(mine);
    s.lat_column = "위도";
    s.lon_column = "경도";
    datastore::PointGrid grid(mine, 300);
    for (const auto& other : candidates.best(ids[i]->id, ids[i]->id, s.cells, 16)) {
      std::size_t j = std::stoul(other.substr(3)) - 100000;
      catalog::NearPair p = datastore::measure_pair(grid, points[j], 300);
      ++pairs_measured;
      p.resource_id = other;
      p.package_id = other;
      p.fingerprint = summaries[j].fingerprint;
      if (p.points_near || p.other_points_near) s.near.push_back(p);
    }
    candidates.update(ids[i]->id, ids[i]->id, s.cells);
    summaries[i] = std::move(s);
  }
  std::vector<graph::NearSide> side(std::size_t i, const std::string& id) const {
    const auto& s = summaries[i];
    return {{id, s.fingerprint, s.points, s.near}};
  }
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_joinable: joinable and near edges for N loaded resources"};
  std::size_t n = 1000;
  app.add_option("-n,--resources", n, "loaded resources (one per dataset)");
  CLI11_PARSE(app, argc, argv);

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

  // The real files in a SQLite DataStore: their points, and how long reading them takes.
  namespace fs = std::filesystem;
  fs::path tmp = fs::temp_directory_path() / ("bench_edges_" + std::to_string(::getpid()));
  fs::create_directories(tmp);
  auto tables = datastore::open_sqlite_table_store((tmp / "datastore.db").string());
  const std::string data = DATAMAP_SOURCE_DIR "/data/sample/datafiles/";
  std::vector<std::vector<datastore::LatLon>> bases;
  double read_s = 0;
  for (const char* file : {"datago-std-parking-15012896.csv", "datago-std-citypark-15012890.csv"}) {
    std::string rid = std::string(file).substr(0, 15);
    auto loaded = datastore::load_file(data + file, "csv", *tables, rid);
    auto t = std::chrono::steady_clock::now();
    bases.push_back(datastore::NearMeasurer::read_points(*tables, rid, loaded.table.point->first,
                                                         loaded.table.point->second));
    read_s = std::max(read_s, since(t));
  }
  fs::remove_all(tmp);
  std::printf("points of the real tables: %zu and %zu; reading one table's points: %.3f s\n",
              bases[0].size(), bases[1].size(), read_s);
  NearBench near;
  near.summaries.resize(n);
  std::size_t total_points = 0;
  for (std::size_t i = 0; i < n; ++i) {
    near.points.push_back(near.generate(bases[i % 2], rng));
    total_points += near.points.back().size();
  }

  double edges_s = 0;
  graph::NearIndex near_index;
  auto build = [&](graph::JoinIndex& index, std::shared_ptr<const graph::DataMap> previous) {
    graph::MapInput in;
    in.datasets = records;
    in.terms = terms;
    auto t = std::chrono::steady_clock::now();
    in.joinable = index.edges();
    in.near = near_index.edges();
    edges_s = since(t);
    (void)previous;
    return graph::build_map(std::move(in));
  };

  graph::JoinIndex index;
  auto t0 = std::chrono::steady_clock::now();
  double c0 = cpu_now();
  std::size_t measured = 0;
  for (const auto& r : records) measured += index.update(r->id, r->join_columns);
  double join_s = since(t0), join_cpu = cpu_now() - c0;
  auto tn = std::chrono::steady_clock::now();
  double cn = cpu_now();
  for (std::size_t i = 0; i < n; ++i) near.measure(i, records);
  double near_s = since(tn), near_cpu = cpu_now() - cn;
  // In production every load also reads its own points and its candidates' from their tables.
  double near_read_s = read_s * double(n + near.pairs_measured);
  for (std::size_t i = 0; i < n; ++i)
    near_index.update(records[i]->id, near.side(i, records[i]->id));
  auto t1 = std::chrono::steady_clock::now();
  double c1 = cpu_now();
  auto map = build(index, nullptr);
  double map_s = since(t1), map_cpu = cpu_now() - c1;
  std::printf(
      "from scratch: %zu resources, %zu column pairs measured, %zu joinable dataset pairs; "
      "%zu points, %zu near pairs measured, %zu near dataset pairs: join index %.2f s + near "
      "%.2f s (+ %.2f s reading points from tables) + map %.2f s = %.2f s\n",
      n, measured, map->joinable_count(), total_points, near.pairs_measured, map->near_count(),
      join_s, near_s, near_read_s, map_s, join_s + near_s + near_read_s + map_s);
  std::printf("from scratch in CPU seconds: join index %.2f + near %.2f + map %.2f = %.2f\n",
              join_cpu, near_cpu, map_cpu, join_cpu + near_cpu + map_cpu);

  // Reloads: one resource's profile changes (new values), its pairs are measured again and a
  // new snapshot is built.
  double worst = 0, sum = 0;
  const int reloads = 20;
  for (int k = 0; k < reloads; ++k) {
    std::size_t i = rng() % n;
    auto r = std::make_shared<graph::DatasetRecord>(*records[i]);
    r->join_columns[0] = column("제공기관코드", orgs, 200 + rng() % 70, 15000, rng);
    records[i] = r;
    near.points[i] = near.generate(bases[i % 2], rng);
    auto t = std::chrono::steady_clock::now();
    std::size_t m = index.update(r->id, r->join_columns);
    double upd = since(t);
    std::size_t before = near.pairs_measured;
    near.measure(i, records);
    near_index.update(r->id, near.side(i, r->id));
    double upd_near = since(t) - upd;
    double reads = read_s * double(1 + near.pairs_measured - before);
    map = build(index, map);
    double s = since(t) + reads;
    worst = std::max(worst, s);
    sum += s;
    if (k == 0)
      std::printf(
          "reload: %zu column pairs re-measured in %.3f s; near pairs measured in %.3f s "
          "(+ %.3f s reading points); pairs for the map %.3f s; with the new snapshot %.3f s\n",
          m, upd, upd_near, reads, edges_s, s);
  }
  std::printf(
      "reload of one resource (joinable + near, point reads included): mean %.3f s, "
      "worst %.3f s over %d reloads\n",
      sum / reloads, worst, reloads);
  return 0;
}

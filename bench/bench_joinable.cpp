// Joinable edges (issue 14): the JoinIndex and the map over 1,000 loaded resources whose profiles
// are shaped like the real files' (datago-std-parking / -citypark: a 제공기관코드 column with
// ~250 of ~300 agency codes over ~15k rows, exact value sets; a third also carry a 법정동코드
// column with 3k-20k distinct codes out of 20k, MinHash sketches only). Measures the edges from
// scratch, then one reloaded resource (its pairs re-measured and a new snapshot built).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

#include "datastore/loader/sketch.h"
#include "graph/builder.h"
#include "graph/joinable.h"
#include "graph/service.h"

using namespace datamap;

namespace {

double since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
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
  graph::JoinColumn c{key, key, rows, std::int64_t(chosen.size()), sketch.sorted(), {}};
  if (counts.size() <= catalog::ColumnProfile::kExactValuesMax) c.value_counts = std::move(counts);
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_joinable: joinable edges for N loaded resources"};
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

  double edges_s = 0;
  auto build = [&](graph::JoinIndex& index, std::shared_ptr<const graph::DataMap> previous) {
    graph::MapInput in;
    in.datasets = records;
    in.terms = terms;
    auto t = std::chrono::steady_clock::now();
    in.joinable = index.edges();
    edges_s = since(t);
    (void)previous;
    return graph::build_map(std::move(in));
  };

  graph::JoinIndex index;
  auto t0 = std::chrono::steady_clock::now();
  std::size_t measured = 0;
  for (const auto& r : records) measured += index.update(r->id, r->join_columns);
  double join_s = since(t0);
  auto t1 = std::chrono::steady_clock::now();
  auto map = build(index, nullptr);
  double map_s = since(t1);
  std::printf(
      "from scratch: %zu resources, %zu column pairs measured, %zu joinable dataset pairs: "
      "join index %.2f s + map %.2f s = %.2f s\n",
      n, measured, map->joinable_count(), join_s, map_s, join_s + map_s);

  // Reloads: one resource's profile changes (new values), its pairs are measured again and a
  // new snapshot is built.
  double worst = 0, sum = 0;
  const int reloads = 20;
  for (int k = 0; k < reloads; ++k) {
    std::size_t i = rng() % n;
    auto r = std::make_shared<graph::DatasetRecord>(*records[i]);
    r->join_columns[0] = column("제공기관코드", orgs, 200 + rng() % 70, 15000, rng);
    records[i] = r;
    auto t = std::chrono::steady_clock::now();
    std::size_t m = index.update(r->id, r->join_columns);
    double upd = since(t);
    map = build(index, map);
    double s = since(t);
    worst = std::max(worst, s);
    sum += s;
    if (k == 0)
      std::printf(
          "reload: %zu column pairs re-measured in %.3f s; pairs for the map %.3f s; with the "
          "new snapshot %.3f s\n",
          m, upd, edges_s, s);
  }
  std::printf("reload of one resource: mean %.3f s, worst %.3f s over %d reloads\n", sum / reloads,
              worst, reloads);
  return 0;
}

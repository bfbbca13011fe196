// Benchmarks the data map on an imported catalog: build time (reading + term detection, then the
// map itself), peak RSS, node and edge counts, in-process query latency under concurrent load
// (neighbors, related, path), and how long a dataset written to the catalog takes to show.
//
//   build/bench/bench_map --data DIR [--threads 2] [--queries 20000] [--ids-out FILE]
//                         [--compare-paths N] [--build-only]
//
// --ids-out writes sample dataset ids (one per line) for bench/map_wrk.lua (HTTP load with wrk).
#include <sys/resource.h>
#include <time.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <random>
#include <thread>

#include "bench/lib/process_usage.h"
#include "catalog/ids.h"
#include "catalog/store.h"
#include "graph/queries.h"
#include "graph/reference_path.h"
#include "graph/service.h"

using namespace datamap;
using Clock = std::chrono::steady_clock;

namespace {

using datamap::bench::cpu_seconds;
using datamap::bench::peak_rss_mb;

// CPU time of the calling thread, in ms: what a query costs whatever else the machine runs.
double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

struct Latencies {
  std::vector<double> ms, cpu_ms;  // wall and thread CPU time per call
  void report(const std::string& name, double wall_seconds) {
    std::sort(ms.begin(), ms.end());
    std::sort(cpu_ms.begin(), cpu_ms.end());
    auto pct = [](const std::vector<double>& v, double p) {
      return v.empty() ? 0.0 : v[std::min(v.size() - 1, std::size_t(p * v.size()))];
    };
    std::printf(
        "  %-22s n=%-7zu p50=%8.3f ms  p90=%8.3f ms  p99=%8.3f ms  max=%8.3f ms  %9.0f q/s"
        "  | CPU p50=%7.3f p99=%8.3f ms\n",
        name.c_str(), ms.size(), pct(ms, 0.50), pct(ms, 0.90), pct(ms, 0.99),
        ms.empty() ? 0.0 : ms.back(), double(ms.size()) / wall_seconds, pct(cpu_ms, 0.50),
        pct(cpu_ms, 0.99));
  }
};

// Runs `fn(i)` for i in [0, queries) spread over `threads` threads; per-call latencies.
template <typename Fn>
void load(const std::string& name, unsigned threads, std::size_t queries, Fn fn) {
  std::vector<Latencies> parts(threads);
  std::atomic<std::size_t> next{0};
  auto t0 = Clock::now();
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      for (std::size_t i; (i = next++) < queries;) {
        auto s = Clock::now();
        double c = thread_cpu_ms();
        fn(i);
        parts[t].cpu_ms.push_back(thread_cpu_ms() - c);
        parts[t].ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - s).count());
      }
    });
  for (auto& th : pool) th.join();
  double wall = std::chrono::duration<double>(Clock::now() - t0).count();
  Latencies all;
  for (auto& p : parts) {
    all.ms.insert(all.ms.end(), p.ms.begin(), p.ms.end());
    all.cpu_ms.insert(all.cpu_ms.end(), p.cpu_ms.begin(), p.cpu_ms.end());
  }
  all.report(name, wall);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"data map benchmark"};
  std::string data_dir, ids_out;
  unsigned threads = 2;
  std::size_t queries = 20000;
  unsigned k = 8;
  app.add_option("--data", data_dir, "data directory holding catalog.db")->required();
  app.add_option("--threads", threads, "query threads and build threads");
  app.add_option("--queries", queries, "queries per kind");
  app.add_option("--k", k, "related edges kept per dataset");
  app.add_option("--ids-out", ids_out, "write sample dataset ids for map_wrk.lua");
  bool build_only = false;
  unsigned compare_paths = 0;
  app.add_option("--compare-paths", compare_paths,
                 "also time Boost's one-sided Dijkstra on N pairs");
  app.add_flag("--build-only", build_only, "stop after the build figures");
  CLI11_PARSE(app, argc, argv);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // figures survive a crash or an interrupted run

  auto store = catalog::open_sqlite_store(data_dir + "/catalog.db");
  graph::MapService::Options options;
  options.incremental_min_datasets = 0;  // measure the incremental path whatever the size
  options.build.threads = threads;
  options.build.related_per_dataset = k;
  graph::MapService svc(*store, options);

  std::printf("data map benchmark: %s (%lld datasets in the catalog), %u threads\n",
              data_dir.c_str(), static_cast<long long>(store->count_datasets()), threads);
  auto t0 = Clock::now();
  double cpu0 = cpu_seconds();
  svc.rebuild([](const std::string& msg) { std::fprintf(stderr, "%s\n", msg.c_str()); });
  double total = std::chrono::duration<double>(Clock::now() - t0).count();
  double cpu = cpu_seconds() - cpu0;
  auto map = svc.snapshot();
  const auto& s = map->stats();
  std::printf(
      "build: total %.2f s = read+detect terms %.2f s + map %.2f s (index %.2f s, related %.2f s, "
      "graph %.2f s, algorithms %.2f s)\n",
      total, s.extract_seconds, s.build_seconds, s.index_seconds, s.related_seconds,
      s.assemble_seconds, s.algorithms_seconds);
  std::printf(
      "build CPU time (user+sys, all threads): %.2f s; load average while building: see uptime\n",
      cpu);
  std::printf("peak RSS after build: %ld MB\n", peak_rss_mb());
  std::printf("nodes: %zu total;", map->node_count());
  for (int t = 0; t < graph::kNodeTypeCount; ++t)
    std::printf(" %s %zu", graph::node_type_name(graph::NodeType(t)),
                map->node_count(graph::NodeType(t)));
  std::size_t edges = 0;
  for (int t = 0; t < graph::kEdgeTypeCount; ++t) edges += map->edge_count(graph::EdgeType(t));
  std::printf("\nedges: %zu total;", edges);
  for (int t = 0; t < graph::kEdgeTypeCount; ++t)
    std::printf(" %s %zu", graph::edge_type_name(graph::EdgeType(t)),
                map->edge_count(graph::EdgeType(t)));
  std::printf("\ncomponents %zu, clusters %zu\n", map->component_count(),
              map->communities().size());
  if (map->dataset_count() < 2 || build_only) return 0;

  std::mt19937_64 rng(42);
  std::vector<graph::Node> sample(4096);
  for (auto& n : sample) n = graph::Node(rng() % map->dataset_count());
  if (!ids_out.empty()) {
    std::ofstream out(ids_out);
    for (auto n : sample) out << map->dataset(n).id << "\n";
  }
  std::printf("query latency, in process, %u threads:\n", threads);
  graph::NeighborQuery q1;
  load("neighbors d=1 l=50", threads, queries,
       [&](std::size_t i) { graph::neighbors(*map, sample[i % sample.size()], q1); });
  graph::NeighborQuery q2;
  q2.depth = 2;
  q2.limit = 200;
  load("neighbors d=2 l=200", threads, queries,
       [&](std::size_t i) { graph::neighbors(*map, sample[i % sample.size()], q2); });
  load("related l=10", threads, queries,
       [&](std::size_t i) { graph::related(*map, sample[i % sample.size()], 10); });
  std::atomic<std::size_t> found{0};
  load("path", threads, queries / 4, [&](std::size_t i) {
    found +=
        graph::path(*map, sample[i % sample.size()], sample[(i * 7 + 1) % sample.size()]).found;
  });
  std::printf("  paths found: %zu of %zu\n", found.load(), queries / 4);
  if (compare_paths) {
    // Side by side, same pairs, same session: Boost's one-sided Dijkstra (stops at the target).
    std::printf("path search compared on the same %zu pairs, 1 thread:\n",
                std::size_t(compare_paths));
    load("path (bidirectional)", 1, compare_paths, [&](std::size_t i) {
      graph::path(*map, sample[i % sample.size()], sample[(i * 7 + 1) % sample.size()]);
    });
    std::atomic<std::size_t> mismatches{0};
    load("path (Boost one-sided)", 1, compare_paths, [&](std::size_t i) {
      graph::Node a = sample[i % sample.size()], b = sample[(i * 7 + 1) % sample.size()];
      float ref = graph::reference_path_cost(*map, a, b);
      auto p = graph::path(*map, a, b);
      if ((ref < 0) != !p.found || (p.found && std::abs(ref - p.cost) > 1e-3f * ref)) ++mismatches;
    });
    std::printf(
        "  (the one-sided row includes one bidirectional search per pair for the check)"
        " cost mismatches: %zu\n",
        mismatches.load());
  }

  // Freshness: a dataset written to the catalog, then the time until a snapshot includes it.
  auto original = store->dataset(map->dataset(sample[0]).id);
  if (original) {
    catalog::Dataset copy = *original;
    copy.id = catalog::new_id();
    copy.name = "bench-map-" + copy.id.substr(0, 8);
    copy.source_key.clear();
    for (auto& r : copy.resources) {  // resource ids are unique across the catalog
      r.id = catalog::new_id();
      r.package_id = copy.id;
    }
    store->write([&](catalog::Transaction& tx) { tx.insert_dataset(copy); });
    auto w0 = Clock::now();
    double c0 = cpu_seconds();
    svc.catch_up();
    double fresh = std::chrono::duration<double>(Clock::now() - w0).count();
    double fresh_cpu = cpu_seconds() - c0;
    auto next = svc.snapshot();
    const auto& ns = next->stats();
    std::printf(
        "freshness: one new dataset on the map after %.2f s wall, %.2f s CPU (incremental=%d, "
        "on map=%d; index %.2f s, related %.2f s, graph %.2f s, algorithms %.2f s)\n",
        fresh, fresh_cpu, int(ns.incremental), int(next->find(copy.id).has_value()),
        ns.index_seconds, ns.related_seconds, ns.assemble_seconds, ns.algorithms_seconds);
    store->write([&](catalog::Transaction& tx) { tx.purge_dataset(copy.id); });
    svc.catch_up();
  }
  std::printf("peak RSS: %ld MB\n", peak_rss_mb());
  return 0;
}

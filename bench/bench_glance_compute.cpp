// Times graph::compute_glance (the map at a glance behind datamap_overview with levels) on a data
// directory, apart from the map build it needs, and prints a digest of its answer so that a
// faster computation can be checked to answer the same. Under callgrind only the computation
// is counted (the map build runs uninstrumented):
//
//   build/bench/bench_glance_compute --data /tmp/glance61k [--runs 3]
//   valgrind --tool=callgrind --instr-atstart=no build/bench/bench_glance_compute --data DIR
#include <valgrind/callgrind.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdint>
#include <iostream>

#include "catalog/quality_score.h"
#include "catalog/store.h"
#include "graph/glance.h"
#include "graph/service.h"

using namespace datamap;

namespace {

// FNV-1a over every figure of the glance: equal digests, equal answers.
struct Digest {
  std::uint64_t h = 1469598103934665603ull;
  void add(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) h = (h ^ ((v >> (8 * i)) & 0xFF)) * 1099511628211ull;
  }
  void add(const graph::Measures& m) {
    for (auto v : m.values) add(std::uint64_t(v));
  }
};

std::uint64_t digest(const graph::Glance& g) {
  Digest d;
  d.add(g.total);
  d.add(g.not_on_map);
  for (const auto& [n, m] : g.categories) d.add(n), d.add(m);
  for (const auto& [n, m] : g.agencies) d.add(n), d.add(m);
  for (const auto& c : g.cells) d.add(c.category), d.add(c.agency), d.add(c.measures);
  for (const auto& f : g.facts) d.add(f.measures());
  for (const auto& t : g.terms) {
    d.add(t.id), d.add(t.datasets);
    for (const auto& [n, c] : t.categories) d.add(n), d.add(c);
    for (const auto& [n, c] : t.agencies) d.add(n), d.add(c);
  }
  for (const auto* edges : {&g.category_edges, &g.agency_edges})
    for (const auto& e : *edges) {
      d.add(e.a), d.add(e.b), d.add(e.term_pairs), d.add(e.joinable_pairs), d.add(e.explicit_pairs);
      for (const auto& [t, p] : e.terms) d.add(t), d.add(p);
      for (const auto& [k, p] : e.joins) d.add(std::hash<std::string>{}(k)), d.add(p);
    }
  return d.h;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"time compute_glance on a data directory"};
  std::string data_dir, today = "2026-12-01";
  int runs = 1;
  app.add_option("--data", data_dir, "data directory holding catalog.db")->required();
  app.add_option("--runs", runs, "computations to time");
  app.add_option("--today", today, "the day ratings and freshness are computed on");
  CLI11_PARSE(app, argc, argv);

  auto store = catalog::open_sqlite_store(data_dir + "/catalog.db");
  graph::MapService service(*store);
  service.rebuild();
  auto map = service.snapshot();
  std::cout << "map: " << map->dataset_count() << " datasets" << std::endl;
  for (int i = 0; i < runs; ++i) {
    CALLGRIND_START_INSTRUMENTATION;
    auto t0 = std::chrono::steady_clock::now();
    graph::Glance g = graph::compute_glance(map, *store, today);
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    CALLGRIND_STOP_INSTRUMENTATION;
    std::cout << "compute_glance: " << s << " s, digest " << std::hex << digest(g) << std::dec
              << ", " << g.cells.size() << " cells, " << g.terms.size() << " terms, "
              << g.category_edges.size() << "+" << g.agency_edges.size() << " edges" << std::endl;
  }
}

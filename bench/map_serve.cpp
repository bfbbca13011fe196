// Serves the Action API over loopback with the catalog and the data map only (no search index,
// no harvester), for measuring the map actions over HTTP with wrk on catalogs too large to
// index for a benchmark (1M datasets: `datamap serve` would spend a quarter of an hour of both
// cores indexing them while being measured). Same routes, actions, HTTP server and MapService
// as `datamap serve`.
//
//   build/bench/map_serve --data DIR [--threads 2] [--ids-out FILE]
//
// Prints "map_serve: http://127.0.0.1:PORT" once the first map is built (with its build time
// and peak RSS), writes sample dataset ids for bench/map_wrk.lua, and serves until SIGTERM.
#include <signal.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <fstream>
#include <iostream>
#include <random>

#include "bench/lib/process_usage.h"
#include "api/action.h"
#include "api/config.h"
#include "api/routes.h"
#include "api/server.h"
#include "catalog/store.h"
#include "graph/service.h"

using namespace datamap;

using datamap::bench::peak_rss_mb;

int main(int argc, char** argv) {
  CLI::App app{"the Action API with only the catalog and the data map, for benchmarks"};
  std::string data_dir, ids_out;
  int threads = 0;
  app.add_option("--data", data_dir, "data directory holding catalog.db")->required();
  app.add_option("--threads", threads, "HTTP worker threads (default: one per core)");
  app.add_option("--ids-out", ids_out, "write 4096 random dataset ids for map_wrk.lua");
  CLI11_PARSE(app, argc, argv);

  sigset_t stop_signals;  // blocked before any thread starts: only sigwait receives them
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  api::Config config;
  config.data.dir = data_dir;
  config.server.port = 0;
  config.server.threads = threads;
  auto store = catalog::open_sqlite_store(data_dir + "/catalog.db");
  api::Registry registry;
  api::register_all_actions(registry);
  api::Services services;
  services.store = store.get();
  services.config = &config;
  services.registry = &registry;
  graph::MapService map(*store);
  auto t0 = std::chrono::steady_clock::now();
  map.start();
  services.map = &map;
  std::shared_ptr<const graph::DataMap> snapshot;
  while (!(snapshot = map.wait_for_snapshot(std::chrono::seconds(60)))) {
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << "map_serve: first map of " << snapshot->dataset_count() << " datasets in "
            << seconds << " s, peak RSS " << peak_rss_mb() << " MB" << std::endl;
  if (!ids_out.empty()) {
    std::mt19937_64 rng(42);
    std::ofstream out(ids_out);
    for (int i = 0; i < 4096; ++i)
      out << snapshot->dataset(graph::Node(rng() % snapshot->dataset_count())).id << "\n";
  }
  snapshot.reset();

  api::Routes routes;
  api::register_all_routes(routes, services, registry);
  api::HttpServer server(routes, config.server);
  int port = server.start();
  std::cout << "map_serve: http://127.0.0.1:" << port << std::endl;
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  server.stop();
  map.stop();
  std::cout << "map_serve: stopped, peak RSS " << peak_rss_mb() << " MB" << std::endl;
  return 0;
}

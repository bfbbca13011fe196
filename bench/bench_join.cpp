// datastore_join's benchmark (issue 14): TableStore::join on the SQLite table store.
//  1. every city park (18,481) with the parking lots (14,851) within 300 m: the real files loaded
//     by the loader, the right table's R*Tree narrowing candidates, haversine deciding (goal ≤ 2
//     s);
//  2. an equality join of two generated tables of --rows rows each on an indexed code column
//     (codes of 7 digits, some written with a leading zero or a hyphen, about one partner per row):
//     the first page of 100 pairs without the total (goal ≤ 200 ms), then the whole join's total.
//
// With --postgres the same joins run on the PostgreSQL table store too, on a throwaway server
// (tests/support/pg_cluster.h: initdb in a temp dir, loopback, fsync off), each figure beside
// SQLite's in the same run.
//
//   build/bench/bench_join [--rows 1000000] [--dir /tmp/bench-join] [--postgres]
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>

#include "datastore/loader.h"
#include "datastore/pg_table_store.h"
#include "datastore/sqlite_table_store.h"
#include "tests/support/pg_cluster.h"

using namespace datamap;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

template <typename Fn>
double best_of(int runs, Fn&& fn) {
  double best = 1e9;
  for (int i = 0; i < runs; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    fn();
    best = std::min(best, seconds_since(t0));
  }
  return best;
}

void generate(datastore::TableStore& store, const std::string& rid, std::int64_t rows,
              unsigned seed) {
  std::vector<datastore::Field> fields = {
      {"code", "text", {}}, {"name", "text", {}}, {"value", "int", {}}};
  datastore::TableOptions options;
  options.indexes = {"code"};
  auto w = store.replace_table(rid, fields, options);
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::int64_t> code(1000000, 1000000 + rows - 1);
  for (std::int64_t i = 0; i < rows; ++i) {
    std::string c = std::to_string(code(rng));
    if (i % 7 == 0) c = "0" + c;                              // a leading zero
    if (i % 11 == 0) c = c.substr(0, 3) + "-" + c.substr(3);  // a hyphen
    w->append({c, "row " + std::to_string(i), std::int64_t{i}});
  }
  w->commit();
}

// The three joins on one store, each figure printed under `label`.
void run(datastore::TableStore& store, const std::string& label, std::int64_t rows) {
  const std::string data = DATAMAP_SOURCE_DIR "/data/sample/datafiles/";
  auto t0 = std::chrono::steady_clock::now();
  datastore::load_file(data + "datago-std-citypark-15012890.csv", "csv", store, "park");
  datastore::load_file(data + "datago-std-parking-15012896.csv", "csv", store, "lot");
  std::printf("[%s] loaded the real files in %.2f s\n", label.c_str(), seconds_since(t0));

  datastore::JoinQuery near;
  near.left = "park";
  near.right = "lot";
  near.within_meters = 300;
  near.fields = {{datastore::JoinSide::left, "공원명"}, {datastore::JoinSide::right, "주차장명"}};
  near.budget.max_rows_examined = INT64_MAX;
  near.budget.timeout_ms = 600000;
  std::int64_t pairs = 0;
  double s = best_of(3, [&] { pairs = *store.join(near).total; });
  std::printf(
      "[%s] parks x parking lots within 300 m: %lld pairs, %.3f s (best of 3; goal <= 2 s)\n",
      label.c_str(), static_cast<long long>(pairs), s);

  t0 = std::chrono::steady_clock::now();
  generate(store, "big_left", rows, 1);
  generate(store, "big_right", rows, 2);
  std::printf("[%s] generated 2 x %lld rows in %.1f s\n", label.c_str(),
              static_cast<long long>(rows), seconds_since(t0));
  datastore::JoinQuery eq;
  eq.left = "big_left";
  eq.right = "big_right";
  eq.on = {"code", "code"};
  eq.limit = 100;
  eq.include_total = false;
  eq.budget.max_rows_examined = INT64_MAX;
  eq.budget.timeout_ms = 600000;
  std::size_t got = 0;
  s = best_of(3, [&] { got = store.join(eq).records.size(); });
  std::printf(
      "[%s] equality join %lld x %lld, first page (%zu pairs, no total): %.2f ms (best of 3; "
      "goal <= 200 ms)\n",
      label.c_str(), static_cast<long long>(rows), static_cast<long long>(rows), got, s * 1000);
  eq.include_total = true;
  s = best_of(1, [&] { pairs = *store.join(eq).total; });
  std::printf("[%s] equality join with its total: %lld pairs, %.3f s\n", label.c_str(),
              static_cast<long long>(pairs), s);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"datastore_join benchmark"};
  std::int64_t rows = 1000000;
  std::string dir = "/tmp/bench-join";
  bool postgres = false;
  app.add_option("--rows", rows, "rows of each generated table");
  app.add_option("--dir", dir, "work directory (removed first)");
  app.add_flag("--postgres", postgres, "also on a throwaway PostgreSQL, side by side");
  CLI11_PARSE(app, argc, argv);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  run(*datastore::open_sqlite_table_store(dir + "/datastore.db"), "sqlite", rows);
  if (postgres)
    run(*datastore::open_pg_table_store(testing::PgCluster::shared().new_database()), "postgres",
        rows);
  return 0;
}

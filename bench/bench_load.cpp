// The loader's benchmark (issue 13): load_file on the real parking file (CP949, 14,851 rows) and
// on a generated CSV of the same shape (each column's values drawn from the real file's values
// in that column), into the SQLite table store; beside it `sqlite3 .import` of the same
// generated file in the same run (no typing, no profiling). Prints wall and CPU seconds, rows/s
// and the peak resident set. Rows are "queryable" at the end of their commit, before the phase
// that builds the indexes and the full text.
//
//   build/bench/bench_load [--rows 1000000] [--dir /tmp/bench-load] [--reuse] [--rows-only]
//                          [--one-thread]
//   build/bench/bench_load --pg postgresql://user@host:port/db [--repeat 3]
//       the real parking file into the SQLite and the PostgreSQL table store (datastore/
//       pg_table_store.h), alternately: rows/s of each (wall, the server's CPU included)
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "bench/lib/process_usage.h"
#include "catalog/column_profile_json.h"
#include "catalog/import/csv_reader.h"
#include "catalog/import/encoding.h"
#include "catalog/standard_terms.h"
#include "datastore/loader.h"
#include "datastore/pg_table_store.h"
#include "datastore/sqlite_table_store.h"
#include "datastore/table_store.h"

using namespace datamap;

namespace {

using bench::cpu_seconds;
using bench::thread_cpu_seconds;
using bench::timed;
using bench::Timing;

std::string quote(const std::string& v) {
  if (v.find_first_of(",\"\n\r") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// Column by column value pools of the real file, then rows of independent draws.
void generate(const std::string& real, const std::string& out_path, std::int64_t rows) {
  std::ifstream in(real, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  catalog::importer::Encoding enc;
  std::string text = catalog::importer::to_utf8_text(buf.str(), enc);
  catalog::importer::CsvReader reader(text);
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> pools;
  for (catalog::importer::CsvRecord r; reader.next(r);) {
    if (header.empty()) {
      header = r.fields;
      pools.resize(header.size());
      continue;
    }
    for (std::size_t i = 0; i < pools.size() && i < r.fields.size(); ++i)
      pools[i].push_back(r.fields[i]);
  }
  std::ofstream out(out_path, std::ios::binary);
  for (std::size_t i = 0; i < header.size(); ++i) out << (i ? "," : "") << quote(header[i]);
  out << '\n';
  std::mt19937_64 rng(13);
  std::string line;
  for (std::int64_t r = 0; r < rows; ++r) {
    line.clear();
    for (std::size_t i = 0; i < pools.size(); ++i) {
      if (i) line += ',';
      line += quote(pools[i][rng() % pools[i].size()]);
    }
    line += '\n';
    out << line;
  }
}

// load_file, timed whole and to the moment its rows are queryable (the end of its rows' commit,
// before the phase that builds the indexes).
struct LoadTiming {
  datastore::LoadResult result;
  Timing rows_ready, whole;
};

// With `rows_only`, the index phase is aborted as it starts (for profiling the rest alone).
LoadTiming timed_load(const std::string& path, datastore::TableStore& store, const std::string& rid,
                      datastore::LoadOptions options, bool rows_only = false) {
  LoadTiming out;
  std::atomic<bool> stop{false};
  auto t0 = std::chrono::steady_clock::now();
  double c0 = cpu_seconds(), tc0 = thread_cpu_seconds();
  options.abort = &stop;
  options.rows_ready = [&](const datastore::LoadResult& r) {
    out.rows_ready = {std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(),
                      cpu_seconds() - c0, thread_cpu_seconds() - tc0};
    out.result = r;
    stop = rows_only;
  };
  out.whole = timed([&] {
    try {
      out.result = datastore::load_file(path, "csv", store, rid, options);
    } catch (const datastore::LoadError&) {
      if (!rows_only) throw;
    }
  });
  return out;
}

// The load's profile (every column's, with its validation, and the validation summary) as JSON,
// to compare two builds' results.
void write_profile(const datastore::LoadResult& r, const std::string& path) {
  rapidjson::Document d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  rapidjson::Value columns(rapidjson::kArrayType);
  for (const auto& c : r.columns) columns.PushBack(catalog::column_profile_to_json(c, a), a);
  d.AddMember("columns", columns, a);
  d.AddMember("validation", catalog::resource_validation_to_json(r.validation, a), a);
  rapidjson::Value warnings(rapidjson::kArrayType);
  for (const auto& w : r.warnings) warnings.PushBack(rapidjson::Value(w.c_str(), a), a);
  d.AddMember("warnings", warnings, a);
  rapidjson::StringBuffer out;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(out);
  d.Accept(w);
  std::ofstream(path, std::ios::binary) << out.GetString() << '\n';
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"datamap loader benchmark"};
  std::int64_t rows = 1000000;
  std::string dir = "/tmp/bench-load";
  app.add_option("--rows", rows, "rows of the generated CSV");
  app.add_option("--dir", dir, "working directory (generated file, databases)");
  std::string into, resource_id = "generated";
  bool reuse = false;
  app.add_option("--into", into,
                 "only load the generated CSV into this datastore.db (e.g. a served data dir's), "
                 "as --resource-id");
  app.add_option("--resource-id", resource_id, "the table's resource id with --into");
  app.add_flag("--reuse", reuse, "keep an existing generated CSV of the same --dir");
  bool rows_only = false;
  std::string profile_out;
  app.add_option("--profile-out", profile_out, "with --into: write the load's profile as JSON");
  app.add_flag("--rows-only", rows_only,
               "stop the generated file's load once its rows are queryable (no indexes, no full "
               "text): the figure compared with sqlite3 .import");
  bool one_thread = false;
  app.add_flag("--one-thread", one_thread,
               "type and write the rows on the loading thread (LoadOptions::write_thread = "
               "false), to compare with the default second writing thread");
  std::string pg_url;
  app.add_option("--pg", pg_url,
                 "compare loading the real parking file into SQLite and into the PostgreSQL "
                 "DataStore at this URL (its `datastore` schema is written)");
  int repeat = 3;
  app.add_option("--repeat", repeat, "with --pg: loads into each backend");
  CLI11_PARSE(app, argc, argv);
  std::filesystem::create_directories(dir);
  const std::string real =
      DATAMAP_SOURCE_DIR "/data/sample/datafiles/datago-std-parking-15012896.csv";
  auto terms = catalog::StandardTermIndex::load(DATAMAP_SOURCE_DIR "/data/standard/terms.csv");
  datastore::LoadOptions options;
  options.standard_terms = terms.get();
  options.write_thread = !one_thread;

  const std::string gen = dir + "/generated.csv";
  auto make_generated = [&] {
    if (reuse && std::filesystem::exists(gen)) return;
    Timing g = timed([&] { generate(real, gen, rows); });
    std::printf("generated %lld rows (%.1f MB) in %.1f s\n", static_cast<long long>(rows),
                static_cast<double>(std::filesystem::file_size(gen)) / 1e6, g.wall);
  };
  if (!pg_url.empty()) {
    std::filesystem::remove(dir + "/datastore.db");
    auto sqlite = datastore::open_sqlite_table_store(dir + "/datastore.db");
    auto pg = datastore::open_pg_table_store(pg_url);
    for (int i = 0; i < repeat; ++i) {
      for (auto* target : {sqlite.get(), pg.get()}) {
        auto l = timed_load(real, *target, "parking", options);
        std::printf("%-10s %lld rows: whole load %.3f s wall (%.0f rows/s), %.3f s CPU here\n",
                    target == sqlite.get() ? "SQLite" : "PostgreSQL",
                    static_cast<long long>(l.result.rows), l.whole.wall,
                    static_cast<double>(l.result.rows) / l.whole.wall, l.whole.cpu);
      }
    }
    return 0;
  }
  if (!into.empty()) {
    make_generated();
    auto target = datastore::open_sqlite_table_store(into);
    auto l = timed_load(gen, *target, resource_id, options, rows_only);
    std::printf(
        "load_file %lld rows into %s as %s: rows queryable after %.2f s wall, %.2f s CPU (loading "
        "thread %.2f s, writing thread %.2f s); whole load %.2f s wall, %.2f s CPU; peak RSS %ld "
        "MiB; indexes:",
        static_cast<long long>(l.result.rows), into.c_str(), resource_id.c_str(), l.rows_ready.wall,
        l.rows_ready.cpu, l.rows_ready.thread_cpu, l.rows_ready.cpu - l.rows_ready.thread_cpu,
        l.whole.wall, l.whole.cpu, bench::peak_rss_mb());
    for (const auto& i : l.result.table.indexes) std::printf(" %s", i.c_str());
    if (!profile_out.empty()) write_profile(l.result, profile_out);
    std::printf("\n");
    return 0;
  }

  std::filesystem::remove(dir + "/datastore.db");
  auto store = datastore::open_sqlite_table_store(dir + "/datastore.db");
  auto real_load = timed_load(real, *store, "parking", options);
  datastore::LoadResult r = real_load.result;
  Timing t = real_load.whole;
  std::printf(
      "real parking file (CP949): %lld rows x %zu columns: rows queryable after %.3f s wall, "
      "%.3f s CPU; whole load %.3f s wall, %.3f s CPU\n",
      static_cast<long long>(r.rows), r.columns.size(), real_load.rows_ready.wall,
      real_load.rows_ready.cpu, t.wall, t.cpu);
  std::printf("  indexes chosen:");
  for (const auto& i : r.table.indexes) std::printf(" %s", i.c_str());
  std::printf("\n");
  Timing p = timed([&] { datastore::profile_file(real, "csv", options); });
  std::printf("  profile_file alone (no table written): %.3f s wall, %.3f s CPU\n", p.wall, p.cpu);

  make_generated();
  p = timed([&] { datastore::profile_file(gen, "csv", options); });
  std::printf("generated file: profile_file alone (no table written): %.2f s wall, %.2f s CPU\n",
              p.wall, p.cpu);

  long rss_before = bench::peak_rss_mb();
  auto gen_load = timed_load(gen, *store, "generated", options, rows_only);
  r = gen_load.result;
  t = gen_load.whole;
  const Timing rows_in = gen_load.rows_ready;
  std::printf(
      "  rows queryable after %.2f s wall, %.2f s CPU (%.0f rows per CPU second; loading thread "
      "%.2f s, writing thread %.2f s); the full-text phase after it: %.2f s wall, %.2f s CPU\n",
      rows_in.wall, rows_in.cpu, static_cast<double>(r.rows) / rows_in.cpu, rows_in.thread_cpu,
      rows_in.cpu - rows_in.thread_cpu, t.wall - rows_in.wall, t.cpu - rows_in.cpu);
  std::printf(
      "load_file %lld rows: %.2f s wall, %.2f s CPU, %.0f rows/s (%.0f rows per CPU second); "
      "peak RSS %ld MiB (%ld before); indexes: %zu\n",
      static_cast<long long>(r.rows), t.wall, t.cpu, static_cast<double>(r.rows) / t.wall,
      static_cast<double>(r.rows) / t.cpu, bench::peak_rss_mb(), rss_before,
      r.table.indexes.size());
  store.reset();

  std::filesystem::remove(dir + "/import.db");
  std::string cmd = "sqlite3 " + dir + "/import.db \".mode csv\" \".import " + gen + " t\"";
  int rc = 0;
  rusage before{}, after{};
  getrusage(RUSAGE_CHILDREN, &before);
  Timing s = timed([&] { rc = std::system(cmd.c_str()); });
  getrusage(RUSAGE_CHILDREN, &after);
  auto secs = [](const timeval& v) {
    return static_cast<double>(v.tv_sec) + static_cast<double>(v.tv_usec) / 1e6;
  };
  double import_cpu =
      secs(after.ru_utime) + secs(after.ru_stime) - secs(before.ru_utime) - secs(before.ru_stime);
  if (rc == 0)
    std::printf(
        "sqlite3 .import of the same file: %.2f s wall, %.2f s CPU (%.0f rows/s); load_file / "
        "import = %.2f wall, %.2f CPU\n",
        s.wall, import_cpu, static_cast<double>(rows) / s.wall, t.wall / s.wall,
        t.cpu / import_cpu);
  if (rc == 0)
    std::printf("rows queryable / import = %.2f wall, %.2f CPU\n", rows_in.wall / s.wall,
                rows_in.cpu / import_cpu);
  else
    std::printf("sqlite3 .import failed or sqlite3 is missing (exit %d)\n", rc);
  return 0;
}

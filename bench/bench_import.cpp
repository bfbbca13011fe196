// Measures `datamap import` of the full 2022 data.go.kr list (61,359 rows) into a fresh SQLite
// catalog: wall time, CPU time, datasets/s, peak RSS; then the same file again (nothing to
// change). Usage: bench_import [FILE] [--batch N] [--dir DIR]
//   FILE defaults to data/sample/datago-list-2022.csv.xz under the source tree.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "catalog/import/importer.h"
#include "catalog/import/input_file.h"
#include "bench/lib/process_usage.h"
#include "catalog/store.h"

namespace {

using datamap::bench::cpu_seconds;
using datamap::bench::peak_rss_mb;

void report(const char* label, const datamap::catalog::importer::ImportSummary& s, double wall,
            double cpu) {
  std::printf(
      "%-10s added=%zu updated=%zu unchanged=%zu rejected=%zu  wall=%.2fs cpu=%.2fs  "
      "%.0f datasets/s  peak_rss=%ld MiB\n",
      label, s.added, s.updated, s.unchanged, s.rejected.size(), wall, cpu,
      static_cast<double>(s.total()) / wall, peak_rss_mb());
}

}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  std::string file =
      std::string(DATAMAP_SOURCE_DIR_FALLBACK) + "/data/sample/datago-list-2022.csv.xz";
  std::size_t batch = 2000;
  std::string dir = (fs::temp_directory_path() / "datamap-bench-import").string();
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--batch" && i + 1 < argc)
      batch = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--dir" && i + 1 < argc)
      dir = argv[++i];
    else
      file = a;
  }
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::printf("file=%s batch=%zu db=%s/catalog.db\n", file.c_str(), batch, dir.c_str());

  using Clock = std::chrono::steady_clock;
  auto t0 = Clock::now();
  double c0 = cpu_seconds();
  std::string bytes = datamap::catalog::importer::read_input_file(file);
  std::printf("read+decompress: %.2fs (%zu bytes)\n",
              std::chrono::duration<double>(Clock::now() - t0).count(), bytes.size());

  auto store = datamap::catalog::open_sqlite_store(dir + "/catalog.db");
  datamap::catalog::importer::ImportOptions options;
  options.batch_size = batch;
  for (const char* label : {"first", "reimport"}) {
    auto t = Clock::now();
    double c = cpu_seconds();
    auto summary = datamap::catalog::importer::import_bytes(*store, bytes, options);
    report(label, summary, std::chrono::duration<double>(Clock::now() - t).count(),
           cpu_seconds() - c);
  }
  std::printf("total wall=%.2fs cpu=%.2fs\n",
              std::chrono::duration<double>(Clock::now() - t0).count(), cpu_seconds() - c0);
  fs::remove_all(dir);
  return 0;
}

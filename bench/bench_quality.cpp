// The metadata quality score's speed (issue 15: the 61k real catalog in ≤ 5 s, 1M in ≤ 60 s,
// one dataset after a change in ≤ 10 ms): imports the 2022 data.go.kr list (61,359 rows) into a
// catalog once (kept in --dir for the next run), then times
//   score-all   every dataset scored in memory (catalog::quality::score_dataset), best of 3;
//   x16         the same 16 times over (≈ 1M scorings);
//   board       the agency scoreboard: every dataset streamed from SQLite and scored, summed per
//               agency (what /quality computes once per catalog revision and day);
//   rescore-one read one dataset from the store and score it (quality_show, package_show),
//               over 2,000 random datasets: mean, p99, max.
// Usage: bench_quality [FILE] [--dir DIR]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "bench/lib/process_usage.h"
#include "catalog/import/importer.h"
#include "catalog/quality_board.h"
#include "catalog/quality_inputs.h"
#include "catalog/store.h"

namespace {

namespace q = datamap::catalog::quality;
using datamap::catalog::Dataset;
using datamap::catalog::Organization;
using Clock = std::chrono::steady_clock;

double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  std::string file = std::string(DATAMAP_SAMPLE_LIST);
  std::string dir = (fs::temp_directory_path() / "datamap-bench-quality").string();
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--dir" && i + 1 < argc)
      dir = argv[++i];
    else
      file = a;
  }
  fs::create_directories(dir);
  const std::string db = dir + "/catalog.db";
  const bool fresh = !fs::exists(db);
  auto store = datamap::catalog::open_sqlite_store(db);
  if (fresh) {
    auto t = Clock::now();
    auto s = datamap::catalog::importer::import_file(*store, file);
    std::printf("import     %zu datasets from %s in %.1fs (kept in %s)\n", s.total(), file.c_str(),
                since(t), dir.c_str());
  }
  const std::string today = q::today_utc();

  auto t = Clock::now();
  std::vector<Dataset> all;
  store->for_each_dataset([&](const Dataset& d) { all.push_back(d); });
  std::map<std::string, std::optional<Organization>> orgs;
  for (const auto& d : all)
    if (!orgs.count(d.owner_org)) orgs[d.owner_org] = store->organization(d.owner_org);
  std::printf("load       %zu datasets, %zu organizations into memory: %.2fs\n", all.size(),
              orgs.size(), since(t));

  auto score_all = [&] {
    long long points = 0;
    for (const auto& d : all) {
      const auto& org = orgs[d.owner_org];
      points += q::score_dataset(d, org ? &*org : nullptr, {}, today).points;
    }
    return points;
  };
  double best = 1e9;
  long long checksum = 0;
  for (int run = 0; run < 3; ++run) {
    auto t0 = Clock::now();
    checksum = score_all();
    best = std::min(best, since(t0));
  }
  std::printf("score-all  %zu datasets: %.3fs best of 3 (%.1f µs each, %.0f/s; points sum %lld)\n",
              all.size(), best, 1e6 * best / all.size(), all.size() / best, checksum);
  t = Clock::now();
  for (int run = 0; run < 16; ++run) checksum += score_all();
  const double x16 = since(t);
  std::printf("x16        %zu scorings: %.2fs (%.0f/s)\n", all.size() * 16, x16,
              all.size() * 16 / x16);

  t = Clock::now();
  const q::Board board = q::compute_board(*store, today);
  std::printf(
      "board      %lld public datasets, %zu agencies from SQLite: %.2fs (mean %.1f%%; "
      "excellent %lld good %lld sufficient %lld bad %lld)\n",
      static_cast<long long>(board.national.datasets), board.agencies.size(), since(t),
      board.national.mean_percent(), static_cast<long long>(board.national.by_rating[0]),
      static_cast<long long>(board.national.by_rating[1]),
      static_cast<long long>(board.national.by_rating[2]),
      static_cast<long long>(board.national.by_rating[3]));

  std::mt19937 rng(15);
  std::vector<double> times;
  for (int i = 0; i < 2000 && !all.empty(); ++i) {
    const std::string& id = all[rng() % all.size()].id;
    auto t0 = Clock::now();
    auto d = store->dataset(id);
    const q::Score s = q::score_stored(*store, *d, today);
    times.push_back(since(t0));
    checksum += s.points;
  }
  std::sort(times.begin(), times.end());
  double sum = 0;
  for (double x : times) sum += x;
  if (!times.empty())
    std::printf("rescore-one read + score, %zu datasets: mean %.3f ms, p99 %.3f ms, max %.3f ms\n",
                times.size(), 1e3 * sum / times.size(), 1e3 * times[times.size() * 99 / 100],
                1e3 * times.back());
  std::printf("peak_rss   %ld MiB (checksum %lld)\n", datamap::bench::peak_rss_mb(), checksum);
  return 0;
}

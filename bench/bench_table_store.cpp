// The DataStore's SQLite table store on its own: bulk load of a generated table shaped like the
// 전국주차장정보표준데이터 file (33 columns: Korean names and addresses, codes, counts, fees,
// coordinates, dates, phone numbers), then filter and full-text query latencies.
//   build/bench/bench_table_store [--rows 1000000] [--dir /tmp]
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "datastore/table_store.h"

using namespace datamap::datastore;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

void report(const char* what, std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  auto at = [&](double p) { return ms[std::min(ms.size() - 1, std::size_t(p * ms.size()))]; };
  std::printf("%-40s p50 %7.2f ms  p99 %7.2f ms  (n=%zu)\n", what, at(0.5), at(0.99), ms.size());
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("bench_table_store");
  std::int64_t rows = 1000000;
  std::string dir = std::filesystem::temp_directory_path().string();
  app.add_option("--rows", rows);
  app.add_option("--dir", dir);
  bool no_point = false;
  app.add_flag("--no-point", no_point, "no R*Tree (TableOptions::point unset)");
  CLI11_PARSE(app, argc, argv);
  std::string path = dir + "/bench_datastore.db";
  for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(path + ext);
  auto store = open_sqlite_table_store(path);

  const char* sido[] = {"서울특별시", "부산광역시", "대구광역시", "인천광역시", "광주광역시",
                        "대전광역시", "울산광역시", "경기도",     "강원도",     "충청북도"};
  const char* kind[] = {"공영", "민영", "노상", "노외", "부설"};
  const char* word[] = {"중앙", "역전", "시장", "공원",   "체육",
                        "문화", "행복", "푸른", "새마을", "하늘"};
  std::vector<Field> fields;
  for (int i = 0; i < 10; ++i) fields.push_back({"text" + std::to_string(i), "text", {}});
  // (bbox queries are not timed: --no-point runs the rest unchanged)
  for (int i = 0; i < 8; ++i) fields.push_back({"code" + std::to_string(i), "text", {}});
  for (int i = 0; i < 5; ++i) fields.push_back({"count" + std::to_string(i), "int", {}});
  for (int i = 0; i < 5; ++i) fields.push_back({"fee" + std::to_string(i), "numeric", {}});
  fields.push_back({"위도", "numeric", {}});
  fields.push_back({"경도", "numeric", {}});
  fields.push_back({"기준일자", "date", {}});
  fields.push_back({"수정일", "date", {}});
  fields.push_back({"전화번호", "text", {}});
  TableOptions options;
  if (!no_point) options.point = {"위도", "경도"};
  options.indexes = {"code0"};

  std::mt19937_64 rng(42);
  auto pick = [&](int n) { return static_cast<int>(rng() % n); };
  // Values are made before the clock starts: the store's speed, not the generator's.
  std::vector<Row> pool;
  const int distinct_rows = 50000;
  for (int r = 0; r < distinct_rows; ++r) {
    Row row;
    std::string name = std::string(word[pick(10)]) + word[pick(10)] + kind[pick(5)] + "주차장";
    row.emplace_back(name);
    row.emplace_back(std::string(sido[pick(10)]) + " " + word[pick(10)] + "구 " + word[pick(10)] +
                     "로 " + std::to_string(pick(500)));
    for (int i = 2; i < 10; ++i)
      row.emplace_back(std::string(kind[pick(5)]) + std::to_string(pick(100)));
    row.emplace_back(std::to_string(1100000000 + pick(900) * 100000));  // 법정동코드-like
    for (int i = 1; i < 8; ++i) row.emplace_back(std::to_string(pick(10000)));
    for (int i = 0; i < 5; ++i) row.emplace_back(std::int64_t{pick(1000)});
    for (int i = 0; i < 5; ++i) row.emplace_back(pick(100000) / 10.0);
    row.emplace_back(33.0 + pick(500000) / 100000.0);
    row.emplace_back(125.0 + pick(500000) / 100000.0);
    row.emplace_back(std::string("2023-0") + std::to_string(1 + pick(9)) + "-1" +
                     std::to_string(pick(10)));
    row.emplace_back(std::string("2024-0") + std::to_string(1 + pick(9)) + "-2" +
                     std::to_string(pick(9)));
    row.emplace_back("0" + std::to_string(2 + pick(60)) + "-" + std::to_string(100 + pick(900)) +
                     "-" + std::to_string(1000 + pick(9000)));
    pool.push_back(std::move(row));
  }

  auto t0 = Clock::now();
  std::clock_t cpu0 = std::clock();
  auto w = store->replace_table("bench", fields, options);
  for (std::int64_t r = 0; r < rows; ++r) w->append(pool[r % distinct_rows]);
  double append_ms = ms_since(t0);
  w->commit();
  double total_ms = ms_since(t0);
  double cpu_ms = 1000.0 * static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
  std::printf(
      "load %lld rows x %zu fields: %.0f ms (rows %.0f ms, indexes+FTS+R*Tree %.0f ms) = %.0f "
      "rows/s\n",
      static_cast<long long>(rows), fields.size(), total_ms, append_ms, total_ms - append_ms,
      rows / (total_ms / 1000.0));
  // On a shared machine the wall clock counts other processes' turns; CPU time does not.
  std::printf("load CPU time: %.0f ms = %.0f rows per CPU-second\n", cpu_ms,
              rows / (cpu_ms / 1000.0));
  std::printf("file: %.0f MB\n", std::filesystem::file_size(path) / 1e6);

  std::vector<double> ms;
  for (int i = 0; i < 200; ++i) {
    SearchQuery q;
    q.resource_id = "bench";
    q.conditions = {{"code0", Op::eq, {std::to_string(1100000000 + pick(900) * 100000)}}};
    auto t = Clock::now();
    store->search(q);
    ms.push_back(ms_since(t));
  }
  report("filter on an indexed column (+total)", ms);
  ms.clear();
  for (int i = 0; i < 200; ++i) {
    SearchQuery q;
    q.resource_id = "bench";
    q.q = std::string(word[pick(10)]) + word[pick(10)];
    q.include_total = false;
    auto t = Clock::now();
    store->search(q);
    ms.push_back(ms_since(t));
  }
  report("q two Korean words, no total", ms);
  ms.clear();
  for (int i = 0; i < 50; ++i) {
    SearchQuery q;
    q.resource_id = "bench";
    q.q = std::string(word[pick(10)]) + word[pick(10)] + kind[pick(5)];
    auto t = Clock::now();
    store->search(q);
    ms.push_back(ms_since(t));
  }
  report("q Korean phrase, with total", ms);
  ms.clear();
  for (int i = 0; i < 20; ++i) {
    SearchQuery q;
    q.resource_id = "bench";
    q.conditions = {{"code3", Op::eq, {std::to_string(pick(10000))}}};
    auto t = Clock::now();
    store->search(q);
    ms.push_back(ms_since(t));
  }
  report("filter on an unindexed column (+total)", ms);
  for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(path + ext);
}

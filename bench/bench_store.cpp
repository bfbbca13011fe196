// The SQLite store's speed: bulk insert in batches (as the importer writes), then package_show
// style lookups from several threads, listing, tags and a full stream.
// Usage: bench_store [N=61359] [batch=2000] [threads=2] [db path=/tmp/bench_store-<pid>.db]
// A postgresql:// URL as the 4th argument runs the same on the PostgreSQL store (an empty
// database).
#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "bench/lib/process_usage.h"
#include "catalog/ids.h"
#include "catalog/store.h"

using namespace datamap::catalog;
using Clock = std::chrono::steady_clock;

namespace {

using datamap::bench::cpu_seconds;
using datamap::bench::peak_rss_mb;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// Bytes this process caused to be written to storage (/proc/self/io), 0 when unavailable.
long long storage_bytes_written() {
  std::FILE* f = std::fopen("/proc/self/io", "r");
  if (!f) return 0;
  char key[64];
  long long value = 0, result = 0;
  while (std::fscanf(f, "%63s %lld", key, &value) == 2)
    if (std::string(key) == "write_bytes:") result = value;
  std::fclose(f);
  return result;
}

std::string key_of(int i) {
  return std::to_string(15000000 + i);
}

// Shaped like a row of the data.go.kr list: Korean title and description, a handful of tags,
// one category, one resource, a few extras.
Dataset synthetic(int i) {
  static const char* kTags[] = {"교통", "주차장", "버스", "인구", "환경", "대기질", "예산", "복지",
                                "관광", "문화",   "보건", "의료", "교육", "학교",   "농업", "수산"};
  static const char* kGroups[] = {"공공행정", "교통물류", "환경기상", "보건의료",
                                  "교육",     "문화관광", "농축수산", "재정금융"};
  Dataset d;
  d.source_key = key_of(i);
  d.id = stable_id("datago", d.source_key);
  d.name = "datago-" + d.source_key;
  d.title = "서울특별시 공영주차장 정보 " + std::to_string(i);
  d.notes =
      "서울특별시에서 운영하는 공영주차장의 위치, 주차면수, 요금, 운영시간 정보입니다. "
      "매월 갱신되며 파일과 오픈API로 제공합니다.";
  d.type = i % 3 == 0 ? "api" : "file";
  d.owner_org = "org-" + std::to_string(i % 500);
  d.license_id = "KOGL-Type1";
  d.maintainer = "교통정책과";
  d.maintainer_phone = "02-120";
  d.frequency = "월간";
  d.issued = "2019-03-04";
  d.modified = "2022-06-30";
  d.category_sub = "교통";
  d.source = "datago";
  for (int t = 0; t < 5; ++t)
    d.tags.push_back(std::string(kTags[(i + t * 7) % 16]) + std::to_string(t));
  d.groups.push_back(kGroups[i % 8]);
  Resource r;
  r.id = stable_id("datago-resource", d.source_key);
  r.name = "주차장 정보";
  r.url = "https://www.data.go.kr/data/" + d.source_key + "/fileData.do";
  r.format = "CSV";
  d.resources.push_back(r);
  d.extras = {{"제공기관코드", "6110000"}, {"관리부서", "교통정책과"}, {"목록유형", "FILE"}};
  return d;
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 61359;
  const int batch = argc > 2 ? std::atoi(argv[2]) : 2000;
  const int threads = argc > 3 ? std::atoi(argv[3]) : 2;
  const std::string path =
      argc > 4 ? argv[4] : "/tmp/bench_store-" + std::to_string(getpid()) + ".db";
  const bool postgres = path.starts_with("postgresql://");
  if (!postgres)
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);

  // BENCH_STORE_PAGE_SIZE=4096 pre-creates the file with that page size (the store keeps the page
  // size of an existing file), to compare page sizes side by side.
  if (const char* page_size = std::getenv("BENCH_STORE_PAGE_SIZE")) {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    std::string sql = std::string("PRAGMA page_size = ") + std::to_string(std::atoi(page_size)) +
                      "; CREATE TABLE t (x); DROP TABLE t;";
    sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }

  std::vector<Dataset> rows;
  rows.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) rows.push_back(synthetic(i));

  auto store = postgres ? open_postgres_store(path) : open_sqlite_store(path);
  auto t0 = Clock::now();
  const double cpu0 = cpu_seconds();
  const long long written0 = storage_bytes_written();
  for (int start = 0; start < n; start += batch) {
    store->write([&](Transaction& tx) {
      for (int i = start; i < std::min(n, start + batch); ++i)
        tx.insert_dataset(rows[static_cast<std::size_t>(i)]);
    });
  }
  double insert_s = seconds_since(t0);
  std::printf(
      "insert   %d datasets in batches of %d: %.2f s, %.0f datasets/s (cpu %.2f s, %.0f MB "
      "written)\n",
      n, batch, insert_s, n / insert_s, cpu_seconds() - cpu0,
      static_cast<double>(storage_bytes_written() - written0) / (1024.0 * 1024.0));
  if (std::getenv("BENCH_STORE_INSERT_ONLY")) return 0;  // for profiling the write path alone

  // Re-import: every row unchanged is looked up and left alone (what an idempotent importer does).
  t0 = Clock::now();
  store->write([&](Transaction& tx) {
    for (int i = 0; i < n; ++i) tx.find_dataset(key_of(i));
  });
  double find_s = seconds_since(t0);
  std::printf("tx find  %d by source_key inside one write: %.2f s, %.0f/s\n", n, find_s,
              n / find_s);

  // package_show: lookups by name from `threads` threads at once.
  const int lookups = 200000;
  std::atomic<int> next{0}, found{0};
  t0 = Clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      for (int i; (i = next++) < lookups;) {
        int row = (i * 7919) % n;
        if (store->dataset(rows[static_cast<std::size_t>(row)].name)) ++found;
      }
    });
  for (auto& t : pool) t.join();
  double show_s = seconds_since(t0);
  std::printf("dataset  %d lookups by name on %d threads: %.2f s, %.0f/s (%d found)\n", lookups,
              threads, show_s, lookups / show_s, found.load());

  t0 = Clock::now();
  std::int64_t streamed = 0;
  store->for_each_dataset([&](const Dataset&) { ++streamed; });
  double stream_s = seconds_since(t0);
  std::printf("stream   %lld datasets: %.2f s, %.0f/s\n", static_cast<long long>(streamed),
              stream_s, streamed / stream_s);

  t0 = Clock::now();
  auto tags = store->tags("", 100);
  std::printf("tags     top 100 of all: %.1f ms; prefix '교통': %zu tags\n",
              seconds_since(t0) * 1000, store->tags("교통", 100).size());
  t0 = Clock::now();
  auto names = store->dataset_names(n / 2, 1000);
  std::printf("names    1000 from offset %d: %.1f ms\n", n / 2, seconds_since(t0) * 1000);
  t0 = Clock::now();
  auto counts = store->dataset_counts_by_organization(Visibility::everything());
  std::printf("counts   by organization (%zu orgs): %.1f ms\n", counts.size(),
              seconds_since(t0) * 1000);
  std::printf("peak RSS %ld MB (includes the %d datasets held by this program)\n", peak_rss_mb(),
              n);
  if (postgres) return 0;  // the caller owns the database
  std::printf("db size  %.1f MB\n",
              static_cast<double>(std::filesystem::file_size(path)) / (1024.0 * 1024.0));
  store.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  return 0;
}

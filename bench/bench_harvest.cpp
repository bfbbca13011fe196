// Harvest throughput and memory, end to end: a catalog served over HTTP on loopback by a child
// process, harvested into a fresh SQLite catalog (fetched, parsed, validated, stored) while the
// search indexer follows the change log, as in `datamap serve`. Prints datasets/s for the
// harvest and for harvest + index, the CPU seconds each phase cost (user + sys of every thread of
// this process: on a machine shared with other builds CPU time moves far less than wall time),
// and this process's peak RSS (the corpus server runs in its own process and is not counted).
//
//   build/bench/gen_corpus --rows 100000 --format ckan-jsonl --seed 7 --out /tmp/100k.jsonl
//   build/bench/bench_harvest --ckan-jsonl /tmp/100k.jsonl
//   build/bench/bench_harvest --datago-csv <(xz -dc data/sample/datago-list-2022.csv.xz)
//   build/bench/bench_harvest --datago-csv … --bulk-batch 0     # the indexer without bulk batches
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "catalog/harvest_records.h"
#include "catalog/store.h"
#include "harvest/job_runner.h"
#include "net/fetcher.h"
#include "search/service.h"
#include "tests/support/ckan_fixture.h"
#include "tests/support/fixture_http_server.h"
#include "tests/support/temp_dir.h"

namespace {

using Clock = std::chrono::steady_clock;

// User + sys CPU seconds of `who` (RUSAGE_SELF: every thread of this process).
double cpu_seconds(int who) {
  struct rusage u {};
  getrusage(who, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The child: serves the corpus until its stdin (the parent's pipe) closes.
[[noreturn]] void serve_corpus(const std::string& ckan_jsonl, const std::string& csv_path,
                               int port_fd, int stop_fd) {
  datamap::testing::FixtureHttpServer server;
  std::unique_ptr<datamap::testing::CkanFixture> ckan;
  std::string csv;
  if (!ckan_jsonl.empty()) {
    ckan = std::make_unique<datamap::testing::CkanFixture>(server);
    std::vector<std::string> packages;
    std::ifstream in(ckan_jsonl);
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) packages.push_back(line);
    ckan->set_packages(packages);
  } else {
    csv = slurp(csv_path);
    server.route("/list.csv", [&](const datamap::testing::FixtureRequest&,
                                  datamap::testing::FixtureResponse& res) {
      res.send(200, "text/csv; charset=utf-8", csv);
    });
  }
  int port = server.port();
  if (write(port_fd, &port, sizeof port) != sizeof port) _exit(1);
  char c;
  while (read(stop_fd, &c, 1) > 0) {
  }
  _exit(0);
}

// Peak resident memory by kind, sampled every 50 ms from /proc/self/status: RssAnon is the
// heap (what a leak or a whole catalog held in memory would grow), RssFile the pages of files
// mapped by SQLite's mmap reads and Xapian, which the kernel drops under pressure.
class RssSampler {
 public:
  RssSampler() : thread_([this] {
      while (!stop_.load()) {
        sample();
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }) {}
  ~RssSampler() { finish(); }
  void finish() {
    if (thread_.joinable()) {
      stop_.store(true);
      thread_.join();
      sample();
    }
  }
  long anon_kb() const { return anon_; }
  long file_kb() const { return file_; }

 private:
  void sample() {
    std::ifstream in("/proc/self/status");
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("RssAnon:", 0) == 0) anon_ = std::max(anon_, std::atol(line.c_str() + 8));
      if (line.rfind("RssFile:", 0) == 0) file_ = std::max(file_, std::atol(line.c_str() + 8));
    }
  }
  std::atomic<bool> stop_{false};
  long anon_ = 0, file_ = 0;
  std::thread thread_;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_harvest: harvest a loopback catalog end to end"};
  std::string ckan_jsonl, csv, work;
  int rows = 100;
  std::size_t batch = datamap::harvest::HarvestSettings{}.batch_size;
  bool index = true;
  std::size_t bulk_batch = datamap::search::SearchOptions{}.bulk_batch_size;
  app.add_option("--ckan-jsonl", ckan_jsonl, "CKAN package dicts, one per line (gen_corpus)");
  app.add_option("--datago-csv", csv, "a data.go.kr list CSV");
  app.add_option("--rows", rows, "package_search rows per page (default 100)");
  app.add_flag("!--no-index", index, "do not run the search indexer");
  app.add_option("--batch", batch, "records per import transaction");
  app.add_option("--bulk-batch", bulk_batch,
                 "changes per commit of the indexer when it is behind (0: no bulk batches)");
  app.add_option("--work", work, "directory for the catalog (default: a temporary one)");
  CLI11_PARSE(app, argc, argv);
  if (ckan_jsonl.empty() == csv.empty()) {
    std::cerr << "give exactly one of --ckan-jsonl or --datago-csv\n";
    return 2;
  }

  // Fork before any thread exists; the server lives in the child.
  int port_pipe[2], stop_pipe[2];
  if (pipe(port_pipe) != 0 || pipe(stop_pipe) != 0) return 1;
  auto load_started = Clock::now();
  pid_t child = fork();
  if (child == 0) {
    close(port_pipe[0]);
    close(stop_pipe[1]);
    serve_corpus(ckan_jsonl, csv, port_pipe[1], stop_pipe[0]);
  }
  close(port_pipe[1]);
  close(stop_pipe[0]);
  int port = 0;
  if (read(port_pipe[0], &port, sizeof port) != sizeof port) {
    std::cerr << "the corpus server did not start\n";
    return 1;
  }
  double load_s = std::chrono::duration<double>(Clock::now() - load_started).count();

  std::unique_ptr<datamap::testing::TempDir> temp;
  if (work.empty()) {
    temp = std::make_unique<datamap::testing::TempDir>();
    work = temp->path();
  }
  std::filesystem::create_directories(work);
  std::string db = work + "/catalog.db";
  auto store = datamap::catalog::open_sqlite_store(db);
  auto records = datamap::catalog::open_sqlite_harvest_records(db);
  std::unique_ptr<datamap::search::SearchService> search;
  if (index) {
    datamap::search::SearchOptions options;
    options.index_dir = work + "/index";
    options.bulk_batch_size = bulk_batch;
    search = std::make_unique<datamap::search::SearchService>(*store, options);
    search->start();
  }
  datamap::harvest::HarvestSettings settings;
  settings.spool_dir = work;
  settings.batch_size = batch;
  settings.fetch.policy = datamap::net::AddressPolicy({"127.0.0.1"});
  datamap::net::Fetcher fetcher(settings.fetch);
  datamap::harvest::JobRunner runner(*store, *records, fetcher, settings);

  datamap::catalog::HarvestSource source;
  source.name = "bench";
  std::string base = "http://127.0.0.1:" + std::to_string(port);
  source.type = ckan_jsonl.empty() ? "datago" : "ckan";
  source.url = ckan_jsonl.empty() ? base + "/list.csv" : base + "/";
  source.config = "{\"rows\": " + std::to_string(rows) + "}";
  records->put_source(source);

  RssSampler rss;
  double cpu_before = cpu_seconds(RUSAGE_SELF);
  auto started = Clock::now();
  auto job = runner.run(datamap::harvest::new_job(*records, source.id));
  double harvest_s = std::chrono::duration<double>(Clock::now() - started).count();
  double harvest_cpu = cpu_seconds(RUSAGE_SELF) - cpu_before;  // includes the indexer so far
  double indexed_s = harvest_s, indexed_cpu = harvest_cpu;
  std::int64_t documents = -1;
  if (search) {
    search->catch_up();
    indexed_s = std::chrono::duration<double>(Clock::now() - started).count();
    indexed_cpu = cpu_seconds(RUSAGE_SELF) - cpu_before;
    documents = search->document_count();
    search->stop();
  }
  rss.finish();
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);

  close(stop_pipe[1]);
  waitpid(child, nullptr, 0);
  double server_cpu = cpu_seconds(RUSAGE_CHILDREN);  // loading the corpus and answering

  std::int64_t n = job.gathered;
  std::printf("source: %s (%s), corpus server ready in %.1f s\n", source.type.c_str(),
              ckan_jsonl.empty() ? csv.c_str() : ckan_jsonl.c_str(), load_s);
  std::printf("job: %s  added %lld  updated %lld  not modified %lld  deleted %lld  errored %lld\n",
              job.status.c_str(), static_cast<long long>(job.added),
              static_cast<long long>(job.updated), static_cast<long long>(job.unchanged),
              static_cast<long long>(job.deleted), static_cast<long long>(job.errored));
  if (!job.error.empty()) std::printf("error: %s\n", job.error.c_str());
  std::printf("harvest (fetch+parse+validate+store): %lld records in %.2f s = %.0f records/s"
              "  [CPU %.2f s%s]\n",
              static_cast<long long>(n), harvest_s, n / harvest_s, harvest_cpu,
              search ? ", indexer thread included" : "");
  if (search)
    std::printf("harvest + search index caught up:     %lld documents in %.2f s = %.0f records/s"
                "  [CPU %.2f s = %.0f records per CPU-second]\n",
                static_cast<long long>(documents), indexed_s, n / indexed_s, indexed_cpu,
                n / indexed_cpu);
  else
    std::printf("records per CPU-second (harvest only): %.0f\n", n / harvest_cpu);
  std::printf("corpus server process: CPU %.2f s (not included above)\n", server_cpu);
  std::printf("peak RSS of the harvesting process: %.1f MB (peak anonymous/heap %.1f MB, peak "
              "file-backed %.1f MB)\n",
              usage.ru_maxrss / 1024.0, rss.anon_kb() / 1024.0, rss.file_kb() / 1024.0);
  return job.status == "Finished" ? 0 : 1;
}

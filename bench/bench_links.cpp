// Link checker throughput and memory: N URLs spread over H loopback hosts (127.0.0.1 ..
// 127.0.0.H, each its own listener), checked by quality::LinkChecker with per-host limits on.
// Prints checks per second, the most connections any one host saw at once (must not pass the
// per-host limit), and the resident memory as the run goes (flat: it must not grow with N).
//
//   build/bench/bench_links --urls 100000 --hosts 64 --per-host 2 --rate 20
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "catalog/ids.h"
#include "catalog/link_checks.h"
#include "catalog/store.h"
#include "quality/link_checker.h"

namespace {

using namespace datamap;
using Clock = std::chrono::steady_clock;

// VmRSS / VmHWM of this process, in MiB.
double proc_status_mib(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(key, 0) == 0) return std::stod(line.substr(std::string(key).size())) / 1024.0;
  return 0;
}

// One loopback host: a listener on 127.0.0.<n> answered by a few threads, each serving one
// connection at a time (the smallest honest HTTP/1.1 server), counting connections at once.
class Host {
 public:
  Host(int n, int threads) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(0x7F000000u | static_cast<unsigned>(n));
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd_, 256) != 0)
      throw std::runtime_error("cannot listen on 127.0.0." + std::to_string(n));
    socklen_t len = sizeof a;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    base_ = "http://127.0.0." + std::to_string(n) + ":" + std::to_string(ntohs(a.sin_port));
    for (int i = 0; i < threads; ++i) workers_.emplace_back([this] { serve(); });
  }
  ~Host() {
    stopping_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    for (auto& w : workers_) w.join();
  }
  const std::string& base() const { return base_; }
  int most() const { return most_; }
  long served() const { return served_; }

 private:
  void serve() {
    static const std::string kAnswer =
        "HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Length: 8\r\n"
        "Connection: close\r\n\r\na,b\n1,2\n";
    char buf[4096];
    while (!stopping_) {
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      int n = ++now_;
      for (int m = most_; n > m && !most_.compare_exchange_weak(m, n);) {
      }
      std::string head;
      while (head.find("\r\n\r\n") == std::string::npos) {
        ssize_t got = ::recv(c, buf, sizeof buf, 0);
        if (got <= 0) break;
        head.append(buf, static_cast<std::size_t>(got));
      }
      ::send(c, kAnswer.data(), kAnswer.size(), MSG_NOSIGNAL);
      --now_;
      ++served_;
      ::close(c);
    }
  }

  int fd_ = -1;
  std::string base_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> now_{0}, most_{0};
  std::atomic<long> served_{0};
  std::vector<std::thread> workers_;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Link checker throughput and memory against loopback hosts"};
  int urls = 100000, hosts = 64, per_host = 2, per_dataset = 100;
  double rate = 20;
  std::string dir = "/tmp/bench_links";
  app.add_option("--urls", urls, "URLs to check");
  app.add_option("--hosts", hosts, "loopback hosts (127.0.0.1 ..)")->check(CLI::Range(1, 250));
  app.add_option("--per-host", per_host, "checks at once per host");
  app.add_option("--rate", rate, "check starts per second per host");
  app.add_option("--per-dataset", per_dataset, "resources per dataset");
  app.add_option("--dir", dir, "scratch directory (emptied)");
  CLI11_PARSE(app, argc, argv);

  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string db = dir + "/catalog.db";
  auto store = catalog::open_sqlite_store(db);
  auto records = catalog::open_sqlite_link_records(db);

  std::vector<std::unique_ptr<Host>> remotes;
  for (int h = 1; h <= hosts; ++h) remotes.push_back(std::make_unique<Host>(h, per_host + 1));

  const auto load_start = Clock::now();
  for (int first = 0; first < urls; first += per_dataset * 50) {
    store->write([&](catalog::Transaction& tx) {
      for (int d = first; d < std::min(urls, first + per_dataset * 50); d += per_dataset) {
        catalog::Dataset ds;
        ds.id = catalog::new_id();
        ds.name = "bench-" + std::to_string(d);
        ds.title = ds.name;
        for (int i = d; i < std::min(urls, d + per_dataset); ++i) {
          catalog::Resource r;
          r.url = remotes[static_cast<std::size_t>(i % hosts)]->base() + "/r/" + std::to_string(i);
          r.format = "CSV";
          ds.resources.push_back(r);
        }
        tx.insert_dataset(ds);
      }
    });
  }
  const double load_s = std::chrono::duration<double>(Clock::now() - load_start).count();
  std::printf("catalog: %d URLs in %d datasets over %d hosts (%.1f s to write)\n", urls,
              (urls + per_dataset - 1) / per_dataset, hosts, load_s);
  std::printf("RSS before the checker: %.1f MiB\n", proc_status_mib("VmRSS:"));

  quality::LinkCheckerSettings s;
  s.policy = net::AddressPolicy({"127.0.0.0/8"});
  s.per_host_connections = per_host;
  s.per_host_rate = rate;
  s.max_connections = std::max(64, hosts * per_host);
  s.timeout = std::chrono::milliseconds(5000);
  s.interval = std::chrono::hours(24 * 365);  // one pass: nothing is due twice
  s.idle_poll = std::chrono::milliseconds(50);
  quality::LinkChecker checker(*store, *records, s);

  const auto start = Clock::now();
  checker.start();
  std::int64_t next_report = urls / 10;
  double rss_at_10 = 0;
  while (true) {
    auto st = checker.stats();
    if (st.checks >= next_report || st.checks >= urls) {
      const double secs = std::chrono::duration<double>(Clock::now() - start).count();
      const double rss = proc_status_mib("VmRSS:");
      if (rss_at_10 == 0) rss_at_10 = rss;
      std::printf("%8lld checks  %6.1f s  %7.0f checks/s  RSS %.1f MiB  queued %lld\n",
                  static_cast<long long>(st.checks), secs, st.checks / secs, rss,
                  static_cast<long long>(st.queued));
      std::fflush(stdout);
      next_report += urls / 10;
    }
    if (st.checks >= urls) break;
    if (Clock::now() - start > std::chrono::minutes(30)) {
      std::printf("gave up after 30 minutes\n");
      return 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const double secs = std::chrono::duration<double>(Clock::now() - start).count();
  checker.stop();
  int most = 0;
  long served = 0;
  for (const auto& h : remotes) most = std::max(most, h->most()), served += h->served();
  const auto counts = records->counts();
  std::printf(
      "result: %d URLs checked in %.1f s = %.0f checks/s (%ld requests); answering %lld, "
      "broken %lld\n",
      urls, secs, urls / secs, served, static_cast<long long>(counts.answering),
      static_cast<long long>(counts.broken));
  std::printf("per-host limit %d: most connections any host saw at once = %d\n", per_host, most);
  std::printf("memory: RSS at 10%% %.1f MiB, at the end %.1f MiB, peak (VmHWM) %.1f MiB\n",
              rss_at_10, proc_status_mib("VmRSS:"), proc_status_mib("VmHWM:"));
  return most <= per_host ? 0 : 2;
}

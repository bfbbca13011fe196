// The link checker inside the server: a worker thread that keeps catalog::LinkRecords in step
// with the catalog (following the change log: every URL of every public dataset, resources and
// landing page) and checks the URLs that are due, politely:
//  - HEAD first; a GET reading at most `read_bytes` (Range: bytes=0-N) when HEAD is refused or
//    when the answer is an HTML page (to see a "200" that is really an error page);
//  - at most `per_host_connections` checks at once per host and `per_host_rate` starts per
//    second; a 429 or 503 pauses the host for its Retry-After (capped), and the URL keeps the
//    answer it had;
//  - the same SSRF guard (net::AddressPolicy) as the harvester on every hop: a URL or redirect
//    into a private network is refused, never connected to, and recorded as broken ("refused");
//  - broken URLs are rechecked soon and then less often, stable ones ever more rarely.
// Memory stays flat however many URLs the catalog names: at most `queue_per_host` URLs wait per
// host in memory and `max_queue` in all; the rest stay in the catalog until due and claimed.
// A slow or hanging host only ever holds its own slots, so it delays no other host.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

#include "catalog/link_checks.h"
#include "catalog/store.h"
#include "net/address_policy.h"

namespace datamap::quality {

struct LinkCheckerSettings {
  std::chrono::seconds interval{24 * 3600};  // a URL that answers is rechecked after this (x1..x4)
  int per_host_connections = 2;
  double per_host_rate = 2.0;  // check starts per second per host
  std::chrono::milliseconds timeout{10'000};
  int max_connections = 64;  // checks at once, over every host
  int max_redirects = 5;
  std::int64_t read_bytes = 4096;  // a GET check reads at most this much of the body
  int history = 10;                // checks kept per URL
  int queue_per_host = 32;
  int max_queue = 4096;
  std::chrono::seconds max_host_pause{3600};  // a Retry-After longer than this is cut to it
  std::chrono::milliseconds idle_poll{1000};  // change log and schedule, when nothing is due
  net::AddressPolicy policy;
  std::string user_agent =
      "datamap-linkchecker/0.1 (+https://github.com/datamap; open data catalog)";
};

struct LinkCheckerStats {
  std::int64_t checks = 0;   // recorded
  std::int64_t dropped = 0;  // queued or running when their dataset went: not recorded
  std::int64_t queued = 0, running = 0;
  std::int64_t applied_revision = 0;
};

class LinkChecker {
 public:
  LinkChecker(catalog::Store& store, catalog::LinkRecords& records, LinkCheckerSettings settings);
  ~LinkChecker();  // stop()
  LinkChecker(const LinkChecker&) = delete;
  LinkChecker& operator=(const LinkChecker&) = delete;

  void start();
  void stop();  // aborts running checks (recording nothing) and joins the worker
  // Wakes the worker now (after a write, or a test that wants the change log read).
  void notify();

  LinkCheckerStats stats() const;
  catalog::LinkRecords& records() { return records_; }

 private:
  struct Impl;
  catalog::Store& store_;
  catalog::LinkRecords& records_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace datamap::quality

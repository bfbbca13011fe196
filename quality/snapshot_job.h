// The scoreboard's daily snapshot (catalog/quality_history.h) as a background job of `serve`:
// a thread that, at start and then every `poll`, takes the day's snapshot unless the day has
// one already. Taking it is idempotent per day (the day's rows are replaced), so several
// servers on one catalog, a sysadmin's quality_snapshot and the CLI may overlap harmlessly.
//
// The clock is injectable (a test passes its own day); a failed snapshot is logged and tried
// again at the next poll.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "catalog/background_loop.h"
#include "catalog/quality_history.h"
#include "catalog/store.h"

namespace datamap::quality {

class SnapshotJob {
 public:
  using Today = std::function<std::string()>;  // YYYY-MM-DD (UTC); default: the system clock
  SnapshotJob(catalog::Store& store, catalog::QualityHistory& history,
              std::chrono::seconds poll = std::chrono::minutes(10), Today today = {});
  ~SnapshotJob();  // stop()
  SnapshotJob(const SnapshotJob&) = delete;
  SnapshotJob& operator=(const SnapshotJob&) = delete;

  void start();
  void stop();
  // Takes the day's snapshot now unless it has one; true when one was taken. What the thread
  // runs at every poll.
  bool run_once();

 private:
  std::chrono::milliseconds pass();  // run_once(), its failure logged; then wait poll_

  catalog::Store& store_;
  catalog::QualityHistory& history_;
  std::chrono::seconds poll_;
  Today today_;
  catalog::BackgroundLoop loop_{[this] { return pass(); }};  // last: stops before the rest go
};

}  // namespace datamap::quality

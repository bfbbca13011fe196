#include "quality/snapshot_job.h"

#include <cstdio>

#include "catalog/quality_score.h"

namespace datamap::quality {

SnapshotJob::SnapshotJob(catalog::Store& store, catalog::QualityHistory& history,
                         std::chrono::seconds poll, Today today)
    : store_(store), history_(history), poll_(poll), today_(std::move(today)) {
  if (!today_) today_ = [] { return catalog::quality::today_utc(); };
}

SnapshotJob::~SnapshotJob() {
  stop();
}

void SnapshotJob::start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void SnapshotJob::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool SnapshotJob::run_once() {
  const std::string day = today_();
  if (history_.has_day(day)) return false;
  const auto rows = catalog::quality::take_snapshot(store_, history_, day);
  std::fprintf(stderr, "quality: snapshot of %s taken (%zu agencies)\n", day.c_str(),
               rows.size() - 1);
  return true;
}

void SnapshotJob::loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    try {
      run_once();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "quality: the daily snapshot failed: %s\n", e.what());
    }
    lock.lock();
    wake_.wait_for(lock, poll_, [this] { return stopping_; });
  }
}

}  // namespace datamap::quality

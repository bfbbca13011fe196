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
  loop_.start();
}

void SnapshotJob::stop() {
  loop_.stop();
}

bool SnapshotJob::run_once() {
  const std::string day = today_();
  if (history_.has_day(day)) return false;
  const auto rows = catalog::quality::take_snapshot(store_, history_, day);
  std::fprintf(stderr, "quality: snapshot of %s taken (%zu agencies)\n", day.c_str(),
               rows.size() - 1);
  return true;
}

std::chrono::milliseconds SnapshotJob::pass() {
  try {
    run_once();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "quality: the daily snapshot failed: %s\n", e.what());
  }
  return poll_;
}

}  // namespace datamap::quality

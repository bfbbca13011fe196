#include "api/shared_limits.h"

#include <spdlog/spdlog.h>

namespace datamap::api {
namespace {

// A row changed by a transaction that began before the previous read but committed after it
// carries an updated_at before that read: each read looks this far back as well. Reading a
// level twice does no harm (it is a level, not a delta).
constexpr double kReadOverlapSeconds = 2.0;
// Refilled buckets are deleted every this many exchanges, once idle this long.
constexpr int kCleanupEvery = 40;
constexpr double kCleanupIdleSeconds = 10.0;

}  // namespace

LimitExchange::LimitExchange(catalog::RequestLimitRecords& records,
                             std::vector<SharedBuckets*> owners, std::chrono::milliseconds interval)
    : records_(records),
      owners_(std::move(owners)),
      interval_(interval),
      loop_([this] { return pass(); }) {
  for (SharedBuckets* owner : owners_) owner->start_sharing();
}

LimitExchange::~LimitExchange() {
  stop();
}

void LimitExchange::start() {
  loop_.start();
}
void LimitExchange::stop() {
  if (stopped_.exchange(true)) return;
  loop_.stop();
  // The takes since the last exchange, so that a node restarted at once does not hand its
  // clients a fresh allowance; a database that does not answer loses them (at most one
  // interval's).
  try {
    exchange();
  } catch (const std::exception& e) {
    spdlog::warn("rate limits: last counts not shared on stopping: {}", e.what());
  }
}

void LimitExchange::exchange() {
  std::lock_guard lock(mutex_);
  std::vector<std::vector<catalog::BucketTakes>> drained;
  std::vector<catalog::BucketTakes> all;
  for (SharedBuckets* owner : owners_) {
    drained.push_back(owner->drain_takes());
    all.insert(all.end(), drained.back().begin(), drained.back().end());
  }
  catalog::RequestLimitRecords::Exchanged got;
  try {
    got = records_.exchange(all, last_read_ > 0 ? last_read_ - kReadOverlapSeconds : 0);
  } catch (...) {
    for (std::size_t i = 0; i < owners_.size(); ++i) owners_[i]->restore_takes(drained[i]);
    throw;
  }
  last_read_ = got.now;
  for (const catalog::BucketLevel& level : got.levels)
    for (SharedBuckets* owner : owners_)
      if (owner->apply_level(level)) break;
  if (++since_cleanup_ >= kCleanupEvery) {
    since_cleanup_ = 0;
    records_.forget_full_buckets(kCleanupIdleSeconds);
  }
  ++exchanges_;
}

std::chrono::milliseconds LimitExchange::pass() {
  try {
    exchange();
    if (failing_) spdlog::info("rate limits: shared again through the catalog");
    failing_ = false;
  } catch (const std::exception& e) {
    // Each node goes on limiting alone until the database answers; said once, not per pass.
    if (!failing_) spdlog::warn("rate limits: cannot share through the catalog: {}", e.what());
    failing_ = true;
  }
  return interval_;
}

}  // namespace datamap::api

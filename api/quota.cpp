#include "api/quota.h"

#include <algorithm>
#include <cmath>
#include <ctime>

#include "api/action.h"
#include "api/auth.h"
#include "api/http.h"
#include "catalog/errors.h"

namespace datamap::api {
namespace {

std::string utc(std::chrono::system_clock::time_point t, const char* format) {
  std::time_t s = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

std::int64_t seconds_to_next_utc_day(std::chrono::system_clock::time_point t) {
  std::int64_t s = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  return 86400 - s % 86400;
}

}  // namespace

QuotaTracker::QuotaTracker(QuotaConfig config, Clock clock, catalog::RequestLimitRecords* records)
    : config_(config),
      clock_(clock ? std::move(clock) : Clock([] { return std::chrono::system_clock::now(); })),
      records_(records) {}

QuotaTracker::State& QuotaTracker::refilled(const std::string& token_id,
                                            std::chrono::system_clock::time_point now) {
  auto [it, fresh] = states_.try_emplace(token_id);
  State& s = it->second;
  if (fresh) {
    const double rate = static_cast<double>(std::max<std::int64_t>(0, config_.per_second));
    s.per_second = TokenBucket::full(rate, rate);
    s.refilled = now;
  }
  s.per_second.refill(std::chrono::duration<double>(now - s.refilled).count());
  s.refilled = now;
  return s;
}

void QuotaTracker::take_per_second(State& s) {
  if (!s.per_second.has_token())
    throw TooManyRequests("This token is over its limit of " + std::to_string(config_.per_second) +
                              " requests per second",
                          s.per_second.seconds_until_token());
  s.per_second.take();
  if (sharing() && !s.per_second.unlimited()) s.taken += 1;
}

void QuotaTracker::charge(const std::string& token_id) {
  auto now = clock_();
  const std::string day = utc(now, "%Y-%m-%d");
  const std::string at = utc(now, "%Y-%m-%dT%H:%M:%SZ");
  if (records_) {
    // The per-second bucket first, from memory (shared in the background); then the day, in
    // the catalog, outside the lock so that tokens do not wait on each other's round trips.
    try {
      std::lock_guard lock(mutex_);
      take_per_second(refilled(token_id, now));
    } catch (const TooManyRequests&) {
      records_->count_refused(token_id, day);
      throw;
    }
    if (!records_->count_request(token_id, day, config_.per_day, at))
      throw TooManyRequests("This token has used its " + std::to_string(config_.per_day) +
                                " requests for today (UTC)",
                            static_cast<int>(seconds_to_next_utc_day(now)));
    return;
  }
  std::lock_guard lock(mutex_);
  State& s = refilled(token_id, now);
  if (s.usage.day != day) {
    s.usage.day = day;
    s.usage.today = 0;
  }
  if (config_.per_day > 0 && s.usage.today >= config_.per_day) {
    ++s.usage.refused;
    throw TooManyRequests(
        "This token has used its " + std::to_string(config_.per_day) + " requests for today (UTC)",
        static_cast<int>(seconds_to_next_utc_day(now)));
  }
  try {
    take_per_second(s);
  } catch (const TooManyRequests&) {
    ++s.usage.refused;
    throw;
  }
  ++s.usage.today;
  ++s.usage.total;
  s.usage.last_request = at;
}

TokenUsage QuotaTracker::usage(const std::string& token_id) const {
  const std::string day = utc(clock_(), "%Y-%m-%d");
  if (records_) {
    catalog::TokenDayUsage u = records_->usage(token_id, day);
    return {u.today, u.total, u.refused, day, u.last_request};
  }
  std::lock_guard lock(mutex_);
  auto it = states_.find(token_id);
  if (it == states_.end()) return {};
  TokenUsage u = it->second.usage;
  if (u.day != day) u.today = 0;
  return u;
}

namespace {
constexpr std::string_view kTokenPrefix = "tok:";
}  // namespace

std::vector<catalog::BucketTakes> QuotaTracker::drain_takes() {
  std::vector<catalog::BucketTakes> out;
  std::lock_guard lock(mutex_);
  for (auto& [token_id, s] : states_) {
    if (s.taken <= 0) continue;
    out.push_back(
        {std::string(kTokenPrefix) + token_id, s.taken, s.per_second.rate, s.per_second.capacity});
    s.taken = 0;
  }
  return out;
}

void QuotaTracker::restore_takes(const std::vector<catalog::BucketTakes>& takes) {
  std::lock_guard lock(mutex_);
  for (const catalog::BucketTakes& t : takes) {
    auto it = states_.find(t.key.substr(kTokenPrefix.size()));
    if (it != states_.end()) it->second.taken += t.takes;
  }
}

bool QuotaTracker::apply_level(const catalog::BucketLevel& level) {
  if (!level.key.starts_with(kTokenPrefix)) return false;
  auto now = clock_();
  std::lock_guard lock(mutex_);
  State& s = refilled(level.key.substr(kTokenPrefix.size()), now);
  if (!s.per_second.unlimited())
    s.per_second.tokens = std::min(s.per_second.capacity, level.tokens - s.taken);
  return true;
}

Caller admit(Services& services, const HttpRequest& request, Cost cost) {
  Caller caller;
  try {
    caller = authenticate(*services.store, request);
  } catch (const NotAuthorized&) {
    charge_anonymous(services, request, Cost::normal);
    throw;
  }
  if (caller.user) {
    if (services.quotas) services.quotas->charge(token_id_for(*request_token(request)));
  } else {
    charge_anonymous(services, request, cost);
  }
  return caller;
}

}  // namespace datamap::api

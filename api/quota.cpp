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

QuotaTracker::QuotaTracker(QuotaConfig config, Clock clock)
    : config_(config),
      clock_(clock ? std::move(clock) : Clock([] { return std::chrono::system_clock::now(); })) {}

void QuotaTracker::charge(const std::string& token_id) {
  auto now = clock_();
  std::lock_guard lock(mutex_);
  auto [it, fresh] = states_.try_emplace(token_id);
  State& s = it->second;
  if (fresh) {
    const double rate = static_cast<double>(std::max<std::int64_t>(0, config_.per_second));
    s.per_second = TokenBucket::full(rate, rate);
    s.refilled = now;
  }
  std::string day = utc(now, "%Y-%m-%d");
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
  s.per_second.refill(std::chrono::duration<double>(now - s.refilled).count());
  s.refilled = now;
  if (!s.per_second.has_token()) {
    ++s.usage.refused;
    throw TooManyRequests("This token is over its limit of " + std::to_string(config_.per_second) +
                              " requests per second",
                          s.per_second.seconds_until_token());
  }
  s.per_second.take();
  ++s.usage.today;
  ++s.usage.total;
  s.usage.last_request = utc(now, "%Y-%m-%dT%H:%M:%SZ");
}

TokenUsage QuotaTracker::usage(const std::string& token_id) const {
  std::lock_guard lock(mutex_);
  auto it = states_.find(token_id);
  if (it == states_.end()) return {};
  TokenUsage u = it->second.usage;
  if (u.day != utc(clock_(), "%Y-%m-%d")) u.today = 0;
  return u;
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

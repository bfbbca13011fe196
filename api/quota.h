// Per-token request quotas: at most `per_second` requests in any second (a token bucket, so a
// burst of per_second is fine) and `per_day` per UTC day. Over either, charge() throws
// TooManyRequests with the seconds until a request would pass (the server's 429 Retry-After).
// Usage is counted per token and kept in memory: it restarts with the server (documented in
// docs/API.md). Anonymous requests carry no token: api/rate_limit.h limits them per address.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "api/rate_limit.h"
#include "api/token_bucket.h"

namespace datamap::api {

struct Services;
struct HttpRequest;
struct Caller;

struct QuotaConfig {
  std::int64_t per_second = 0;  // 0: no per-second limit
  std::int64_t per_day = 0;     // 0: no daily limit
};

struct TokenUsage {
  std::int64_t today = 0;    // requests counted this UTC day (refused ones not included)
  std::int64_t total = 0;    // since the server started
  std::int64_t refused = 0;  // answered 429
  std::string day;           // "2024-05-01" (UTC) that `today` counts
  std::string last_request;  // ISO 8601 UTC, "" when none
};

class QuotaTracker {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;
  explicit QuotaTracker(QuotaConfig config, Clock clock = {});

  // Counts one request of `token_id`; throws TooManyRequests when it is over a limit.
  void charge(const std::string& token_id);
  TokenUsage usage(const std::string& token_id) const;
  const QuotaConfig& config() const { return config_; }

 private:
  struct State {
    TokenBucket per_second;  // bursts of per_second, refilled at per_second a second
    std::chrono::system_clock::time_point refilled{};
    TokenUsage usage;
  };
  QuotaConfig config_;
  Clock clock_;
  mutable std::mutex mutex_;
  std::map<std::string, State> states_;
};

// Who is calling, charged to their limits: authenticate(), then the token's quota
// (services.quotas, if set) or, for an anonymous caller, its address's rate limit
// (services.rate_limits, if set) as `cost`. A request with an unknown token is charged to its
// address before its 403, so guessing tokens is rate limited too. Throws NotAuthorized or
// TooManyRequests.
Caller admit(Services& services, const HttpRequest& request, Cost cost = Cost::normal);

}  // namespace datamap::api

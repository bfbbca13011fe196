// Per-token request quotas: at most `per_second` requests in any second (a token bucket, so a
// burst of per_second is fine) and `per_day` per UTC day. Over either, charge() throws
// TooManyRequests with the seconds until a request would pass (the server's 429 Retry-After).
//
// Where usage is kept: on a single node (SQLite catalog), in memory, restarting with the
// server. With RequestLimitRecords (a PostgreSQL catalog) the day's usage is the catalog's —
// one conditional increment per request, so per_day holds exactly summed over every node and
// across restarts — and the per-second buckets are shared through api/shared_limits.h (no
// round trip; the cluster may overshoot by one exchange interval's traffic, see there).
// docs/API.md says which. Anonymous requests carry no token: api/rate_limit.h limits them per
// address.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "api/rate_limit.h"
#include "api/shared_limits.h"
#include "api/token_bucket.h"
#include "catalog/request_limits.h"

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
  std::int64_t total = 0;    // since the server started (PostgreSQL: on every day recorded)
  std::int64_t refused = 0;  // answered 429 (same span as total)
  std::string day;           // "2024-05-01" (UTC) that `today` counts
  std::string last_request;  // ISO 8601 UTC, "" when none
};

class QuotaTracker : public SharedBuckets {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;
  // `records`: where the cluster keeps usage (PostgreSQL); null: in this process's memory.
  explicit QuotaTracker(QuotaConfig config, Clock clock = {},
                        catalog::RequestLimitRecords* records = nullptr);

  // Counts one request of `token_id`; throws TooManyRequests when it is over a limit.
  void charge(const std::string& token_id);
  TokenUsage usage(const std::string& token_id) const;
  const QuotaConfig& config() const { return config_; }

  // SharedBuckets: the per-second buckets, keys "tok:TOKEN_ID".
  std::vector<catalog::BucketTakes> drain_takes() override;
  void restore_takes(const std::vector<catalog::BucketTakes>& takes) override;
  bool apply_level(const catalog::BucketLevel& level) override;

 private:
  struct State {
    TokenBucket per_second;  // bursts of per_second, refilled at per_second a second
    double taken = 0;        // from per_second since the last drain_takes()
    std::chrono::system_clock::time_point refilled{};
    TokenUsage usage;  // in memory only (records_ null)
  };
  // The token's state (new: a full bucket), its bucket refilled to `now`; mutex_ held.
  State& refilled(const std::string& token_id, std::chrono::system_clock::time_point now);
  // Takes one from the per-second bucket or throws TooManyRequests; mutex_ held.
  void take_per_second(State& s);

  QuotaConfig config_;
  Clock clock_;
  catalog::RequestLimitRecords* records_;
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

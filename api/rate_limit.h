// Rate limits for anonymous callers, per client address (registered callers are counted per
// token by api/quota.h instead). Two token buckets per client: every request takes one token
// of the general bucket, and an expensive request (search, map queries, exports: Action::cost)
// one of the expensive bucket as well. An empty bucket refuses with TooManyRequests carrying the
// seconds until a token is back (429 + Retry-After). Memory is bounded: a bucket that has
// refilled is indistinguishable from a new one and is dropped, and past `max_clients` the
// least recently seen client is forgotten.
//
// On a PostgreSQL catalog the buckets are the cluster's: each node charges its own copy and
// api/shared_limits.h exchanges the takes a few times a second (the bound it keeps is there).
//
// The client address is the socket's peer; X-Forwarded-For is believed only when the peer is a
// configured trusted proxy (then the nearest address in the chain that is not one). IPv6
// clients are counted per /64, the block one subscriber usually holds.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "api/shared_limits.h"
#include "api/token_bucket.h"
#include "net/address_policy.h"

namespace datamap::api {

struct HttpRequest;

struct RateLimitConfig {
  std::int64_t per_minute = 600;            // sustained anonymous requests per client; 0: no limit
  std::int64_t burst = 120;                 // requests a quiet client may send at once
  std::int64_t expensive_per_minute = 120;  // of them, expensive ones (search, map, exports)
  std::int64_t expensive_burst = 30;
  std::vector<std::string> trusted_proxies;  // addresses / CIDR blocks whose X-Forwarded-For counts
  std::size_t max_clients = 100000;          // buckets kept in memory at most
  // On a PostgreSQL catalog: how often each node exchanges its takes with the cluster's
  // buckets (api/shared_limits.h); also the per-token per-second quotas'.
  std::int64_t exchange_ms = 250;
};

enum class Cost { normal, expensive };

class RateLimiter : public SharedBuckets {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  // Throws std::invalid_argument for a bad trusted_proxies entry.
  explicit RateLimiter(RateLimitConfig config, Clock clock = {});

  // Counts one request of `client` (an address as client_address() gives it); throws
  // TooManyRequests when a bucket it needs is empty (nothing is taken then).
  void charge(const std::string& client, Cost cost);
  // The client a request is counted as: the peer address, or what a trusted proxy forwarded.
  std::string client_address(const HttpRequest& request) const;
  std::size_t tracked_clients() const;
  const RateLimitConfig& config() const { return config_; }

  // SharedBuckets: keys "ip:CLIENT" (general) and "ipx:CLIENT" (expensive).
  std::vector<catalog::BucketTakes> drain_takes() override;
  void restore_takes(const std::vector<catalog::BucketTakes>& takes) override;
  bool apply_level(const catalog::BucketLevel& level) override;

 private:
  struct Client {
    TokenBucket general, expensive;
    double general_taken = 0, expensive_taken = 0;  // since the last drain_takes()
    std::chrono::steady_clock::time_point seen;
    std::list<std::string>::iterator lru;  // position in lru_ (front: most recent)
  };
  static TokenBucket fresh(std::int64_t per_minute, std::int64_t burst);
  void forget_idle(std::chrono::steady_clock::time_point now);
  // The client's entry, new (full buckets) if unknown, refilled to `now` and most recent.
  Client& touch(const std::string& client, std::chrono::steady_clock::time_point now);

  RateLimitConfig config_;
  Clock clock_;
  net::AddressPolicy trusted_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Client> clients_;
  std::list<std::string> lru_;
};

// Charges an anonymous request to services.rate_limits (if set) as `cost`.
struct Services;
void charge_anonymous(Services& services, const HttpRequest& request, Cost cost);

}  // namespace datamap::api

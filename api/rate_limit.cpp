#include "api/rate_limit.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>

#include "api/action.h"
#include "api/http.h"
#include "catalog/errors.h"
#include "catalog/text.h"

namespace datamap::api {
namespace {

// An IP address in text, parsed; nullopt for anything else (names, ports, garbage).
std::optional<sockaddr_storage> parse_ip(std::string_view text) {
  std::string s(catalog::trim(text));
  if (s.size() > 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
  sockaddr_storage out{};
  auto* v4 = reinterpret_cast<sockaddr_in*>(&out);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&out);
  if (inet_pton(AF_INET, s.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    return out;
  }
  if (inet_pton(AF_INET6, s.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    return out;
  }
  return std::nullopt;
}

const sockaddr* as_sockaddr(const sockaddr_storage& s) {
  return reinterpret_cast<const sockaddr*>(&s);
}

// The key a client is counted under: IPv4 as it is (also when mapped into IPv6), IPv6 by its /64.
std::string client_key(const sockaddr_storage& addr) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (addr.ss_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&addr)->sin_addr, buf, sizeof buf);
    return buf;
  }
  in6_addr a = reinterpret_cast<const sockaddr_in6*>(&addr)->sin6_addr;
  if (IN6_IS_ADDR_V4MAPPED(&a)) {
    inet_ntop(AF_INET, &a.s6_addr[12], buf, sizeof buf);
    return buf;
  }
  std::memset(&a.s6_addr[8], 0, 8);
  inet_ntop(AF_INET6, &a, buf, sizeof buf);
  return std::string(buf) + "/64";
}

}  // namespace

RateLimiter::RateLimiter(RateLimitConfig config, Clock clock)
    : config_(std::move(config)),
      clock_(clock ? std::move(clock) : Clock([] { return std::chrono::steady_clock::now(); })),
      trusted_(config_.trusted_proxies, "rate_limit.trusted_proxies") {}

TokenBucket RateLimiter::fresh(std::int64_t per_minute, std::int64_t burst) {
  return TokenBucket::full(static_cast<double>(std::max<std::int64_t>(0, per_minute)) / 60.0,
                           static_cast<double>(std::max<std::int64_t>(1, burst)));
}

void RateLimiter::forget_idle(std::chrono::steady_clock::time_point now) {
  // lru_ runs from the most to the least recently seen; a client seen long enough ago has
  // refilled both buckets, and forgetting it changes nothing it will notice (unless takes of
  // it are still to be shared).
  while (!lru_.empty()) {
    auto it = clients_.find(lru_.back());
    Client& c = it->second;
    double idle = std::chrono::duration<double>(now - c.seen).count();
    TokenBucket g = c.general, e = c.expensive;
    g.refill(idle);
    e.refill(idle);
    bool over_cap = clients_.size() > config_.max_clients;
    bool unshared = c.general_taken > 0 || c.expensive_taken > 0;
    if (!over_cap && (unshared || !(g.is_full() && e.is_full()))) break;
    clients_.erase(it);
    lru_.pop_back();
  }
}

RateLimiter::Client& RateLimiter::touch(const std::string& client,
                                        std::chrono::steady_clock::time_point now) {
  auto [it, fresh_client] = clients_.try_emplace(client);
  Client& c = it->second;
  if (fresh_client) {
    c.general = fresh(config_.per_minute, config_.burst);
    c.expensive = fresh(config_.expensive_per_minute, config_.expensive_burst);
    lru_.push_front(client);
    c.lru = lru_.begin();
  } else {
    double elapsed = std::chrono::duration<double>(now - c.seen).count();
    c.general.refill(elapsed);
    c.expensive.refill(elapsed);
    lru_.splice(lru_.begin(), lru_, c.lru);
  }
  c.seen = now;
  return c;
}

void RateLimiter::charge(const std::string& client, Cost cost) {
  if (config_.per_minute <= 0 && (cost == Cost::normal || config_.expensive_per_minute <= 0))
    return;
  auto now = clock_();
  std::lock_guard lock(mutex_);
  Client& c = touch(client, now);
  auto refuse = [&](const TokenBucket& b, const char* what, std::int64_t per_minute,
                    std::int64_t burst) {
    throw TooManyRequests("Too many " + std::string(what) + " from your address: the limit is " +
                              std::to_string(per_minute) + " per minute (bursts of " +
                              std::to_string(burst) +
                              "); sign in with an API token for a per-token quota",
                          b.seconds_until_token());
  };
  const bool expensive = cost == Cost::expensive;
  if (!c.general.has_token()) refuse(c.general, "requests", config_.per_minute, config_.burst);
  if (expensive && !c.expensive.has_token())
    refuse(c.expensive, "searches, map queries and exports", config_.expensive_per_minute,
           config_.expensive_burst);
  c.general.take();
  const bool shared = sharing();
  if (shared && !c.general.unlimited()) c.general_taken += 1;
  if (expensive) {
    c.expensive.take();
    if (shared && !c.expensive.unlimited()) c.expensive_taken += 1;
  }
  forget_idle(now);
}

namespace {
constexpr std::string_view kGeneralPrefix = "ip:", kExpensivePrefix = "ipx:";
}  // namespace

std::vector<catalog::BucketTakes> RateLimiter::drain_takes() {
  std::vector<catalog::BucketTakes> out;
  std::lock_guard lock(mutex_);
  for (auto& [client, c] : clients_) {
    if (c.general_taken > 0)
      out.push_back({std::string(kGeneralPrefix) + client, c.general_taken, c.general.rate,
                     c.general.capacity});
    if (c.expensive_taken > 0)
      out.push_back({std::string(kExpensivePrefix) + client, c.expensive_taken, c.expensive.rate,
                     c.expensive.capacity});
    c.general_taken = c.expensive_taken = 0;
  }
  return out;
}

void RateLimiter::restore_takes(const std::vector<catalog::BucketTakes>& takes) {
  std::lock_guard lock(mutex_);
  for (const catalog::BucketTakes& t : takes) {
    const bool general = t.key.starts_with(kGeneralPrefix);
    auto it =
        clients_.find(t.key.substr(general ? kGeneralPrefix.size() : kExpensivePrefix.size()));
    if (it == clients_.end()) continue;  // forgotten since: its buckets had refilled anyway
    (general ? it->second.general_taken : it->second.expensive_taken) += t.takes;
  }
}

bool RateLimiter::apply_level(const catalog::BucketLevel& level) {
  const bool general = level.key.starts_with(kGeneralPrefix);
  if (!general && !level.key.starts_with(kExpensivePrefix)) return false;
  auto now = clock_();
  std::lock_guard lock(mutex_);
  Client& c =
      touch(level.key.substr(general ? kGeneralPrefix.size() : kExpensivePrefix.size()), now);
  TokenBucket& bucket = general ? c.general : c.expensive;
  const double taken_since = general ? c.general_taken : c.expensive_taken;
  if (!bucket.unlimited()) bucket.tokens = std::min(bucket.capacity, level.tokens - taken_since);
  forget_idle(now);
  return true;
}

std::string RateLimiter::client_address(const HttpRequest& request) const {
  auto peer = parse_ip(request.remote_address);
  if (!peer) return request.remote_address.empty() ? "unknown" : request.remote_address;
  if (!trusted_.lists(as_sockaddr(*peer))) return client_key(*peer);
  // From a trusted proxy: the chain's addresses right to left (the nearest hop last), the first
  // one that is not a trusted proxy itself is the client.
  std::vector<std::string> chain;
  for (const auto& [name, value] : request.headers) {
    if (name != "x-forwarded-for") continue;
    std::size_t start = 0;
    while (start <= value.size()) {
      std::size_t comma = value.find(',', start);
      if (comma == std::string::npos) comma = value.size();
      chain.emplace_back(catalog::trim(std::string_view(value).substr(start, comma - start)));
      start = comma + 1;
    }
  }
  sockaddr_storage client = *peer;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    auto hop = parse_ip(*it);
    if (!hop) break;  // garbage a client wrote: stop at the last address we can vouch for
    client = *hop;
    if (!trusted_.lists(as_sockaddr(*hop))) break;
  }
  return client_key(client);
}

std::size_t RateLimiter::tracked_clients() const {
  std::lock_guard lock(mutex_);
  return clients_.size();
}

void charge_anonymous(Services& services, const HttpRequest& request, Cost cost) {
  if (!services.rate_limits) return;
  services.rate_limits->charge(services.rate_limits->client_address(request), cost);
}

}  // namespace datamap::api

#include "api/write_limiter.h"

#include "catalog/errors.h"

namespace datamap::api {

WriteLimiter::WriteLimiter(std::int64_t per_minute, std::int64_t burst, Clock clock)
    : rate_(static_cast<double>(per_minute) / 60.0),
      burst_(static_cast<double>(burst)),
      clock_(clock ? std::move(clock) : [] { return std::chrono::steady_clock::now(); }) {}

void WriteLimiter::charge(const std::string& user_id) {
  if (rate_ <= 0) return;
  const auto now = clock_();
  std::lock_guard lock(mutex_);
  if (users_.size() > 100000)  // forget the users whose buckets have refilled
    std::erase_if(users_, [&](const auto& kv) {
      TokenBucket b = kv.second.bucket;
      b.refill(std::chrono::duration<double>(now - kv.second.seen).count());
      return b.is_full();
    });
  auto [it, fresh] = users_.try_emplace(user_id, Entry{TokenBucket::full(rate_, burst_), now});
  Entry& e = it->second;
  if (!fresh) e.bucket.refill(std::chrono::duration<double>(now - e.seen).count());
  e.seen = now;
  if (!e.bucket.has_token())
    throw TooManyRequests("Too many writes from this account: wait a little and try again",
                          e.bucket.seconds_until_token());
  e.bucket.take();
}

}  // namespace datamap::api

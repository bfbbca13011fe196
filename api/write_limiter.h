// Per-user rate of writes that other people read (data requests, votes, comments, error
// reports): one token bucket per user id (api/token_bucket.h), so one account cannot flood the
// agencies' queues whatever its API quota. Refusals throw TooManyRequests (429 + Retry-After).
// Memory is bounded as the anonymous limiter's is: a refilled bucket is dropped.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

#include "api/token_bucket.h"

namespace datamap::api {

class WriteLimiter {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  // per_minute 0: unlimited.
  WriteLimiter(std::int64_t per_minute, std::int64_t burst, Clock clock = {});

  // Takes one write of `user_id`, or throws TooManyRequests leaving the bucket as it was.
  void charge(const std::string& user_id);

 private:
  struct Entry {
    TokenBucket bucket;
    std::chrono::steady_clock::time_point seen;
  };
  double rate_, burst_;
  Clock clock_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> users_;
};

}  // namespace datamap::api

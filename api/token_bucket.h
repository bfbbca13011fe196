// A token bucket, the one rate-limiting rule of api/: it holds at most `capacity` tokens and
// gains `rate` tokens per second; a request takes one. Rate 0 means unlimited. Time is the
// caller's (per-token quotas count on the system clock, per-address limits on a steady one).
#pragma once

#include <algorithm>
#include <cmath>

namespace datamap::api {

struct TokenBucket {
  double rate = 0;      // tokens per second; 0: unlimited
  double capacity = 0;  // the largest burst
  double tokens = 0;

  static TokenBucket full(double rate, double capacity) { return {rate, capacity, capacity}; }
  bool unlimited() const { return rate <= 0; }
  void refill(double seconds) {
    if (!unlimited()) tokens = std::min(capacity, tokens + std::max(0.0, seconds) * rate);
  }
  bool is_full() const { return unlimited() || tokens >= capacity; }
  bool has_token() const { return unlimited() || tokens >= 1.0; }
  void take() {
    if (!unlimited()) tokens -= 1.0;
  }
  // Whole seconds until has_token() holds again (at least 1): the Retry-After of a refusal.
  int seconds_until_token() const {
    return std::max(1, static_cast<int>(std::ceil((1.0 - tokens) / rate)));
  }
};

}  // namespace datamap::api

// Polls a condition that another process or thread makes true (a server's follower, a background
// job): true as soon as it holds, false if it still does not after `seconds`.
#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace datamap::testing {

inline bool eventually(const std::function<bool()>& pred, double seconds = 30) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < until) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return pred();
}

}  // namespace datamap::testing

// catalog::BackgroundLoop: the follower shape shared by the map, the mailer and the quality
// snapshot. Waits are for events (counted passes), with generous limits; no time is asserted.
#include "catalog/background_loop.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace datamap::catalog {
namespace {

using namespace std::chrono_literals;

// Polls `done` until it holds or 30 s have passed; returns whether it held.
template <class F>
bool eventually(F done) {
  const auto until = std::chrono::steady_clock::now() + 30s;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

TEST(BackgroundLoop, RunsAPassAtStartThenOnlyWhenWokenWithinALongWait) {
  std::atomic<int> passes{0};
  BackgroundLoop loop([&] {
    ++passes;
    return std::chrono::milliseconds(1h);
  });
  loop.start();
  ASSERT_TRUE(eventually([&] { return passes == 1; }));
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(passes, 1) << "a pass ran without a wake before its hour-long wait ended";
  loop.wake();
  ASSERT_TRUE(eventually([&] { return passes == 2; }));
  loop.stop();  // does not wait out the hour
  EXPECT_EQ(passes, 2);
}

TEST(BackgroundLoop, AWakeDuringAPassStartsAnotherPassAfterIt) {
  std::atomic<int> passes{0};
  std::atomic<bool> in_first{false}, release{false};
  BackgroundLoop loop([&] {
    if (++passes == 1) {
      in_first = true;
      while (!release) std::this_thread::sleep_for(1ms);
    }
    return std::chrono::milliseconds(1h);
  });
  loop.start();
  ASSERT_TRUE(eventually([&] { return in_first.load(); }));
  loop.wake();  // while the first pass runs
  release = true;
  EXPECT_TRUE(eventually([&] { return passes == 2; })) << "the wake during the pass was lost";
}

TEST(BackgroundLoop, StopLetsALongPassEndEarlyAndTheLoopCanStartAgain) {
  std::atomic<int> passes{0};
  std::atomic<bool> saw_stopping{false};
  BackgroundLoop* self = nullptr;
  BackgroundLoop loop([&] {
    ++passes;
    while (!self->stopping()) std::this_thread::sleep_for(1ms);  // a pass of many steps
    saw_stopping = true;
    return std::chrono::milliseconds(0);
  });
  self = &loop;
  loop.start();
  ASSERT_TRUE(eventually([&] { return passes == 1; }));
  loop.stop();
  EXPECT_TRUE(saw_stopping);
  EXPECT_EQ(passes, 1) << "a pass ran after stop()";
  loop.stop();  // a second stop (the destructor's) is harmless

  loop.start();
  EXPECT_TRUE(eventually([&] { return passes == 2; }));
}

}  // namespace
}  // namespace datamap::catalog

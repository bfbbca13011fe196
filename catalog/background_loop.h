// A background thread that runs one pass of work, then sleeps until it is woken, stopped, or the
// wait the pass asked for has elapsed — the shape of every follower in the server (the map's
// change-log follower, the mailer, the daily quality snapshot).
//
// Contract:
//  - start() runs the first pass at once; a second start() while running does nothing.
//  - The pass returns how long to sleep before the next one. It must not throw: each owner
//    records its own failures (a status line, a log) and chooses its own retry wait.
//  - wake() makes the next pass start now, or right after the pass in progress (a wake during
//    a pass is not lost).
//  - stop() lets the pass in progress finish, then joins; a long pass may end early by checking
//    stopping() between its steps. The destructor stops.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace datamap::catalog {

class BackgroundLoop {
 public:
  using Pass = std::function<std::chrono::milliseconds()>;

  explicit BackgroundLoop(Pass pass);
  ~BackgroundLoop();  // stop()
  BackgroundLoop(const BackgroundLoop&) = delete;
  BackgroundLoop& operator=(const BackgroundLoop&) = delete;

  void start();
  void stop();
  void wake();
  bool stopping() const;

 private:
  void run();

  Pass pass_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  bool woken_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace datamap::catalog

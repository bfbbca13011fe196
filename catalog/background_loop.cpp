#include "catalog/background_loop.h"

#include <utility>

namespace datamap::catalog {

BackgroundLoop::BackgroundLoop(Pass pass) : pass_(std::move(pass)) {}

BackgroundLoop::~BackgroundLoop() {
  stop();
}

void BackgroundLoop::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void BackgroundLoop::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  // stop() may race another stop() (a destructor after an explicit stop): only one joins.
  std::thread finished;
  {
    std::lock_guard lock(mutex_);
    finished = std::move(thread_);
  }
  if (finished.joinable()) finished.join();
}

void BackgroundLoop::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  cv_.notify_all();
}

bool BackgroundLoop::stopping() const {
  std::lock_guard lock(mutex_);
  return stopping_;
}

void BackgroundLoop::run() {
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      woken_ = false;  // this pass sees what a wake before it announced
    }
    const auto wait = pass_();
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, wait, [this] { return woken_ || stopping_; });
  }
}

}  // namespace datamap::catalog

// One progress line for the long-running subcommands (reindex, attach): redrawn in place on a
// terminal; a line every 10% otherwise, so logs stay short.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace datamap::app {

class ProgressBar {
 public:
  explicit ProgressBar(std::string label) : label_(std::move(label)), tty_(isatty(2)) {}

  void update(std::int64_t done, std::int64_t total, bool finished) {
    using Clock = std::chrono::steady_clock;
    const double secs = std::chrono::duration<double>(Clock::now() - start_).count();
    const double frac = total > 0 ? std::min(1.0, static_cast<double>(done) / total) : 1.0;
    const int pct = static_cast<int>(frac * 100);
    if (!tty_ && !finished && pct / 10 == last_decile_) return;
    last_decile_ = pct / 10;
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(frac * kWidth);
    std::fprintf(stderr, "%s%-8s [%s%s] %3d%% %lld/%lld  %.0f/s  %.1fs%s", tty_ ? "\r" : "",
                 label_.c_str(), std::string(filled, '#').c_str(),
                 std::string(kWidth - filled, '-').c_str(), pct, static_cast<long long>(done),
                 static_cast<long long>(total), secs > 0 ? done / secs : 0.0, secs,
                 tty_ && !finished ? "" : "\n");
    std::fflush(stderr);
  }

 private:
  std::string label_;
  bool tty_;
  int last_decile_ = -1;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace datamap::app

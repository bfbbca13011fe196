// What the running benchmark program itself has used, for the figures in docs/BENCHMARKS.md.
#pragma once

#include <sys/resource.h>
#include <time.h>

#include <chrono>

namespace datamap::bench {

// User + system CPU seconds of this process so far: on a shared machine wall time measures the
// neighbours too; CPU time does not.
inline double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// Peak resident set size of this process so far, in MiB (file pages it mapped included).
inline long peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

// CPU seconds of the calling thread so far: with a worker thread beside it (the DataStore load's
// writing thread), the part of the process's CPU that was this thread's.
inline double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

struct Timing {
  double wall = 0, cpu = 0;
  double thread_cpu = 0;  // of cpu, the calling thread's
};

// Runs f() and returns its wall time, the process's CPU and the calling thread's CPU.
template <typename F>
Timing timed(F&& f) {
  const auto t0 = std::chrono::steady_clock::now();
  const double c0 = cpu_seconds(), tc0 = thread_cpu_seconds();
  f();
  return {std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(),
          cpu_seconds() - c0, thread_cpu_seconds() - tc0};
}

}  // namespace datamap::bench

// What the running benchmark program itself has used, for the figures in docs/BENCHMARKS.md.
#pragma once

#include <sys/resource.h>

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

}  // namespace datamap::bench

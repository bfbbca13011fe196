// Small helpers shared by the loader's tests.
#pragma once

#include <sys/resource.h>

#include <fstream>
#include <string>

#include "catalog/model.h"
#include "datastore/loader.h"

namespace datamap::testing {

inline void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

inline const catalog::ColumnProfile& column_of(const datastore::LoadResult& r,
                                               const std::string& name) {
  for (const auto& c : r.columns)
    if (c.name == name) return c;
  throw std::runtime_error("no column " + name);
}

// The process's peak resident set, in MiB (it only grows: compare before and after).
inline long peak_rss_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

// The LoadError load_file throws (fails the test when it throws nothing).
template <typename F>
datastore::LoadError load_error(F&& f) {
  try {
    f();
  } catch (const datastore::LoadError& e) {
    return e;
  }
  throw std::runtime_error("expected a LoadError");
}

}  // namespace datamap::testing

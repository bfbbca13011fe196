// How the link record stores (SQLite and PostgreSQL alike) encode a link's answer and a dataset's
// link status in their integer columns. One definition, so a catalog migrated from one backend
// to the other reads the same.
#pragma once

#include <cstdint>

#include "catalog/link_checks.h"

namespace datamap::catalog::link_codes {

// A URL's answer: 0 unknown, 1 yes, 2 no.
inline LinkAnswer answer_of(std::int64_t v) {
  return v == 1 ? LinkAnswer::kYes : v == 2 ? LinkAnswer::kNo : LinkAnswer::kUnknown;
}
inline std::int64_t code_of(LinkAnswer a) {
  return a == LinkAnswer::kYes ? 1 : a == LinkAnswer::kNo ? 2 : 0;
}

// A dataset's status from its counters: broken (2) as soon as one link is, answering (1) once
// every link answered, unknown (0) in between.
inline std::int64_t status_of(std::int64_t unknown, std::int64_t broken) {
  return broken > 0 ? 2 : unknown > 0 ? 0 : 1;
}

}  // namespace datamap::catalog::link_codes

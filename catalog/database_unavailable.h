// 503: the catalog's database cannot be reached now (PostgreSQL stopped, restarting, failing
// over, or the network between), or it kept refusing a write for conflicts with concurrent ones
// (catalog/postgres/pg_retry.h). what() says why (the server without its password), for logs and
// the command line; over HTTP the caller reads only kMessage, with Retry-After. Nothing was
// written: each action is one transaction. Raised by the PostgreSQL backend only.
#pragma once

#include <string>

#include "catalog/errors.h"

namespace datamap {

class DatabaseUnavailable : public ServiceUnavailable {
 public:
  static constexpr const char* kMessage = "The catalog database is unavailable; try again shortly";
  explicit DatabaseUnavailable(const std::string& why, int retry_after = 5)
      : ServiceUnavailable(why, retry_after) {}
};

}  // namespace datamap

// What the PostgreSQL catalog does not do yet (docs/DEPLOY.md lists it): each such Store or
// Transaction method throws NotSupported naming itself, never answers empty as if the catalog
// had none. A std::logic_error, as the Transaction's own defaults for activity writes are.
#pragma once

#include <stdexcept>
#include <string>

namespace datamap::catalog::postgres {

class NotSupported : public std::logic_error {
 public:
  explicit NotSupported(const std::string& what)
      : std::logic_error(what + " is not supported on the PostgreSQL catalog yet") {}
};

}  // namespace datamap::catalog::postgres

// What the PostgreSQL catalog does not do yet (docs/DEPLOY.md lists it): each such Store or
// Transaction method throws NotSupported naming itself, never answers empty as if the catalog
// had none. A NotImplemented (catalog/errors.h), so an action that reaches one answers 501
// with this message, not 500.
#pragma once

#include <string>

#include "catalog/errors.h"

namespace datamap::catalog::postgres {

class NotSupported : public NotImplemented {
 public:
  explicit NotSupported(const std::string& what)
      : NotImplemented(what + " is not supported on the PostgreSQL catalog yet") {}
};

}  // namespace datamap::catalog::postgres

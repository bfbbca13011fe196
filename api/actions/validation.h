// What the data validation action and the failing-rows download share.
#pragma once

#include "api/action.h"
#include "catalog/standard_terms.h"

namespace datamap::api {

// The common standard terms the server loaded (the map's), or null when it has none.
const catalog::StandardTermIndex* standard_term_index(const Services& services);

}  // namespace datamap::api

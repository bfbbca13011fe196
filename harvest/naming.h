// Names for what a remote catalog does not name in our terms: a dataset's URL slug and an
// agency's id. Stable (the same remote record always gets the same name), so re-harvests and
// re-imports find their dataset.
#pragma once

#include <string>

#include "catalog/model.h"

namespace datamap::harvest {

// The dataset's own name if it is a valid one, else a slug of its title, with a short hash of
// `ref` (the remote identifier) so two datasets with the same title never clash:
// "air-quality-1a2b3c4d". "harvest-<hash>" when the title has no ASCII to slug (Korean).
std::string derived_name(const catalog::Dataset& d, const std::string& ref);

// A harvested publisher's organization id, from its name.
std::string organization_id(const catalog::Organization& o);

}  // namespace datamap::harvest

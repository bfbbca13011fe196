#include "catalog/quality_inputs.h"

namespace datamap::catalog::quality {

LinkResults link_results(Store& /*store*/, const Dataset& /*d*/) {
  return {};
}

Score score_stored(Store& store, const Dataset& d, std::string_view today) {
  std::optional<Organization> org;
  if (!d.owner_org.empty()) org = store.organization(d.owner_org);
  return score_dataset(d, org ? &*org : nullptr, link_results(store, d), today);
}

}  // namespace datamap::catalog::quality

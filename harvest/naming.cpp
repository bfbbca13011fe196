#include "harvest/naming.h"

#include "catalog/ids.h"
#include "catalog/validation.h"

namespace datamap::harvest {

std::string derived_name(const catalog::Dataset& d, const std::string& ref) {
  std::string suffix = catalog::sha256_hex(ref).substr(0, 8);
  std::string base = catalog::slugify(d.name.empty() ? d.title : d.name);
  if (base.empty()) return "harvest-" + suffix;
  if (base.size() > 90) base.resize(90);
  while (!base.empty() && base.back() == '-') base.pop_back();
  return base + "-" + suffix;
}

std::string organization_id(const catalog::Organization& o) {
  return catalog::stable_id("organization", o.name);
}

}  // namespace datamap::harvest

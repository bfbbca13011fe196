#include "catalog/visibility.h"

#include <algorithm>

namespace datamap::catalog {

bool is_public(const Dataset& d) {
  return d.state == "active" && !d.is_private;
}

Visibility Visibility::of(const User& u) {
  Visibility v;
  v.all_private = u.sysadmin;
  for (const auto& m : u.memberships) v.private_orgs.push_back(m.organization_id);
  for (const auto& c : u.collaborations) v.datasets.push_back(c.dataset_id);
  return v;
}

bool Visibility::sees_private_of(std::string_view organization_id) const {
  return all_private ||
         std::find(private_orgs.begin(), private_orgs.end(), organization_id) != private_orgs.end();
}

bool Visibility::may_read(const Dataset& d) const {
  return d.state == "active" &&
         (!d.is_private || sees_private_of(d.owner_org) ||
          std::find(datasets.begin(), datasets.end(), d.id) != datasets.end());
}

}  // namespace datamap::catalog

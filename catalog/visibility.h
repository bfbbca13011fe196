// Who may read which dataset: the one rule the whole server applies (the store's listed flags,
// search, the map, the DCAT/data.json outputs and every action), so it cannot drift.
//   public  = active and not private: listed to everyone.
//   private = readable by the members (any role) of its organization and by sysadmins; to anyone
//             else it does not exist (404, never 403: existence is itself what is private).
// Deleted datasets are never listed; whether an editor may still open one is the action
// layer's business.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "catalog/model.h"

namespace datamap::catalog {

// Active and not private: shown to everyone, in every listing and export.
bool is_public(const Dataset& d);

// The private datasets a reader may see, besides every public one.
struct Visibility {
  bool all_private = false;               // a sysadmin
  std::vector<std::string> private_orgs;  // organizations (ids) the reader is a member of
  std::vector<std::string> datasets;      // datasets (ids) the reader collaborates on

  static Visibility anonymous() { return {}; }
  static Visibility everything() { return {true, {}, {}}; }
  // The user's memberships (any role), collaborations (any capacity) and sysadmin flag.
  static Visibility of(const User& u);

  bool sees_private_of(std::string_view organization_id) const;
  // An active dataset that is public, private to an organization the reader belongs to, or one
  // the reader collaborates on (CKAN's dataset collaborators).
  bool may_read(const Dataset& d) const;
};

}  // namespace datamap::catalog

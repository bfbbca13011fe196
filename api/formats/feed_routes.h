// The Atom feeds (api/formats/atom_feed.h) at CKAN's addresses under /feeds/: per dataset, per
// organization, the recent changes, and a search's datasets.
#pragma once

#include "api/action.h"
#include "api/http.h"

namespace datamap::api::formats {

void register_feed_routes(Routes& routes, Services& services, const Registry& registry);

}  // namespace datamap::api::formats

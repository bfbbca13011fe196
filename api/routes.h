// Every HTTP route of the product, registered in one place (api/routes.cpp). Subsystems add a
// `register_<area>_routes(Routes&, Services&, const Registry&)` and one line there.
#pragma once

#include <string>

#include "api/action.h"
#include "api/http.h"

namespace datamap::api {

void register_all_routes(Routes& routes, Services& services, const Registry& registry);

// The site's public address, no trailing slash: [site] base_url, or else "http://" + the
// request's Host header when it is a plain host name ("http://localhost" otherwise).
std::string public_base_url(const Services& services, const HttpRequest& req);

// /api/3/action/{name} and /api/action/{name}: GET (query string) and POST (JSON or form).
void register_action_routes(Routes& routes, Services& services, const Registry& registry);

// GET/HEAD /dataset/{id}/resource/{resource_id}/download/{filename}: uploaded files
// (api/download_routes.cpp).
void register_download_routes(Routes& routes, Services& services, const Registry& registry);

// The citizen portal and the agency console (HTML pages at CKAN's addresses, /map, /console,
// /static/*): api/portal_routes.cpp.
void register_portal_routes(Routes& routes, Services& services, const Registry& registry);

}  // namespace datamap::api

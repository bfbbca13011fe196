#include "api/routes.h"

#include <cctype>

#include "api/config.h"
#include "api/formats/feed_routes.h"
#include "api/formats/format_routes.h"
#include "api/formats/table_routes.h"
#include "api/openapi/openapi.h"

namespace datamap::api {

std::string public_base_url(const Services& services, const HttpRequest& req) {
  if (services.config && !services.config->site.base_url.empty())
    return services.config->site.base_url;
  std::string host = req.header("host").value_or("");
  bool ok = !host.empty() && host.size() < 256;
  for (char c : host)
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' ||
                c == '[' || c == ']');
  return "http://" + (ok ? host : std::string("localhost"));
}

void register_all_routes(Routes& routes, Services& services, const Registry& registry) {
  register_action_routes(routes, services, registry);
  register_openapi_routes(routes);
  // Before the formats' and the portal's /dataset/*: only resource download paths.
  register_download_routes(routes, services, registry);
  // Before any HTML page: /dataset/* is shared, and the formats' route only takes the requests
  // content negotiation gives it (api/formats/negotiation.h), the rest fall through.
  formats::register_format_routes(routes, services, registry);
  formats::register_table_routes(routes, services, registry);
  formats::register_feed_routes(routes, services, registry);
  register_portal_routes(routes, services, registry);
}

}  // namespace datamap::api

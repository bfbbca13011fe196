#include "api/routes.h"

#include "api/formats/format_routes.h"
#include "api/formats/table_routes.h"
#include "api/openapi/openapi.h"

namespace datamap::api {

void register_all_routes(Routes& routes, Services& services, const Registry& registry) {
  register_action_routes(routes, services, registry);
  register_openapi_routes(routes);
  // Before any HTML page: /dataset/* is shared, and the formats' route only takes the requests
  // content negotiation gives it (api/formats/negotiation.h), the rest fall through.
  formats::register_format_routes(routes, services, registry);
  formats::register_table_routes(routes, services, registry);
  register_portal_routes(routes, services, registry);
}

}  // namespace datamap::api

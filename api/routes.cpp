#include "api/routes.h"

namespace datamap::api {

void register_all_routes(Routes& routes, Services& services, const Registry& registry) {
  register_action_routes(routes, services, registry);
}

}  // namespace datamap::api

// Every action of the product. Each area registers its own; add one line per area here.
#include "api/action.h"

namespace datamap::api {

void register_status_actions(Registry& r);
void register_package_actions(Registry& r);
void register_organization_actions(Registry& r);
void register_user_actions(Registry& r);
void register_map_actions(Registry& r);
void register_relationship_actions(Registry& r);
void register_search_actions(Registry& r);
void register_harvest_actions(Registry& r);
void register_quota_actions(Registry& r);
void register_load_actions(Registry& r);
void register_datastore_actions(Registry& r);
void register_datastore_join_action(Registry& r);
void register_resource_actions(Registry& r);
void register_link_actions(Registry& r);
void register_quality_actions(Registry& r);
void register_validation_actions(Registry& r);
void register_request_actions(Registry& r);
void register_report_actions(Registry& r);
void register_activity_actions(Registry& r);
void register_reuse_actions(Registry& r);
void register_demand_actions(Registry& r);
void register_package_bulk_actions(Registry& r);
void register_group_member_actions(Registry& r);
void register_site_actions(Registry& r);

void register_all_actions(Registry& registry) {
  register_status_actions(registry);
  register_package_actions(registry);
  register_organization_actions(registry);
  register_user_actions(registry);
  register_map_actions(registry);
  register_relationship_actions(registry);
  register_search_actions(registry);
  register_harvest_actions(registry);
  register_quota_actions(registry);
  register_load_actions(registry);
  register_datastore_actions(registry);
  register_datastore_join_action(registry);
  register_resource_actions(registry);
  register_link_actions(registry);
  register_quality_actions(registry);
  register_validation_actions(registry);
  register_request_actions(registry);
  register_report_actions(registry);
  register_activity_actions(registry);
  register_reuse_actions(registry);
  register_demand_actions(registry);
  register_package_bulk_actions(registry);
  register_group_member_actions(registry);
  register_site_actions(registry);
}

}  // namespace datamap::api

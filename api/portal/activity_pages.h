// The portal's side of issue 16 items 3 and 4: the reuses section of a dataset page ("이 데이터를
// 활용한 사례") and the signed-in user's activity dashboard (/console/activity: what changed in
// what they follow). Both read through the same actions as the API.
#pragma once

#include <rapidjson/document.h>

#include "api/portal/action_client.h"
#include "api/portal/html.h"
#include "api/portal/pages.h"

namespace datamap::api::portal {

// The reuses of dataset `pkg` (package_show's dict), with links out only to http(s) URLs.
void reuses_section(Html& h, const PageContext& ctx, ActionClient& actions,
                    const rapidjson::Value& pkg);

PortalResponse activity_dashboard(const PageContext& ctx, ActionClient& actions);

}  // namespace datamap::api::portal

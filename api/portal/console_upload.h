// The console's upload form (/console/dataset/{name}/upload): a plain multipart/form-data POST,
// no JavaScript, that calls resource_create with the chosen file exactly as the API does, then
// shows the dataset page with the new resource.
#pragma once

#include <rapidjson/document.h>

#include <string>

#include "api/portal/action_client.h"
#include "api/portal/console.h"
#include "api/portal/pages.h"

namespace datamap::api::portal {

PortalResponse upload_resource(const PageContext& ctx, ActionClient& actions,
                               const ConsoleRequest& req, const rapidjson::Value& pkg,
                               const std::string& name);

}  // namespace datamap::api::portal

// The portal's pages. Each gathers its data through ActionClient (the same actions the API
// serves) and renders server-side HTML that works without JavaScript (the map page excepted).
// Pages may throw the typed errors of catalog/errors.h; the portal turns them into error pages.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "api/portal/action_client.h"
#include "api/portal/page_context.h"

namespace datamap::api::portal {

struct PortalResponse {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

PortalResponse home_page(const PageContext& ctx, ActionClient& actions);
// /dataset, and the listing part of /organization/{name} and /group/{name}.
PortalResponse search_page(const PageContext& ctx, ActionClient& actions);
PortalResponse dataset_page(const PageContext& ctx, ActionClient& actions, const std::string& name);
PortalResponse organization_list_page(const PageContext& ctx, ActionClient& actions);
PortalResponse organization_page(const PageContext& ctx, ActionClient& actions,
                                 const std::string& name);
// /quality: agencies ranked by metadata quality; /organization/{name}/quality: one agency's.
PortalResponse quality_overview_page(const PageContext& ctx, ActionClient& actions);
PortalResponse organization_quality_page(const PageContext& ctx, ActionClient& actions,
                                         const std::string& name);
PortalResponse group_list_page(const PageContext& ctx, ActionClient& actions);
PortalResponse group_page(const PageContext& ctx, ActionClient& actions, const std::string& name);
PortalResponse map_page(const PageContext& ctx);
// /join: the first pairs of a join of two loaded resources (join_preview.cpp).
PortalResponse join_preview_page(const PageContext& ctx, ActionClient& actions);
PortalResponse error_page(const PageContext& ctx, int status, const std::string& message);

}  // namespace datamap::api::portal

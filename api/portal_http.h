// What the portal's and the console's routes share (api/portal_routes.cpp,
// api/console_routes.cpp): the state they hold and run_page, which builds a page's context from
// the request, runs the page with a Caller and turns its typed errors into HTML error pages with
// the API's status codes (the API's routes answer JSON envelopes instead).
#pragma once

#include <functional>

#include "api/action.h"
#include "api/http.h"
#include "api/portal/action_client.h"
#include "api/portal/pages.h"
#include "api/portal/static_files.h"

namespace datamap::api {

struct PortalState {
  Services& services;
  const Registry& registry;
  portal::StaticFiles assets;
};

using PageFn = std::function<portal::PortalResponse(portal::PageContext&, portal::ActionClient&)>;
// An anonymous caller (no user) is charged to its address's rate limit as `cost` first: over
// it, TooManyRequests escapes (the server answers the 429 envelope with Retry-After).
HttpResponse run_page(const PortalState& state, const HttpRequest& req, Caller caller,
                      const PageFn& page, Cost cost = Cost::normal);

// /console and /console/*: sign-in sessions, CSRF and origin checks, then api/portal/console.h.
void register_console_routes(Routes& routes, const std::shared_ptr<PortalState>& state);
// /requests, /requests/*, /reports/*, /notifications: api/request_routes.cpp, pages in
// request_pages.h and report_pages.h.
void register_request_routes(Routes& routes, const std::shared_ptr<PortalState>& state);

}  // namespace datamap::api

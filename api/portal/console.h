// The agency console (/console): sign in with an API token, register, edit and delete datasets
// through forms that show the API's per-field validation messages, and see the agency's harvest
// sources with their job reports. Every operation is the API's own action, called with the
// signed-in user as the Caller; the forms only translate fields to a package dict.
//
// This is the console's page router. Sessions, cookies and the CSRF and origin checks are the
// HTTP side's job (api/console_routes.cpp, api/console_session.h): a request reaches here either
// signed in, with any POST already checked, or not signed in (the sign-in page).
// The pages: console_dashboard.h, dataset_form.h, console_harvest.h; shared parts: console_kit.h.
#pragma once

#include <optional>
#include <string>

#include "api/multipart.h"
#include "api/portal/action_client.h"
#include "api/portal/page_context.h"
#include "api/portal/pages.h"

namespace datamap::api::portal {

struct ConsoleRequest {
  std::string method;         // "GET" or "POST"
  std::string subpath;        // after "/console", e.g. "", "/dataset/new"
  Params form;                // decoded POST form fields
  bool signed_in = false;     // a live session; actions.caller() is its user
  std::string sign_in_error;  // why the last sign-in failed (shown on the sign-in page, 403)
  std::optional<MultipartFile> upload;  // a multipart POST's `upload` file (a view of the body)
};

// The sign-in form posts to /console/login with ctx.csrf_token; the dashboard's sign-out form
// to /console/logout. `actions` runs as the signed-in user.
PortalResponse console_page(const PageContext& ctx, ActionClient& actions, const ConsoleRequest& req);

}  // namespace datamap::api::portal

// The agency console (/console): sign in with an API token, register, edit and delete datasets
// through forms that show the API's per-field validation messages, and see the agency's harvest
// sources with their job reports. Every operation is the API's own action, called with the
// signed-in user as the Caller; the form only translates fields to a package dict.
//
// The token lives in an HttpOnly, SameSite=Strict cookie scoped to /console, and every POST also
// carries a CSRF field derived from it, so another site can neither read nor use the session.
#pragma once

#include <optional>
#include <string>

#include "api/portal/action_client.h"
#include "api/portal/page_context.h"
#include "api/portal/pages.h"

namespace datamap::api::portal {

inline constexpr const char* kConsoleCookie = "datamap_console";

struct ConsoleRequest {
  std::string method;             // "GET" or "POST"
  std::string subpath;            // after "/console", e.g. "", "/login", "/dataset/new"
  Params form;                    // decoded POST form fields
  std::optional<std::string> token;  // the cookie's token, when signed in and valid
  std::string token_error;        // why the presented token was refused (sign-in page shows it)
};

// The CSRF field value for a token (a hash of it: guessable only by whoever holds the token).
std::string csrf_for_token(const std::string& token);

// `actions` runs as the signed-in user (anonymous when not signed in).
PortalResponse console_page(const PageContext& ctx, ActionClient& actions, const ConsoleRequest& req);

}  // namespace datamap::api::portal

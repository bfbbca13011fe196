// The data-request pages' HTTP side (/requests, /requests/new, /requests/{id} and its forms,
// /reports/*, /notifications): the console's sign-in session, when the browser has one, is the Caller, so a
// signed-in user votes and comments from the page itself. Every POST must come from our own
// site with the session's CSRF field (api/console_session.h), as the console's forms do; one
// without a session is sent to sign in. Pages: api/portal/request_pages.h.
#include <memory>

#include "api/config.h"
#include "api/console_session.h"
#include "api/portal/console_kit.h"
#include "api/portal/report_pages.h"
#include "api/portal/request_pages.h"
#include "api/portal_http.h"
#include "api/routes.h"
#include "catalog/text.h"

namespace datamap::api {
namespace {

const ConsoleConfig& console_config(const PortalState& state) {
  static const ConsoleConfig kDefaults;
  return state.services.config ? state.services.config->console : kDefaults;
}

struct Visitor {
  Caller caller;
  std::string csrf;  // "" when not signed in
};

Visitor visitor(const PortalState& state, const HttpRequest& req) {
  const ConsoleTransport t = console_transport(req, console_config(state));
  const std::string session = request_cookie(req, session_cookie_name(t.secure));
  Visitor v;
  if (session.empty()) return v;
  ConsoleSessions sessions(*state.services.store, console_config(state));
  v.caller.user = sessions.resolve(session);
  if (v.caller.user) v.csrf = session_csrf(session);
  return v;
}

using Page = std::function<portal::PortalResponse(portal::PageContext&, portal::ActionClient&,
                                                  const portal::Params& form)>;

HttpResponse serve(const PortalState& state, const HttpRequest& req, const Page& page) {
  Visitor v = visitor(state, req);
  portal::Params form;
  if (req.method == "POST") {
    const ConsoleTransport t = console_transport(req, console_config(state));
    if (auto parsed = parse_urlencoded(req.body)) form = std::move(*parsed);
    for (auto& [k, value] : form)
      if (!catalog::is_valid_utf8(value)) value.clear();
    const bool signed_in = v.caller.user.has_value();
    if (!same_origin(req, t) || !signed_in ||
        !csrf_matches(portal::form_value(form, "csrf"), v.csrf))
      return run_page(state, req, Caller{}, [&](auto& ctx, auto&) {
        return signed_in ? portal::form_refused(ctx) : portal::see_other("/console");
      });
  }
  const std::string csrf = v.csrf;
  return run_page(state, req, std::move(v.caller),
                  [&](portal::PageContext& ctx, portal::ActionClient& actions) {
                    ctx.csrf_token = csrf;
                    return page(ctx, actions, form);
                  });
}

// "/reports/ID/accept" → {"ID", "accept"}: the id and what follows it under `prefix`.
std::pair<std::string, std::string> split_tail(const HttpRequest& req, std::string_view prefix) {
  const std::string rest = req.path.substr(prefix.size());
  const std::size_t slash = rest.find('/');
  return {rest.substr(0, slash), slash == std::string::npos ? "" : rest.substr(slash + 1)};
}

}  // namespace

void register_request_routes(Routes& routes, const std::shared_ptr<PortalState>& state) {
  routes.add("GET", "/requests", [state](const HttpRequest& req) {
    return serve(*state, req, [](auto& ctx, auto& actions, const auto&) {
      return portal::request_list_page(ctx, actions);
    });
  });
  routes.add("GET", "/notifications", [state](const HttpRequest& req) {
    return serve(*state, req, [](auto& ctx, auto& actions, const auto&) {
      return portal::notifications_page(ctx, actions);
    });
  });
  for (const char* method : {"GET", "POST"})
    routes.add(method, "/requests/*", [state](const HttpRequest& req) {
      // Named copies: clang 14 cannot capture structured bindings in the lambda below.
      const auto parts = split_tail(req, "/requests/");
      const std::string id = parts.first, what = parts.second;
      const bool post = req.method == "POST";
      return serve(*state, req, [&](auto& ctx, auto& actions, const portal::Params& form) {
        if (id == "new" && what.empty())
          return portal::request_new_page(ctx, actions, post ? &form : nullptr);
        if (!post && what.empty()) return portal::request_page(ctx, actions, id);
        if (post && !what.empty()) return portal::request_form_post(ctx, actions, id, what, form);
        return portal::error_page(ctx, 404, "Page not found");
      });
    });
  for (const char* method : {"GET", "POST"})
    routes.add(method, "/reports/*", [state](const HttpRequest& req) {
      // Named copies: clang 14 cannot capture structured bindings in the lambda below.
      const auto parts = split_tail(req, "/reports/");
      const std::string id = parts.first, what = parts.second;
      const bool post = req.method == "POST";
      return serve(*state, req, [&](auto& ctx, auto& actions, const portal::Params& form) {
        if (id == "new" && what.empty())
          return portal::report_new_page(ctx, actions, post ? &form : nullptr);
        if (!post && what.empty()) return portal::report_page(ctx, actions, id);
        if (post && !what.empty()) return portal::report_form_post(ctx, actions, id, what, form);
        return portal::error_page(ctx, 404, "Page not found");
      });
    });
}

}  // namespace datamap::api

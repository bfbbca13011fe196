// The console's HTTP side: turns the session cookie into a Caller, signs in and out, and refuses
// any POST that lacks the right CSRF field or comes from another site, before a page runs.
// Contracts: api/console_session.h (sessions, cookies, CSRF), api/portal/console.h (pages).
#include <memory>

#include "api/auth.h"
#include "api/config.h"
#include "api/console_session.h"
#include "api/portal/console.h"
#include "api/portal/console_kit.h"
#include "api/portal_http.h"
#include "api/routes.h"
#include "catalog/errors.h"
#include "catalog/ids.h"
#include "catalog/text.h"

namespace datamap::api {
namespace {

const ConsoleConfig& console_config(const PortalState& state) {
  static const ConsoleConfig kDefaults;
  return state.services.config ? state.services.config->console : kDefaults;
}

portal::ConsoleRequest parse(const HttpRequest& req) {
  portal::ConsoleRequest creq;
  creq.method = req.method == "POST" ? "POST" : "GET";
  creq.subpath = req.path.substr(std::string_view("/console").size());
  if (creq.method == "POST") {
    std::string type = catalog::to_lower_ascii(req.header("content-type").value_or(""));
    if (type.rfind("application/x-www-form-urlencoded", 0) == 0) {
      if (auto form = parse_urlencoded(req.body)) creq.form = std::move(*form);
    } else if (type.rfind("multipart/form-data", 0) == 0) {
      // The upload form; a malformed body is the API's 400 (api/multipart.h names the problem).
      MultipartForm form = parse_multipart(req.header("content-type").value_or(""), req.body);
      creq.form = std::move(form.fields);
      for (auto& f : form.files)
        if (f.field == "upload") creq.upload = std::move(f);
    }
    for (auto& [k, v] : creq.form)
      if (!catalog::is_valid_utf8(v)) v.clear();
  }
  return creq;
}

HttpResponse see_other(const std::string& location, const std::string& cookie) {
  HttpResponse r;
  r.status = 303;
  r.headers = {{"Location", location}, {"Cache-Control", "no-store"}};
  if (!cookie.empty()) r.headers.emplace_back("Set-Cookie", cookie);
  r.content_type = "text/plain; charset=utf-8";
  return r;
}

HttpResponse refuse(const PortalState& state, const HttpRequest& req) {
  return run_page(state, req, Caller{}, [](auto& ctx, auto&) { return portal::form_refused(ctx); });
}

// The sign-in page, with the login CSRF field bound to this browser's login cookie (set here
// when it has none). Pistache sends one Set-Cookie per response, so the stale session cookie of
// a signed-out browser is left alone: it is worthless anyway.
HttpResponse sign_in_page(const PortalState& state, const HttpRequest& req,
                          const ConsoleTransport& t, portal::ConsoleRequest creq) {
  std::string nonce = request_cookie(req, login_cookie_name(t.secure));
  std::string cookie;
  if (nonce.empty()) {
    nonce = new_login_nonce();
    cookie = set_cookie(login_cookie_name(t.secure), nonce, kLoginCookieSeconds, t.secure);
  }
  creq.signed_in = false;
  HttpResponse r =
      run_page(state, req, Caller{}, [&](portal::PageContext& ctx, portal::ActionClient& actions) {
        ctx.csrf_token = login_csrf(nonce);
        return portal::console_page(ctx, actions, creq);
      });
  if (!cookie.empty())
    r.headers.insert(r.headers.begin(), std::pair<std::string, std::string>("Set-Cookie", cookie));
  return r;
}

HttpResponse sign_in(const PortalState& state, const HttpRequest& req, const ConsoleTransport& t,
                     portal::ConsoleRequest creq, const std::string& old_session) {
  const ConsoleConfig& config = console_config(state);
  std::string nonce = request_cookie(req, login_cookie_name(t.secure));
  creq.method = "GET";
  creq.subpath.clear();
  // Login CSRF: without the field of this browser's own sign-in page, another site could sign
  // the browser in to the attacker's account.
  if (nonce.empty() || !csrf_matches(portal::form_value(creq.form, "csrf"), login_csrf(nonce))) {
    creq.sign_in_error = "The sign-in form has expired. Please enter the token again.";
    return sign_in_page(state, req, t, creq);
  }
  std::string token(catalog::trim(portal::form_value(creq.form, "token")));
  std::optional<catalog::User> user;
  if (!token.empty()) user = state.services.store->user_for_token(catalog::sha256_hex(token));
  if (!user || user->state != "active") {
    creq.sign_in_error = token.empty() ? "API token is required"
                                       : "This API token is not valid (unknown or revoked).";
    return sign_in_page(state, req, t, creq);
  }
  ConsoleSessions sessions(*state.services.store, config);
  sessions.close(old_session);  // one browser, one session: the previous one ends here
  std::string id = sessions.open(*user, token_id_for(token));
  // Post/redirect/get: the dashboard loads fresh, and reloading does not resend the token.
  return see_other("/console", set_cookie(session_cookie_name(t.secure), id,
                                          config.session_max_seconds, t.secure));
}

HttpResponse console_response(const PortalState& state, const HttpRequest& req) {
  const ConsoleConfig& config = console_config(state);
  const ConsoleTransport t = console_transport(req, config);
  portal::ConsoleRequest creq = parse(req);
  const bool post = creq.method == "POST";
  if (post && !same_origin(req, t)) return refuse(state, req);

  ConsoleSessions sessions(*state.services.store, config);
  const std::string session_id = request_cookie(req, session_cookie_name(t.secure));
  std::optional<catalog::User> user = sessions.resolve(session_id);

  if (post && creq.subpath == "/login")
    return sign_in(state, req, t, std::move(creq), user ? session_id : "");
  if (!user) return sign_in_page(state, req, t, std::move(creq));

  const std::string csrf = session_csrf(session_id);
  if (post && !csrf_matches(portal::form_value(creq.form, "csrf"), csrf)) return refuse(state, req);
  if (post && creq.subpath == "/logout") {
    sessions.close(session_id);
    return see_other("/console", set_cookie(session_cookie_name(t.secure), "", 0, t.secure));
  }
  Caller caller;
  caller.user = std::move(user);
  creq.signed_in = true;
  return run_page(state, req, std::move(caller),
                  [&](portal::PageContext& ctx, portal::ActionClient& actions) {
                    ctx.csrf_token = csrf;
                    return portal::console_page(ctx, actions, creq);
                  });
}

// Before sessions, the cookie `datamap_console` (Path=/console) held the raw API token. A browser
// that still has one is told to drop it, whenever the response sets no other cookie (Pistache
// sends only one Set-Cookie per response): the next console page does it.
HttpResponse console(const PortalState& state, const HttpRequest& req) {
  HttpResponse r = console_response(state, req);
  if (request_cookie(req, "datamap_console").empty()) return r;
  for (const auto& [name, value] : r.headers)
    if (name == "Set-Cookie") return r;
  r.headers.emplace_back("Set-Cookie",
                         "datamap_console=; Path=/console; Max-Age=0; HttpOnly; SameSite=Strict");
  return r;
}

}  // namespace

void register_console_routes(Routes& routes, const std::shared_ptr<PortalState>& state) {
  for (const char* path : {"/console", "/console/*"}) {
    routes.add("GET", path, [state](const HttpRequest& req) { return console(*state, req); });
    routes.add("POST", path, [state](const HttpRequest& req) { return console(*state, req); });
  }
}

}  // namespace datamap::api

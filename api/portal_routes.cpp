// The portal's HTTP routes: turns HttpRequests into PageContexts, runs the pages of api/portal/
// with the right Caller, and turns their typed errors into HTML error pages (the API's routes
// answer JSON envelopes instead). Static assets are served from memory with caching headers.
// The console's routes are in api/console_routes.cpp.
#include <spdlog/spdlog.h>

#include <memory>

#include "api/config.h"
#include "api/portal/pages.h"
#include "api/portal/static_files.h"
#include "api/portal_http.h"
#include "api/routes.h"
#include "catalog/database_unavailable.h"

namespace datamap::api {
namespace {

using portal::PortalResponse;

HttpResponse to_http(PortalResponse r) {
  HttpResponse out;
  out.status = r.status;
  out.content_type = std::move(r.content_type);
  out.headers = std::move(r.headers);
  out.body = std::move(r.body);
  return out;
}

portal::PageContext make_context(const PortalState& state, const HttpRequest& req, std::vector<std::pair<std::string, std::string>>& extra_headers) {
  portal::PageContext ctx;
  std::string lang = req.query_param("lang").value_or("");
  if (lang == "en" || lang == "ko") {
    extra_headers.emplace_back("Set-Cookie", "lang=" + lang + "; Path=/; Max-Age=31536000; SameSite=Lax");
  } else {
    lang = request_cookie(req, "lang");
  }
  ctx.lang = lang == "en" ? portal::Lang::en : portal::Lang::ko;
  ctx.path = req.path;
  ctx.query = req.query;
  if (state.services.config) {
    ctx.site_title = state.services.config->site.title;
    ctx.map_tiles_url = state.services.config->site.map_tiles_url;
  }
  ctx.base_url = "http://" + req.header("host").value_or("localhost");
  ctx.assets = &state.assets;
  return ctx;
}

}  // namespace

// An anonymous visitor is charged to its address's rate limit first (over it: the 429 envelope).
HttpResponse run_page(const PortalState& state, const HttpRequest& req, Caller caller,
                      const PageFn& fn, Cost cost) {
  if (!caller.user) charge_anonymous(state.services, req, cost);
  std::vector<std::pair<std::string, std::string>> extra;
  portal::PageContext ctx = make_context(state, req, extra);
  if (caller.user) ctx.user_name = caller.user->name;
  ActionContext action_ctx{state.services, std::move(caller)};
  action_ctx.base_url = public_base_url(state.services, req);
  portal::ActionClient actions(state.registry, action_ctx);
  PortalResponse r;
  try {
    r = fn(ctx, actions);
  } catch (const NotFound& e) {
    r = portal::error_page(ctx, 404, e.what());
  } catch (const NotAuthorized& e) {
    r = portal::error_page(ctx, 403, e.what());
  } catch (const ValidationError& e) {
    r = portal::error_page(ctx, 409, e.what());
  } catch (const BadRequest& e) {
    r = portal::error_page(ctx, 400, e.what());
  } catch (const DatabaseUnavailable& e) {
    spdlog::warn("portal {}: {}", req.path, e.what());
    r = portal::error_page(ctx, 503, DatabaseUnavailable::kMessage);
    r.headers.emplace_back("Retry-After", std::to_string(e.retry_after()));
  } catch (const ServiceUnavailable& e) {
    r = portal::error_page(ctx, 503, e.what());
    r.headers.emplace_back("Retry-After", std::to_string(e.retry_after()));
  } catch (const std::exception& e) {
    spdlog::error("portal {}: {}", req.path, e.what());
    r = portal::error_page(ctx, 500, "");
  }
  for (auto& h : extra) r.headers.push_back(std::move(h));
  bool has_cache_control = false;
  for (const auto& [k, v] : r.headers) has_cache_control = has_cache_control || k == "Cache-Control";
  if (!has_cache_control) r.headers.emplace_back("Cache-Control", "no-cache");
  r.headers.emplace_back("Vary", "Cookie");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Referrer-Policy", "same-origin");
  return to_http(std::move(r));
}

namespace {

HttpResponse serve_static(const PortalState& state, const HttpRequest& req) {
  std::string rel = req.path.substr(std::string_view("/static/").size());
  const portal::StaticFile* f = rel.find("..") == std::string::npos ? state.assets.find(rel) : nullptr;
  HttpResponse r;
  if (!f) {
    r.status = 404;
    r.content_type = "text/plain; charset=utf-8";
    r.body = "not found\n";
    return r;
  }
  std::string etag = "\"" + f->version + "\"";
  bool versioned = req.query_param("v").value_or("") == f->version;
  r.headers.emplace_back("ETag", etag);
  r.headers.emplace_back("Cache-Control", versioned ? "public, max-age=31536000, immutable" : "public, max-age=300");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (req.header("if-none-match").value_or("") == etag) {
    r.status = 304;
    r.content_type.clear();
    return r;
  }
  r.content_type = f->content_type;
  r.body = f->body;
  return r;
}

// Everything after a route's prefix, e.g. "/dataset/abc" → "abc".
std::string tail(const HttpRequest& req, std::string_view prefix) { return req.path.substr(prefix.size()); }

}  // namespace

void register_portal_routes(Routes& routes, Services& services, const Registry& registry) {
  auto state = std::make_shared<PortalState>(PortalState{services, registry, portal::StaticFiles(portal::default_web_root())});
  if (state->assets.size() == 0)
    spdlog::warn("portal: no static files found at {} (CSS and the map will be missing)", portal::default_web_root());
  auto page = [state](auto fn, Cost cost = Cost::normal) {
    return [state, fn, cost](const HttpRequest& req) {
      return run_page(*state, req, Caller{}, fn, cost);
    };
  };
  routes.add("GET", "/", page([](auto& ctx, auto& actions) { return portal::home_page(ctx, actions); }));
  routes.add("GET", "/dataset",
             page([](auto& ctx, auto& actions) { return portal::search_page(ctx, actions); },
                  Cost::expensive));
  routes.add("GET", "/dataset/*", [state](const HttpRequest& req) {
    std::string name = tail(req, "/dataset/");
    return run_page(*state, req, Caller{}, [&](auto& ctx, auto& actions) { return portal::dataset_page(ctx, actions, name); });
  });
  routes.add("GET", "/organization", page([](auto& ctx, auto& actions) { return portal::organization_list_page(ctx, actions); }));
  routes.add("GET", "/organization/*", [state](const HttpRequest& req) {
    std::string name = tail(req, "/organization/");
    constexpr std::string_view kQuality = "/quality";
    if (name.ends_with(kQuality)) {
      name.resize(name.size() - kQuality.size());
      return run_page(
          *state, req, Caller{},
          [&](auto& ctx, auto& actions) {
            return portal::organization_quality_page(ctx, actions, name);
          },
          Cost::expensive);
    }
    return run_page(*state, req, Caller{}, [&](auto& ctx, auto& actions) { return portal::organization_page(ctx, actions, name); });
  });
  routes.add(
      "GET", "/quality",
      page([](auto& ctx, auto& actions) { return portal::quality_overview_page(ctx, actions); },
           Cost::expensive));
  routes.add("GET", "/group", page([](auto& ctx, auto& actions) { return portal::group_list_page(ctx, actions); }));
  routes.add("GET", "/group/*", [state](const HttpRequest& req) {
    std::string name = tail(req, "/group/");
    return run_page(*state, req, Caller{}, [&](auto& ctx, auto& actions) { return portal::group_page(ctx, actions, name); });
  });
  routes.add("GET", "/map", page([](auto& ctx, auto&) { return portal::map_page(ctx); }));
  routes.add("GET", "/join",
             page([](auto& ctx, auto& actions) { return portal::join_preview_page(ctx, actions); },
                  Cost::expensive));
  register_console_routes(routes, state);
  register_request_routes(routes, state);
  routes.add("GET", "/static/*", [state](const HttpRequest& req) { return serve_static(*state, req); });
}

}  // namespace datamap::api

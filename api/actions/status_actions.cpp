// status_show and help_show: what the server is and what each action does.
#include <algorithm>
#include <optional>

#include "api/actions/support.h"
#include "api/config.h"
#include "api/map_export_cache.h"
#include "api/params.h"
#include "api/shared_limits.h"
#include "catalog/errors.h"
#include "graph/service.h"
#include "search/service.h"

namespace datamap::api {

void write_link_counts(ActionContext& ctx, rapidjson::Value& out, Alloc& a);  // link_actions.cpp

namespace {

using rapidjson::Document;
using rapidjson::Value;

void status_show(ActionContext& ctx, const Value&, Document& result) {
  auto& a = result.GetAllocator();
  result.SetObject();
  const Config* config = ctx.services.config;
  result.AddMember("site_title", json_string(config ? config->site.title : "datamap", a), a);
  result.AddMember("site_description",
                   json_string(config ? config->site.description : "", a), a);
  result.AddMember("ckan_version", "2.10.0", a);  // the API level we follow, for CKAN clients
  result.AddMember("datamap_version", "0.1.0", a);
  result.AddMember("api_version", 3, a);
  result.AddMember("locale_default", "ko", a);
  result.AddMember("revision", Value(ctx.services.store->head_revision()), a);
  // How far the derived data has followed the change log: a client that wrote at revision N
  // (or a test after a crash) waits until these reach N to see its write in search and the map.
  std::optional<std::int64_t> search_applied;
  if (ctx.services.search) {
    // Remote search shards that cannot be reached (docs/DEPLOY.md) leave the revision out: the
    // status still answers, and package_search says what is wrong (503).
    try {
      search_applied = ctx.services.search->applied_revision();
    } catch (const ServiceUnavailable&) {
    }
  }
  if (search_applied) {
    const std::int64_t applied = *search_applied;
    result.AddMember("search_revision", Value(applied), a);
    // Changes the index has still to apply: the portal says results may be incomplete while
    // this is large (an index catching up with a big import).
    result.AddMember("search_pending_changes",
                     Value(std::max<std::int64_t>(0, ctx.services.store->head_revision() - applied)),
                     a);
  }
  if (ctx.services.map)
    result.AddMember("map_revision", Value(ctx.services.map->status().applied_revision), a);
  Value features(rapidjson::kArrayType);
  if (ctx.services.search) features.PushBack("search", a);
  if (ctx.services.map) features.PushBack("map", a);
  if (ctx.services.harvest) features.PushBack("harvest", a);
  if (ctx.services.link_checker) features.PushBack("links", a);
  result.AddMember("extensions", features, a);
  if (ctx.services.map_exports)
    result.AddMember("map_exports_built", Value(ctx.services.map_exports->builds()), a);
  if (ctx.services.rate_limits)
    result.AddMember("rate_limited_clients",
                     Value(std::uint64_t(ctx.services.rate_limits->tracked_clients())), a);
  if (ctx.services.limit_exchange)
    result.AddMember("limit_exchanges", Value(ctx.services.limit_exchange->exchanges()), a);
  if (ctx.services.links) {
    Value links;
    write_link_counts(ctx, links, a);
    result.AddMember("links", links, a);
  }
}

void help_show(ActionContext& ctx, const Value& params, Document& result) {
  std::string name = need_string(params, "name");
  const Registry* registry = ctx.services.registry;
  const Action* action = registry ? registry->find(name) : nullptr;
  if (!action) throw NotFound("Action not found: " + name.substr(0, 100));
  result.SetString(action->help.c_str(), static_cast<rapidjson::SizeType>(action->help.size()),
                   result.GetAllocator());
}

}  // namespace

void register_status_actions(Registry& r) {
  r.add({"status_show", status_show, false,
         "What this server is: site title, API and software versions, catalog revision."});
  r.add({"help_show", help_show, false, "The documentation of action `name`."});
}

}  // namespace datamap::api

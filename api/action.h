// The one action layer (CKAN's logic/action model): every operation is a named action over a
// validated input dict. The HTTP API, the CLI and the portal all call actions through this
// registry, so they cannot drift. Actions raise the typed errors of catalog/errors.h; the server
// maps them to CKAN's envelope in one place.
//
// Adding actions: write api/actions/<area>_actions.cpp with a `register_<area>_actions(Registry&)`
// and call it from register_all_actions() in api/actions/all.cpp.
#pragma once

#include <rapidjson/document.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "api/rate_limit.h"
#include "catalog/model.h"
#include "catalog/store.h"
#include "catalog/visibility.h"

namespace datamap::search {
class SearchService;
class RequestIndex;
}
namespace datamap::graph {
class MapService;
}
namespace datamap::harvest {
class HarvestService;
}
namespace datamap::datastore {
class FileStore;
class LoadQueue;
class TableStore;
}  // namespace datamap::datastore
namespace datamap::catalog {
class LinkRecords;
class DemandRecords;
class QualityHistory;
class Outbox;
}  // namespace datamap::catalog
namespace datamap::quality {
class LinkChecker;
}

namespace datamap::api {

struct Config;
class Registry;
class QuotaTracker;
class LimitExchange;
class MapExportCache;
class WriteLimiter;
class Mailer;

// What actions work with. Pointers a deployment has not started (e.g. no harvester) are null,
// and actions that need them answer 400 "not enabled" rather than crash.
struct Services {
  catalog::Store* store = nullptr;
  search::SearchService* search = nullptr;
  graph::MapService* map = nullptr;
  harvest::HarvestService* harvest = nullptr;
  const Config* config = nullptr;
  const Registry* registry = nullptr;  // the actions themselves (help_show lists them)
  QuotaTracker* quotas = nullptr;      // per-token request quotas (api/quota.h); null: unlimited
  RateLimiter* rate_limits = nullptr;  // anonymous callers, per address (api/rate_limit.h)
  // On a PostgreSQL catalog: shares the two above with the other nodes (api/shared_limits.h).
  LimitExchange* limit_exchange = nullptr;
  MapExportCache* map_exports = nullptr;  // the whole-map export per snapshot; null: uncached
  datastore::FileStore* files = nullptr;  // uploaded files; null: uploads answer 400
  datastore::TableStore* tables = nullptr;  // the DataStore's tables (datastore_* actions)
  datastore::LoadQueue* loads = nullptr;  // uploads loaded into the DataStore; null: not loaded
  // Called once a resource's uploaded file is committed in the catalog (resource_create /
  // update / patch with an upload), from the request's thread: the load queue hooks here.
  std::function<void(const catalog::Resource& resource, const std::string& file_path)>
      on_resource_file;
  catalog::LinkRecords* links = nullptr;  // link-check results (catalog/link_checks.h)
  quality::LinkChecker* link_checker = nullptr;  // null: not checking ([links] enabled)
  // Data requests, error reports, the notification outbox (catalog/demand.h); null: the
  // datarequest_* and issue_report_* actions answer 400 "not enabled".
  catalog::DemandRecords* demand = nullptr;
  // Data requests as the search analyses them (search/request_index.h); null: datarequest_search
  // with `q` and datarequest_similar answer 400 "not enabled".
  search::RequestIndex* request_index = nullptr;
  WriteLimiter* demand_writes = nullptr;  // per-user write rate (api/write_limiter.h); null: none
  catalog::QualityHistory* quality_history = nullptr;  // daily scoreboard snapshots; null: none
  catalog::Outbox* outbox = nullptr;  // the outbox's e-mail delivery state; null: not shown
  Mailer* mailer = nullptr;           // sends queued e-mail ([requests] smtp_url); null: off
};

struct MultipartFile;

// Who is calling: no user means anonymous.
struct Caller {
  std::optional<catalog::User> user;

  bool sysadmin() const { return user && user->sysadmin; }
  // "admin" | "editor" | "member" | "" (none); sysadmins are not given a role here.
  std::string role_in(std::string_view organization_id) const;
  bool can_read_org(std::string_view organization_id) const;   // member or above, or sysadmin
  // Which private datasets the caller may read (catalog/visibility.h: the one rule).
  catalog::Visibility visibility() const;
  bool can_edit_org(std::string_view organization_id) const;   // editor or above, or sysadmin
  bool can_admin_org(std::string_view organization_id) const;  // admin, or sysadmin
  // Whether the caller may change dataset `d`: an editor or admin of its organization, a
  // collaborator on it with capacity "editor" (CKAN's dataset collaborators), or a sysadmin.
  bool can_edit_dataset(const catalog::Dataset& d) const;
};

struct ActionContext {
  Services& services;
  Caller caller;
  // The HTTP layer sets accepts_serialized: an action may then answer with JSON it serialized
  // before (a cached export) in `serialized` instead of filling `result`. Other callers (CLI,
  // portal) leave it false and always get `result`.
  bool accepts_serialized = false;
  std::shared_ptr<const std::string> serialized = nullptr;
  // The `upload` file part of a multipart request (api/multipart.h), when there is one; only
  // the resource actions take it.
  const MultipartFile* upload = nullptr;
  // The site's address as the request reached it (api/routes.h public_base_url), for the URLs
  // actions mint (an upload's download URL); "" outside HTTP: [site] base_url is used then.
  std::string base_url{};
};

// Input: a JSON object. From a GET query string or a form every value arrives as a string;
// actions use the params.h helpers, which accept "10" where an integer is expected, as CKAN does.
// Output: the action sets `result` (the envelope's "result"), using result.GetAllocator().
using ActionFn =
    std::function<void(ActionContext&, const rapidjson::Value& params, rapidjson::Document& result)>;

struct Action {
  std::string name;
  ActionFn fn;
  bool mutates = false;  // writes require POST (405 on GET) and are never cached
  std::string help;      // one paragraph, served by help_show
  // Expensive actions (search, map queries, exports) also draw on the anonymous caller's
  // smaller bucket of expensive requests (api/rate_limit.h).
  Cost cost = Cost::normal;
};

class Registry {
 public:
  void add(Action action);
  const Action* find(std::string_view name) const;
  const std::map<std::string, Action, std::less<>>& all() const { return actions_; }

 private:
  std::map<std::string, Action, std::less<>> actions_;
};

// What resource_delete does beyond the catalog, for anyone removing a resource: drops the
// resource's reference to its uploaded file (the file goes with the last one) and its
// DataStore table (Services::tables).
void delete_resource_data(Services& services, const catalog::Resource& resource);

// Registers every action of the product.
void register_all_actions(Registry& registry);

// Calls an action directly (the CLI and the portal do this; the HTTP server too).
void call_action(const Registry& registry, ActionContext& ctx, std::string_view name,
                 const rapidjson::Value& params, rapidjson::Document& result);

}  // namespace datamap::api

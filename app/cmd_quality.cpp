// `datamap quality snapshot [--data DIR] [--catalog URL] [--config FILE] [--date YYYY-MM-DD]`:
// records the scoreboard's snapshot of the day (catalog/quality_history.h) through the
// quality_snapshot action, as the site's own sysadmin, and prints the national figures. Safe
// while a server runs on the same DIR: a day has one snapshot, the last one taken.
#include <cstdio>
#include <iostream>
#include <memory>

#include "api/action.h"
#include "api/json.h"
#include "app/commands.h"
#include "app/data_dir.h"
#include "catalog/quality_history.h"

namespace datamap::app {
namespace {

struct SnapshotOptions {
  CatalogOptions where;  // --data, --catalog, --config
  std::string date;
};

int snapshot(const SnapshotOptions& o) {
  const api::Config config = load_config(o.where);
  auto store = open_catalog(config);
  // Where the catalog is: on PostgreSQL, the one history every node shows.
  auto history = open_quality_history(config);
  api::Registry registry;
  api::register_all_actions(registry);
  api::Services services;
  services.store = store.get();
  services.registry = &registry;
  services.quality_history = history.get();
  catalog::User site;
  site.id = "site";
  site.name = "site";
  site.sysadmin = true;
  api::ActionContext ctx{services, api::Caller{site}};
  rapidjson::Document params(rapidjson::kObjectType), result;
  if (!o.date.empty())
    params.AddMember("date", api::json_string(o.date, params.GetAllocator()),
                     params.GetAllocator());
  api::call_action(registry, ctx, "quality_snapshot", params, result);
  char line[200];
  std::snprintf(line, sizeof line,
                "quality snapshot of %s: %lld agencies, %lld datasets, mean score %.1f%%, "
                "%lld broken links, %lld of %lld checked values invalid\n",
                result["date"].GetString(), static_cast<long long>(result["agencies"].GetInt64()),
                static_cast<long long>(result["datasets"].GetInt64()),
                result["mean_percent"].GetDouble(),
                static_cast<long long>(result["broken_links"].GetInt64()),
                static_cast<long long>(result["invalid_values"].GetInt64()),
                static_cast<long long>(result["checked_values"].GetInt64()));
  std::cout << line;
  return 0;
}

}  // namespace

void add_quality_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("quality", "Metadata quality: the scoreboard's daily history");
  cmd->require_subcommand(1);
  auto* snap = cmd->add_subcommand(
      "snapshot", "Record the scoreboard's snapshot of the day now (replacing that day's)");
  auto o = std::make_shared<SnapshotOptions>();
  add_catalog_options(snap, o->where);
  snap->add_option("--date", o->date, "the day, YYYY-MM-DD, not after today (default today)");
  snap->callback([o] { exit_code = snapshot(*o); });
}

}  // namespace datamap::app

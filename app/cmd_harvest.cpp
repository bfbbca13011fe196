// `datamap harvest run URL_OR_SOURCE [--type TYPE]`: one harvest job now, in this process, with
// a progress bar on a terminal and the job's report at the end. A URL that is no registered
// source becomes one through harvest_source_create (owned by no agency, created by the site's
// sysadmin; reused on the next run of the same URL and type).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

#include "api/config.h"
#include "api/json.h"
#include "app/commands.h"
#include "app/data_dir.h"
#include "app/harvest_wiring.h"
#include "app/site_actions.h"
#include "catalog/errors.h"
#include "catalog/harvest_records.h"
#include "harvest/service.h"
#include "harvest/sources/source_type.h"
#include "net/url.h"

namespace datamap::app {
namespace {

struct HarvestRunOptions {
  std::string target, type, name;
  CatalogOptions where;  // --data, --catalog, --config
  std::vector<std::string> allow_hosts;
};

std::string text(const rapidjson::Value& v, const char* key) {
  auto it = v.FindMember(key);
  return it != v.MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
}

// The source to run, through the harvest actions (the rules of the API: name, frequency and
// config validation, the creator recorded): a registered source by id or name, else the active
// source of this URL and type, else a new one created by harvest_source_create.
std::string find_or_create_source(SiteActions& site, const HarvestRunOptions& o) {
  try {
    auto s = site.call("harvest_source_show", action_params({{"id", o.target}}));
    if (!o.type.empty() && o.type != text(s, "source_type"))
      throw std::runtime_error("source " + text(s, "name") + " is of type " +
                               text(s, "source_type") + ", not " + o.type);
    return text(s, "id");
  } catch (const NotFound&) {
  }
  if (!net::parse_http_url(o.target))
    throw std::runtime_error("\"" + o.target + "\" is neither a harvest source nor an http(s) URL");
  std::string type = o.type.empty() ? harvest::guess_source_type(o.target) : o.type;
  auto sources = site.call("harvest_source_list", rapidjson::Value(rapidjson::kObjectType));
  for (const auto& s : sources.GetArray())
    if (text(s, "url") == o.target && text(s, "source_type") == type) return text(s, "id");
  auto params = action_params({{"url", o.target}, {"source_type", type}, {"title", o.target}});
  if (!o.name.empty())
    params.AddMember("name", api::json_string(o.name, params.GetAllocator()),
                     params.GetAllocator());
  return text(site.call("harvest_source_create", params), "id");
}

class ProgressBar {
 public:
  ProgressBar() : enabled_(::isatty(STDERR_FILENO) == 1) {}
  void update(const harvest::JobProgress& p) {
    if (!enabled_) return;
    auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    constexpr int kWidth = 30;
    int filled = p.total > 0 ? static_cast<int>(kWidth * std::min(1.0, double(p.done) / double(p.total))) : 0;
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(kWidth, p.total > 0 ? '.' : ' ');
    std::fprintf(stderr, "\r[%s] %lld records  added %lld  updated %lld  unchanged %lld  errored %lld ",
                 bar.c_str(), static_cast<long long>(p.added + p.updated + p.unchanged + p.errored),
                 static_cast<long long>(p.added), static_cast<long long>(p.updated),
                 static_cast<long long>(p.unchanged), static_cast<long long>(p.errored));
    drawn_ = true;
  }
  void finish() {
    if (drawn_) std::fprintf(stderr, "\n");
  }

 private:
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_{};
};

int run(const HarvestRunOptions& o) {
  api::Config config = load_config(o.where);
  for (const auto& h : o.allow_hosts) config.harvest.allow_hosts.push_back(h);
  auto store = open_catalog(config);
  auto records = open_harvest_records(config);
  harvest::HarvestService service(*store, *records, harvest_settings(config));
  SiteActions site(*store);
  site.services().harvest = &service;
  site.services().config = &config;
  auto source = *records->source(find_or_create_source(site, o));

  std::cout << "harvesting " << source.name << " (" << source.type << " " << source.url << ")"
            << std::endl;
  ProgressBar bar;
  auto started = std::chrono::steady_clock::now();
  catalog::HarvestJob job =
      service.run_now(source.id, [&](const harvest::JobProgress& p) { bar.update(p); });
  bar.finish();
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  std::cout << "job " << job.id << ": " << job.status << (job.not_modified ? " (not modified: 304)" : "")
            << "\n  added " << job.added << ", updated " << job.updated << ", not modified "
            << job.unchanged << ", deleted " << job.deleted << ", errored " << job.errored << "\n";
  char rate[96];
  std::snprintf(rate, sizeof rate, "  %lld records in %.1f s (%.0f records/s)\n",
                static_cast<long long>(job.gathered), seconds,
                seconds > 0 ? double(job.gathered) / seconds : 0.0);
  std::cout << rate;
  if (!job.error.empty()) std::cout << "  error: " << job.error << "\n";
  auto errors = records->objects(job.id, "ERROR", 0, 20);
  if (!errors.empty()) {
    std::cout << "  errored records (first " << errors.size() << "):\n";
    for (const auto& e : errors)
      std::cout << "    " << (e.remote_id.empty() ? "(no identifier)" : e.remote_id) << ": "
                << e.error << "\n";
  }
  return job.status == "Finished" ? 0 : 1;
}

}  // namespace

void add_harvest_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("harvest", "Harvest remote catalogs (CKAN, DCAT, data.json, data.go.kr)");
  cmd->require_subcommand(1);
  auto* run_cmd = cmd->add_subcommand("run", "Run one harvest job now and print its report");
  auto o = std::make_shared<HarvestRunOptions>();
  run_cmd->add_option("source", o->target, "a harvest source id or name, or a catalog URL")
      ->required();
  run_cmd->add_option("--type", o->type, "source type for a URL: ckan, dcat, datajson, datago");
  run_cmd->add_option("--name", o->name, "name of the source created for a new URL");
  add_catalog_options(run_cmd, o->where);
  run_cmd->add_option("--allow-host", o->allow_hosts,
                      "allow this internal host or address (added to harvest.allow_hosts)");
  run_cmd->callback([o] {
    try {
      exit_code = run(*o);
    } catch (const std::exception& e) {
      std::cerr << "datamap harvest: " << describe_error(e) << "\n";
      exit_code = 1;
    }
  });
}

}  // namespace datamap::app

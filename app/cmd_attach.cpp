// `datamap attach [--data DIR] DATASET FILE [--name NAME]`: uploads FILE as a resource of
// DATASET (id, name or 목록키) through the same resource actions as the API, as the site's own
// sysadmin, then loads it into the DataStore on this thread with progress, and prints the job's
// outcome. The resource's id is stable (derived from the dataset and the name). Attaching again
// under the same resource name replaces that resource's file; the same bytes are not loaded twice.
// For the demo and for agencies' scripts.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "api/action.h"
#include "api/actions/datastore_load.h"
#include "api/config.h"
#include "api/json.h"
#include "api/multipart.h"
#include "api/resolve.h"
#include "app/commands.h"
#include "app/data_dir.h"
#include "app/datastore_wiring.h"
#include "app/progress_bar.h"
#include "app/site_actions.h"
#include "catalog/errors.h"
#include "catalog/ids.h"

namespace datamap::app {
namespace {

struct AttachOptions {
  std::string dataset, file, name, format;
  CatalogOptions where;  // --data, --catalog, --config
};

std::string read_whole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

int attach(const AttachOptions& o) {
  api::Config config = load_config(o.where);
  auto store = open_catalog(config);
  DataStoreParts datastore = open_datastore(*store, config);

  // The site's actions, without the load queue's hook: the load runs below, on this thread.
  SiteActions site(*store);
  api::Services& services = site.services();
  services.config = &config;
  services.files = datastore.files.get();
  services.tables = datastore.tables.get();
  auto dataset = api::resolve_dataset(*store, o.dataset);
  if (!dataset || dataset->state != "active")
    throw std::runtime_error("no dataset \"" + o.dataset + "\" (give its id, name or 목록키)");
  const std::string filename = std::filesystem::path(o.file).filename().string();
  const std::string name = o.name.empty() ? filename : o.name;
  const std::string bytes = read_whole(o.file);
  api::MultipartFile upload{"upload", filename, "", bytes};

  rapidjson::Document params(rapidjson::kObjectType);
  auto& a = params.GetAllocator();
  std::string action = "resource_create";
  for (const auto& r : dataset->resources)
    if (r.name == name) {
      action = "resource_update";
      params.AddMember("id", api::json_string(r.id, a), a);
    }
  if (action == "resource_create") {
    params.AddMember("package_id", api::json_string(dataset->id, a), a);
    // A stable id (from the dataset and the resource name): the demo's resources have the same
    // id on every machine, so a walk-through can name them.
    params.AddMember(
        "id", api::json_string(catalog::stable_id("datamap-attach", dataset->id + "/" + name), a),
        a);
  }
  params.AddMember("name", api::json_string(name, a), a);
  if (!o.format.empty()) params.AddMember("format", api::json_string(o.format, a), a);
  rapidjson::Document result = site.call(action, params, &upload);
  const std::string resource_id = result["id"].GetString();
  auto resource = store->resource(resource_id);
  auto request = resource ? api::load_request(services, *resource) : std::nullopt;
  std::cout << (action == "resource_create" ? "attached " : "replaced the file of ") << name
            << " to " << dataset->name << " as resource " << resource_id << std::endl;
  if (!request) {
    std::cout << "  not a tabular file (CSV, TSV, XLSX, XLS, JSON, ZIP): not loaded" << std::endl;
    return 0;
  }

  ProgressBar bar("load");
  const std::string asked = catalog::now_iso8601();
  auto started = std::chrono::steady_clock::now();
  datastore::LoadJob job = datastore.loads->run_now(*request, [&](const datastore::LoadJob& j) {
    bar.update(j.rows_done, j.total_rows, j.status == "complete" || j.status == "error");
  });
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (job.status == "complete" && job.finished < asked) {
    std::cout << "  already loaded: the same bytes as job " << job.id << " (" << job.rows_done
              << " rows)" << std::endl;
    return 0;
  }
  if (job.status == "complete") {
    auto info = datastore.tables->info(resource_id);
    char line[160];
    std::snprintf(line, sizeof line, "  loaded %lld rows x %zu columns in %.2f s (job %s)\n",
                  static_cast<long long>(job.rows_done), info ? info->fields.size() : 0, seconds,
                  job.id.c_str());
    std::cout << line;
    return 0;
  }
  std::cout << "  load failed: " << job.error;
  if (job.error_line > 0)
    std::cout << " (line " << job.error_line << ", column " << job.error_column << ")";
  std::cout << std::endl;
  return 1;
}

}  // namespace

void add_attach_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "attach", "Upload a data file as a resource of a dataset and load it into the DataStore");
  auto o = std::make_shared<AttachOptions>();
  cmd->add_option("dataset", o->dataset, "the dataset: id, name or 목록키")->required();
  cmd->add_option("file", o->file, "the file (CSV, TSV, XLSX, XLS, JSON, ZIP)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--name", o->name, "resource name (default: the file name)");
  cmd->add_option("--format", o->format, "resource format (default: from the file name)");
  add_catalog_options(cmd, o->where);
  cmd->callback([o] {
    try {
      exit_code = attach(*o);
    } catch (const ValidationError& e) {
      std::cerr << "datamap attach: " << e.what();
      for (const auto& [field, messages] : e.fields())
        for (const auto& m : messages) std::cerr << "\n  " << field << ": " << m;
      std::cerr << "\n";
      exit_code = 1;
    } catch (const std::exception& e) {
      std::cerr << "datamap attach: " << e.what() << "\n";
      exit_code = 1;
    }
  });
}

}  // namespace datamap::app

#include "app/datastore_wiring.h"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "datastore/pg_table_store.h"
#include "graph/service.h"

namespace datamap::app {

DataStoreParts open_datastore(catalog::Store& store, const api::Config& config) {
  namespace fs = std::filesystem;
  const fs::path dir = config.data.dir;
  fs::create_directories(dir / "tmp");
  DataStoreParts parts;
  // The DataStore follows the catalog: on PostgreSQL, every node serves the same tables, the
  // same uploaded files (DIR/files its cache) and one queue of load jobs.
  if (config.catalog.url.empty()) {
    parts.tables = datastore::open_sqlite_table_store((dir / "datastore.db").string());
    parts.files = std::make_unique<datastore::FileStore>((dir / "files").string());
    parts.jobs = datastore::open_sqlite_load_jobs((dir / "datastore_jobs.db").string());
  } else {
    parts.tables = datastore::open_pg_table_store(config.catalog.url);
    parts.files = std::make_unique<datastore::FileStore>(
        (dir / "files").string(), datastore::open_pg_shared_files(config.catalog.url));
    parts.jobs = datastore::open_pg_load_jobs(config.catalog.url);
  }
  try {
    parts.terms = catalog::StandardTermIndex::load(graph::default_terms_path());
  } catch (const std::exception& e) {
    // Loads still work; columns are then matched to no standard term.
    spdlog::warn("common standard terms not loaded: {}", e.what());
  }
  datastore::LoadOptions options;
  options.standard_terms = parts.terms.get();
  options.temp_dir = (dir / "tmp").string();
  options.near_within_m = config.data.near_within_meters;
  options.near_cache_bytes = static_cast<std::size_t>(config.data.near_cache_megabytes) << 20;
  parts.loads = std::make_unique<datastore::LoadQueue>(
      store, *parts.tables, *parts.jobs, options,
      datastore::LoadQueueSettings{config.data.load_lease_seconds, parts.files.get()});
  return parts;
}

}  // namespace datamap::app

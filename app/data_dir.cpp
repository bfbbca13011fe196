#include "app/data_dir.h"

#include <filesystem>
#include <stdexcept>

#include "catalog/postgres/pg_connection.h"
#include "catalog/postgres/pg_record_stores.h"
#include "catalog/request_limits.h"

namespace datamap::app {

std::string catalog_path(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "catalog.db").string();
}

std::unique_ptr<catalog::Store> open_catalog(const std::string& data_dir) {
  std::filesystem::create_directories(data_dir);
  return catalog::open_sqlite_store(catalog_path(data_dir));
}

std::unique_ptr<catalog::Store> open_catalog(const std::string& data_dir,
                                             const std::string& catalog) {
  if (catalog.empty()) return open_catalog(data_dir);
  if (!catalog::postgres::is_postgres_url(catalog))
    throw std::invalid_argument("--catalog (or [catalog] url) takes a postgresql:// URL");
  auto store = catalog::open_postgres_store(catalog);
  std::filesystem::create_directories(data_dir);  // the node's own index and map live there
  return store;
}

std::unique_ptr<catalog::Store> open_catalog(const api::Config& config) {
  return open_catalog(config.data.dir, config.catalog.url);
}

std::unique_ptr<catalog::DemandRecords> open_demand_records(const api::Config& config) {
  if (config.catalog.url.empty())
    return catalog::open_sqlite_demand_records(catalog_path(config.data.dir));
  return catalog::open_postgres_demand_records(config.catalog.url);
}

std::unique_ptr<catalog::Outbox> open_outbox(const api::Config& config) {
  if (config.catalog.url.empty()) return catalog::open_sqlite_outbox(catalog_path(config.data.dir));
  return catalog::open_postgres_outbox(config.catalog.url);
}

std::unique_ptr<catalog::LinkRecords> open_link_records(const api::Config& config) {
  if (config.catalog.url.empty())
    return catalog::open_sqlite_link_records(catalog_path(config.data.dir));
  return catalog::open_postgres_link_records(config.catalog.url);
}

std::unique_ptr<catalog::QualityHistory> open_quality_history(const api::Config& config) {
  if (config.catalog.url.empty())
    return catalog::open_sqlite_quality_history(catalog_path(config.data.dir));
  return catalog::open_postgres_quality_history(config.catalog.url);
}

std::unique_ptr<catalog::RequestLimitRecords> open_request_limits(const api::Config& config) {
  if (config.catalog.url.empty()) return nullptr;
  return catalog::open_postgres_request_limits(config.catalog.url);
}

std::unique_ptr<catalog::HarvestRecords> open_harvest_records(const api::Config& config) {
  if (config.catalog.url.empty())
    return catalog::open_sqlite_harvest_records(catalog_path(config.data.dir));
  return catalog::open_postgres_harvest_records(config.catalog.url);
}

void add_catalog_options(CLI::App* cmd, CatalogOptions& o) {
  cmd->add_option("--data", o.data_dir,
                  "data directory (default var/data): the SQLite catalog (DIR/catalog.db) and "
                  "this node's search index and map");
  cmd->add_option("--catalog", o.catalog,
                  "catalog on PostgreSQL (postgresql://user@host:port/db; default: [catalog] url "
                  "of --config, else DIR's SQLite catalog)");
  cmd->add_option("--config", o.config, "TOML configuration file (see config/datamap.toml)")
      ->check(CLI::ExistingFile);
}

api::Config load_config(const CatalogOptions& o) {
  api::Config config = o.config.empty() ? api::Config{} : api::load_config(o.config);
  if (!o.data_dir.empty()) config.data.dir = o.data_dir;
  if (!o.catalog.empty()) config.catalog.url = o.catalog;
  return config;
}

}  // namespace datamap::app

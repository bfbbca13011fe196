// Where a data directory keeps things, shared by every subcommand that takes --data DIR:
// DIR/catalog.db is the catalog (SQLite); derived data (search index, map) lives beside it. The
// catalog may instead be on PostgreSQL: --catalog URL, or [catalog] url in the config file.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "api/config.h"
#include "catalog/demand.h"
#include "catalog/harvest_records.h"
#include "catalog/link_checks.h"
#include "catalog/outbox.h"
#include "catalog/quality_history.h"
#include "catalog/request_limits.h"
#include "catalog/store.h"

namespace datamap::app {

inline constexpr const char* kDefaultDataDir = "var/data";

std::string catalog_path(const std::string& data_dir);  // DIR/catalog.db
// Creates DIR if needed and opens (creating, migrating) its catalog.
std::unique_ptr<catalog::Store> open_catalog(const std::string& data_dir);
// --catalog: a postgresql:// URL opens the catalog on PostgreSQL (DIR still holds this node's
// derived data: search index, map); empty opens DIR's SQLite catalog as above. Anything else is
// refused with std::invalid_argument.
std::unique_ptr<catalog::Store> open_catalog(const std::string& data_dir,
                                             const std::string& catalog);
// config.catalog.url (or, when empty, config.data.dir's SQLite catalog), as above.
std::unique_ptr<catalog::Store> open_catalog(const api::Config& config);

// Data requests, error reports and the notification outbox where the catalog is: its PostgreSQL
// database when config.catalog.url names one (shared by every node), else DIR's SQLite file.
std::unique_ptr<catalog::DemandRecords> open_demand_records(const api::Config& config);
std::unique_ptr<catalog::Outbox> open_outbox(const api::Config& config);
// The record stores beside the catalog, in the same place: link checks, the scoreboard's history,
// harvest sources and jobs (on PostgreSQL shared by every node, and harvest jobs claimed once).
std::unique_ptr<catalog::LinkRecords> open_link_records(const api::Config& config);
std::unique_ptr<catalog::QualityHistory> open_quality_history(const api::Config& config);
// Quota usage and shared rate-limit buckets: the PostgreSQL catalog's; null on SQLite (one
// node keeps them in memory).
std::unique_ptr<catalog::RequestLimitRecords> open_request_limits(const api::Config& config);
std::unique_ptr<catalog::HarvestRecords> open_harvest_records(const api::Config& config);

// The options every command that opens the catalog takes, with one help text: --data DIR,
// --catalog URL and --config FILE. Flags win over the file's [data] dir and [catalog] url.
struct CatalogOptions {
  std::string data_dir, catalog, config;
};
void add_catalog_options(CLI::App* cmd, CatalogOptions& o);
// --config's file (defaults without one) with --data and --catalog applied on top.
api::Config load_config(const CatalogOptions& o);

}  // namespace datamap::app

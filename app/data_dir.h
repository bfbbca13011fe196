// Where a data directory keeps things, shared by every subcommand that takes --data DIR:
// DIR/catalog.db is the catalog (SQLite); derived data (search index, map) lives beside it.
#pragma once

#include <memory>
#include <string>

#include "catalog/store.h"

namespace datamap::app {

inline constexpr const char* kDefaultDataDir = "var/data";

std::string catalog_path(const std::string& data_dir);  // DIR/catalog.db
// Creates DIR if needed and opens (creating, migrating) its catalog.
std::unique_ptr<catalog::Store> open_catalog(const std::string& data_dir);

}  // namespace datamap::app

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
// --catalog: a postgresql:// URL opens the catalog on PostgreSQL (DIR still holds this node's
// derived data: search index, map); empty opens DIR's SQLite catalog as above. Anything else is
// refused with std::invalid_argument.
std::unique_ptr<catalog::Store> open_catalog(const std::string& data_dir,
                                             const std::string& catalog);

}  // namespace datamap::app

// The embedded DataStore backend (table_store.h): one SQLite file in WAL mode. A registry
// (_ds_tables, _ds_fields) records each table's fields, data dictionary, options and row count;
// each resource's rows live in a table named by the resource id with columns named as the
// fields (every identifier goes through quote_identifier), plus CKAN's `_id` row id. Per table:
// an FTS5 index for `q` (fulltext.h), an R*Tree over TableOptions::point, triggers that keep both
// in step with row writes. One writer connection (writes serialised by a mutex) and a pool of
// read-only connections, so searches run in parallel with a load and see the last commit.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "datastore/table_store.h"

namespace datamap::datastore {

// "name" with embedded quotes doubled: the one way an identifier enters SQL text.
std::string quote_identifier(std::string_view name);

// Limits of the SQLite backend, checked before anything is written (ValidationError).
inline constexpr std::size_t kMaxFields = 1000;  // SQLite's own cap is 2,000 columns
inline constexpr std::size_t kMaxFieldNameBytes = 200;

}  // namespace datamap::datastore

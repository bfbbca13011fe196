// The embedded DataStore backend (table_store.h): one SQLite file in WAL mode. A registry
// (_ds_tables, _ds_fields) records each table's fields, data dictionary, options and row count;
// each resource's rows live in a table named by the resource id with columns named as the
// fields (every identifier goes through quote_identifier), plus CKAN's `_id` row id. Per table:
// an FTS5 index for `q` (fulltext.h), an R*Tree over TableOptions::point, triggers that keep both
// in step with row writes. One writer connection (writes serialised by a mutex) and a pool of
// read-only connections, so searches run in parallel with a load and see the last commit.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "datastore/table_rules.h"  // quote_identifier
#include "datastore/table_store.h"

namespace datamap::datastore {

// Limits of the SQLite backend, checked before anything is written (ValidationError).
inline constexpr std::size_t kMaxFields = 1000;  // SQLite's own cap is 2,000 columns
inline constexpr std::size_t kMaxFieldNameBytes = 200;

// The backend's search shortcuts. Each answers exactly what the plain query answers (the tests
// compare both); switching one off is for those tests and for measuring what it saves.
struct SqliteSearchTuning {
  // A one-column equality filter's total read from the per-value counts of the field's common
  // values (sqlite_value_counts.h): values with at least this many rows are counted; 0: none.
  std::int64_t counted_value_min_rows = 1000;
  // A filter with many matches sorted by another indexed field: the page is found by walking the
  // sort field's index when that should take at most this many rows (and is given up past it
  // for the plain plan, which reads and sorts every match); 0: never.
  std::int64_t sort_walk_rows = 10000;
  std::int64_t sort_walk_min_matches = 2000;  // fewer matches: sorting them is cheap
  // Exact totals that had to be counted (a common word's `q`, a filter without a per-value
  // count) kept per table state and query (sqlite_total_cache.h): at most this many; 0: none.
  std::size_t total_cache_entries = 1024;
  // Two equality filters on the same pair of fields this many times without an index on both:
  // a two-column index on them is built in the background (sqlite_pair_indexes.h); 0: never.
  std::int64_t pair_index_after = 10;
  // At most this many such indexes per table: any client may filter on every pair of fields
  // (465 pairs of the parking file's 31), and each index costs ~1 s of CPU holding the writer
  // and two columns' copy on disk at 1M rows.
  std::int64_t pair_indexes_per_table = 8;
};

std::unique_ptr<TableStore> open_sqlite_table_store(const std::string& path,
                                                    const SqliteSearchTuning& tuning);

}  // namespace datamap::datastore

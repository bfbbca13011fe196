// Exact per-value row counts for the SQLite DataStore's indexed fields, so that the exact total
// of a one-column equality filter on a common value (a category in 93 % of 1M rows) is one
// lookup instead of counting every match on the column's index (≈ 65 ms in SQLite, 300 ms over
// HTTP with concurrent clients).
//
// Contract: for the field at position i of TableOptions::indexes, a table `_ds_vc<i>_<rid>` holds
// (value, n) for every non-null value that had at least `min_rows` rows when the counts were
// built; triggers on the resource's table keep n exact on every insert, update and delete from
// then on (in the writing transaction, so a reader's snapshot never sees a stale count). A value
// absent from the table is simply not counted there (it was rare, or is new): the caller counts
// its rows as before. Each count table's value column has its field's declared type, so SQLite
// applies the same affinity to `value = ?` as to `"field" = ?` on the table: a value matches its
// count exactly when it matches rows. Count tables exist exactly while their triggers do.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "catalog/sqlite/connection.h"
#include "datastore/table_store.h"

namespace datamap::datastore {

// The count table of the field at `index_position` in TableOptions::indexes (quoted).
std::string value_count_table(const std::string& resource_id, std::size_t index_position);

// Builds the count tables and their triggers for every indexed field of `info` over the rows the
// table has (one GROUP BY on each field's index), replacing any there were.
void build_value_counts(catalog::sqlite::Connection& c, const TableInfo& info,
                        std::int64_t min_rows);

// Drops the count tables of the first `index_count` indexed fields and their triggers.
void drop_value_counts(catalog::sqlite::Connection& c, const std::string& resource_id,
                       std::size_t index_count);

}  // namespace datamap::datastore

// `datamap migrate`'s DataStore part: every table of one TableStore (the embedded SQLite one)
// copied into another (PostgreSQL), with its fields (types and data dictionary), options (primary
// key, point, indexes) and row ids, through the stores' own interfaces — the target builds its
// tables, indexes and full text exactly as a load would (on PostgreSQL: COPY).
//
// Contract:
//  - tables are copied one at a time, each committed on its own (TableWriter::commit: a table is
//    whole or absent); a run that is interrupted and run again skips every table the target
//    already holds with the same checksum and copies the others again (replacing a partial or
//    differing one);
//  - the target may hold only tables the source has (a DataStore in use is refused before
//    anything is written);
//  - each table is verified after its commit: table_checksum() of both sides must be equal, or
//    copy_tables throws naming the table.
// Load-job history (datastore_jobs.db) is not a TableStore's and is not copied.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "datastore/table_store.h"

namespace datamap::datastore {

struct CopiedStoreTable {
  std::string resource_id;
  std::int64_t rows = 0;       // in both stores after the copy
  std::string checksum;        // table_checksum(), equal in both stores
  bool already_there = false;  // skipped: the target held it with the same checksum
};

// SHA-256 (hex) of a table as a reader sees it: its fields (id, type, data dictionary), options,
// then every row with its `_id` in `_id` order, each value tagged with its type (numbers in
// shortest round-trip form), in catalog/row_checksum.h's canonical form. Throws NotFound.
std::string table_checksum(TableStore& store, const std::string& resource_id,
                           std::int64_t* rows = nullptr);

// Copies every table of `from` into `to`; `progress` is called after each table.
std::vector<CopiedStoreTable> copy_tables(
    TableStore& from, TableStore& to,
    const std::function<void(const CopiedStoreTable&)>& progress = nullptr);

}  // namespace datamap::datastore

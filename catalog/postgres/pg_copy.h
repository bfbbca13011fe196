// `datamap migrate --to postgresql://…`: a SQLite catalog copied whole into an empty PostgreSQL
// one — datasets, organizations, groups, users, tokens, sessions, relationships, collaborators,
// the change log, activities, follows, reuses, data requests with their votes, comments and audit,
// error reports, notifications, and the record stores beside the catalog (link checks, the
// quality history, harvest sources, jobs, objects and provenances).
//
// Contract:
//  - the SQLite file is at the latest schema (open it with the Store first: that migrates it) and
//    nobody writes it meanwhile; the PostgreSQL database is migrated here and must hold no rows in
//    any of these tables (a second run, or a catalog in use, is refused before anything is
//    written);
//  - everything is copied in one PostgreSQL transaction, each table with COPY: a failure (a text
//    PostgreSQL cannot hold, the server gone, the process killed) leaves the target as it was, so
//    a rerun starts again from the beginning; the commit is what makes a second run refused;
//  - each table is verified before the commit, on both sides: its row count, and a SHA-256 of its
//    rows in key order (catalog/row_checksum.h), read from SQLite and from PostgreSQL (booleans as
//    0/1); a difference throws naming the table, and nothing is committed. Creation order is
//    kept (SQLite's rowid becomes the seq of the harvest jobs and objects), and every sequence is
//    moved past the copied keys, so new rows number on after the old ones.
// Derived data (search index, map, request index) is not copied: each node rebuilds its own from
// the change log (`datamap reindex`), as it would after any restore.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace datamap::catalog::postgres {

struct CopiedTable {
  std::string table;
  std::int64_t rows = 0;  // counted on both sides after the copy (equal, or copy_sqlite threw)
  std::string checksum;   // SHA-256 (hex) of the rows, equal on both sides
};

// Brings the PostgreSQL catalog at `url` to the latest schema and throws std::runtime_error when
// any of the copied tables holds rows (a finished migration, or a catalog in use).
void require_empty_postgres_catalog(const std::string& url);

// Copies the SQLite catalog at `sqlite_path` into the PostgreSQL catalog at `url`; `progress` is
// called after each table is copied and verified. Throws std::runtime_error saying what is wrong
// (target not empty, counts or checksums differ, naming the table) or the error of the statement
// that failed.
std::vector<CopiedTable> copy_sqlite_catalog(
    const std::string& sqlite_path, const std::string& url,
    const std::function<void(const CopiedTable&)>& progress = nullptr);

}  // namespace datamap::catalog::postgres

// The DataStore on PostgreSQL (table_store.h), for deployments whose catalog is on PostgreSQL:
// every `datamap serve` node opens the same database. In the schema `datastore`:
//  - one table per resource, named by the resource id, columns named as the fields (bigint,
//    double precision, boolean; dates, timestamps and text as text COLLATE "C"), plus `_id`;
//  - _ds_tables / _ds_fields: each table's fields, data dictionary, options and row count;
//  - per table, _ds_fts_<n> (row id, tsvector of the row's text fields, GIN-indexed) for `q`,
//    its tokens made as SQLite's FTS5 makes them (pg_values.h), so `q` finds the same rows;
//  - a LOGIN role of its own (name and password in _ds_settings) allowed only to read the
//    resource tables: datastore_search_sql runs as that role, in a READ ONLY transaction with
//    statement_timeout, after the statement's plan has named only tables `may_read` allows.
// Writes are serialised across nodes by an advisory lock; reads see the last commit.
// Joins run the engine both backends share (join_engine.h) over pg_join_reader.h's reads.
// Not on this backend: a spatial index (bbox compares the point fields row by row), pair
// indexes, value counts, the split load commit (commit_rows() commits everything), load
// findings, revisions, explain_search. The table's SQL objects are pg_table_objects.h's, its
// searches' SQL pg_table_query.h's.
#pragma once

#include <memory>
#include <string>

#include "datastore/table_rules.h"
#include "datastore/table_store.h"

namespace datamap::datastore {

// PostgreSQL's identifiers are at most 63 bytes (longer ones would be cut, not refused).
inline constexpr NameLimits kPgNameLimits{1000, 63, 63};

// `url`: a libpq URL (postgresql://user@host:port/db). Creates the schema and the reader role
// when missing; when the role cannot be created (no CREATEROLE), everything but search_sql
// works and search_sql throws NotImplemented saying why.
std::unique_ptr<TableStore> open_pg_table_store(const std::string& url);

}  // namespace datamap::datastore

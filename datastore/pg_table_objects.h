// The SQL objects of one resource's table in the PostgreSQL DataStore (pg_table_store.h): their
// names, the registry rows describing the table (datastore._ds_tables, _ds_fields), and making,
// indexing and dropping them. Every function runs on the caller's connection, inside the caller's
// transaction and under its locks; none takes a lock of its own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "catalog/postgres/pg_connection.h"
#include "datastore/table_rules.h"
#include "datastore/table_store.h"

namespace datamap::datastore::pg {

using catalog::postgres::Connection;

// The names of a table's objects. Everything but the table itself starts with "_ds_", which no
// resource id may (check_resource_id), and is named by the registry's number, so a long
// resource id never makes a name PostgreSQL would cut.
struct Names {
  std::string rid, table, fts, fts_index, pk_index;
  std::int64_t num;
  Names(const std::string& id, std::int64_t n)
      : rid(id),
        table("datastore." + quote_identifier(id)),
        fts("datastore._ds_fts_" + std::to_string(n)),
        fts_index("_ds_ftsix_" + std::to_string(n)),
        pk_index("_ds_pk_" + std::to_string(n)),
        num(n) {}
  std::string index(std::size_t i) const {
    return "_ds_ix" + std::to_string(i) + "_" + std::to_string(num);
  }
  std::string join_index(std::size_t i) const {
    return "_ds_jk" + std::to_string(i) + "_" + std::to_string(num);
  }
};

// A table as the registry describes it, with its number.
struct Loaded {
  TableInfo info;
  std::int64_t num = 0;
};

std::optional<Loaded> load_info(Connection& c, const std::string& rid);
// load_info, or NotFound naming the resource.
Loaded need_info(Connection& c, const std::string& rid);
// The registry's row of a new table; returns its number.
std::int64_t register_table(Connection& c, const std::string& rid);
// A fresh number for a table being built to replace one.
std::int64_t reserve_number(Connection& c);
// Writes the table's options, row count and fields into the registry.
void save_info(Connection& c, const TableInfo& info);

// `bytes` random bytes as hex.
std::string random_hex(std::size_t bytes);
// The fields' quoted names, comma-separated.
std::string column_list(const std::vector<Field>& fields);
// The ids as a bigint[] literal (digits only: safe inside SQL text).
std::string id_array(const std::vector<std::int64_t>& ids);

// The table (named `name`, the resource's by default) with _id and the fields; the reader role
// (if any) may read it.
void create_bare_table(Connection& c, const Names& n, const std::vector<Field>& fields,
                       const std::string& reader, const std::string& name = "");
// The table's empty full-text table (row id, tsvector), and its GIN index.
void create_fts_table(Connection& c, const Names& n);
void build_fts_index(Connection& c, const Names& n);
// The primary key's unique index (a duplicate key fails the write, and ON CONFLICT needs it);
// ValidationError{primary_key} when the rows already have duplicates.
void build_key_index(Connection& c, const Names& n, const TableInfo& info);
// Whether the table has the join-key index of `field` (the first indexed text fields).
bool has_join_key_index(const TableInfo& info, const Field& field);
// The indexes of TableOptions::indexes, and the join-key indexes (datastore._ds_join_key) of
// the first kJoinKeyIndexes text fields among them.
void build_field_indexes(Connection& c, const Names& n, const TableInfo& info);
void drop_field_indexes(Connection& c, const Names& n, std::size_t count);
// The table, its full text and its registry rows; nothing when there is no such table.
void drop_table(Connection& c, const std::string& rid);
std::int64_t count_rows(Connection& c, const Names& n);
// The full-text rows of the table's rows (those of `ids`, or all), computed here (the same
// append_fulltext as SQLite's index) and written with COPY, a batch read from a cursor at a time.
void index_fulltext(Connection& c, const Names& n, const TableInfo& info,
                    const std::vector<std::int64_t>* ids = nullptr);

}  // namespace datamap::datastore::pg

// How the PostgreSQL DataStore (pg_table_store.h) writes and reads values and full text: one
// place for the mapping of CKAN's field types to column types, of cells to parameters and to
// COPY's text format, and of FTS5's full text (fulltext.h) to tsvector and tsquery, so `q` finds
// on PostgreSQL exactly the rows it finds on SQLite.
#pragma once

#include <libpq-fe.h>

#include <optional>
#include <string>
#include <string_view>

#include "catalog/postgres/pg_connection.h"
#include "datastore/table_store.h"

namespace datamap::datastore {

// The column type of a field type: bigint, double precision (numeric is a double in Cell, as in
// SQLite's REAL), boolean; dates and timestamps are text holding ISO 8601 (convert_cell
// normalises them), compared bytewise like every text column (COLLATE "C"), as SQLite does.
std::string pg_column_type(std::string_view field_type);

// A cell as a text parameter (null: NULL).
void add_param(catalog::postgres::Params& params, const Cell& c);
// A cell appended to a line of COPY's text format (null: \N; tab, newline, backslash escaped).
// ValidationError for text holding NUL, which PostgreSQL cannot store.
void append_copy_field(const Cell& c, std::string& line);
// A value of the text result as a cell of a field of `type`.
Cell read_pg_cell(const catalog::postgres::Result& r, int row, int col, std::string_view type);
// The field type of a result column's PostgreSQL type (search_sql's results).
std::string field_type_of(Oid type);

// The full-text document of a row's text values (append_fulltext) as a tsvector literal: the
// tokens FTS5's ascii tokenizer makes, each with its positions, so phrases match as in FTS5.
// "" when there is no token.
std::string fulltext_tsvector(std::string_view doc);
// A user's `q` as a tsquery literal (words ANDed, a Korean word the phrase of its bigrams,
// others a prefix of their last token), as fulltext_match() does for FTS5; "" without words.
std::string fulltext_tsquery(std::string_view query);

}  // namespace datamap::datastore

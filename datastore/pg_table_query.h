// The PostgreSQL DataStore's searches as SQL (pg_table_store.h): filters, `q`, `bbox`, sorts and
// pages of a SearchQuery into WHERE and SELECT text with their parameters, the same rules as the
// SQLite backend's (table_rules.h), and result rows back into cells.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "catalog/postgres/pg_connection.h"
#include "datastore/pg_table_objects.h"
#include "datastore/table_store.h"

namespace datamap::datastore::pg {

using catalog::postgres::Params;
using catalog::postgres::Result;

// $n.
std::string placeholder(std::size_t n);

// A WHERE clause being built, with its parameters in order.
struct Where {
  std::string sql;  // "" or " WHERE ..."
  Params params;
  void add(const std::string& condition) { sql += (sql.empty() ? " WHERE " : " AND ") + condition; }
  std::string next() const { return placeholder(params.values().size() + 1); }
  std::string bind(const Cell& c);
};

// The conditions, `q`, `q` by field and `bbox` of `q` over the table; ValidationError naming
// the parameter for an unknown field or a malformed value.
Where build_where(const TableInfo& info, const Names& n, const SearchQuery& q);

struct Select {
  std::vector<Field> fields;
  std::string sql;  // without LIMIT
  std::string count_sql;
  Where where;
};
Select build_select(const TableInfo& info, const Names& n, const SearchQuery& q);

// The rows of `r`, each column read as a value of the field at its position.
void read_rows(const Result& r, const std::vector<Field>& fields, std::vector<Row>& out);

}  // namespace datamap::datastore::pg

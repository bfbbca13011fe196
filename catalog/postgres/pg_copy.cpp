#include "catalog/postgres/pg_copy.h"

#include <map>
#include <set>
#include <stdexcept>

#include "catalog/postgres/pg_connection.h"
#include "catalog/postgres/pg_copy_in.h"
#include "catalog/postgres/pg_migrations.h"
#include "catalog/row_checksum.h"
#include "catalog/sqlite/connection.h"

namespace datamap::catalog::postgres {
namespace {

// Parents before children (the foreign keys of pg_migrations.cpp), every table of both schemas
// but SQLite's cleared_organization_codes (a note of SQLite step 7 for the operator, no state).
constexpr const char* kTables[] = {"datasets",
                                   "resources",
                                   "dataset_tags",
                                   "dataset_groups",
                                   "organizations",
                                   "groups",
                                   "changes",
                                   "users",
                                   "memberships",
                                   "api_tokens",
                                   "relationships",
                                   "console_sessions",
                                   "dataset_collaborators",
                                   "activities",
                                   "follows",
                                   "reuses",
                                   "reuse_datasets",
                                   "data_requests",
                                   "data_request_votes",
                                   "data_request_comments",
                                   "data_request_comment_audit",
                                   "issue_reports",
                                   "notifications",
                                   "link_urls",
                                   "link_history",
                                   "link_targets",
                                   "link_datasets",
                                   "link_checker_state",
                                   "quality_history",
                                   "harvest_sources",
                                   "harvest_jobs",
                                   "harvest_objects",
                                   "harvest_provenances"};

std::string quoted(const std::string& name) {
  return "\"" + name + "\"";
}

struct PgColumn {
  std::string name;
  std::string type;       // information_schema's data_type: bigint, integer, boolean, text
  bool numbered = false;  // identity or serial: its sequence is moved past the copied values
};

std::vector<PgColumn> pg_columns(Connection& pg, const std::string& table) {
  Result r = pg.exec(
      "SELECT column_name, data_type, is_identity = 'YES' OR "
      "coalesce(column_default LIKE 'nextval(%', FALSE) "
      "FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 "
      "ORDER BY ordinal_position",
      table);
  std::vector<PgColumn> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back({r.text(i, 0), r.text(i, 1), r.boolean(i, 2)});
  if (out.empty()) throw std::runtime_error("the PostgreSQL catalog has no table " + table);
  return out;
}

// The primary key's columns in key order; empty when the table has none.
std::vector<std::string> pg_key(Connection& pg, const std::string& table) {
  Result r = pg.exec(
      "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND "
      "a.attnum = ANY(i.indkey) WHERE i.indrelid = to_regclass($1) AND i.indisprimary "
      "ORDER BY array_position(i.indkey::int2[], a.attnum)",
      quoted(table));
  std::vector<std::string> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(r.text(i, 0));
  return out;
}

std::set<std::string> sqlite_columns(sqlite::Connection& lite, const std::string& table) {
  sqlite::Statement q(lite.handle(), "SELECT name FROM pragma_table_info(?1)");
  q.bind(1, table);
  std::set<std::string> out;
  while (q.step()) out.insert(q.text(0));
  if (out.empty()) throw std::runtime_error("the SQLite catalog has no table " + table);
  return out;
}

std::int64_t sqlite_count(sqlite::Connection& lite, const std::string& table) {
  sqlite::Statement q(lite.handle(), "SELECT count(*) FROM " + quoted(table));
  q.step();
  return q.integer(0);
}

std::int64_t pg_count(Connection& pg, const std::string& table) {
  return pg.exec("SELECT count(*) FROM " + quoted(table)).integer(0, 0);
}

// How one table is read on each side: the columns both schemas have (a PostgreSQL `seq` SQLite
// lacks is its rowid; columns only PostgreSQL has keep their defaults: a harvest job's claim,
// none), and the key order both sides sort by for the checksum — bytewise for text (COLLATE "C"
// is SQLite's BINARY), booleans read as 0/1 on PostgreSQL as SQLite stores them.
struct TablePlan {
  std::string table;
  std::string lite_select, pg_columns, pg_select, lite_order, pg_order;
  std::vector<std::string> numbered;  // columns whose sequence is moved past the copied values
};

TablePlan plan_table(sqlite::Connection& lite, Connection& pg, const std::string& table) {
  TablePlan p;
  p.table = table;
  const std::vector<PgColumn> columns = pg_columns(pg, table);
  const std::set<std::string> have = sqlite_columns(lite, table);
  std::vector<std::string> key = pg_key(pg, table);
  std::map<std::string, std::string> lite_source, pg_type;
  for (const PgColumn& c : columns) {
    std::string source;
    if (have.count(c.name))
      source = quoted(c.name);
    else if (c.name == "seq")
      source = "rowid";
    else
      continue;
    if (!p.lite_select.empty()) {
      p.lite_select += ", ";
      p.pg_columns += ", ";
      p.pg_select += ", ";
    }
    p.lite_select += source;
    p.pg_columns += quoted(c.name);
    p.pg_select += quoted(c.name);
    if (c.type == "boolean") p.pg_select += "::int";
    lite_source[c.name] = source;
    pg_type[c.name] = c.type;
    if (c.numbered) p.numbered.push_back(c.name);
  }
  if (key.empty())
    for (const auto& [name, source] : lite_source) key.push_back(name);
  for (const std::string& k : key) {
    if (!lite_source.count(k))
      throw std::runtime_error("table " + table + ": key column " + k + " is not in SQLite");
    if (!p.lite_order.empty()) {
      p.lite_order += ", ";
      p.pg_order += ", ";
    }
    p.lite_order += lite_source[k];
    p.lite_order += " COLLATE BINARY";
    p.pg_order += quoted(k);
    if (pg_type[k] == "text") p.pg_order += " COLLATE \"C\"";
  }
  return p;
}

// The table's rows streamed into PostgreSQL with COPY, in SQLite's order.
void copy_table(sqlite::Connection& lite, Connection& pg, const TablePlan& p) {
  sqlite::Statement rows(lite.handle(), "SELECT " + p.lite_select + " FROM " + quoted(p.table));
  const int n = rows.columns();
  CopyIn copy(pg, "COPY " + quoted(p.table) + " (" + p.pg_columns + ") FROM STDIN");
  std::string& line = copy.buffer();
  while (rows.step()) {
    for (int i = 0; i < n; ++i) {
      if (i) line += '\t';
      if (rows.is_null(i)) {
        line += "\\N";
        continue;
      }
      std::string_view v = rows.text_view(i);
      if (v.find('\0') != std::string_view::npos)
        throw std::runtime_error(
            "table " + p.table +
            ": a value holds the NUL character, which PostgreSQL cannot store");
      append_copy_text(v, line);
    }
    line += '\n';
    copy.flush_if_full();
  }
  copy.finish();
  for (const std::string& c : p.numbered)
    pg.exec("SELECT setval(pg_get_serial_sequence($1, $2), m) FROM (SELECT max(" + quoted(c) +
                ") AS m FROM " + quoted(p.table) + ") t WHERE m IS NOT NULL",
            p.table, c);
}

std::string sqlite_checksum(sqlite::Connection& lite, const TablePlan& p, std::int64_t& rows) {
  sqlite::Statement q(lite.handle(), "SELECT " + p.lite_select + " FROM " + quoted(p.table) +
                                         " ORDER BY " + p.lite_order);
  const int n = q.columns();
  RowChecksum sum;
  while (q.step()) {
    for (int i = 0; i < n; ++i) {
      if (q.is_null(i))
        sum.null();
      else
        sum.value(q.text_view(i));
    }
    sum.end_row();
  }
  rows = sum.rows();
  return sum.hex();
}

// Read through a cursor, a batch at a time: a table's rows need not fit in memory.
std::string pg_checksum(Connection& pg, const TablePlan& p, std::int64_t& rows) {
  pg.script("DECLARE _datamap_migrate NO SCROLL CURSOR FOR SELECT " + p.pg_select + " FROM " +
            quoted(p.table) + " ORDER BY " + p.pg_order);
  RowChecksum sum;
  for (;;) {
    Result r = pg.run_unprepared("FETCH 5000 FROM _datamap_migrate", Params());
    if (r.empty()) break;
    for (int row = 0; row < r.rows(); ++row) {
      for (int i = 0; i < r.columns(); ++i) {
        if (r.is_null(row, i))
          sum.null();
        else
          sum.value(r.text_view(row, i));
      }
      sum.end_row();
    }
  }
  pg.script("CLOSE _datamap_migrate");
  rows = sum.rows();
  return sum.hex();
}

// Copies and verifies one table inside the open transactions.
CopiedTable copy_and_verify(sqlite::Connection& lite, Connection& pg, const std::string& table) {
  const TablePlan plan = plan_table(lite, pg, table);
  copy_table(lite, pg, plan);
  CopiedTable out{table, pg_count(pg, table), ""};
  const std::int64_t expected = sqlite_count(lite, table);
  if (out.rows != expected)
    throw std::runtime_error("table " + table + ": " + std::to_string(out.rows) +
                             " rows copied of " + std::to_string(expected));
  std::int64_t lite_rows = 0, pg_rows = 0;
  const std::string lite_sum = sqlite_checksum(lite, plan, lite_rows);
  out.checksum = pg_checksum(pg, plan, pg_rows);
  if (lite_sum != out.checksum || lite_rows != pg_rows)
    throw std::runtime_error("table " + table + ": checksums differ (SQLite " + lite_sum +
                             ", PostgreSQL " + out.checksum +
                             "): the copy does not hold the same rows");
  return out;
}

}  // namespace

void require_empty_postgres_catalog(const std::string& url) {
  Connection pg(url);
  migrate(pg);
  for (const char* table : kTables)
    if (pg_count(pg, table) > 0)
      throw std::runtime_error(std::string("the PostgreSQL catalog is not empty (table ") + table +
                               " has rows): migrate copies into a new, empty database only");
}

std::vector<CopiedTable> copy_sqlite_catalog(
    const std::string& sqlite_path, const std::string& url,
    const std::function<void(const CopiedTable&)>& progress) {
  require_empty_postgres_catalog(url);
  sqlite::Connection lite(sqlite_path, sqlite::Connection::Mode::kReadOnly);
  Connection pg(url);
  // One snapshot of the SQLite file for the whole copy, one transaction on PostgreSQL.
  lite.exec("BEGIN");
  std::vector<CopiedTable> out;
  try {
    TransactionScope tx(pg);
    for (const char* table : kTables) {
      out.push_back(copy_and_verify(lite, pg, table));
      if (progress) progress(out.back());
    }
    tx.commit();
  } catch (...) {
    lite.exec("COMMIT");
    throw;
  }
  lite.exec("COMMIT");
  // Counted again after the commit, on both sides: what a reader of the new catalog sees.
  for (CopiedTable& t : out) {
    t.rows = pg_count(pg, t.table);
    const std::int64_t expected = sqlite_count(lite, t.table);
    if (t.rows != expected)
      throw std::runtime_error("table " + t.table + ": " + std::to_string(t.rows) +
                               " rows in PostgreSQL after the copy, " + std::to_string(expected) +
                               " in SQLite");
  }
  return out;
}

}  // namespace datamap::catalog::postgres

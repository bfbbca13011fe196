#include "catalog/postgres/pg_copy.h"

#include <set>
#include <stdexcept>

#include "catalog/postgres/pg_connection.h"
#include "catalog/postgres/pg_migrations.h"
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
  bool numbered = false;  // identity or serial: its sequence is moved past the copied values
  bool identity = false;
};

std::vector<PgColumn> pg_columns(Connection& pg, const std::string& table) {
  Result r = pg.exec(
      "SELECT column_name, is_identity = 'YES', coalesce(column_default LIKE 'nextval(%', FALSE) "
      "FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 "
      "ORDER BY ordinal_position",
      table);
  std::vector<PgColumn> out;
  for (int i = 0; i < r.rows(); ++i)
    out.push_back({r.text(i, 0), r.boolean(i, 1) || r.boolean(i, 2), r.boolean(i, 1)});
  if (out.empty()) throw std::runtime_error("the PostgreSQL catalog has no table " + table);
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

// One table's rows with the columns both schemas have; a PostgreSQL `seq` SQLite lacks is its
// rowid. Columns only PostgreSQL has keep their defaults (a harvest job's claim: none). Values go
// as text: PostgreSQL reads 0/1 as booleans.
void copy_table(sqlite::Connection& lite, Connection& pg, const std::string& table) {
  const std::vector<PgColumn> columns = pg_columns(pg, table);
  const std::set<std::string> have = sqlite_columns(lite, table);
  std::string select, insert, values;
  bool identity = false;
  std::vector<const PgColumn*> numbered;
  int n = 0;
  for (const PgColumn& c : columns) {
    std::string source;
    if (have.count(c.name))
      source = quoted(c.name);
    else if (c.name == "seq")
      source = "rowid";
    else
      continue;
    if (n) select += ", ", insert += ", ", values += ", ";
    select += source;
    insert += quoted(c.name);
    values += "$" + std::to_string(++n);
    identity |= c.identity;
    if (c.numbered) numbered.push_back(&c);
  }
  const std::string sql = "INSERT INTO " + quoted(table) + " (" + insert + ")" +
                          (identity ? " OVERRIDING SYSTEM VALUE" : "") + " VALUES (" + values + ")";
  sqlite::Statement rows(lite.handle(), "SELECT " + select + " FROM " + quoted(table));
  while (rows.step()) {
    Params params;
    for (int i = 0; i < n; ++i) {
      if (rows.is_null(i))
        params.add(std::optional<std::int64_t>());
      else
        params.add(rows.text_view(i));
    }
    pg.run(sql, params);
  }
  for (const PgColumn* c : numbered)
    pg.exec("SELECT setval(pg_get_serial_sequence($1, $2), m) FROM (SELECT max(" + quoted(c->name) +
                ") AS m FROM " + quoted(table) + ") t WHERE m IS NOT NULL",
            table, c->name);
}

}  // namespace

std::vector<CopiedTable> copy_sqlite_catalog(
    const std::string& sqlite_path, const std::string& url,
    const std::function<void(const CopiedTable&)>& progress) {
  sqlite::Connection lite(sqlite_path, sqlite::Connection::Mode::kReadOnly);
  Connection pg(url);
  migrate(pg);
  for (const char* table : kTables)
    if (pg_count(pg, table) > 0)
      throw std::runtime_error(std::string("the PostgreSQL catalog is not empty (table ") + table +
                               " has rows): migrate copies into a new, empty database only");
  // One snapshot of the SQLite file for the whole copy, one transaction on PostgreSQL.
  lite.exec("BEGIN");
  pg.script("BEGIN");
  std::vector<CopiedTable> out;
  try {
    for (const char* table : kTables) {
      copy_table(lite, pg, table);
      out.push_back({table, pg_count(pg, table)});
      const std::int64_t expected = sqlite_count(lite, table);
      if (out.back().rows != expected)
        throw std::runtime_error("table " + std::string(table) + ": " +
                                 std::to_string(out.back().rows) + " rows copied of " +
                                 std::to_string(expected));
      if (progress) progress(out.back());
    }
    pg.script("COMMIT");
  } catch (...) {
    if (PQstatus(pg.handle()) == CONNECTION_OK && pg.in_transaction())
      PQclear(PQexec(pg.handle(), "ROLLBACK"));
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

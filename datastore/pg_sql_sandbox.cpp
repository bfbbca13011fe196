#include "datastore/pg_sql_sandbox.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "catalog/errors.h"
#include "datastore/pg_sql_scan.h"
#include "datastore/pg_values.h"
#include "datastore/table_rules.h"

namespace datamap::datastore {

using catalog::postgres::Connection;
using catalog::postgres::Params;
using catalog::postgres::PgError;

namespace {

constexpr std::size_t kMaxSqlBytes = 100000;

BadRequest refuse(const std::string& why) {
  return BadRequest("Not authorized: " + why +
                    " (datastore_search_sql runs one read-only SELECT over datastore tables)");
}

// PgError's message without the statement it appends.
std::string server_message(const PgError& e) {
  std::string m = e.what();
  if (auto at = m.find(" (in: "); at != std::string::npos) m.resize(at);
  if (m.rfind("ERROR:  ", 0) == 0) m.erase(0, 8);
  return m;
}

// Every {schema, table} a plan reads (EXPLAIN (VERBOSE, FORMAT JSON) names them).
void relations(const rapidjson::Value& v, std::set<std::pair<std::string, std::string>>& out) {
  if (v.IsArray()) {
    for (const auto& x : v.GetArray()) relations(x, out);
  } else if (v.IsObject()) {
    auto name = v.FindMember("Relation Name");
    if (name != v.MemberEnd() && name->value.IsString()) {
      auto schema = v.FindMember("Schema");
      out.emplace(
          schema != v.MemberEnd() && schema->value.IsString() ? schema->value.GetString() : "",
          name->value.GetString());
    }
    for (const auto& m : v.GetObject()) relations(m.value, out);
  }
}

// Functions the reader role may run but a search must not: those that run SQL text given to them
// (query_to_xml and kin, table_to_xml reading a table by name, ts_stat, ts_rewrite), whose reads
// are not in the plan; session-level advisory locks, which outlive the transaction on a pooled
// connection (one would stop every DataStore write); signalling other sessions of the role; and
// changing settings such as statement_timeout.
bool refused_function(const std::string& name) {
  static const std::set<std::string> exact = {
      "ts_stat",           "ts_rewrite", "set_config",  "pg_terminate_backend",
      "pg_cancel_backend", "pg_notify",  "pg_stat_file"};
  for (const char* prefix :
       {"pg_advisory_", "pg_try_advisory_", "dblink", "lo_", "pg_read_", "pg_ls_"})
    if (name.rfind(prefix, 0) == 0) return true;
  return exact.count(name) > 0 || name.find("to_xml") != std::string::npos;
}

void refuse_functions(const std::vector<SqlToken>& tokens) {
  for (const std::string& name : called_names(tokens))
    if (refused_function(name)) throw refuse("the function " + name);
}

BadRequest sql_error(const PgError& e, const SqlLimits& limits) {
  const std::string& state = e.sqlstate();
  std::string m = server_message(e);
  if (state == "57014")
    return BadRequest("query took too long (limit " + std::to_string(limits.timeout_ms) + " ms)");
  if (m.find("multiple commands") != std::string::npos) return refuse("more than one statement");
  if (state == "25006" || state == "42501") return refuse(m);
  return BadRequest("SQL error: " + m);
}

// A result column's field type. Dates and timestamps are stored as text, so the column's
// PostgreSQL type says only "text"; a column read straight from a resource table takes the type
// its field was declared with, as SQLite's declared column type gives it there.
std::string column_field_type(const catalog::postgres::Result& rows, int c, Connection& admin) {
  std::string type = field_type_of(rows.column_type(c));
  if (type != "text" || rows.column_table(c) == InvalidOid || rows.column_table_column(c) <= 0)
    return type;
  Params p;
  p.add(std::to_string(rows.column_table(c)));
  p.add(std::to_string(rows.column_table_column(c)));
  auto declared = admin.run_unprepared(
      "SELECT f.type FROM pg_attribute a JOIN pg_class t ON t.oid = a.attrelid "
      "JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'datastore' "
      "JOIN datastore._ds_fields f ON f.resource_id = t.relname AND f.id = a.attname "
      "WHERE a.attrelid = $1::oid AND a.attnum = $2::int",
      p);
  return declared.empty() || !is_field_type(declared.text(0, 0)) ? type : declared.text(0, 0);
}

}  // namespace

SqlResult run_pg_sandboxed_sql(Connection& reader, Connection& admin, std::string_view sql,
                               const SqlLimits& limits,
                               const std::function<bool(const std::string&)>& may_read) {
  if (sql.size() > kMaxSqlBytes)
    throw BadRequest("SQL longer than " + std::to_string(kMaxSqlBytes) + " bytes");
  if (sql.find('\0') != std::string_view::npos) throw BadRequest("SQL error: a NUL character");
  std::string text(sql);
  while (!text.empty() &&
         (text.back() == ';' || std::isspace(static_cast<unsigned char>(text.back()))))
    text.pop_back();  // one trailing semicolon is part of one statement
  const std::vector<SqlToken> tokens = scan_pg_sql(text);
  refuse_functions(tokens);
  // The first word (past comments and opening parentheses) only chooses the refusal's message:
  // the read-only transaction and role are what refuse writes.
  std::size_t first = 0;
  while (first < tokens.size() && tokens[first].kind == SqlToken::Kind::symbol &&
         tokens[first].text == "(")
    ++first;
  const std::string kind = first < tokens.size() ? tokens[first].text : "";
  if (kind != "select" && kind != "with" && kind != "values" && kind != "table") {
    if (first == tokens.size()) throw refuse("an empty statement");
    std::string named = kind;
    if (first + 1 < tokens.size() && tokens[first + 1].kind == SqlToken::Kind::word)
      named += " " + tokens[first + 1].text;
    for (auto& ch : named) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    throw refuse("a statement that is not a SELECT (" + named.substr(0, 40) + ")");
  }

  // Advisory locks are refused by name above; released here too, after the transaction's
  // rollback, as a session lock would outlive the query.
  struct UnlockAll {
    Connection& c;
    ~UnlockAll() {
      try {
        c.script("SELECT pg_advisory_unlock_all()");
      } catch (...) {
      }
    }
  } unlock_all{reader};
  catalog::postgres::TransactionScope tx(reader, "BEGIN READ ONLY");
  SqlResult out;
  try {
    Params timeout;
    timeout.add(std::to_string(limits.timeout_ms));
    reader.run_unprepared("SELECT set_config('statement_timeout', $1, true)", timeout);
    reader.script("SET LOCAL search_path = datastore");
    auto plan = reader.run_unprepared("EXPLAIN (VERBOSE, FORMAT JSON) " + text, Params());
    rapidjson::Document doc;
    doc.Parse(plan.text(0, 0).c_str());
    std::set<std::pair<std::string, std::string>> read;
    if (!doc.HasParseError()) relations(doc, read);
    std::vector<std::string> names;
    for (const auto& r : read) names.push_back(r.second);
    std::set<std::string> resources;
    if (!names.empty()) {
      Params p;
      p.add(names);
      auto known = admin.run_unprepared(
          "SELECT resource_id FROM datastore._ds_tables WHERE resource_id = ANY($1::text[])", p);
      for (int i = 0; i < known.rows(); ++i) resources.insert(known.text(i, 0));
    }
    for (const auto& [schema, name] : read) {
      if (schema != "datastore" || !resources.count(name))
        throw refuse("table " + name + " (internal, not a DataStore table)");
      if (!may_read(name)) throw refuse("table " + name);
    }
    reader.run_unprepared("DECLARE _ds_sql NO SCROLL CURSOR FOR " + text, Params());
    auto rows = reader.run_unprepared(
        "FETCH FORWARD " + std::to_string(std::max<std::int64_t>(limits.max_rows, 0) + 1) +
            " FROM _ds_sql",
        Params());
    for (int c = 0; c < rows.columns(); ++c)
      out.fields.push_back({rows.column_name(c), column_field_type(rows, c, admin), {}});
    for (int r = 0; r < rows.rows(); ++r) {
      if (static_cast<std::int64_t>(out.records.size()) >= limits.max_rows) {
        out.truncated = true;
        break;
      }
      Row row;
      for (int c = 0; c < rows.columns(); ++c)
        row.push_back(read_pg_cell(rows, r, c, out.fields[c].type));
      out.records.push_back(std::move(row));
    }
  } catch (const PgError& e) {
    throw sql_error(e, limits);
  }
  return out;
}

}  // namespace datamap::datastore

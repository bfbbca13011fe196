#include "datastore/sql_sandbox.h"

#include <chrono>
#include <map>
#include <optional>
#include <vector>

#include "catalog/errors.h"

namespace datamap::datastore {
namespace {

using Clock = std::chrono::steady_clock;

struct Guard {
  const std::function<bool(const std::string&)>* table_allowed;
  std::map<std::string, bool> decided;  // the authorizer asks once per column read
  std::vector<std::string> refused;     // what was refused, in order, for the message
  Clock::time_point deadline;
  bool timed_out = false;
};

std::string str(const char* s) {
  return s ? s : "";
}

std::string what_is_refused(int action, const char* a, const char* b) {
  // SQLite asks about its schema table before the statement itself, and a refusal ends the
  // asking: a CREATE shows as an INSERT into sqlite_master, a DROP as a DELETE from it.
  std::string table = str(a);
  if (table == "sqlite_master" || table == "sqlite_temp_master") {
    if (action == SQLITE_INSERT) return "CREATE (a change to the schema)";
    if (action == SQLITE_DELETE) return "DROP (a change to the schema)";
    if (action == SQLITE_UPDATE)
      return "a change to the schema, or an internal full-text or spatial index";
  }
  switch (action) {
    case SQLITE_INSERT:
      return "INSERT into " + str(a);
    case SQLITE_UPDATE:
      return "UPDATE of " + str(a);
    case SQLITE_DELETE:
      return "DELETE from " + str(a);
    case SQLITE_ATTACH:
      return "ATTACH";
    case SQLITE_DETACH:
      return "DETACH";
    case SQLITE_PRAGMA:
      return "PRAGMA " + str(a);
    case SQLITE_TRANSACTION:
      return "transaction control (" + str(a) + ")";
    case SQLITE_SAVEPOINT:
      return "SAVEPOINT";
    case SQLITE_ALTER_TABLE:
      return "ALTER TABLE " + str(b);
    case SQLITE_REINDEX:
      return "REINDEX";
    case SQLITE_ANALYZE:
      return "ANALYZE";
    case SQLITE_CREATE_INDEX:
    case SQLITE_CREATE_TABLE:
    case SQLITE_CREATE_TEMP_INDEX:
    case SQLITE_CREATE_TEMP_TABLE:
    case SQLITE_CREATE_TEMP_TRIGGER:
    case SQLITE_CREATE_TEMP_VIEW:
    case SQLITE_CREATE_TRIGGER:
    case SQLITE_CREATE_VIEW:
    case SQLITE_CREATE_VTABLE:
      return "CREATE " + str(a);
    case SQLITE_DROP_INDEX:
    case SQLITE_DROP_TABLE:
    case SQLITE_DROP_TEMP_INDEX:
    case SQLITE_DROP_TEMP_TABLE:
    case SQLITE_DROP_TEMP_TRIGGER:
    case SQLITE_DROP_TEMP_VIEW:
    case SQLITE_DROP_TRIGGER:
    case SQLITE_DROP_VIEW:
    case SQLITE_DROP_VTABLE:
      return "DROP " + str(a);
    case SQLITE_FUNCTION:
      return "the function " + str(b);
    case SQLITE_READ:
      return "reading the table " + str(a);
    default:
      return "this kind of statement (authorizer action " + std::to_string(action) + ")";
  }
}

// Functions that reach outside the query's own values.
bool function_allowed(std::string_view name) {
  return name != "load_extension" && name != "fts3_tokenizer" && name != "readfile" &&
         name != "writefile" && name != "edit";
}

int authorize(void* user, int action, const char* a, const char* b, const char* db,
              const char* /*trigger_or_view*/) {
  auto& g = *static_cast<Guard*>(user);
  bool ok = false;
  switch (action) {
    case SQLITE_SELECT:
    case SQLITE_RECURSIVE:
      ok = true;
      break;
    case SQLITE_FUNCTION:
      ok = function_allowed(str(b));
      break;
    case SQLITE_READ: {
      // Only the main database's tables that table_allowed accepts. The database is unnamed
      // when a FROM item is read with no column (count(*)): then it is as the user spelled it.
      std::string table = str(a);
      if (db && str(db) != "main") break;
      auto it = g.decided.find(table);
      if (it == g.decided.end()) it = g.decided.emplace(table, (*g.table_allowed)(table)).first;
      ok = it->second;
      break;
    }
    default:
      break;
  }
  if (!ok) g.refused.push_back(what_is_refused(action, a, b));
  return ok ? SQLITE_OK : SQLITE_DENY;
}

int progress(void* user) {
  auto& g = *static_cast<Guard*>(user);
  if (Clock::now() < g.deadline) return 0;
  g.timed_out = true;
  return 1;
}

// Removes the hooks however the run ends: the connection goes back to a pool.
struct Hooks {
  sqlite3* db;
  Hooks(sqlite3* d, Guard& g) : db(d) {
    sqlite3_set_authorizer(db, authorize, &g);
    sqlite3_progress_handler(db, 1000, progress, &g);
  }
  ~Hooks() {
    sqlite3_set_authorizer(db, nullptr, nullptr);
    sqlite3_progress_handler(db, 0, nullptr, nullptr);
  }
};

struct StmtPtr {
  sqlite3_stmt* s = nullptr;
  ~StmtPtr() { sqlite3_finalize(s); }
};

bool only_space_and_comments(std::string_view rest) {
  std::size_t i = 0;
  while (i < rest.size()) {
    char c = rest[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ';') {
      ++i;
    } else if (rest.substr(i, 2) == "--") {
      while (i < rest.size() && rest[i] != '\n') ++i;
    } else if (rest.substr(i, 2) == "/*") {
      auto end = rest.find("*/", i + 2);
      i = end == std::string_view::npos ? rest.size() : end + 2;
    } else {
      return false;
    }
  }
  return true;
}

std::string field_type(sqlite3_stmt* s, int col, int storage) {
  if (const char* decl = sqlite3_column_decltype(s, col); decl && is_field_type(decl)) return decl;
  switch (storage) {
    case SQLITE_INTEGER:
      return "int";
    case SQLITE_FLOAT:
      return "numeric";
    default:
      return "text";
  }
}

Cell read_cell(sqlite3_stmt* s, int col, const std::string& type) {
  switch (sqlite3_column_type(s, col)) {
    case SQLITE_NULL:
      return std::monostate{};
    case SQLITE_INTEGER:
      if (type == "bool") return sqlite3_column_int64(s, col) != 0;
      return sqlite3_column_int64(s, col);
    case SQLITE_FLOAT:
      return sqlite3_column_double(s, col);
    case SQLITE_BLOB:
      return std::string("(binary)");
    default: {
      auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, col));
      return std::string(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(s, col)));
    }
  }
}

}  // namespace

SqlResult run_sandboxed_sql(catalog::sqlite::Connection& c, std::string_view sql,
                            const SqlLimits& limits,
                            const std::function<bool(const std::string&)>& table_allowed) {
  constexpr std::size_t kMaxSqlBytes = 100000;
  if (sql.size() > kMaxSqlBytes)
    throw BadRequest("SQL longer than " + std::to_string(kMaxSqlBytes) + " bytes");
  sqlite3* db = c.handle();
  // Values and nesting bounded so one query cannot take the server's memory (besides time).
  sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 16 * 1024 * 1024);
  sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);

  Guard g{
      &table_allowed, {}, {}, Clock::now() + std::chrono::milliseconds(limits.timeout_ms), false};
  Hooks hooks(db, g);
  auto refuse = [&](const std::string& why) -> BadRequest {
    return BadRequest("Not authorized: " + why +
                      " (datastore_search_sql runs one read-only SELECT over datastore tables)");
  };

  StmtPtr stmt;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt.s, &tail);
  if (!g.refused.empty()) throw refuse(g.refused.front());
  if (g.timed_out) throw BadRequest("query took too long to prepare");
  if (rc != SQLITE_OK) throw BadRequest(std::string("SQL error: ") + sqlite3_errmsg(db));
  if (!stmt.s) throw BadRequest("SQL error: no statement");
  std::string_view rest(tail, static_cast<std::size_t>(sql.data() + sql.size() - tail));
  if (!only_space_and_comments(rest)) throw refuse("more than one statement");
  // Belt and braces under the authorizer: a statement that returns no rows (VACUUM, BEGIN) or
  // that SQLite itself counts as writing is not a SELECT.
  if (!sqlite3_stmt_readonly(stmt.s) || sqlite3_column_count(stmt.s) == 0)
    throw refuse("a statement that is not a SELECT");

  SqlResult out;
  const int ncol = sqlite3_column_count(stmt.s);
  for (;;) {
    rc = sqlite3_step(stmt.s);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) {
      if (g.timed_out)
        throw BadRequest("query took too long (limit " + std::to_string(limits.timeout_ms) +
                         " ms)");
      if (!g.refused.empty()) throw refuse(g.refused.front());
      throw BadRequest(std::string("SQL error: ") + sqlite3_errmsg(db));
    }
    if (out.fields.empty()) {
      for (int i = 0; i < ncol; ++i)
        out.fields.push_back({sqlite3_column_name(stmt.s, i),
                              field_type(stmt.s, i, sqlite3_column_type(stmt.s, i)),
                              {}});
    }
    if (static_cast<std::int64_t>(out.records.size()) >= limits.max_rows) {
      out.truncated = true;
      break;
    }
    Row row;
    row.reserve(ncol);
    for (int i = 0; i < ncol; ++i) row.push_back(read_cell(stmt.s, i, out.fields[i].type));
    out.records.push_back(std::move(row));
  }
  if (out.fields.empty()) {
    for (int i = 0; i < ncol; ++i)
      out.fields.push_back(
          {sqlite3_column_name(stmt.s, i), field_type(stmt.s, i, SQLITE_TEXT), {}});
  }
  return out;
}

}  // namespace datamap::datastore

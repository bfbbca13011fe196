#include "catalog/sqlite/connection.h"

namespace datamap::catalog::sqlite {

void check(sqlite3* db, int rc, std::string_view what) {
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return;
  std::string message(what);
  message += ": ";
  message += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  throw SqliteError(db ? sqlite3_extended_errcode(db) : rc, message);
}

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
    check(db, rc, std::string("prepare \"").append(sql).append("\""));
  }
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

void Statement::bind(int i, std::string_view text) {
  // A null data pointer would bind SQL NULL; an empty string must stay an empty string.
  check(db_,
        sqlite3_bind_text64(stmt_, i, text.data() ? text.data() : "", text.size(), SQLITE_TRANSIENT,
                            SQLITE_UTF8),
        "bind");
}

void Statement::bind(int i, std::int64_t value) {
  check(db_, sqlite3_bind_int64(stmt_, i, value), "bind");
}

void Statement::bind_null(int i) {
  check(db_, sqlite3_bind_null(stmt_, i), "bind");
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // Leave the statement reusable; the error text stays on the connection until the next call.
  std::string message = std::string("step \"") + sqlite3_sql(stmt_) + "\": " + sqlite3_errmsg(db_);
  int code = sqlite3_extended_errcode(db_);
  sqlite3_reset(stmt_);
  throw SqliteError(code, message);
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string Statement::text(int col) const {
  return std::string(text_view(col));
}

std::string_view Statement::text_view(int col) const {
  const unsigned char* p = sqlite3_column_text(stmt_, col);
  if (!p) return {};
  return std::string_view(reinterpret_cast<const char*>(p),
                          static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
}

std::int64_t Statement::integer(int col) const {
  return sqlite3_column_int64(stmt_, col);
}

int Statement::columns() const {
  return sqlite3_column_count(stmt_);
}

bool Statement::is_null(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

Connection::Connection(const std::string& path, Mode mode) {
  int flags =
      SQLITE_OPEN_NOMUTEX |
      (mode == Mode::kReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message =
        "cannot open " + path + ": " + (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw SqliteError(rc, message);
  }
  sqlite3_extended_result_codes(db_, 1);
  // Waits for another process's write lock (e.g. `datamap user add` beside a running server)
  // instead of failing at once.
  sqlite3_busy_timeout(db_, 10000);
  exec("PRAGMA foreign_keys = ON");
}

Connection::~Connection() {
  cache_.clear();  // statements must be finalized before the handle closes
  sqlite3_close_v2(db_);
}

void Connection::exec(const char* sql) {
  char* error = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string message =
        std::string("exec \"") + sql + "\": " + (error ? error : sqlite3_errstr(rc));
    sqlite3_free(error);
    throw SqliteError(sqlite3_extended_errcode(db_), message);
  }
}

StatementLoan Connection::cached(const char* sql) {
  auto& slot = cache_[sql];
  if (!slot) slot = std::make_unique<Statement>(db_, sql);
  return StatementLoan(*slot);
}

std::int64_t Connection::changes() const {
  return sqlite3_changes64(db_);
}

std::int64_t Connection::pragma_integer(const char* pragma) {
  Statement s(db_, std::string("PRAGMA ") + pragma);
  return s.step() ? s.integer(0) : 0;
}

}  // namespace datamap::catalog::sqlite

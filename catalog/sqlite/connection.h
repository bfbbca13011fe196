// RAII for SQLite: a Connection owns one sqlite3 handle and a cache of its prepared statements;
// a Statement owns one sqlite3_stmt. Values are only ever bound, never spliced into SQL text.
// A Connection is used by one thread at a time (connections are opened SQLITE_OPEN_NOMUTEX).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

namespace datamap::catalog::sqlite {

// A failed SQLite call; `code` is the extended result code (e.g. SQLITE_CONSTRAINT_UNIQUE).
class SqliteError : public std::runtime_error {
 public:
  SqliteError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are 1-based, as in SQLite. Text and blobs are copied (SQLITE_TRANSIENT), so a
  // temporary argument is safe.
  void bind(int i, std::string_view text);
  void bind(int i, const std::string& text) { bind(i, std::string_view(text)); }
  void bind(int i, const char* text) { bind(i, std::string_view(text)); }
  void bind(int i, std::int64_t value);
  void bind(int i, int value) { bind(i, static_cast<std::int64_t>(value)); }
  void bind(int i, bool value) { bind(i, static_cast<std::int64_t>(value ? 1 : 0)); }
  void bind(int i, std::size_t value) { bind(i, static_cast<std::int64_t>(value)); }
  void bind_null(int i);

  template <typename... Args>
  void bind_all(const Args&... args) {
    int i = 0;
    (bind(++i, args), ...);
  }

  // True when a row is ready, false when done; throws SqliteError on failure.
  bool step();
  // Runs a statement that returns no rows.
  void run() {
    while (step()) {
    }
  }
  // Resets the statement and clears its bindings, ending any read it held open.
  void reset();

  std::string text(int col) const;
  std::string_view text_view(int col) const;  // valid until the next step() or reset()
  std::int64_t integer(int col) const;
  bool is_null(int col) const;
  int columns() const;  // of the result

 private:
  sqlite3_stmt* stmt_ = nullptr;
  sqlite3* db_ = nullptr;
};

// A cached statement on loan: reset (and its read released) when the loan goes out of scope.
class StatementLoan {
 public:
  explicit StatementLoan(Statement& s) : s_(&s) {}
  ~StatementLoan() { s_->reset(); }
  StatementLoan(const StatementLoan&) = delete;
  StatementLoan& operator=(const StatementLoan&) = delete;
  Statement* operator->() { return s_; }
  Statement& operator*() { return *s_; }

 private:
  Statement* s_;
};

class Connection {
 public:
  enum class Mode { kReadWrite, kReadOnly };
  // Opens (creating when kReadWrite) the database at `path`. Sets busy_timeout and foreign_keys.
  Connection(const std::string& path, Mode mode);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs SQL text with no parameters (schema, pragmas, BEGIN/COMMIT).
  void exec(const char* sql);
  // The cached prepared statement for `sql` (a string literal: the cache is keyed by its address).
  StatementLoan cached(const char* sql);
  std::int64_t changes() const;
  sqlite3* handle() const { return db_; }

  std::int64_t pragma_integer(const char* pragma);

 private:
  sqlite3* db_ = nullptr;
  std::unordered_map<const char*, std::unique_ptr<Statement>> cache_;
};

// Throws SqliteError with the connection's message when rc is not OK.
void check(sqlite3* db, int rc, std::string_view what);

// BEGIN IMMEDIATE ... COMMIT on a connection, rolled back unless committed.
class WriteTx {
 public:
  explicit WriteTx(Connection& c) : c_(c) { c_.cached("BEGIN IMMEDIATE")->run(); }
  ~WriteTx() {
    if (!done_) sqlite3_exec(c_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
  WriteTx(const WriteTx&) = delete;
  WriteTx& operator=(const WriteTx&) = delete;
  void commit() {
    c_.cached("COMMIT")->run();
    done_ = true;
  }

 private:
  Connection& c_;
  bool done_ = false;
};

}  // namespace datamap::catalog::sqlite

// A small RAII layer over libpq: one Connection owns one PGconn, a Result owns one PGresult.
// Every value reaches the server as a bound parameter (never spliced into SQL text); statements
// run through exec() are prepared once per connection and reused. A Connection is used by one
// thread at a time (the store leases them). Errors:
//   - the server refusing a statement: PgError (SQLSTATE and constraint name kept, so callers
//     map a unique violation to ValidationError the way the SQLite store does);
//   - text that PostgreSQL cannot store (a NUL byte): ValidationError, before anything is sent;
//   - a connection that cannot be opened or is lost, or a server shutting down or starting up:
//     DatabaseUnavailable (catalog/errors.h, a 503 over HTTP) naming the server, never the
//     password.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace datamap::catalog::postgres {

class PgError : public std::runtime_error {
 public:
  PgError(const std::string& message, std::string sqlstate, std::string constraint)
      : std::runtime_error(message),
        sqlstate_(std::move(sqlstate)),
        constraint_(std::move(constraint)) {}
  const std::string& sqlstate() const { return sqlstate_; }
  const std::string& constraint() const { return constraint_; }  // "" when none
  bool is_unique_violation(std::string_view constraint) const {
    return sqlstate_ == "23505" && constraint_ == constraint;
  }
  // A serialization failure or a deadlock: the server rolled the transaction back and the same
  // transaction run again may well succeed.
  bool is_conflict() const { return sqlstate_ == "40001" || sqlstate_ == "40P01"; }

 private:
  std::string sqlstate_, constraint_;
};

// One statement's rows, in libpq's text format.
class Result {
 public:
  explicit Result(PGresult* r) : r_(r, &PQclear) {}
  int rows() const { return PQntuples(r_.get()); }
  bool empty() const { return rows() == 0; }
  std::string text(int row, int col) const {
    return std::string(PQgetvalue(r_.get(), row, col),
                       static_cast<std::size_t>(PQgetlength(r_.get(), row, col)));
  }
  std::string_view text_view(int row, int col) const {
    return {PQgetvalue(r_.get(), row, col),
            static_cast<std::size_t>(PQgetlength(r_.get(), row, col))};
  }
  std::int64_t integer(int row, int col) const;
  bool boolean(int row, int col) const { return text_view(row, col) == "t"; }
  bool is_null(int row, int col) const { return PQgetisnull(r_.get(), row, col) != 0; }
  // Rows changed by an INSERT, UPDATE or DELETE.
  std::int64_t affected() const;
  int columns() const { return PQnfields(r_.get()); }
  std::string column_name(int col) const { return PQfname(r_.get(), col); }
  Oid column_type(int col) const { return PQftype(r_.get(), col); }
  // The table a result column is read straight from (InvalidOid for an expression), and its
  // column number there.
  Oid column_table(int col) const { return PQftable(r_.get(), col); }
  int column_table_column(int col) const { return PQftablecol(r_.get(), col); }

 private:
  std::unique_ptr<PGresult, void (*)(PGresult*)> r_;
};

// One row of a Result as the shared row mappings (catalog/activity_rows.h, demand_rows.h) read
// it, from column `first` on.
struct ResultRow {
  const Result& r;
  int row;
  int first = 0;
  std::string text(int col) const { return r.text(row, first + col); }
  std::int64_t integer(int col) const { return r.integer(row, first + col); }
  bool flag(int col) const { return r.boolean(row, first + col); }
  bool is_null(int col) const { return r.is_null(row, first + col); }
};

// Parameters in text format: strings as they are, integers in decimal, booleans as t/f, an
// empty optional as NULL.
class Params {
 public:
  template <typename... Args>
  explicit Params(const Args&... args) {
    values_.reserve(sizeof...(args));
    (add(args), ...);
  }
  void add(std::string_view s);
  void add(const std::string& s) { add(std::string_view(s)); }
  void add(const char* s) { add(std::string_view(s)); }
  void add(bool b) { values_.emplace_back(b ? "t" : "f"); }
  template <typename T>
  requires(std::is_integral_v<T> && !std::is_same_v<T, bool>) void add(T n) {
    values_.push_back(std::to_string(n));
  }
  // NULL when empty (LIMIT NULL: no limit).
  void add(const std::optional<std::int64_t>& n) {
    if (n)
      add(*n);
    else
      values_.emplace_back(std::nullopt);
  }
  // A text[] parameter (for `= ANY($n)`), written in PostgreSQL's array literal syntax.
  void add(const std::vector<std::string>& list);
  const std::vector<std::optional<std::string>>& values() const { return values_; }

 private:
  std::vector<std::optional<std::string>> values_;
};

class Connection {
 public:
  // `url`: a libpq connection URI or key=value string (postgresql://user@host:port/db).
  explicit Connection(const std::string& url);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one statement (prepared on first use, by its text) with these parameters.
  template <typename... Args>
  Result exec(const std::string& sql, const Args&... args) {
    return run(sql, Params(args...));
  }
  Result run(const std::string& sql, const Params& params);
  // Runs one statement without preparing it (nor keeping it): SQL built per request (the
  // DataStore's searches) or given by a user, which would otherwise fill the statement cache.
  Result run_unprepared(const std::string& sql, const Params& params);
  // Runs SQL text without parameters (may hold several statements: schema steps, BEGIN).
  void script(const std::string& sql);
  // A notification received by LISTEN, if one is waiting (after wait_readable / consume).
  std::optional<std::string> next_notification();
  // Blocks up to timeout_ms for input on the connection; false on timeout.
  bool wait_readable(int timeout_ms);
  PGconn* handle() { return c_.get(); }
  bool in_transaction() const;
  // Whether a connection kept idle may be used again: still open, outside a transaction, and
  // with nothing from the server waiting to be read (an idle session is sent nothing unless
  // the server is ending it: a restart, a failover, an administrator's terminate).
  bool usable_when_idle();
  // Opens the connection again (same URL, nothing prepared) unless usable_when_idle(): for an
  // owner that keeps one connection for its life (the DataStore's writer). Throws
  // DatabaseUnavailable when no server answers; the next refresh() tries again.
  void refresh();
  // Throws the error of a failed result `r` (taking it) as PgError, or runtime_error when the
  // connection is lost; for callers driving libpq themselves (COPY).
  [[noreturn]] void fail(PGresult* r, const std::string& sql);

 private:
  void open();

  const std::string url_;
  std::unique_ptr<PGconn, void (*)(PGconn*)> c_;
  std::map<std::string, std::string, std::less<>> prepared_;  // SQL text -> statement name
};

// One transaction on `c`, begun with `begin` ("BEGIN", "BEGIN ISOLATION LEVEL … READ ONLY"): the
// one way this code opens one. Destroyed without commit() (an exception on the way) it is rolled
// back; quietly, since it may be unwinding from a lost connection, whose transaction the server
// already ended. A failed COMMIT ends the transaction too (the server rolled it back).
class TransactionScope {
 public:
  explicit TransactionScope(Connection& c, const char* begin = "BEGIN");
  ~TransactionScope();
  TransactionScope(const TransactionScope&) = delete;
  TransactionScope& operator=(const TransactionScope&) = delete;
  void commit();

 private:
  Connection& c_;
  bool open_ = true;
};

// True when `catalog` names a PostgreSQL catalog (postgresql:// or postgres:// URL).
bool is_postgres_url(std::string_view catalog);

}  // namespace datamap::catalog::postgres

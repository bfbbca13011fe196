#include "catalog/postgres/pg_connection.h"

#include <poll.h>

#include <charconv>

#include "catalog/database_unavailable.h"
#include "catalog/redact.h"

namespace datamap::catalog::postgres {

std::int64_t Result::integer(int row, int col) const {
  std::string_view v = text_view(row, col);
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || end != v.data() + v.size())
    throw std::runtime_error("PostgreSQL returned a non-integer where one was expected");
  return n;
}

std::int64_t Result::affected() const {
  const char* n = PQcmdTuples(r_.get());
  return n && *n ? std::stoll(n) : 0;
}

void Params::add(std::string_view s) {
  // libpq passes text parameters as C strings: a NUL would silently cut the value short, and
  // PostgreSQL's text type cannot hold one anyway. Refused, not truncated.
  if (s.find('\0') != std::string_view::npos)
    throw ValidationError("text", "Text may not contain the NUL character (\\0)");
  values_.emplace_back(s);
}

void Params::add(const std::vector<std::string>& list) {
  std::string out = "{";
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (list[i].find('\0') != std::string::npos)
      throw ValidationError("text", "Text may not contain the NUL character (\\0)");
    if (i) out += ',';
    out += '"';
    for (char ch : list[i]) {
      if (ch == '"' || ch == '\\') out += '\\';
      out += ch;
    }
    out += '"';
  }
  out += '}';
  values_.push_back(std::move(out));
}

Connection::Connection(const std::string& url) : url_(url), c_(nullptr, &PQfinish) {
  open();
}

void Connection::refresh() {
  if (c_ && usable_when_idle()) return;
  prepared_.clear();  // statements die with their session
  open();
}

void Connection::open() {
  c_.reset(PQconnectdb(url_.c_str()));
  if (!c_ || PQstatus(c_.get()) != CONNECTION_OK) {
    std::string why = c_ ? PQerrorMessage(c_.get()) : "out of memory";
    while (!why.empty() && why.back() == '\n') why.pop_back();
    c_.reset();
    throw DatabaseUnavailable("cannot connect to the PostgreSQL catalog " + redact_secrets(url_) +
                              ": " + redact_secrets(why));
  }
  // Server notices ("relation already exists, skipping" on a reopen) are not errors; libpq would
  // print each on stderr.
  PQsetNoticeProcessor(
      c_.get(), [](void*, const char*) {}, nullptr);
  // Timestamps and text come back the same whatever the server's defaults are.
  script("SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'");
}

void Connection::fail(PGresult* r, const std::string& sql) {
  std::string message = r ? PQresultErrorMessage(r) : PQerrorMessage(c_.get());
  std::string state, constraint;
  if (r) {
    if (const char* s = PQresultErrorField(r, PG_DIAG_SQLSTATE)) state = s;
    if (const char* s = PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME)) constraint = s;
    PQclear(r);
  }
  while (!message.empty() && message.back() == '\n') message.pop_back();
  // Class 08 is a connection exception; 57P01-57P03 a server shutting down, crashed or not yet
  // accepting sessions: the database is away, not the statement wrong.
  if (PQstatus(c_.get()) != CONNECTION_OK || state.starts_with("08") || state == "57P01" ||
      state == "57P02" || state == "57P03")
    throw DatabaseUnavailable("lost the connection to the PostgreSQL catalog: " + message);
  throw PgError(message + " (in: " + sql.substr(0, 120) + ")", state, constraint);
}

Result Connection::run(const std::string& sql, const Params& params) {
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    std::string name("s");  // (not "s" + ...: GCC 12 -Wrestrict false positive)
    name += std::to_string(prepared_.size() + 1);
    PGresult* r = PQprepare(c_.get(), name.c_str(), sql.c_str(), 0, nullptr);
    if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) fail(r, sql);
    PQclear(r);
    it = prepared_.emplace(sql, std::move(name)).first;
  }
  const auto& values = params.values();
  std::vector<const char*> ptrs;
  ptrs.reserve(values.size());
  for (const auto& v : values) ptrs.push_back(v ? v->c_str() : nullptr);
  PGresult* r = PQexecPrepared(c_.get(), it->second.c_str(), static_cast<int>(ptrs.size()),
                               ptrs.data(), nullptr, nullptr, 0);
  const auto status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(r, sql);
  return Result(r);
}

Result Connection::run_unprepared(const std::string& sql, const Params& params) {
  const auto& values = params.values();
  std::vector<const char*> ptrs;
  ptrs.reserve(values.size());
  for (const auto& v : values) ptrs.push_back(v ? v->c_str() : nullptr);
  PGresult* r = PQexecParams(c_.get(), sql.c_str(), static_cast<int>(ptrs.size()), nullptr,
                             ptrs.data(), nullptr, nullptr, 0);
  const auto status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(r, sql);
  return Result(r);
}

void Connection::script(const std::string& sql) {
  PGresult* r = PQexec(c_.get(), sql.c_str());
  const auto status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(r, sql);
  PQclear(r);
}

std::optional<std::string> Connection::next_notification() {
  PQconsumeInput(c_.get());
  PGnotify* n = PQnotifies(c_.get());
  if (!n) return std::nullopt;
  std::string payload = n->extra ? n->extra : "";
  PQfreemem(n);
  return payload;
}

bool Connection::wait_readable(int timeout_ms) {
  pollfd p{PQsocket(c_.get()), POLLIN, 0};
  if (p.fd < 0) throw DatabaseUnavailable("lost the connection to the PostgreSQL catalog");
  return ::poll(&p, 1, timeout_ms) > 0;
}

bool Connection::in_transaction() const {
  return PQtransactionStatus(c_.get()) != PQTRANS_IDLE;
}

bool Connection::usable_when_idle() {
  if (PQstatus(c_.get()) != CONNECTION_OK || in_transaction()) return false;
  pollfd p{PQsocket(c_.get()), POLLIN, 0};
  return p.fd >= 0 && ::poll(&p, 1, 0) == 0;
}

TransactionScope::TransactionScope(Connection& c, const char* begin) : c_(c) {
  c_.script(begin);
}

TransactionScope::~TransactionScope() {
  if (open_ && PQstatus(c_.handle()) == CONNECTION_OK && c_.in_transaction())
    PQclear(PQexec(c_.handle(), "ROLLBACK"));
}

void TransactionScope::commit() {
  open_ = false;  // a COMMIT that fails has ended the transaction as well
  c_.script("COMMIT");
}

bool is_postgres_url(std::string_view catalog) {
  return catalog.starts_with("postgresql://") || catalog.starts_with("postgres://");
}

}  // namespace datamap::catalog::postgres

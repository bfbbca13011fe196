#include "catalog/postgres/pg_copy_in.h"

namespace datamap::catalog::postgres {

CopyIn::CopyIn(Connection& c, const std::string& sql) : c_(c), sql_(sql) {
  PGresult* r = PQexec(c_.handle(), sql.c_str());
  if (!r || PQresultStatus(r) != PGRES_COPY_IN) c_.fail(r, sql);
  PQclear(r);
  open_ = true;
}

CopyIn::~CopyIn() {
  if (!open_) return;
  PQputCopyEnd(c_.handle(), "abandoned");  // the transaction then rolls back
  while (PGresult* r = PQgetResult(c_.handle())) PQclear(r);
}

void CopyIn::finish() {
  flush();
  open_ = false;
  if (PQputCopyEnd(c_.handle(), nullptr) != 1) c_.fail(nullptr, sql_);
  PGresult* r = PQgetResult(c_.handle());
  if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
    while (PGresult* rest = PQgetResult(c_.handle())) PQclear(rest);
    c_.fail(r, sql_);
  }
  PQclear(r);
  while (PGresult* rest = PQgetResult(c_.handle())) PQclear(rest);
}

void CopyIn::flush() {
  if (buffer_.empty()) return;
  if (PQputCopyData(c_.handle(), buffer_.data(), static_cast<int>(buffer_.size())) != 1)
    c_.fail(nullptr, sql_);
  buffer_.clear();
}

void append_copy_text(std::string_view text, std::string& line) {
  for (char ch : text) {
    switch (ch) {
      case '\\':
        line += "\\\\";
        break;
      case '\t':
        line += "\\t";
        break;
      case '\n':
        line += "\\n";
        break;
      case '\r':
        line += "\\r";
        break;
      default:
        line += ch;
    }
  }
}

}  // namespace datamap::catalog::postgres

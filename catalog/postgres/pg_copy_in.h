// COPY … FROM STDIN on a Connection: rows written as lines of COPY's text format into a buffer,
// sent to the server in large chunks. The bulk path of the DataStore's loads and of
// `datamap migrate` (many times faster than one INSERT per row).
//
// Contract: the constructor starts the COPY (throws the server's error); finish() ends it and
// throws when the server refused a line; an object destroyed before finish() abandons the COPY,
// which makes the enclosing transaction fail (roll it back).
#pragma once

#include <string>
#include <string_view>

#include "catalog/postgres/pg_connection.h"

namespace datamap::catalog::postgres {

class CopyIn {
 public:
  CopyIn(Connection& c, const std::string& sql);
  CopyIn(const CopyIn&) = delete;
  CopyIn& operator=(const CopyIn&) = delete;
  ~CopyIn();
  // The line being built: append fields (append_copy_text, "\\N" for NULL), tabs and '\n'.
  std::string& buffer() { return buffer_; }
  void flush_if_full() {
    if (buffer_.size() >= (1 << 20)) flush();
  }
  void finish();

 private:
  void flush();
  Connection& c_;
  std::string sql_;
  std::string buffer_;
  bool open_ = false;
};

// `text` appended as one field of COPY's text format (backslash, tab, newline and carriage return
// escaped). The caller refuses NUL first: PostgreSQL's text cannot hold it.
void append_copy_text(std::string_view text, std::string& line);

}  // namespace datamap::catalog::postgres

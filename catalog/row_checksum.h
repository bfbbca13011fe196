// A SHA-256 over a table's rows in a canonical text form, computed the same way wherever the rows
// are read from (`datamap migrate` reads each table on SQLite and on PostgreSQL and compares):
// each value is "-" for NULL or "=" <byte length> ":" <bytes>, each row ends with "\n", rows in
// the order the caller reads them (key order). Lengths make the form unambiguous: no value can
// pass for two, nor a row boundary for a value.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace datamap::catalog {

class RowChecksum {
 public:
  RowChecksum();
  ~RowChecksum();
  RowChecksum(const RowChecksum&) = delete;
  RowChecksum& operator=(const RowChecksum&) = delete;

  void null();
  void value(std::string_view text);
  // The value `tag` followed by `text` (a typed value: its type's letter, then its text).
  void value(char tag, std::string_view text);
  void end_row();
  std::int64_t rows() const { return rows_; }
  // The digest in lower-case hex; the checksum takes no more rows after it.
  std::string hex();

 private:
  void feed(std::string_view bytes);
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
  std::string pending_;  // fed in chunks: one EVP update per value would dominate the cost
  std::int64_t rows_ = 0;
};

}  // namespace datamap::catalog

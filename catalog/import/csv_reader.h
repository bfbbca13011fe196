// An RFC 4180 CSV reader that streams one record at a time over text already in memory:
// quoted fields may span lines and contain doubled quotes; lines end in LF, CRLF or CR.
// A record that breaks the quoting rules comes back with `error` set and reading resumes at the
// physical line after that record's first line, so one broken row never swallows the rest.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace datamap::catalog::importer {

struct CsvRecord {
  std::vector<std::string> fields;
  std::size_t line = 0;        // 1-based physical line where the record starts
  std::size_t end_offset = 0;  // byte offset just past the record (for progress)
  std::string error;           // non-empty: the record is broken; `fields` is unreliable
};

class CsvReader {
 public:
  // `text` must outlive the reader. Records larger than `max_record_bytes` are reported broken
  // (an unterminated quote would otherwise make the rest of the file one field).
  explicit CsvReader(std::string_view text, std::size_t max_record_bytes = 1 << 20);

  // Fills `out` with the next record; false at the end of the input. Empty lines are skipped.
  bool next(CsvRecord& out);

 private:
  bool read_record(CsvRecord& out);
  void resync_after(std::size_t record_start);

  std::string_view text_;
  std::size_t max_record_bytes_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
};

}  // namespace datamap::catalog::importer

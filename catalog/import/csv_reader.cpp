#include "catalog/import/csv_reader.h"

#include <cstring>

namespace datamap::catalog::importer {

CsvReader::CsvReader(std::string_view text, std::size_t max_record_bytes)
    : text_(text), max_record_bytes_(max_record_bytes) {}

bool CsvReader::next(CsvRecord& out) {
  for (;;) {
    if (pos_ >= text_.size()) return false;
    // Skip empty lines: they are not records.
    char c = text_[pos_];
    if (c == '\n' || c == '\r') {
      pos_ += (c == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ? 2 : 1;
      ++line_;
      continue;
    }
    std::size_t start = pos_;
    std::size_t start_line = line_;
    if (read_record(out)) return true;
    // Broken: report it, then continue at the line after the record's first line.
    out.line = start_line;
    pos_ = start;
    line_ = start_line;
    resync_after(start);
    out.end_offset = pos_;
    return true;
  }
}

void CsvReader::resync_after(std::size_t record_start) {
  std::size_t p = record_start;
  while (p < text_.size() && text_[p] != '\n' && text_[p] != '\r') ++p;
  if (p < text_.size())
    p += (text_[p] == '\r' && p + 1 < text_.size() && text_[p + 1] == '\n') ? 2 : 1;
  pos_ = p;
  ++line_;
}

// Returns false (with out.error set) when the record breaks the quoting rules.
bool CsvReader::read_record(CsvRecord& out) {
  const std::size_t start = pos_;
  const std::size_t n = text_.size();
  const char* s = text_.data();
  std::size_t fields = 0;
  out.line = line_;
  out.error.clear();
  auto field = [&]() -> std::string& {
    if (fields == out.fields.size()) out.fields.emplace_back();
    std::string& f = out.fields[fields++];
    f.clear();
    return f;
  };
  std::size_t p = pos_;
  for (;;) {
    std::string& f = field();
    if (p < n && s[p] == '"') {
      ++p;
      for (;;) {
        if (p - start > max_record_bytes_) {
          out.error = "quoted field runs past " + std::to_string(max_record_bytes_ >> 20) +
                      " MiB: unterminated quote";
          return false;
        }
        const void* q = std::memchr(s + p, '"', n - p);
        std::size_t stop = q ? static_cast<std::size_t>(static_cast<const char*>(q) - s) : n;
        if (stop - start > max_record_bytes_) stop = start + max_record_bytes_ + 1;
        for (std::size_t i = p; i < stop; ++i)
          if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= n || s[i + 1] != '\n'))) ++line_;
        f.append(s + p, stop - p);
        p = stop;
        if (p >= n) {
          out.error = "unterminated quoted field (no closing \")";
          return false;
        }
        if (s[p] != '"') continue;  // the record-size guard above fires next
        if (p + 1 < n && s[p + 1] == '"') {
          f.push_back('"');
          p += 2;
          continue;
        }
        ++p;  // closing quote
        break;
      }
      if (p < n && s[p] != ',' && s[p] != '\n' && s[p] != '\r') {
        out.error = "unexpected text after a closing quote";
        return false;
      }
    } else {
      std::size_t q = p;
      while (q < n && s[q] != ',' && s[q] != '\n' && s[q] != '\r') ++q;
      f.assign(s + p, q - p);
      p = q;
    }
    if (p >= n) break;
    if (s[p] == ',') {
      ++p;
      continue;
    }
    // End of line ends the record.
    p += (s[p] == '\r' && p + 1 < n && s[p + 1] == '\n') ? 2 : 1;
    ++line_;
    break;
  }
  out.fields.resize(fields);
  pos_ = p;
  out.end_offset = p;
  return true;
}

}  // namespace datamap::catalog::importer

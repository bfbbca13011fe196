// The loader's readers: each opens one tabular file and hands its records, as UTF-8 text cells,
// to a callback in file order — the header row (when there is one) included, so that header
// detection is the same for every format. Readers stream: memory does not grow with the file.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "datastore/loader.h"
#include "datastore/loader/format.h"

namespace datamap::datastore::loader {

// Called with each record's cells and its 1-based line (CSV physical line, sheet row, JSON
// element); returns false to stop reading. The cells may be moved from.
using RecordFn = std::function<bool(std::vector<std::string>& cells, std::int64_t line)>;

class RecordReader {
 public:
  virtual ~RecordReader() = default;
  // Reads the whole file (or until `each` returns false). Throws LoadError.
  virtual void read(const RecordFn& each) = 0;
  // Column names the format itself gives (JSON object keys, in order of first appearance),
  // growing during read() (before each record that uses a new key); null when the first record is
  // the (possible) header row.
  virtual const std::vector<std::string>* column_names() const { return nullptr; }
  virtual std::uint64_t bytes_read() const = 0;
  // False while no text read so far holds a byte that starts a decomposed Korean or combining
  // character (loader.cpp's may_need_nfc), so that no value yet needs the per-value NFC check;
  // true from the first such byte on, and always for a reader that does not look.
  virtual bool may_hold_decomposed() const { return true; }
  // Filled in by the reader: encoding, delimiter, warnings about the bytes.
  std::string encoding;
  std::string delimiter;
  std::vector<std::string> warnings;
};

std::unique_ptr<RecordReader> open_csv_reader(const std::string& path, std::string_view hint,
                                              const LoadLimits& limits);
std::unique_ptr<RecordReader> open_spreadsheet_reader(const std::string& path, Format format,
                                                      const LoadLimits& limits);
std::unique_ptr<RecordReader> open_json_reader(const std::string& path, const LoadLimits& limits);

}  // namespace datamap::datastore::loader

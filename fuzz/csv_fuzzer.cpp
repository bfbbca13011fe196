// catalog/import: encoding detection (UTF-8, UTF-8 with BOM, CP949) and the RFC 4180 CSV reader,
// as `datamap import` and data.go.kr harvests run them on uploaded or fetched files. A CP949
// conversion failure is the one error allowed (std::runtime_error, reported as a bad file).
#include <stdexcept>
#include <string>

#include "catalog/import/csv_reader.h"
#include "catalog/import/encoding.h"
#include "catalog/text.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace datamap::catalog::importer;
  std::string_view bytes = datamap::fuzz::as_text(data, size);
  (void)detect_encoding(bytes);
  std::string text;
  try {
    Encoding detected;
    text = to_utf8_text(std::string(bytes), detected);
  } catch (const std::runtime_error&) {
    text = std::string(bytes);  // the reader must survive bytes that are not text at all
  }
  (void)datamap::catalog::is_valid_utf8(text);
  // A small record limit too, so the "record too large" resynchronisation is reached.
  for (std::size_t limit : {std::size_t{1} << 20, std::size_t{64}}) {
    CsvReader reader(text, limit);
    CsvRecord record;
    std::size_t last_end = 0;
    while (reader.next(record)) {
      if (record.end_offset < last_end || record.end_offset > text.size()) __builtin_trap();
      last_end = record.end_offset;
    }
  }
  return 0;
}

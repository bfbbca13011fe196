// Imports catalog files into the Store: the library behind `datamap import`, used by the CLI,
// the harvesters and the tests. The format (format.h) and the encoding (encoding.h) are found
// from the content; records are mapped by the format's reader and written by the Upserter
// (upserter.h): idempotent, in batches, one bad record rejected with its reason and skipped.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "catalog/import/record.h"
#include "catalog/store.h"

namespace datamap::catalog::importer {

struct ImportOptions {
  std::size_t batch_size = 2000;  // records per Store::write transaction, at first
  // Batches grow with the import up to this many records (Upserter): the bytes an import writes
  // to disk then stay a small multiple of the catalog's size at a million rows.
  std::size_t max_batch_size = 50000;
  std::string source;             // Dataset::source label; "" = the reader's default
  // Called now and then with how much of the input has been read (bytes of decoded text).
  std::function<void(std::size_t done, std::size_t total)> progress;
};

// `bytes` as they came (plain, xz or gzip; UTF-8 or CP949). Throws BadRequest when the input
// as a whole cannot be imported: unknown format, a format with no reader, not a data.go.kr list,
// JSON that does not parse. Records written before such a failure stay written.
ImportSummary import_bytes(Store& store, std::string bytes, const ImportOptions& options = {});

// Reads the file (read_input_file) and imports it. Throws std::runtime_error if unreadable.
ImportSummary import_file(Store& store, const std::string& path, const ImportOptions& options = {});

}  // namespace datamap::catalog::importer

// load_file: one tabular file (CSV/TSV, XLSX, XLS, JSON array of objects, or a zip holding one of
// these) becomes a typed, profiled DataStore table, with flat memory. One pass reads the file:
// it detects format, encoding, delimiter and header, profiles every column (type, counts,
// min/max, top values, semantic type, standard term, value sketch) and writes the typed rows
// through TableStore::replace_table as it goes (loader/table_feed.h: the types are decided from
// the first rows, held in memory; a later value that widens a type makes a second pass with
// the final types). The rows are committed (TableWriter::commit_rows), so the table is
// queryable; a last phase then builds its B-tree, full-text and point indexes
// (TableStore::build_search_indexes). Every row of the file is kept:
// a ragged row is padded or widened and reported in the warnings, never dropped.
//
// Errors are LoadError (message, 1-based line and column where known); nothing is written to the
// store unless the rows are all read and typed (the previous table stays as it was). An error in
// the full-text phase leaves the new rows queryable and their full text pending.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/model.h"
#include "catalog/standard_terms.h"
#include "datastore/table_store.h"

namespace datamap::datastore {

struct LoadLimits {
  std::size_t max_columns = 2000;
  std::size_t max_cell_bytes = 1 << 20;  // one value (a CSV field, a JSON string)
  std::int64_t max_rows = -1;            // -1: unlimited
  std::uint64_t max_file_bytes = 0;      // 0: unlimited (the upload limit is the caller's)
  // Archives (a zip, and the zip inside every XLSX): checked while decompressing, before GDAL
  // or the CSV reader sees a byte, so a zip bomb is refused with bounded time and memory.
  std::uint64_t max_uncompressed_bytes = std::uint64_t{2} << 30;
  double max_compression_ratio = 200;  // uncompressed / compressed, over the whole archive
  // Exact distinct counting and top values per column use at most this many bytes of values;
  // past it the distinct count becomes a HyperLogLog estimate (ColumnProfile::distinct_estimated).
  std::size_t distinct_bytes_per_column = 8 << 20;
  // Invalid bytes in the file's encoding: false (default) replaces each with U+FFFD and counts
  // them in a warning naming the first line and byte; true makes the first one a LoadError.
  bool strict_encoding = false;
};

struct LoadResult;

struct LoadProgress {
  // "profile" (the pass over the file, which also writes the rows), "load" (the rows being
  // committed, or a second pass over the file writing them), "full_text" (the rows are
  // queryable; their indexes are being built).
  const char* phase = "";
  std::int64_t rows = 0;
  std::uint64_t bytes_read = 0;   // of the (uncompressed) input
  std::uint64_t bytes_total = 0;  // 0 when unknown
};

struct LoadOptions {
  LoadLimits limits;
  // Called every few thousand rows and at the end of each pass.
  std::function<void(const LoadProgress&)> progress;
  // Set from another thread to stop the load: it ends with LoadError "load aborted".
  const std::atomic<bool>* abort = nullptr;
  // The catalog's organizations by their code (기관코드): returns the organization id or "".
  // 제공기관코드 columns are matched through it (datastore/ does not call api/).
  std::function<std::string(std::string_view code)> organization_by_code;
  // Header names are matched to these common standard terms; null: no matching.
  const catalog::StandardTermIndex* standard_terms = nullptr;
  // Where a zip's member is extracted to for the duration of the load ("" = the system's).
  std::string temp_dir;
  // Called once the rows are committed and queryable, before the full-text phase (the load queue
  // writes the column profile into the catalog there). An exception ends the load.
  std::function<void(const LoadResult&)> rows_ready;
  // Near pairs (near.h): points of two resources within this many metres; 0: not measured.
  double near_within_m = 300;
  // Near pairs: the prepared point sets kept between measures, in bytes (near_measurer.h).
  std::size_t near_cache_bytes = std::size_t{256} << 20;
  // The rows held in memory, in bytes, before the column types are decided from their profile
  // and the rows written as they come (loader/table_feed.h). A file that fits is typed from its
  // whole profile; a bigger one needs a second pass when a later value widens a column's type.
  std::size_t type_sample_bytes = std::size_t{32} << 20;
  // The rows after those are typed and written into the table on a second thread while this one
  // reads and profiles the rows after them (loader/async_row_writer.h); false: by this thread
  // (the table is the same either way; bench_load compares the two).
  bool write_thread = true;
};

struct LoadResult {
  std::int64_t rows = 0;
  std::string format;      // "CSV", "TSV", "XLSX", "XLS", "JSON"; "ZIP/CSV" for a zip member
  std::string encoding;    // "UTF-8", "UTF-8 (BOM)", "CP949", "UTF-16LE", ...
  std::string delimiter;   // "," ";" "\t" "|" for CSV/TSV, "" otherwise
  bool header_row = true;  // false: the first row was data and columns are named column_1...
  std::vector<std::string> warnings;
  std::vector<catalog::ColumnProfile> columns;  // each with its validation (validator.h)
  catalog::ResourceValidation validation;       // the validator's summary of the first pass
  TableOptions table;  // what replace_table was given (point = the latitude/longitude pair)
};

class LoadError : public std::runtime_error {
 public:
  explicit LoadError(const std::string& message, std::int64_t line = 0, std::int64_t column = 0)
      : std::runtime_error(message), line(line), column(column) {}
  std::int64_t line;    // 1-based physical line (CSV), row (XLSX, JSON object); 0: not known
  std::int64_t column;  // 1-based column; 0: not known
};

// Profiles and loads `path` into the table `resource_id`. `format_hint` (the resource's format
// or the file name's extension, any case) only breaks ties: the format is read from content.
LoadResult load_file(const std::string& path, std::string_view format_hint, TableStore& store,
                     const std::string& resource_id, const LoadOptions& options = {});

// The first pass alone: what load_file would report, without writing anything.
LoadResult profile_file(const std::string& path, std::string_view format_hint,
                        const LoadOptions& options = {});

}  // namespace datamap::datastore

// Downloads of a DataStore table (CKAN's /datastore/dump): the rows a SearchQuery matches,
// written to a file as CSV, TSV, JSON or XLSX one row at a time, so a table of any size is
// exported in flat memory (the caller serves the file from disk).
//
//   CSV/TSV  a header row of field ids, then the rows; RFC 4180 quoting (libcsv) where a value
//            needs it. UTF-8 with a byte order mark by default (Excel reads UTF-8 only with
//            one), or CP949 (ICU's windows-949) for older Korean tools: a character CP949
//            cannot carry is written as '?' and counted in ExportStats::replaced.
//   JSON     CKAN's dump shape: {"fields": [{"id", "type"}...], "records": [[...], ...]} with
//            typed values (numbers, booleans, null).
//   XLSX     libxlsxwriter in constant-memory mode: a header row, numbers and booleans typed,
//            dates as text. Excel's sheet holds 1,048,576 rows; more rows continue on further
//            sheets ("data", "data (2)", ...), each with its header row.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "datastore/table_store.h"

namespace datamap::datastore {

enum class ExportFormat { csv, tsv, json, xlsx };
// "csv", "tsv", "json", "xlsx" (case-insensitive); nullopt for anything else.
std::optional<ExportFormat> export_format_named(std::string_view name);
const char* export_media_type(ExportFormat format);  // "text/csv", ... (no charset)
const char* export_extension(ExportFormat format);   // "csv", ...

struct ExportOptions {
  ExportFormat format = ExportFormat::csv;
  bool bom = true;     // CSV/TSV in UTF-8: start with U+FEFF
  bool cp949 = false;  // CSV/TSV only: encode as CP949 (no BOM)
  // Data rows per XLSX sheet before the next sheet begins (Excel's limit less the header row);
  // smaller only in tests.
  std::int64_t xlsx_rows_per_sheet = 1048575;
  std::string temp_dir;  // libxlsxwriter's temporary files; "" = the system's
};

struct ExportStats {
  std::int64_t rows = 0;
  std::int64_t replaced = 0;  // characters CP949 could not carry, written as '?'
  std::int64_t sheets = 0;    // XLSX only
};

// Writes one table's rows to a file: begin() with the fields once, row() for each, finish().
// Throws std::runtime_error when the file cannot be written.
class TableExporter {
 public:
  virtual ~TableExporter() = default;
  virtual void begin(const std::vector<Field>& fields) = 0;
  virtual void row(const Row& row) = 0;
  virtual ExportStats finish() = 0;
};

std::unique_ptr<TableExporter> make_table_exporter(const std::string& path,
                                                   const ExportOptions& options);

// Streams every row `query` matches (TableStore::scan) into `path`. An empty table still gets
// its header (its fields come from info()).
ExportStats export_table(TableStore& store, const SearchQuery& query, const ExportOptions& options,
                         const std::string& path);

}  // namespace datamap::datastore

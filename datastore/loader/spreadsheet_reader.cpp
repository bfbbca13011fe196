// XLSX and XLS through GDAL/OGR's XLSX and XLS drivers: the first sheet, every cell as text
// (OGR_XLSX_FIELD_TYPES=STRING: the profiler types the columns itself), no header guessing by
// GDAL (OGR_XLSX_HEADERS=DISABLE: the loader's own header detection, the same as for CSV). Formula
// cells give the value the workbook cached. The zip inside an XLSX has been checked for bombs
// before (archive.h), so GDAL never inflates more than the limits allow.
#include "datastore/loader/gdal_library.h"
#include "datastore/loader/record_reader.h"

namespace datamap::datastore::loader {

namespace {

struct DatasetClose {
  void operator()(void* ds) const { gdal().Close(ds); }
};
struct FeatureFree {
  void operator()(void* f) const { gdal().F_Destroy(static_cast<OGRFeatureH>(f)); }
};

// GDAL's errors go to a handler of this thread only while we read (never to stderr).
struct QuietErrors {
  QuietErrors() {
    gdal().PushErrorHandler(gdal().QuietErrorHandler);
    gdal().ErrorReset();
  }
  ~QuietErrors() { gdal().PopErrorHandler(); }
  QuietErrors(const QuietErrors&) = delete;
  QuietErrors& operator=(const QuietErrors&) = delete;
};

// The drivers' settings are configuration options (not open options), set for this thread only.
struct ThreadOption {
  const char* key;
  ThreadOption(const char* k, const char* v) : key(k) { gdal().SetThreadLocalConfigOption(k, v); }
  ~ThreadOption() { gdal().SetThreadLocalConfigOption(key, nullptr); }
  ThreadOption(const ThreadOption&) = delete;
  ThreadOption& operator=(const ThreadOption&) = delete;
};

// GDAL that cannot be loaded fails the load with a clear error, not the server.
const GdalLibrary& load_gdal() {
  try {
    return gdal();
  } catch (const std::runtime_error& e) {
    throw LoadError(std::string("spreadsheets cannot be read here: ") + e.what());
  }
}

class SpreadsheetReader : public RecordReader {
 public:
  SpreadsheetReader(const std::string& path, Format format, const LoadLimits& limits)
      : path_(path), format_(format), limits_(limits) {}

  void read(const RecordFn& each) override {
    const GdalLibrary& g = load_gdal();
    QuietErrors quiet;
    bool xlsx = format_ == Format::xlsx;
    ThreadOption headers(xlsx ? "OGR_XLSX_HEADERS" : "OGR_XLS_HEADERS", "DISABLE");
    ThreadOption types(xlsx ? "OGR_XLSX_FIELD_TYPES" : "OGR_XLS_FIELD_TYPES", "STRING");
    const char* drivers[] = {xlsx ? "XLSX" : "XLS", nullptr};
    std::unique_ptr<void, DatasetClose> ds(
        g.OpenEx(path_.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, nullptr, nullptr));
    if (!ds) {
      std::string msg = g.GetLastErrorMsg();
      throw LoadError(std::string("cannot read the ") + format_name(format_) + " workbook" +
                      (msg.empty() ? "" : ": " + msg));
    }
    if (g.DatasetGetLayerCount(ds.get()) < 1)
      throw LoadError(std::string("the ") + format_name(format_) + " workbook has no sheet");
    OGRLayerH layer = g.DatasetGetLayer(ds.get(), 0);
    OGRFeatureDefnH defn = g.L_GetLayerDefn(layer);
    int n = g.FD_GetFieldCount(defn);
    if (static_cast<std::size_t>(n) > limits_.max_columns)
      throw LoadError("the sheet has " + std::to_string(n) + " columns; the limit is " +
                          std::to_string(limits_.max_columns),
                      1, static_cast<std::int64_t>(limits_.max_columns) + 1);
    g.L_ResetReading(layer);
    std::vector<std::string> cells;
    std::int64_t row = 0, empty_rows = 0;
    for (;;) {
      std::unique_ptr<void, FeatureFree> f(g.L_GetNextFeature(layer));
      if (!f) break;
      ++row;
      cells.assign(static_cast<std::size_t>(n), std::string());
      auto* feature = static_cast<OGRFeatureH>(f.get());
      for (int i = 0; i < n; ++i) {
        if (!g.F_IsFieldSetAndNotNull(feature, i)) continue;
        const char* v = g.F_GetFieldAsString(feature, i);
        cells[static_cast<std::size_t>(i)] = v ? v : "";
        if (cells[static_cast<std::size_t>(i)].size() > limits_.max_cell_bytes)
          throw LoadError(
              "a value is longer than " + std::to_string(limits_.max_cell_bytes) + " bytes", row,
              i + 1);
      }
      // Trailing empty cells are GDAL's padding to the widest row, not data; a row with no
      // value at all is the sheet's formatting (a blank CSV line is skipped alike).
      while (!cells.empty() && cells.back().empty()) cells.pop_back();
      if (cells.empty()) {
        ++empty_rows;
        continue;
      }
      if (!each(cells, row)) return;
    }
    if (empty_rows > 0 && warnings.empty())
      warnings.push_back(std::to_string(empty_rows) + " empty row(s) of the sheet skipped");
  }

  std::uint64_t bytes_read() const override { return 0; }

 private:
  std::string path_;
  Format format_;
  LoadLimits limits_;
};

}  // namespace

std::unique_ptr<RecordReader> open_spreadsheet_reader(const std::string& path, Format format,
                                                      const LoadLimits& limits) {
  auto r = std::make_unique<SpreadsheetReader>(path, format, limits);
  r->encoding = "UTF-8";
  return r;
}

}  // namespace datamap::datastore::loader

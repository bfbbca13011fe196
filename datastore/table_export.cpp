#include "datastore/table_export.h"

#include <csv.h>
#include <rapidjson/filewritestream.h>
#include <rapidjson/writer.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ustring.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "catalog/errors.h"
#include "catalog/text.h"

namespace datamap::datastore {
namespace {

struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f) std::fclose(f);
  }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

File open_for_writing(const std::string& path) {
  File f(std::fopen(path.c_str(), "wb"));
  if (!f) throw std::runtime_error("cannot write " + path);
  return f;
}

void write_all(std::FILE* f, std::string_view s) {
  if (!s.empty() && std::fwrite(s.data(), 1, s.size(), f) != s.size())
    throw std::runtime_error("cannot write the download (disk full?)");
}

// Shortest text that reads back as the same double (no locale, no exponent surprises).
std::string number_text(double v) {
  if (!std::isfinite(v)) return "";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::string();
}

std::string cell_text(const Cell& c) {
  struct Visitor {
    std::string operator()(std::monostate) const { return ""; }
    std::string operator()(std::int64_t v) const { return std::to_string(v); }
    std::string operator()(double v) const { return number_text(v); }
    std::string operator()(bool v) const { return v ? "true" : "false"; }
    std::string operator()(const std::string& v) const { return v; }
  };
  return std::visit(Visitor{}, c);
}

// ---- CP949 through ICU: '?' for what it cannot carry, counted.

struct ConverterCloser {
  void operator()(UConverter* c) const { ucnv_close(c); }
};

void count_and_substitute(const void* context, UConverterFromUnicodeArgs* args, const UChar* units,
                          int32_t length, UChar32 code_point, UConverterCallbackReason reason,
                          UErrorCode* err) {
  if (reason <= UCNV_IRREGULAR) ++*static_cast<std::int64_t*>(const_cast<void*>(context));
  UCNV_FROM_U_CALLBACK_SUBSTITUTE(nullptr, args, units, length, code_point, reason, err);
}

class Cp949Encoder {
 public:
  Cp949Encoder() {
    UErrorCode err = U_ZERO_ERROR;
    // windows-949 (Unified Hangul Code) is what Korean Excel and data.go.kr's files use; ICU's
    // "cp949" alias names IBM's different table.
    conv_.reset(ucnv_open("windows-949", &err));
    if (U_FAILURE(err)) throw std::runtime_error("ICU has no windows-949 converter");
    ucnv_setSubstChars(conv_.get(), "?", 1, &err);
    ucnv_setFromUCallBack(conv_.get(), count_and_substitute, &replaced_, nullptr, nullptr, &err);
    if (U_FAILURE(err)) throw std::runtime_error("cannot set up the CP949 converter");
  }
  std::string encode(std::string_view utf8) {
    UErrorCode err = U_ZERO_ERROR;
    int32_t n = 0;
    units_.resize(utf8.size() + 1);
    u_strFromUTF8WithSub(units_.data(), static_cast<int32_t>(units_.size()), &n, utf8.data(),
                         static_cast<int32_t>(utf8.size()), 0xFFFD, nullptr, &err);
    if (U_FAILURE(err)) throw std::runtime_error("cannot convert a value to UTF-16");
    std::string out(static_cast<std::size_t>(n) * 2 + 16, '\0');
    err = U_ZERO_ERROR;
    int32_t written = ucnv_fromUChars(conv_.get(), out.data(), static_cast<int32_t>(out.size()),
                                      units_.data(), n, &err);
    if (U_FAILURE(err)) throw std::runtime_error("cannot convert a value to CP949");
    out.resize(static_cast<std::size_t>(written));
    return out;
  }
  std::int64_t replaced() const { return replaced_; }

 private:
  std::unique_ptr<UConverter, ConverterCloser> conv_;
  std::vector<UChar> units_;
  std::int64_t replaced_ = 0;
};

// ---- CSV / TSV

class DelimitedExporter : public TableExporter {
 public:
  DelimitedExporter(const std::string& path, const ExportOptions& options)
      : file_(open_for_writing(path)),
        delimiter_(options.format == ExportFormat::tsv ? '\t' : ',') {
    if (options.cp949)
      cp949_ = std::make_unique<Cp949Encoder>();
    else if (options.bom)
      write_all(file_.get(), "\xEF\xBB\xBF");
  }
  void begin(const std::vector<Field>& fields) override {
    std::vector<std::string> names;
    for (const auto& f : fields) names.push_back(f.id);
    line(names);
  }
  void row(const Row& row) override {
    std::vector<std::string> values;
    values.reserve(row.size());
    for (const auto& c : row) values.push_back(cell_text(c));
    line(values);
    ++stats_.rows;
  }
  ExportStats finish() override {
    if (std::fflush(file_.get()) != 0) throw std::runtime_error("cannot write the download");
    file_.reset();
    if (cp949_) stats_.replaced = cp949_->replaced();
    return stats_;
  }

 private:
  void line(const std::vector<std::string>& values) {
    buffer_.clear();
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i) buffer_.push_back(delimiter_);
      const std::string& v = values[i];
      bool quote =
          v.find_first_of(delimiter_ == '\t' ? "\t\"\r\n" : ",\"\r\n") != std::string::npos;
      if (!quote) {
        buffer_ += v;
        continue;
      }
      std::size_t need = v.size() * 2 + 2;
      std::size_t at = buffer_.size();
      buffer_.resize(at + need);
      buffer_.resize(at + csv_write(buffer_.data() + at, need, v.data(), v.size()));
    }
    buffer_ += "\r\n";  // RFC 4180, and what Excel writes
    write_all(file_.get(), cp949_ ? cp949_->encode(buffer_) : buffer_);
  }

  File file_;
  char delimiter_;
  std::unique_ptr<Cp949Encoder> cp949_;
  std::string buffer_;
  ExportStats stats_;
};

// ---- JSON (CKAN's dump shape)

class JsonExporter : public TableExporter {
 public:
  explicit JsonExporter(const std::string& path)
      : file_(open_for_writing(path)),
        stream_(file_.get(), buffer_, sizeof buffer_),
        writer_(stream_) {}
  void begin(const std::vector<Field>& fields) override {
    writer_.StartObject();
    writer_.Key("fields");
    writer_.StartArray();
    for (const auto& f : fields) {
      writer_.StartObject();
      writer_.Key("id");
      string(f.id);
      writer_.Key("type");
      string(f.type);
      writer_.EndObject();
    }
    writer_.EndArray();
    writer_.Key("records");
    writer_.StartArray();
  }
  void row(const Row& row) override {
    writer_.StartArray();
    for (const auto& c : row) {
      if (auto* i = std::get_if<std::int64_t>(&c))
        writer_.Int64(*i);
      else if (auto* d = std::get_if<double>(&c); d && std::isfinite(*d))
        writer_.Double(*d);
      else if (auto* b = std::get_if<bool>(&c))
        writer_.Bool(*b);
      else if (auto* s = std::get_if<std::string>(&c))
        string(*s);
      else
        writer_.Null();
    }
    writer_.EndArray();
    ++stats_.rows;
  }
  ExportStats finish() override {
    writer_.EndArray();
    writer_.EndObject();
    stream_.Flush();
    if (std::ferror(file_.get()) || std::fflush(file_.get()) != 0)
      throw std::runtime_error("cannot write the download");
    file_.reset();
    return stats_;
  }

 private:
  void string(const std::string& s) {
    writer_.String(s.c_str(), static_cast<rapidjson::SizeType>(s.size()));
  }
  File file_;
  char buffer_[65536];
  rapidjson::FileWriteStream stream_;
  rapidjson::Writer<rapidjson::FileWriteStream> writer_;
  ExportStats stats_;
};

// ---- XLSX (libxlsxwriter, constant memory)

struct WorkbookCloser {
  void operator()(lxw_workbook* w) const {
    if (w) workbook_close(w);
  }
};

// Excel's limit on a cell's text, in characters; a longer value is cut there.
constexpr std::size_t kXlsxMaxChars = 32767;
// Integers beyond 2^53 do not survive Excel's doubles: they are written as text.
constexpr std::int64_t kExactInDouble = std::int64_t{1} << 53;

class XlsxExporter : public TableExporter {
 public:
  XlsxExporter(const std::string& path, const ExportOptions& options)
      : path_(path),
        rows_per_sheet_(std::max<std::int64_t>(1, options.xlsx_rows_per_sheet)),
        temp_dir_(options.temp_dir) {
    lxw_workbook_options o{};
    o.constant_memory = LXW_TRUE;
    o.tmpdir = temp_dir_.empty() ? nullptr : temp_dir_.data();
    o.use_zip64 = LXW_TRUE;  // a big table's sheet passes ZIP's 4 GB
    workbook_.reset(workbook_new_opt(path_.c_str(), &o));
    if (!workbook_) throw std::runtime_error("cannot write " + path_);
    bold_ = workbook_add_format(workbook_.get());
    format_set_bold(bold_);
  }
  void begin(const std::vector<Field>& fields) override {
    fields_ = fields;
    new_sheet();
  }
  void row(const Row& row) override {
    if (row_ > rows_per_sheet_) new_sheet();
    lxw_col_t col = 0;
    for (const auto& c : row) write(static_cast<lxw_row_t>(row_), col++, c);
    ++row_;
    ++stats_.rows;
  }
  ExportStats finish() override {
    lxw_error e = workbook_close(workbook_.release());
    if (e != LXW_NO_ERROR)
      throw std::runtime_error(std::string("cannot write the XLSX file: ") + lxw_strerror(e));
    return stats_;
  }

 private:
  void new_sheet() {
    ++stats_.sheets;
    std::string name = stats_.sheets == 1 ? "data" : "data (" + std::to_string(stats_.sheets) + ")";
    sheet_ = workbook_add_worksheet(workbook_.get(), name.c_str());
    if (!sheet_) throw std::runtime_error("cannot add a sheet to the XLSX file");
    lxw_col_t col = 0;
    for (const auto& f : fields_)
      worksheet_write_string(sheet_, 0, col++, text(f.id).c_str(), bold_);
    row_ = 1;
  }
  static std::string text(const std::string& s) {
    if (s.size() <= kXlsxMaxChars) return s;  // bytes >= characters
    std::size_t chars = 0, i = 0;
    for (; i < s.size(); ++i)
      if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && ++chars > kXlsxMaxChars) break;
    return s.substr(0, i);
  }
  void write(lxw_row_t r, lxw_col_t c, const Cell& cell) {
    if (auto* i = std::get_if<std::int64_t>(&cell)) {
      if (*i > -kExactInDouble && *i < kExactInDouble)
        worksheet_write_number(sheet_, r, c, static_cast<double>(*i), nullptr);
      else
        worksheet_write_string(sheet_, r, c, std::to_string(*i).c_str(), nullptr);
    } else if (auto* d = std::get_if<double>(&cell)) {
      if (std::isfinite(*d)) worksheet_write_number(sheet_, r, c, *d, nullptr);
    } else if (auto* b = std::get_if<bool>(&cell)) {
      worksheet_write_boolean(sheet_, r, c, *b, nullptr);
    } else if (auto* s = std::get_if<std::string>(&cell); s && !s->empty()) {
      worksheet_write_string(sheet_, r, c, text(*s).c_str(), nullptr);
    }
  }

  std::string path_;
  std::int64_t rows_per_sheet_;
  std::string temp_dir_;
  std::unique_ptr<lxw_workbook, WorkbookCloser> workbook_;
  lxw_format* bold_ = nullptr;
  lxw_worksheet* sheet_ = nullptr;
  std::vector<Field> fields_;
  std::int64_t row_ = 0;
  ExportStats stats_;
};

}  // namespace

std::optional<ExportFormat> export_format_named(std::string_view name) {
  std::string n = catalog::to_lower_ascii(name);
  if (n == "csv") return ExportFormat::csv;
  if (n == "tsv") return ExportFormat::tsv;
  if (n == "json") return ExportFormat::json;
  if (n == "xlsx") return ExportFormat::xlsx;
  return std::nullopt;
}

const char* export_media_type(ExportFormat format) {
  switch (format) {
    case ExportFormat::csv:
      return "text/csv";
    case ExportFormat::tsv:
      return "text/tab-separated-values";
    case ExportFormat::json:
      return "application/json";
    case ExportFormat::xlsx:
      return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  }
  return "application/octet-stream";
}

const char* export_extension(ExportFormat format) {
  switch (format) {
    case ExportFormat::csv:
      return "csv";
    case ExportFormat::tsv:
      return "tsv";
    case ExportFormat::json:
      return "json";
    case ExportFormat::xlsx:
      return "xlsx";
  }
  return "bin";
}

std::unique_ptr<TableExporter> make_table_exporter(const std::string& path,
                                                   const ExportOptions& options) {
  switch (options.format) {
    case ExportFormat::csv:
    case ExportFormat::tsv:
      return std::make_unique<DelimitedExporter>(path, options);
    case ExportFormat::json:
      return std::make_unique<JsonExporter>(path);
    case ExportFormat::xlsx:
      return std::make_unique<XlsxExporter>(path, options);
  }
  throw std::logic_error("unknown export format");
}

ExportStats export_table(TableStore& store, const SearchQuery& query, const ExportOptions& options,
                         const std::string& path) {
  auto exporter = make_table_exporter(path, options);
  bool begun = false;
  store.scan(query, [&](const std::vector<Field>& fields, const Row& row) {
    if (!begun) exporter->begin(fields);
    begun = true;
    exporter->row(row);
    return true;
  });
  if (!begun) {  // no matching row: the header alone, from the table's fields
    auto info = store.info(query.resource_id);
    if (!info) throw NotFound("No DataStore table for resource " + query.resource_id);
    std::vector<Field> fields;
    if (query.fields.empty()) {
      fields = info->fields;
    } else {
      for (const auto& id : query.fields)
        for (const auto& f : info->fields)
          if (f.id == id) fields.push_back(f);
    }
    exporter->begin(fields);
  }
  return exporter->finish();
}

}  // namespace datamap::datastore

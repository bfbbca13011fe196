// JSON arrays of objects, streamed with RapidJSON's iterative reader through
// catalog/untrusted_json.h (UTF-8 validated, nesting bounded). Each object is a row; keys become
// columns in order of first appearance; numbers keep their text (kParseNumbersAsStringsFlag), so
// nothing is rounded; a nested object or array becomes its JSON text.
#include <rapidjson/filereadstream.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>
#include <memory>
#include <unordered_map>

#include "catalog/untrusted_json.h"
#include "datastore/loader/record_reader.h"

namespace datamap::datastore::loader {

namespace {

class RowHandler {
 public:
  RowHandler(const RecordFn& each, const LoadLimits& limits, std::vector<std::string>& names,
             std::unordered_map<std::string, std::size_t>& index)
      : each_(each), limits_(limits), names_(names), index_(index) {}

  bool Null() { return scalar(""); }
  bool Bool(bool b) { return scalar(b ? "true" : "false"); }
  bool Int(int) { return false; }  // numbers arrive as RawNumber (kParseNumbersAsStringsFlag)
  bool Uint(unsigned) { return false; }
  bool Int64(int64_t) { return false; }
  bool Uint64(uint64_t) { return false; }
  bool Double(double) { return false; }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool) {
    if (depth_ > 2) return nested_.RawValue(s, n, rapidjson::kNumberType) && after_nested();
    return scalar(std::string_view(s, n));
  }
  bool String(const char* s, rapidjson::SizeType n, bool) {
    if (depth_ > 2) return nested_.String(s, n, true) && after_nested();
    return scalar(std::string_view(s, n));
  }
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    if (depth_ > 2) return nested_.Key(s, n, true);
    auto [it, fresh] = index_.try_emplace(std::string(s, n), names_.size());
    if (fresh) {
      if (names_.size() >= limits_.max_columns)
        return fail("the objects have more than " + std::to_string(limits_.max_columns) +
                    " distinct keys (the limit on columns)");
      names_.emplace_back(s, n);
    }
    column_ = it->second;
    return true;
  }
  bool StartObject() { return start(true); }
  bool StartArray() { return start(false); }
  bool EndObject(rapidjson::SizeType n) {
    if (depth_ > 2) return nested_.EndObject(n) && end_nested();
    --depth_;
    if (depth_ != 1) return true;
    ++rows_;
    if (!each_(cells_, rows_)) {
      stopped_ = true;
      return false;
    }
    return true;
  }
  bool EndArray(rapidjson::SizeType n) {
    if (depth_ > 2) return nested_.EndArray(n) && end_nested();
    --depth_;
    return true;
  }

  std::optional<LoadError> error;
  bool stopped() const { return stopped_; }

 private:
  bool start(bool object) {
    if (depth_ == 0) {
      ++depth_;
      return !object || fail("JSON data must be an array of objects, not an object");
    }
    if (depth_ == 1) {
      if (!object)
        return fail("element " + std::to_string(rows_ + 1) + " of the array is not an object");
      ++depth_;
      cells_.clear();
      return true;
    }
    if (depth_ == 2) {
      buffer_.Clear();
      nested_.Reset(buffer_);
    }
    ++depth_;
    return object ? nested_.StartObject() : nested_.StartArray();
  }
  bool end_nested() {
    --depth_;
    return depth_ == 2 ? scalar(std::string_view(buffer_.GetString(), buffer_.GetSize())) : true;
  }
  bool after_nested() {
    return buffer_.GetSize() <= limits_.max_cell_bytes ||
           fail("a value is longer than " + std::to_string(limits_.max_cell_bytes) + " bytes");
  }
  bool scalar(std::string_view v) {
    if (depth_ == 1)
      return fail("element " + std::to_string(rows_ + 1) + " of the array is not an object");
    if (depth_ == 0) return fail("JSON data must be an array of objects");
    if (v.size() > limits_.max_cell_bytes)
      return fail("a value is longer than " + std::to_string(limits_.max_cell_bytes) + " bytes");
    if (cells_.size() <= column_) cells_.resize(column_ + 1);
    cells_[column_].assign(v);
    return true;
  }
  bool fail(const std::string& message) {
    error = LoadError(message, rows_ + 1, static_cast<std::int64_t>(column_) + 1);
    return false;
  }

  const RecordFn& each_;
  const LoadLimits& limits_;
  std::vector<std::string>& names_;
  std::unordered_map<std::string, std::size_t>& index_;
  std::vector<std::string> cells_;
  std::size_t column_ = 0;
  std::size_t depth_ = 0;
  std::int64_t rows_ = 0;
  bool stopped_ = false;
  rapidjson::StringBuffer buffer_;
  rapidjson::Writer<rapidjson::StringBuffer> nested_;
};

class JsonReader : public RecordReader {
 public:
  JsonReader(const std::string& path, const LoadLimits& limits) : path_(path), limits_(limits) {}

  void read(const RecordFn& each) override {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path_.c_str(), "rb"), std::fclose);
    if (!f) throw LoadError("cannot open the file");
    names_.clear();
    index_.clear();
    std::vector<char> buf(1 << 16);
    rapidjson::FileReadStream bytes(f.get(), buf.data(), buf.size());
    rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::FileReadStream> in(bytes);
    RowHandler handler(each, limits_, names_, index_);
    auto outcome =
        catalog::parse_untrusted_json_stream<rapidjson::kParseNumbersAsStringsFlag>(in, handler);
    bytes_read_ = bytes.Tell();
    if (handler.error) throw *handler.error;
    if (handler.stopped()) return;
    if (outcome.error) throw LoadError("invalid JSON: " + outcome.error->message());
  }

  const std::vector<std::string>* column_names() const override { return &names_; }
  std::uint64_t bytes_read() const override { return bytes_read_; }

 private:
  std::string path_;
  LoadLimits limits_;
  std::vector<std::string> names_;
  std::unordered_map<std::string, std::size_t> index_;
  std::uint64_t bytes_read_ = 0;
};

}  // namespace

std::unique_ptr<RecordReader> open_json_reader(const std::string& path, const LoadLimits& limits) {
  auto r = std::make_unique<JsonReader>(path, limits);
  r->encoding = "UTF-8";
  return r;
}

}  // namespace datamap::datastore::loader

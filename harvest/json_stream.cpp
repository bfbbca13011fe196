#include "harvest/json_stream.h"

#include <rapidjson/encodedstream.h>
#include <rapidjson/filereadstream.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>
#include <memory>
#include <vector>

#include "catalog/untrusted_json.h"

namespace datamap::harvest {
namespace {

// SAX handler: follows the container path; inside a target element, replays events into a
// Writer, and parses the finished element into a Document for the callback.
class Splitter {
 public:
  Splitter(std::string_view target, const JsonElementFn& fn, JsonStreamResult& result)
      : target_(target), fn_(fn), result_(result), writer_(buffer_) {}

  bool Null() { return scalar([&] { return writer_.Null(); }, ""); }
  bool Bool(bool b) { return scalar([&] { return writer_.Bool(b); }, b ? "true" : "false"); }
  bool Int(int i) { return scalar([&] { return writer_.Int(i); }, std::to_string(i)); }
  bool Uint(unsigned u) { return scalar([&] { return writer_.Uint(u); }, std::to_string(u)); }
  bool Int64(int64_t i) { return scalar([&] { return writer_.Int64(i); }, std::to_string(i)); }
  bool Uint64(uint64_t u) { return scalar([&] { return writer_.Uint64(u); }, std::to_string(u)); }
  bool Double(double d) { return scalar([&] { return writer_.Double(d); }, std::to_string(d)); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool) {
    return scalar([&] { return writer_.RawValue(s, n, rapidjson::kNumberType); },
                  std::string(s, n));
  }
  bool String(const char* s, rapidjson::SizeType n, bool) {
    return scalar([&] { return writer_.String(s, n); }, std::string(s, n));
  }
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    if (capturing_) return writer_.Key(s, n);
    key_.assign(s, n);
    return true;
  }
  bool StartObject() { return open(false); }
  bool EndObject(rapidjson::SizeType n) { return close([&] { return writer_.EndObject(n); }); }
  bool StartArray() { return open(true); }
  bool EndArray(rapidjson::SizeType n) { return close([&] { return writer_.EndArray(n); }); }

 private:
  struct Frame {
    bool is_array;
    std::string path;  // member names from the root joined by '.'
  };

  bool at_target_array() const {
    return !stack_.empty() && stack_.back().is_array && stack_.back().path == target_ &&
           (stack_.size() == 1 || !stack_[stack_.size() - 2].is_array);
  }

  std::string child_path() const {
    if (stack_.empty()) return "";
    const Frame& top = stack_.back();
    if (top.is_array) return top.path + "[]";
    return top.path.empty() ? key_ : top.path + "." + key_;
  }

  template <typename W>
  bool scalar(W write, std::string text) {
    if (capturing_) return write();
    if (at_target_array()) {  // a scalar element: hand it over as a document of its own
      begin_capture();
      if (!write()) return false;
      return end_capture();
    }
    if (!stack_.empty() && !stack_.back().is_array &&
        child_path().find("[]") == std::string::npos)
      result_.scalars[child_path()] = std::move(text);
    return true;
  }

  bool open(bool is_array) {
    if (capturing_) {
      ++capture_depth_;
      return is_array ? writer_.StartArray() : writer_.StartObject();
    }
    if (at_target_array()) {
      begin_capture();
      capture_depth_ = 1;
      return is_array ? writer_.StartArray() : writer_.StartObject();
    }
    std::string path = child_path();
    stack_.push_back({is_array, path});
    if (is_array && at_target_array()) result_.found_array = true;
    return true;
  }

  template <typename W>
  bool close(W write) {
    if (capturing_) {
      if (!write()) return false;
      if (--capture_depth_ == 0) return end_capture();
      return true;
    }
    if (!stack_.empty()) stack_.pop_back();
    return true;
  }

  void begin_capture() {
    capturing_ = true;
    buffer_.Clear();
    writer_.Reset(buffer_);
  }

  bool end_capture() {
    capturing_ = false;
    rapidjson::Document element;
    // Replayed from events the depth-bounded reader already accepted: this cannot fail.
    catalog::parse_untrusted_json(std::string_view(buffer_.GetString(), buffer_.GetSize()),
                                  element);
    ++result_.elements;
    if (!fn_(element)) {
      result_.stopped = true;
      return false;
    }
    return true;
  }

  std::string target_;
  const JsonElementFn& fn_;
  JsonStreamResult& result_;
  std::vector<Frame> stack_;
  std::string key_;
  bool capturing_ = false;
  int capture_depth_ = 0;
  rapidjson::StringBuffer buffer_;
  rapidjson::Writer<rapidjson::StringBuffer> writer_;
};

constexpr unsigned kNumbersAsText = rapidjson::kParseNumbersAsStringsFlag;

template <typename Stream>
JsonStreamResult run(Stream& stream, std::string_view target, const JsonElementFn& fn) {
  JsonStreamResult result;
  Splitter splitter(target, fn, result);
  catalog::SaxOutcome outcome =
      catalog::parse_untrusted_json_stream<kNumbersAsText>(stream, splitter);
  if (outcome.error)
    result.error = outcome.error->message();
  else if (outcome.stopped && !result.stopped)
    result.error = "the JSON could not be replayed";  // a Writer refusal; never seen
  else
    result.ok = true;  // read to the end, or stopped by the callback (result.stopped)
  return result;
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

}  // namespace

JsonStreamResult stream_json_array_file(const std::string& path, std::string_view array_path,
                                        const JsonElementFn& fn) {
  std::unique_ptr<std::FILE, FileCloser> f(std::fopen(path.c_str(), "rb"));
  if (!f) {
    JsonStreamResult r;
    r.error = "cannot read " + path;
    return r;
  }
  std::vector<char> buf(1 << 16);
  rapidjson::FileReadStream file(f.get(), buf.data(), buf.size());
  rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::FileReadStream> stream(file);
  return run(stream, array_path, fn);
}

std::string check_json_file(const std::string& path) {
  std::unique_ptr<std::FILE, FileCloser> f(std::fopen(path.c_str(), "rb"));
  if (!f) return "cannot read " + path;
  std::vector<char> buf(1 << 16);
  rapidjson::FileReadStream file(f.get(), buf.data(), buf.size());
  rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::FileReadStream> stream(file);
  rapidjson::BaseReaderHandler<> ignore;
  catalog::SaxOutcome outcome =
      catalog::parse_untrusted_json_stream<kNumbersAsText>(stream, ignore);
  return outcome.error ? outcome.error->message() : "";
}

JsonStreamResult stream_json_array_text(std::string_view text, std::string_view array_path,
                                        const JsonElementFn& fn) {
  rapidjson::MemoryStream bytes(text.data(), text.size());
  rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> stream(bytes);
  return run(stream, array_path, fn);
}

}  // namespace datamap::harvest

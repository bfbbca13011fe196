// The one way to parse JSON that came from outside: request bodies, parameters holding JSON
// text, harvest source configs, harvested documents, imported files. RapidJSON's default
// reader recurses once per nesting level (two million '[' overflow the stack), and so do its
// writer, value copies and our own walkers. Here the reader is iterative, UTF-8 is validated,
// and nesting deeper than kMaxJsonDepth stops the parse with a precise error, so everything
// done with the document afterwards is bounded too.
//
// Not for what the catalog wrote itself (stored dataset records, the index's package dicts):
// our writer bounds their depth.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/encodedstream.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace datamap::catalog {

// Deeper than any catalog document needs (a CKAN package is 3-4 levels, JSON-LD 6-8).
inline constexpr std::size_t kMaxJsonDepth = 64;

struct JsonError {
  std::size_t offset = 0;  // byte offset in the input where the parse stopped
  std::string reason;      // RapidJSON's reason, or "nested deeper than 64 levels"
  bool too_deep = false;
  std::string message() const;  // "<reason> at byte <offset>"
};

// Parses one whole JSON document (trailing non-space is an error; a UTF-8 BOM is skipped).
// nullopt on success; on error `doc` is null. Pure: a fuzz target can call it as it is.
std::optional<JsonError> parse_untrusted_json(std::string_view text, rapidjson::Document& doc,
                                              std::size_t max_depth = kMaxJsonDepth);

// As parse_untrusted_json, but only checks the text (nothing is built).
std::optional<JsonError> check_untrusted_json(std::string_view text,
                                              std::size_t max_depth = kMaxJsonDepth);

// A SAX handler wrapper: forwards every event to `inner`, and stops the parse when arrays and
// objects nest deeper than `max_depth`.
template <typename Handler>
class DepthLimitedHandler {
 public:
  DepthLimitedHandler(Handler& inner, std::size_t max_depth) : inner_(inner), max_(max_depth) {}
  bool too_deep() const { return too_deep_; }

  bool Null() { return inner_.Null(); }
  bool Bool(bool b) { return inner_.Bool(b); }
  bool Int(int i) { return inner_.Int(i); }
  bool Uint(unsigned u) { return inner_.Uint(u); }
  bool Int64(int64_t i) { return inner_.Int64(i); }
  bool Uint64(uint64_t u) { return inner_.Uint64(u); }
  bool Double(double d) { return inner_.Double(d); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool copy) {
    return inner_.RawNumber(s, n, copy);
  }
  bool String(const char* s, rapidjson::SizeType n, bool copy) { return inner_.String(s, n, copy); }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) { return inner_.Key(s, n, copy); }
  bool StartObject() { return enter() && inner_.StartObject(); }
  bool EndObject(rapidjson::SizeType n) { return leave() && inner_.EndObject(n); }
  bool StartArray() { return enter() && inner_.StartArray(); }
  bool EndArray(rapidjson::SizeType n) { return leave() && inner_.EndArray(n); }

 private:
  bool enter() {
    if (++depth_ <= max_) return true;
    too_deep_ = true;
    return false;
  }
  bool leave() {
    --depth_;
    return true;
  }

  Handler& inner_;
  std::size_t max_;
  std::size_t depth_ = 0;
  bool too_deep_ = false;
};

struct SaxOutcome {
  std::optional<JsonError> error;  // malformed, invalid UTF-8, or too deep
  bool stopped = false;            // the handler itself returned false (its own choice)
};

JsonError json_error(rapidjson::ParseErrorCode code, std::size_t offset, bool too_deep,
                     std::size_t max_depth);

// Streams `in` (a RapidJSON UTF-8 input stream) into `handler`, iteratively, validating UTF-8,
// refusing nesting past `max_depth`. ExtraFlags adds reader flags (kParseNumbersAsStringsFlag,
// kParseStopWhenDoneFlag).
template <unsigned ExtraFlags = 0, typename InputStream, typename Handler>
SaxOutcome parse_untrusted_json_stream(InputStream& in, Handler& handler,
                                       std::size_t max_depth = kMaxJsonDepth) {
  constexpr unsigned kFlags =
      rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag | ExtraFlags;
  DepthLimitedHandler<Handler> limited(handler, max_depth);
  rapidjson::Reader reader;
  rapidjson::ParseResult pr = reader.Parse<kFlags>(in, limited);
  SaxOutcome out;
  if (!pr.IsError()) return out;
  if (pr.Code() == rapidjson::kParseErrorTermination && !limited.too_deep()) {
    out.stopped = true;
    return out;
  }
  out.error = json_error(pr.Code(), pr.Offset(), limited.too_deep(), max_depth);
  return out;
}

// The same over bytes in memory (a UTF-8 BOM is skipped).
template <unsigned ExtraFlags = 0, typename Handler>
SaxOutcome parse_untrusted_json_sax(std::string_view text, Handler& handler,
                                    std::size_t max_depth = kMaxJsonDepth) {
  rapidjson::MemoryStream bytes(text.data(), text.size());
  rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> in(bytes);
  return parse_untrusted_json_stream<ExtraFlags>(in, handler, max_depth);
}

}  // namespace datamap::catalog

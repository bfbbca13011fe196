// Streams the elements of one array inside a JSON document without building the whole document:
// data.json's "dataset", a CKAN package_search page's "result.results", an odcloud list's
// "data", or the document itself when it is an array. Each element is handed over as its own
// small rapidjson::Document; memory is bounded by the largest element, not the document.
// Scalars outside the array ("result.count", "totalCount") are collected for paging.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace datamap::harvest {

struct JsonStreamResult {
  bool ok = false;
  std::string error;        // RapidJSON's message with the byte offset, when !ok
  bool found_array = false;  // the target array was present
  std::int64_t elements = 0;
  std::map<std::string, std::string> scalars;  // "result.count" -> "145"; outside any array
  bool stopped = false;     // the callback asked to stop
};

// `array_path`: member names joined by '.', "" for a top-level array. The callback returns
// false to stop early.
using JsonElementFn = std::function<bool(rapidjson::Document& element)>;

JsonStreamResult stream_json_array_file(const std::string& path, std::string_view array_path,
                                        const JsonElementFn& fn);
// Checks that the whole file is one well-formed JSON document without building anything;
// "" when it is, else the parser's message with the byte offset. Single-document sources check
// first, so a truncated or broken document imports nothing rather than its first half.
std::string check_json_file(const std::string& path);

JsonStreamResult stream_json_array_text(std::string_view text, std::string_view array_path,
                                        const JsonElementFn& fn);

}  // namespace datamap::harvest

// Small RapidJSON helpers used across api/: serialise, build strings, parse request bodies safely.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>

namespace datamap::api {

using Alloc = rapidjson::Document::AllocatorType;

std::string to_json(const rapidjson::Value& v);
inline rapidjson::Value json_string(std::string_view s, Alloc& a) {
  return rapidjson::Value(s.data(), static_cast<rapidjson::SizeType>(s.size()), a);
}

// Parses a request body through catalog::parse_untrusted_json (iterative, depth-bounded, UTF-8
// checked). Throws BadRequest("Bad request - JSON Error") naming the byte offset and the reason,
// for malformed JSON, invalid UTF-8, and nesting deeper than catalog::kMaxJsonDepth.
void parse_json_body(std::string_view body, rapidjson::Document& doc);

}  // namespace datamap::api

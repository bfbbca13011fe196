// Small RapidJSON helpers used across api/: serialise, build strings, parse request bodies safely.
#pragma once

#include <rapidjson/document.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace datamap::api {

using Alloc = rapidjson::Document::AllocatorType;

std::string to_json(const rapidjson::Value& v);
inline rapidjson::Value json_string(std::string_view s, Alloc& a) {
  return rapidjson::Value(s.data(), static_cast<rapidjson::SizeType>(s.size()), a);
}

// Deepest nesting of arrays/objects in `text` (strings skipped). RapidJSON's parser can be made
// iterative but its destructor and writer recurse, so bodies nested deeper than the limit are
// refused before parsing.
std::size_t json_nesting_depth(std::string_view text);
inline constexpr std::size_t kMaxJsonDepth = 64;

// Parses a request body into `doc`. Throws BadRequest("Bad request - JSON Error") naming the
// byte offset and RapidJSON's reason, for malformed JSON, invalid UTF-8, and nesting too deep.
void parse_json_body(std::string_view body, rapidjson::Document& doc);

}  // namespace datamap::api

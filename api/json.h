// Small RapidJSON helpers used across api/: serialise, build strings, parse request bodies safely.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>

#include "catalog/json_values.h"

namespace datamap::api {

using Alloc = rapidjson::Document::AllocatorType;

std::string to_json(const rapidjson::Value& v);
using catalog::json_string;

// Parses a request body through catalog::parse_untrusted_json (iterative, depth-bounded, UTF-8
// checked). Throws BadRequest("Bad request - JSON Error") naming the byte offset and the reason,
// for malformed JSON, invalid UTF-8, and nesting deeper than catalog::kMaxJsonDepth.
void parse_json_body(std::string_view body, rapidjson::Document& doc);

}  // namespace datamap::api

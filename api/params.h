// Reading action parameters the way CKAN does: from a GET query string or a form every value is
// a string, so "10" is accepted where an integer is expected and "true" where a boolean is.
// A present but unusable value is a ValidationError naming the parameter (409), never ignored.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>

namespace datamap::api {

// Strings as they are, numbers in decimal; null or absent: nullopt. Other types: ValidationError.
std::optional<std::string> opt_string(const rapidjson::Value& params, const char* key);
// As opt_string, but absent/empty is ValidationError{key: ["Missing value"]}.
std::string need_string(const rapidjson::Value& params, const char* key);
std::int64_t opt_int(const rapidjson::Value& params, const char* key, std::int64_t fallback,
                     std::int64_t min, std::int64_t max);
bool opt_bool(const rapidjson::Value& params, const char* key, bool fallback);

// A parameter CKAN takes either as JSON or as a string holding JSON text (the GET and form
// spelling of a list: facet.field=["tags"]). Text is parsed by catalog::parse_untrusted_json
// into `holder`, so it is bounded like a body. nullptr when absent or null; text that is not
// JSON throws BadRequest(error_type, "<key>: <reason> at byte <offset>").
const rapidjson::Value* json_param(const rapidjson::Value& params, const char* key,
                                   rapidjson::Document& holder, const std::string& error_type);

}  // namespace datamap::api

// Reading loosely typed JSON members the way remote catalogs write them: strings checked for
// UTF-8 and NFC-normalised, numbers as their text, arrays and objects kept as JSON text.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "catalog/errors.h"
#include "catalog/model.h"

namespace datamap::harvest {

// Compact JSON text of any value.
std::string json_text(const rapidjson::Value& v);
// A scalar as text (strings NFC, numbers and booleans as written); objects/arrays as JSON text.
// Invalid UTF-8 adds an error under `field` and yields "".
std::string value_text(const rapidjson::Value& v, const std::string& field, FieldErrors& errors);
// The member as text, "" when absent or null.
std::string member_text(const rapidjson::Value& obj, const char* key, FieldErrors& errors);
// A string or an array of strings as a list (other items become their JSON text).
std::vector<std::string> member_strings(const rapidjson::Value& obj, const char* key,
                                        FieldErrors& errors);
// Sorted, de-duplicated, empty entries dropped.
std::vector<std::string> as_set(std::vector<std::string> v);
// "mailto:x@y" -> "x@y".
std::string strip_mailto(std::string s);
// Upper-case format name from a media type ("text/csv" -> "CSV"); "" when unknown.
std::string format_from_media_type(std::string_view media_type);
// Sets extras[key] = value, replacing an earlier value of that key.
void set_extra(catalog::KeyValues& extras, const std::string& key, const std::string& value);

}  // namespace datamap::harvest

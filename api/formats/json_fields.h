// Small RapidJSON writing helpers shared by the JSON outputs (data.json, schema.org): a string
// of any length, and a member written only when its trimmed value is not empty (both formats
// leave out what the catalog does not know rather than emit "").
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <string_view>

#include "catalog/text.h"

namespace datamap::api::formats {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

inline void write_string(JsonWriter& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

inline void write_nonempty(JsonWriter& w, const char* key, std::string_view value) {
  std::string_view v = catalog::trim(value);
  if (v.empty()) return;
  w.Key(key);
  write_string(w, v);
}

}  // namespace datamap::api::formats

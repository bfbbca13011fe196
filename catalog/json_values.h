// The one way a string becomes a RapidJSON value that owns a copy of it (catalog's writers and
// api/ share it): the length is passed, so text with NUL bytes survives whole.
#pragma once

#include <rapidjson/document.h>

#include <string_view>

namespace datamap::catalog {

inline rapidjson::Value json_string(std::string_view s, rapidjson::Document::AllocatorType& a) {
  return rapidjson::Value(s.data(), static_cast<rapidjson::SizeType>(s.size()), a);
}

}  // namespace datamap::catalog

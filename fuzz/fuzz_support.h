// Helpers shared by the libFuzzer targets in fuzz/ (built with -DDATAMAP_FUZZ=ON, see
// fuzz/CMakeLists.txt). Each target feeds untrusted bytes to one parser the server runs on input
// from anonymous callers or remote catalogs, and lets only the errors the API turns into a 4xx
// escape silently: any other exception, a sanitizer report, a hang or a leak is a finding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

namespace datamap::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Two inputs from one: split at the first '\n' ("" second when there is none).
inline std::pair<std::string_view, std::string_view> split_two(std::string_view s) {
  std::size_t nl = s.find('\n');
  if (nl == std::string_view::npos) return {s, {}};
  return {s.substr(0, nl), s.substr(nl + 1)};
}

}  // namespace datamap::fuzz

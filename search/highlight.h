// A short snippet of a result's text with what matched marked: HTML-escaped text with <em>
// around every word whose stem or surface form the query looked for (a Hangul word also
// matches when it contains a query word, as 공영주차장 contains 주차장).
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>

namespace datamap::search {

// At most about `max_chars` characters, centred on the first match; empty if nothing matched.
std::string highlight(std::string_view text, const std::unordered_set<std::string>& terms,
                      std::size_t max_chars = 160);

std::string html_escape(std::string_view s);

}  // namespace datamap::search

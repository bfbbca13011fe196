#include "search/highlight.h"

#include <vector>

#include "search/analysis.h"

namespace datamap::search {
namespace {

bool matches(const Token& t, const std::unordered_set<std::string>& terms) {
  if (terms.count(t.text) || terms.count(t.stem)) return true;
  if (t.script != Script::Hangul) return false;
  for (const auto& q : terms) {
    if (utf8_length(q) >= 2 && t.text.find(q) != std::string::npos) return true;
  }
  return false;
}

// Moves a byte offset back to the start of a UTF-8 character.
std::size_t char_start(std::string_view s, std::size_t p) {
  while (p > 0 && p < s.size() && (static_cast<unsigned char>(s[p]) & 0xC0) == 0x80) --p;
  return p;
}

// Byte offset `chars` characters after (or before, if negative) p.
std::size_t advance(std::string_view s, std::size_t p, long chars) {
  while (chars > 0 && p < s.size()) {
    ++p;
    while (p < s.size() && (static_cast<unsigned char>(s[p]) & 0xC0) == 0x80) ++p;
    --chars;
  }
  while (chars < 0 && p > 0) {
    p = char_start(s, p - 1);
    ++chars;
  }
  return p;
}

}  // namespace

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string highlight(std::string_view text, const std::unordered_set<std::string>& terms,
                      std::size_t max_chars) {
  if (terms.empty() || text.empty()) return {};
  std::vector<std::pair<std::size_t, std::size_t>> hits;
  for (const auto& t : tokenize(text)) {
    if (t.part) continue;
    if (matches(t, terms)) hits.emplace_back(t.begin, t.end);
  }
  if (hits.empty()) return {};
  const long half = static_cast<long>(max_chars / 3);
  std::size_t from = advance(text, hits.front().first, -half);
  std::size_t to = advance(text, from, static_cast<long>(max_chars));
  std::string out;
  if (from > 0) out += "…";
  std::size_t p = from;
  for (const auto& [b, e] : hits) {
    if (b < p) continue;
    if (e > to) break;
    out += html_escape(text.substr(p, b - p));
    out += "<em>";
    out += html_escape(text.substr(b, e - b));
    out += "</em>";
    p = e;
  }
  out += html_escape(text.substr(p, to - p));
  if (to < text.size()) out += "…";
  return out;
}

}  // namespace datamap::search

#include "api/portal/html.h"

#include <cstdio>

namespace datamap::api::portal {

std::string escape_html(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string json_for_script(std::string_view json) {
  std::string out;
  out.reserve(json.size() + 16);
  for (std::size_t i = 0; i < json.size(); ++i) {
    char c = json[i];
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else if (c == '\xE2' && i + 2 < json.size() && json[i + 1] == '\x80' &&
               (json[i + 2] == '\xA8' || json[i + 2] == '\xA9')) {
      // U+2028 / U+2029 end a line in older JavaScript parsers.
      out += json[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

Html& Html::operator<<(std::string_view text) {
  out_ += escape_html(text);
  return *this;
}

Url& Url::add(std::string_view name, std::string_view value) {
  if (!value.empty()) params_.emplace_back(name, value);
  return *this;
}

std::string Url::str() const {
  std::string out = path_;
  char sep = path_.find('?') == std::string::npos ? '?' : '&';
  for (const auto& [name, value] : params_) {
    out += sep;
    out += url_encode(name);
    out += '=';
    out += url_encode(value);
    sep = '&';
  }
  return out;
}

std::string format_count(std::int64_t n) {
  bool negative = n < 0;
  std::string digits = std::to_string(negative ? -n : n);
  std::string out;
  int k = 0;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (k > 0 && k % 3 == 0) out += ',';
    out += *it;
    ++k;
  }
  if (negative) out += '-';
  return {out.rbegin(), out.rend()};
}

std::string table_scroll_open(std::string_view label) {
  return "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"" +
         escape_html(label) + "\">";
}

}  // namespace datamap::api::portal

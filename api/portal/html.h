// HTML output for the portal, escaped by default. `Html << "literal"` writes markup (only string
// literals, which are ours); every runtime string (std::string, string_view, const char*) goes
// through escape_html, the one escaping function. Markup built at run time must be wrapped in
// Raw{...} on purpose, so forgetting to escape user text is not something that can happen quietly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "catalog/text.h"

namespace datamap::api::portal {

// & < > " ' become entities: safe in element text and in quoted attribute values.
std::string escape_html(std::string_view s);
// The opening tag of a scrolling wrapper around a wide table: a named region that takes keyboard
// focus, so keyboard users can scroll it too (axe: scrollable-region-focusable).
std::string table_scroll_open(std::string_view label);

// A JSON text made safe inside <script>: '<', '>', '&', U+2028 and U+2029 become \u escapes,
// so "</script>" and "<!--" cannot occur. Valid only for JSON (escapes are legal in its strings).
std::string json_for_script(std::string_view json);

// Percent-encodes a URL component (RFC 3986 unreserved characters kept).
using catalog::url_encode;

// Markup assembled at run time by code that already escaped its parts.
struct Raw {
  std::string_view markup;
};

class Html {
 public:
  template <std::size_t N>
  Html& operator<<(const char (&literal)[N]) {
    out_.append(literal, N - 1);
    return *this;
  }
  Html& operator<<(const std::string& text) { return *this << std::string_view(text); }
  Html& operator<<(std::string_view text);
  // A bare const char* is refused: `cond ? "<a>" : "<b>"` decays to one, and it would be ambiguous
  // whether it is markup or text. Use two statements, or std::string_view for text.
  template <typename T>
    requires std::is_same_v<std::remove_cvref_t<T>, const char*> ||
             std::is_same_v<std::remove_cvref_t<T>, char*>
  Html& operator<<(T&&) = delete;
  Html& operator<<(Raw raw) {
    out_.append(raw.markup);
    return *this;
  }
  Html& operator<<(std::int64_t n) {
    out_ += std::to_string(n);
    return *this;
  }
  Html& operator<<(int n) { return *this << static_cast<std::int64_t>(n); }

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

// A URL with a query string: `Url("/dataset").add("q", q).add("page", "2").str()`. Values are
// percent-encoded; empty values are left out, so the URL carries only the state that is set.
class Url {
 public:
  explicit Url(std::string path) : path_(std::move(path)) {}
  Url& add(std::string_view name, std::string_view value);
  std::string str() const;

 private:
  std::string path_;
  std::vector<std::pair<std::string, std::string>> params_;
};

// "12,345" for counts.
std::string format_count(std::int64_t n);

}  // namespace datamap::api::portal

#include "catalog/redact.h"

#include <array>
#include <cctype>

namespace datamap::catalog {
namespace {

bool name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
}

bool hex_digit(char c) {
  return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

bool equals_ci(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

bool at_ci(std::string_view text, std::size_t i, std::string_view literal) {
  return i + literal.size() <= text.size() && equals_ci(text.substr(i, literal.size()), literal);
}

template <std::size_t N>
bool one_of_ci(std::string_view name, const std::array<std::string_view, N>& names) {
  for (auto n : names)
    if (equals_ci(name, n)) return true;
  return false;
}

// Query parameter and JSON member names whose values are credentials.
constexpr std::array<std::string_view, 20> kSecretParams = {
    "serviceKey", "service_key",   "api_key",      "apikey",     "api-key",
    "key",        "token",         "access_token", "auth_token", "refresh_token",
    "id_token",   "private_token", "password",     "passwd",     "pwd",
    "secret",     "client_secret", "signature",    "sig",        "authorization"};

// Header names whose values are credentials.
constexpr std::array<std::string_view, 7> kSecretHeaders = {
    "Authorization", "Proxy-Authorization", "X-CKAN-API-Key", "X-API-Key", "API-Key",
    "Cookie",        "Set-Cookie"};

// Where a query value ends: the next parameter, the fragment, or the text around the URL.
bool ends_query_value(std::string_view text, std::size_t i) {
  static constexpr std::string_view kStops = "&#;, \t\r\n\"'<>)]}";
  return kStops.find(text[i]) != std::string_view::npos || at_ci(text, i, "%26") ||
         at_ci(text, i, "%23");
}

// The end of `scheme://authority`: where the path, query or fragment (or the text) begins. It
// also ends at '=', which a real authority does not hold but a query value does: redacting a
// value (which may swallow a '/' or '?') must never let a later pass see a longer authority, so
// that redacting twice changes nothing more (found by fuzz_url).
std::size_t authority_end(std::string_view text, std::size_t from) {
  static constexpr std::string_view kStops = "/?#=\\ \t\r\n\"'<>";
  std::size_t end = from;
  while (end < text.size() && kStops.find(text[end]) == std::string_view::npos) ++end;
  return end;
}

}  // namespace

std::string redact_secrets(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  const std::size_t n = text.size();
  std::size_t i = 0;
  bool boundary = true;  // a name may start here
  while (i < n) {
    // user:password@ in a URL's authority.
    if (text.compare(i, 3, "://") == 0) {
      out += "://";
      i += 3;
      const std::size_t end = authority_end(text, i);
      const std::size_t at = text.substr(i, end - i).rfind('@');
      if (at != std::string_view::npos) {
        std::string_view info = text.substr(i, at);
        std::size_t colon = info.find(':');
        if (colon != std::string_view::npos) out.append(info.substr(0, colon + 1));
        out.append(kRedacted);
        out.push_back('@');
        i += at + 1;
      }
      boundary = true;
      continue;
    }
    // A percent-escaped separator ("%26" for '&', "%3F" for '?') starts a new name.
    if (text[i] == '%' && i + 2 < n && hex_digit(text[i + 1]) && hex_digit(text[i + 2])) {
      out.append(text.substr(i, 3));
      i += 3;
      boundary = true;
      continue;
    }
    if (!name_char(text[i]) || !boundary) {
      boundary = !name_char(text[i]);
      out.push_back(text[i++]);
      continue;
    }
    std::size_t j = i;
    while (j < n && name_char(text[j])) ++j;
    const std::string_view name = text.substr(i, j - i);
    const bool param = one_of_ci(name, kSecretParams), header = one_of_ci(name, kSecretHeaders);
    if (param) {  // name=value, name%3Dvalue
      std::size_t v = j < n && text[j] == '=' ? j + 1 : at_ci(text, j, "%3D") ? j + 3 : 0;
      if (v) {
        out.append(text.substr(i, v - i));
        out.append(kRedacted);
        while (v < n && !ends_query_value(text, v)) ++v;
        i = v;
        boundary = false;
        continue;
      }
    }
    if (param || header) {  // "name": "value" (JSON) or Name: value (a header line)
      const bool quoted = i > 0 && text[i - 1] == '"' && j < n && text[j] == '"';
      std::size_t k = quoted ? j + 1 : j;
      while (k < n && (text[k] == ' ' || text[k] == '\t')) ++k;
      if (k < n && text[k] == ':' && (quoted || header)) {
        ++k;
        while (k < n && (text[k] == ' ' || text[k] == '\t')) ++k;
        std::size_t v = k;
        if (v < n && text[v] == '"') {  // a JSON string, escapes included
          ++k;
          ++v;
          while (v < n && text[v] != '"') v += text[v] == '\\' && v + 1 < n ? 2 : 1;
        } else if (header) {  // to the end of the line
          while (v < n && text[v] != '\r' && text[v] != '\n') ++v;
        } else {  // a bare JSON value
          while (v < n && text[v] != ',' && text[v] != '}' && text[v] != '\n') ++v;
        }
        out.append(text.substr(i, k - i));
        out.append(kRedacted);
        i = std::min(v, n);
        boundary = false;
        continue;
      }
    }
    out.append(name);
    i = j;
    boundary = false;
  }
  return out;
}

}  // namespace datamap::catalog

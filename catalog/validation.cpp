#include "catalog/validation.h"

#include <algorithm>
#include <cctype>
#include <iterator>

#include "catalog/licenses.h"
#include "catalog/text.h"

namespace datamap::catalog {
namespace {

template <std::size_t N>
bool one_of(std::string_view v, const char* const (&allowed)[N]) {
  return std::any_of(std::begin(allowed), std::end(allowed),
                     [&](const char* a) { return v == a; });
}

std::string join(const char* const* begin, const char* const* end) {
  std::string out;
  for (auto* p = begin; p != end; ++p) {
    if (!out.empty()) out += ", ";
    out += *p;
  }
  return out;
}

void check_text(FieldErrors& errors, const std::string& field, std::string_view value) {
  if (!is_valid_utf8(value)) errors[field].push_back("Must be valid UTF-8 text");
}

void check_date(FieldErrors& errors, const std::string& field, std::string_view value) {
  if (!value.empty() && !is_iso8601(value))
    errors[field].push_back("Date format incorrect: use ISO 8601 (YYYY-MM-DD or "
                            "YYYY-MM-DDTHH:MM:SS)");
}

void check_url(FieldErrors& errors, const std::string& field, std::string_view value) {
  if (!value.empty() && !is_valid_url(value))
    errors[field].push_back("Please provide a valid URL (http:// or https://)");
}

bool digits(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return false;
  for (std::size_t i = pos; i < pos + n; ++i)
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  return true;
}

int number(std::string_view s, std::size_t pos, std::size_t n) {
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

}  // namespace

bool is_valid_tag(std::string_view tag) {
  if (trim(tag).empty() || !is_valid_utf8(tag)) return false;
  std::size_t characters = 0;
  for (unsigned char c : tag) characters += (c & 0xC0) != 0x80;  // count lead bytes only
  return characters <= 100;
}

bool is_valid_name(std::string_view name) {
  if (name.size() < 2 || name.size() > 100) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

bool is_valid_url(std::string_view url) {
  std::string lower = to_lower_ascii(url.substr(0, 8));
  std::size_t start;
  if (lower.rfind("http://", 0) == 0)
    start = 7;
  else if (lower.rfind("https://", 0) == 0)
    start = 8;
  else
    return false;
  std::size_t host_end = url.find_first_of("/?#", start);
  std::string_view host = url.substr(start, host_end == std::string_view::npos
                                                ? std::string_view::npos
                                                : host_end - start);
  if (host.empty()) return false;
  for (unsigned char c : url)
    if (c <= 0x20 || c == 0x7F || c == '"' || c == '<' || c == '>' || c == '\\') return false;
  return is_valid_utf8(url);
}

bool is_iso8601(std::string_view d) {
  // YYYY[-MM[-DD[(T| )HH:MM[:SS[.frac]][Z|±HH:MM]]]]
  if (!digits(d, 0, 4)) return false;
  if (d.size() == 4) return true;
  if (d[4] != '-' || !digits(d, 5, 2)) return false;
  int month = number(d, 5, 2);
  if (month < 1 || month > 12) return false;
  if (d.size() == 7) return true;
  if (d.size() < 10 || d[7] != '-' || !digits(d, 8, 2)) return false;
  int day = number(d, 8, 2);
  if (day < 1 || day > 31) return false;
  if (d.size() == 10) return true;
  if ((d[10] != 'T' && d[10] != ' ') || !digits(d, 11, 2) || d.size() < 16 || d[13] != ':' ||
      !digits(d, 14, 2))
    return false;
  if (number(d, 11, 2) > 23 || number(d, 14, 2) > 59) return false;
  std::size_t p = 16;
  if (p < d.size() && d[p] == ':') {
    if (!digits(d, p + 1, 2) || number(d, p + 1, 2) > 60) return false;
    p += 3;
    if (p < d.size() && d[p] == '.') {
      ++p;
      std::size_t start = p;
      while (p < d.size() && std::isdigit(static_cast<unsigned char>(d[p]))) ++p;
      if (p == start) return false;
    }
  }
  if (p == d.size()) return true;
  if (d[p] == 'Z') return p + 1 == d.size();
  if (d[p] == '+' || d[p] == '-') {
    return d.size() == p + 6 && digits(d, p + 1, 2) && d[p + 3] == ':' && digits(d, p + 4, 2);
  }
  return false;
}

bool is_known_license(std::string_view id) {
  const auto& all = known_licenses();
  return std::any_of(all.begin(), all.end(), [&](const License& l) { return l.id == id; });
}

std::string slugify(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
      out.push_back(static_cast<char>(c));
    } else if (c >= 'A' && c <= 'Z') {
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else if (!out.empty() && out.back() != '-') {
      out.push_back('-');
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  if (out.size() > 100) out.resize(100);
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.size() >= 2 ? out : std::string();
}

void validate_dataset(const Dataset& d, FieldErrors& errors) {
  if (trim(d.title).empty()) errors["title"].push_back("Missing value");
  if (d.name.empty())
    errors["name"].push_back("Missing value");
  else if (!is_valid_name(d.name))
    errors["name"].push_back(
        "Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_ "
        "(2 to 100 characters)");
  if (!one_of(d.type, kDatasetTypes))
    errors["type"].push_back("Value must be one of: " +
                             join(std::begin(kDatasetTypes), std::end(kDatasetTypes)));
  if (!one_of(d.state, kStates))
    errors["state"].push_back("Value must be one of: " +
                              join(std::begin(kStates), std::end(kStates)));
  if (!d.license_id.empty() && !is_known_license(d.license_id))
    errors["license_id"].push_back("License not found: see license_list for the known ids");
  check_url(errors, "url", d.url);
  check_date(errors, "issued", d.issued);
  check_date(errors, "modified", d.modified);
  check_date(errors, "next_update", d.next_update);
  for (const auto& [field, value] :
       {std::pair<const char*, const std::string*>{"title", &d.title},
        {"notes", &d.notes},
        {"maintainer", &d.maintainer},
        {"author", &d.author},
        {"spatial", &d.spatial},
        {"temporal", &d.temporal}})
    check_text(errors, field, *value);
  if (d.views < 0) errors["views"].push_back("Must be a positive integer");
  if (d.downloads < 0) errors["downloads"].push_back("Must be a positive integer");
  for (const auto& tag : d.tags) {
    if (!is_valid_tag(tag)) {
      errors["tags"].push_back("Tag \"" + (is_valid_utf8(tag) ? tag : std::string("?")) +
                               "\" must be 1 to 100 characters of text");
    }
  }
  for (std::size_t i = 0; i < d.resources.size(); ++i) {
    const Resource& r = d.resources[i];
    std::string prefix = "resources[" + std::to_string(i) + "].";
    check_url(errors, prefix + "url", r.url);
    check_text(errors, prefix + "name", r.name);
  }
  for (std::size_t i = 0; i < d.columns.size(); ++i)
    if (trim(d.columns[i].name).empty())
      errors["columns[" + std::to_string(i) + "].name"].push_back("Missing value");
}

void check_dataset(const Dataset& d) {
  FieldErrors errors;
  validate_dataset(d, errors);
  if (!errors.empty()) throw ValidationError(std::move(errors));
}

void validate_organization(const Organization& o, FieldErrors& errors) {
  if (!is_valid_name(o.name))
    errors["name"].push_back(
        "Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_ "
        "(2 to 100 characters)");
  if (trim(o.title).empty() && o.name.empty()) errors["title"].push_back("Missing value");
  check_text(errors, "title", o.title);
  check_url(errors, "image_url", o.image_url);
}

void validate_group(const Group& g, FieldErrors& errors) {
  if (!is_valid_name(g.name))
    errors["name"].push_back(
        "Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_ "
        "(2 to 100 characters)");
  check_text(errors, "title", g.title);
}

}  // namespace datamap::catalog

#include "catalog/import/repair.h"

#include <algorithm>

#include "catalog/text.h"
#include "catalog/validation.h"

namespace datamap::catalog::importer {
namespace {

constexpr std::size_t kTagCharacters = 100;

// The first `n` characters of UTF-8 text `s` (whole code points).
std::string first_characters(std::string_view s, std::size_t n) {
  std::size_t seen = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (seen == n) break;
      ++seen;
    }
  }
  return std::string(s.substr(0, i));
}

// A short quote of a value for a warning (values can be long or hostile).
std::string quote(std::string_view s) {
  std::string out = "\"";
  if (s.size() > 60) {
    out.append(first_characters(s, 40)).append("…");
  } else {
    out.append(s);
  }
  out.push_back('"');
  return out;
}

void keep_raw(KeyValues& extras, const std::string& key, std::string value) {
  auto known =
      std::find_if(extras.begin(), extras.end(), [&](const auto& kv) { return kv.first == key; });
  if (known == extras.end()) extras.emplace_back(key, std::move(value));
}

std::vector<std::string> split_list(std::string_view s) {
  std::vector<std::string> parts;
  std::string part;
  auto flush = [&] {
    auto t = trim(part);
    if (!t.empty()) parts.emplace_back(t);
    part.clear();
  };
  for (char c : s) {
    if (c == ',' || c == ';')
      flush();
    else
      part += c;
  }
  flush();
  return parts;
}

void repair_tags(Dataset& d, std::vector<std::string>& warnings) {
  std::vector<std::string> tags;
  auto add = [&](std::string t) {
    if (std::find(tags.begin(), tags.end(), t) == tags.end()) tags.push_back(std::move(t));
  };
  for (auto& tag : d.tags) {
    if (is_valid_tag(tag)) {
      add(std::move(tag));
      continue;
    }
    if (!is_valid_utf8(tag)) {
      warnings.push_back("tags: dropped a keyword that is not UTF-8 text");
      continue;
    }
    if (trim(tag).empty()) continue;
    std::vector<std::string> parts = split_list(tag);
    if (parts.size() > 1)
      warnings.push_back("tags: split the keyword list " + quote(tag) + " into " +
                         std::to_string(parts.size()) + " tags");
    for (auto& part : parts) {
      if (!is_valid_tag(part)) {
        warnings.push_back("tags: shortened " + quote(part) + " to 100 characters");
        part = std::string(trim(first_characters(part, kTagCharacters)));
      }
      add(std::move(part));
    }
  }
  d.tags = std::move(tags);
}

void repair_field(std::string& value, bool ok, const char* field, KeyValues& extras,
                  std::vector<std::string>& warnings, const std::string& where = "") {
  if (value.empty() || ok || !is_valid_utf8(value)) return;
  warnings.push_back(where + field + ": kept " + quote(value) + " as " + field +
                     "_raw in extras (not a valid value)");
  keep_raw(extras, std::string(field) + "_raw", std::move(value));
  value.clear();
}

}  // namespace

std::vector<std::string> repair_record(Dataset& d) {
  std::vector<std::string> warnings;
  repair_tags(d, warnings);
  repair_field(d.url, is_valid_url(d.url), "url", d.extras, warnings);
  repair_field(d.issued, is_iso8601(d.issued), "issued", d.extras, warnings);
  repair_field(d.modified, is_iso8601(d.modified), "modified", d.extras, warnings);
  repair_field(d.next_update, is_iso8601(d.next_update), "next_update", d.extras, warnings);
  repair_field(d.license_id, is_known_license(d.license_id), "license", d.extras, warnings);
  for (std::size_t i = 0; i < d.resources.size(); ++i) {
    Resource& r = d.resources[i];
    repair_field(r.url, is_valid_url(r.url), "url", r.extras, warnings,
                 "resources[" + std::to_string(i) + "].");
  }
  return warnings;
}

}  // namespace datamap::catalog::importer

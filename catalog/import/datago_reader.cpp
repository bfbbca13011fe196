#include "catalog/import/datago_reader.h"

#include <array>
#include <cstdlib>
#include <optional>
#include <set>

#include "catalog/errors.h"
#include "catalog/ids.h"
#include "catalog/import/csv_reader.h"
#include "catalog/licenses.h"
#include "catalog/text.h"
#include "catalog/validation.h"

namespace datamap::catalog::importer {
namespace {

constexpr std::size_t kFieldCount = static_cast<std::size_t>(DatagoField::file_name) + 1;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Multi-line values keep their line breaks, as LF only.
std::string clean_text(std::string_view raw) {
  std::string out;
  std::string_view t = trim(raw);
  out.reserve(t.size());
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < t.size() && t[i + 1] == '\n') ++i;
    } else {
      out.push_back(t[i]);
    }
  }
  return to_nfc(out);
}

// Database exports write a missing value as "(NULL)" (17 view counts of the 2022 list do).
bool is_null_marker(std::string_view v) {
  std::string t = to_lower_ascii(v);
  return t == "(null)" || t == "null";
}

// "1,234" and " 12 " are counts; empty is 0.
bool parse_count(std::string_view text, std::int64_t& out) {
  std::string digits;
  for (char c : text) {
    if (is_digit(c))
      digits.push_back(c);
    else if (c != ',' && c != ' ')
      return false;
  }
  if (digits.size() > 18) return false;
  out = digits.empty() ? 0 : std::strtoll(digits.c_str(), nullptr, 10);
  return true;
}

bool parse_yes_no(std::string_view text, bool& out) {
  std::string t = to_lower_ascii(text);
  if (t.empty() || t == "n" || t == "no" || t == "false" || t == "0" || t == "아니오" ||
      t == "아니요" || t == "미해당") {
    out = false;
    return true;
  }
  if (t == "y" || t == "yes" || t == "true" || t == "1" || t == "예" || t == "해당") {
    out = true;
    return true;
  }
  return false;
}

// 목록유형: FILE / API / STD (and the portal's Korean labels).
std::string dataset_type(std::string_view text) {
  std::string t = to_lower_ascii(text);
  if (t == "file" || t == "파일" || t == "파일데이터") return "file";
  if (t == "api" || t == "openapi" || t == "오픈api" || t == "open api") return "api";
  if (t == "std" || t == "표준" || t == "표준데이터" || t == "표준데이터셋") return "standard";
  return "";
}

std::vector<std::string> split_any(std::string_view text, std::string_view separators) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t stop = text.find_first_of(separators, start);
    if (stop == std::string_view::npos) stop = text.size();
    std::string part(trim(text.substr(start, stop - start)));
    if (!part.empty()) parts.push_back(std::move(part));
    start = stop + 1;
  }
  return parts;
}

std::string dataset_name(const std::string& key) {
  std::string lower = to_lower_ascii(key);
  std::string name = "datago-" + lower;
  if (is_valid_name(name)) return name;
  return "datago-" + sha256_hex(key).substr(0, 16);
}

Organization agency(const std::string& code, const std::string& title) {
  Organization o;
  o.code = code;
  o.title = title.empty() ? code : title;
  if (!code.empty()) {
    o.id = stable_id("datago-org", code);
    o.name = "org-" + to_lower_ascii(code);
    if (!is_valid_name(o.name)) {
      std::string slug = slugify(code);
      o.name = slug.empty() ? "org-" + sha256_hex(code).substr(0, 12) : "org-" + slug;
      if (o.name.size() > 100) o.name.resize(100);
    }
  } else {
    o.id = stable_id("datago-org-title", title);
    std::string slug = slugify(title);  // Korean names leave nothing: hash them instead
    o.name = slug.empty() ? "org-" + sha256_hex(title).substr(0, 12) : "org-" + slug;
    if (o.name.size() > 100) o.name.resize(100);
  }
  return o;
}

}  // namespace

std::string normalize_date(std::string_view raw) {
  std::string_view t = trim(raw);
  if (t.empty()) return "";
  if (is_iso8601(t)) return std::string(t);
  // Pure digits: YYYYMMDD.
  if (t.size() == 8 && std::all_of(t.begin(), t.end(), is_digit)) {
    std::string d = std::string(t.substr(0, 4)) + "-" + std::string(t.substr(4, 2)) + "-" +
                    std::string(t.substr(6, 2));
    return is_iso8601(d) ? d : "";
  }
  // YYYY sep M sep D [time], with '.', '/' or '-' and optional spaces ("2021. 6. 4.").
  std::array<int, 3> parts{};
  std::size_t p = 0;
  for (int i = 0; i < 3; ++i) {
    while (p < t.size() && t[p] == ' ') ++p;
    std::size_t start = p;
    while (p < t.size() && is_digit(t[p])) ++p;
    std::size_t len = p - start;
    if (len == 0 || (i == 0 && len != 4) || (i > 0 && len > 2)) return "";
    parts[i] = std::atoi(std::string(t.substr(start, len)).c_str());
    if (i < 2) {
      if (p >= t.size() || (t[p] != '.' && t[p] != '/' && t[p] != '-')) return "";
      ++p;
    }
  }
  std::string_view rest = trim(t.substr(p));
  if (!rest.empty() && rest.front() == '.') rest = trim(rest.substr(1));
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", parts[0], parts[1], parts[2]);
  std::string date = buf;
  if (!rest.empty()) {
    std::string with_time = date + "T" + std::string(rest);
    return is_iso8601(with_time) ? with_time : "";
  }
  return is_iso8601(date) ? date : "";
}

DatagoRowMapper::DatagoRowMapper(const std::vector<std::string>& header, std::string source,
                                 bool decoded_from_cp949)
    : source_(source.empty() ? "datago" : std::move(source)),
      decoded_from_cp949_(decoded_from_cp949) {
  bool has_key = false;
  for (const auto& raw : header) {
    if (!is_valid_utf8(raw))
      throw BadRequest("Import Error", "the CSV header is not valid UTF-8 or CP949 text");
    std::string h = to_nfc(trim(raw));
    DatagoField f = datago_field(h);
    has_key = has_key || f == DatagoField::key;
    headers_.push_back(std::move(h));
    fields_.push_back(f);
  }
  if (!has_key) {
    std::string found;
    for (const auto& h : headers_) found += (found.empty() ? "" : ", ") + h;
    throw BadRequest(
        "Import Error",
        "not a data.go.kr list: the header has no 목록키 column (found: " + found + ")");
  }
}

Record DatagoRowMapper::map(const std::vector<std::string>& values, std::size_t line) const {
  using F = DatagoField;
  Record r;
  r.line = line;
  r.where = "line " + std::to_string(line);
  if (values.size() != headers_.size()) {
    r.errors["row"].push_back("expected " + std::to_string(headers_.size()) + " fields, found " +
                              std::to_string(values.size()));
    if (!values.empty() && is_valid_utf8(values[0])) r.ref = std::string(trim(values[0]));
    return r;
  }

  // One value per model field; a second column for the same field (목록설명 and 설명) is an extra.
  std::array<std::optional<std::string>, kFieldCount> v;
  std::array<std::string_view, kFieldCount> header_of{};
  Dataset& d = r.dataset;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!is_valid_utf8(values[i])) {
      r.errors[headers_[i]].push_back("invalid UTF-8 text");
      continue;
    }
    if (decoded_from_cp949_ && values[i].find("\xEF\xBF\xBD") != std::string::npos) {
      r.errors[headers_[i]].push_back("invalid CP949 text (bytes that decode to nothing)");
      continue;
    }
    std::string value = clean_text(values[i]);
    if (value.empty() || is_null_marker(value)) continue;
    auto f = static_cast<std::size_t>(fields_[i]);
    if (fields_[i] == F::extra || v[f]) {
      d.extras.emplace_back(headers_[i], std::move(value));
    } else {
      v[f] = std::move(value);
      header_of[f] = headers_[i];
    }
  }
  auto get = [&](F f) -> const std::string& {
    static const std::string kEmpty;
    const auto& o = v[static_cast<std::size_t>(f)];
    return o ? *o : kEmpty;
  };
  auto header = [&](F f) { return std::string(header_of[static_cast<std::size_t>(f)]); };
  auto extra = [&](F f) { d.extras.emplace_back(header(f), get(f)); };

  const std::string& key = get(F::key);
  r.ref = key;
  if (key.empty()) {
    r.errors["목록키"].push_back("Missing value");
    return r;
  }
  d.id = stable_id("datago", key);
  d.name = dataset_name(key);
  d.source_key = key;
  d.source = source_;
  d.title = get(F::title);
  d.notes = get(F::notes);
  d.url = get(F::url);
  d.maintainer = get(F::maintainer);
  std::string phone = get(F::maintainer_phone);
  while (!phone.empty() && (phone.front() == '`' || phone.front() == '\''))
    phone.erase(0, 1);  // Excel's "keep as text" marks
  d.maintainer_phone = std::string(trim(phone));
  d.frequency = get(F::frequency);
  d.spatial = get(F::spatial);
  d.temporal = get(F::temporal);

  if (!get(F::type).empty()) {
    d.type = dataset_type(get(F::type));
    if (d.type.empty()) {
      d.type = "dataset";
      extra(F::type);
    }
  }
  for (F f : {F::views, F::downloads}) {
    if (!parse_count(get(f), f == F::views ? d.views : d.downloads))
      r.errors[header(f)].push_back("Must be a whole number, got \"" + get(f) + "\"");
  }
  for (F f : {F::national_priority, F::standard_dataset}) {
    bool& flag = f == F::national_priority ? d.national_priority : d.standard_dataset;
    if (!parse_yes_no(get(f), flag))
      r.errors[header(f)].push_back("Must be Y or N, got \"" + get(f) + "\"");
  }
  for (F f : {F::issued, F::modified}) {
    if (get(f).empty()) continue;
    std::string date = normalize_date(get(f));
    if (date.empty()) r.errors[header(f)].push_back("Date format incorrect: \"" + get(f) + "\"");
    (f == F::issued ? d.issued : d.modified) = date;
  }
  if (!get(F::next_update).empty()) {
    // A planned date is often free text ("수시", "미정"): keep it rather than reject the row.
    d.next_update = normalize_date(get(F::next_update));
    if (d.next_update.empty()) extra(F::next_update);
  }

  // 분류체계 "공공행정 - 법제": main category -> group, the rest -> category_sub.
  if (const std::string& category = get(F::category); !category.empty()) {
    std::size_t dash = category.find('-');
    std::string main(trim(std::string_view(category).substr(0, dash)));
    if (dash != std::string::npos)
      d.category_sub = std::string(trim(std::string_view(category).substr(dash + 1)));
    if (!main.empty()) {
      auto [it, fresh] = categories_.try_emplace(main);
      if (fresh) {
        it->second.name = datago_group_name(main);
        it->second.title = main;
        it->second.id = stable_id("datago-group", it->second.name);
      }
      d.groups.push_back(it->second.name);
      r.groups.push_back(it->second);
    }
  }

  if (!get(F::org_code).empty() || !get(F::org_name).empty()) {
    auto [it, fresh] = agencies_.try_emplace(get(F::org_code) + '\0' + get(F::org_name));
    if (fresh) it->second = agency(get(F::org_code), get(F::org_name));
    r.organization = it->second;
    d.owner_org = r.organization->id;
  }

  if (const std::string& keywords = get(F::keywords); !keywords.empty()) {
    std::set<std::string> seen;
    bool dropped = false;
    for (auto& tag : split_any(keywords, ",\n")) {
      if (!is_valid_tag(tag)) {
        dropped = true;
        continue;
      }
      if (seen.insert(tag).second) d.tags.push_back(std::move(tag));
    }
    if (dropped) extra(F::keywords);  // a keyword too long to be a tag is not lost
  }

  if (!get(F::file_name).empty()) extra(F::file_name);
  if (const std::string& formats = get(F::formats); !formats.empty()) {
    std::set<std::string> seen;
    for (auto& part : split_any(formats, ",/;|+ ")) {
      std::string fmt;
      for (char c : part) fmt.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c);
      if (!fmt.empty() && fmt.front() == '.') fmt.erase(0, 1);
      if (fmt.empty() || !seen.insert(fmt).second) continue;
      Resource res;
      res.name = get(F::file_name).empty() ? d.title : get(F::file_name);
      res.format = fmt;
      res.url = d.url;  // the list gives no download link; the landing page has it
      res.id = stable_id(d.id, "format:" + fmt);
      d.resources.push_back(std::move(res));
    }
  }

  if (const std::string& license = get(F::license); !license.empty()) {
    d.license_id = license_from_text(license);
    if (d.license_id.empty()) extra(F::license);
  }
  return r;
}

void read_datago_csv(std::string_view text, const ReadContext& ctx, const RecordSink& emit) {
  CsvReader csv(text);
  CsvRecord rec;
  if (!csv.next(rec)) throw BadRequest("Import Error", "the file is empty");
  if (!rec.error.empty())
    throw BadRequest("Import Error", "the CSV header (line " + std::to_string(rec.line) +
                                         ") is broken: " + rec.error);
  DatagoRowMapper mapper(rec.fields, ctx.source, ctx.decoded_from_cp949);
  while (csv.next(rec)) {
    Record r;
    if (!rec.error.empty()) {
      r.line = rec.line;
      r.where = "line " + std::to_string(rec.line);
      r.errors["csv"].push_back(rec.error);
    } else {
      r = mapper.map(rec.fields, rec.line);
    }
    r.offset = rec.end_offset;
    emit(std::move(r));
  }
}

}  // namespace datamap::catalog::importer

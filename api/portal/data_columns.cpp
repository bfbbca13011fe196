#include "api/portal/data_columns.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "api/portal/action_client.h"
#include "api/portal/data_preview.h"
#include "api/portal/partials.h"

namespace datamap::api::portal {

std::string scalar_text(const rapidjson::Value& v) {
  if (v.IsString()) return std::string(v.GetString(), v.GetStringLength());
  if (v.IsBool()) return v.GetBool() ? "true" : "false";
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (v.IsUint64()) return std::to_string(v.GetUint64());
  if (v.IsNumber()) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.15g", v.GetDouble());
    return buf;
  }
  if (v.IsNull()) return "";
  return to_json_text(v);  // an array or object in a cell: shown as its JSON
}

namespace {

// The first of several member names a producer may use (e.g. null_count or nulls).
const rapidjson::Value* first_member(const rapidjson::Value& v,
                                     std::initializer_list<const char*> names) {
  for (const char* n : names)
    if (const auto* m = json_member(v, n); m && !m->IsNull()) return m;
  return nullptr;
}

std::string text_of(const rapidjson::Value& v, std::initializer_list<const char*> names) {
  const auto* m = first_member(v, names);
  return m ? scalar_text(*m) : "";
}

std::optional<std::int64_t> count_of(const rapidjson::Value& v,
                                     std::initializer_list<const char*> names) {
  const auto* m = first_member(v, names);
  if (m && m->IsInt64()) return m->GetInt64();
  if (m && m->IsNumber()) return static_cast<std::int64_t>(m->GetDouble());
  return std::nullopt;
}

// Top values as [{value, count}], [[value, count]] or [value, ...].
std::vector<std::pair<std::string, std::int64_t>> top_values(const rapidjson::Value& col) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  const auto* top = first_member(col, {"top_values", "top"});
  if (!top || !top->IsArray()) return out;
  for (const auto& t : top->GetArray()) {
    if (t.IsObject())
      out.emplace_back(text_of(t, {"value", "v"}), count_of(t, {"count", "n"}).value_or(-1));
    else if (t.IsArray() && t.Size() == 2)
      out.emplace_back(scalar_text(t[0]), t[1].IsInt64() ? t[1].GetInt64() : -1);
    else
      out.emplace_back(scalar_text(t), -1);
  }
  return out;
}

void apply_dictionary(ColumnView& c, const rapidjson::Value& info) {
  if (!info.IsObject()) return;
  c.label = json_str(info, "label");
  c.notes = json_str(info, "notes");
  if (std::string t = json_str(info, "standard_term"); !t.empty()) c.standard_term = t;
  if (std::string t = json_str(info, "type_override"); !t.empty()) c.type = t;
}

void apply_profile(ColumnView& c, const rapidjson::Value& p) {
  c.profiled = true;
  if (c.type.empty()) c.type = json_str(p, "type");
  c.semantic_type = text_of(p, {"semantic_type", "semantic"});
  if (c.standard_term.empty()) c.standard_term = text_of(p, {"standard_term", "term"});
  c.nulls = count_of(p, {"null_count", "nulls"});
  c.distinct = count_of(p, {"distinct_count", "distinct"});
  c.distinct_estimated = json_bool(p, "distinct_estimated");
  if (auto n = count_of(p, {"invalid"}); n && *n > 0) c.invalid = n;
  c.min = text_of(p, {"min"});
  c.max = text_of(p, {"max"});
  c.top = top_values(p);
}

std::string lower(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

bool contains(const std::string& s, std::string_view part) {
  return s.find(part) != std::string::npos;
}

}  // namespace

std::vector<ColumnView> table_columns(const rapidjson::Value* info,
                                      const rapidjson::Value& resource) {
  std::vector<ColumnView> cols;
  if (info) {
    if (const auto* fields = json_array(*info, "fields")) {
      for (const auto& f : fields->GetArray()) {
        ColumnView c;
        c.id = json_str(f, "id");
        if (c.id.empty() || c.id == "_id") continue;
        c.type = json_str(f, "type");
        if (const auto* d = json_member(f, "info")) apply_dictionary(c, *d);
        cols.push_back(std::move(c));
      }
    } else if (const auto* schema = json_member(*info, "schema"); schema && schema->IsObject()) {
      for (const auto& m : schema->GetObject()) {
        ColumnView c;
        c.id.assign(m.name.GetString(), m.name.GetStringLength());
        if (c.id == "_id") continue;
        c.type = m.value.IsString() ? m.value.GetString() : "";
        cols.push_back(std::move(c));
      }
    }
  }
  const auto* profile = json_array(resource, "columns");
  if (!profile) return cols;
  const bool from_profile_only = cols.empty();
  for (const auto& p : profile->GetArray()) {
    std::string name = text_of(p, {"name", "id"});
    if (name.empty()) continue;
    auto it =
        std::find_if(cols.begin(), cols.end(), [&](const ColumnView& c) { return c.id == name; });
    if (it == cols.end()) {
      if (!from_profile_only) continue;  // a column the table no longer has
      cols.emplace_back().id = name;
      it = cols.end() - 1;
    }
    apply_profile(*it, p);
  }
  return cols;
}

std::optional<std::int64_t> info_row_count(const rapidjson::Value& info) {
  if (const auto* meta = json_member(info, "meta"))
    if (auto n = count_of(*meta, {"count", "row_count"})) return n;
  return count_of(info, {"total", "row_count", "count"});
}

std::optional<std::pair<std::string, std::string>> coordinate_columns(
    const std::vector<ColumnView>& cols, const rapidjson::Value* info) {
  auto pick = [&](auto is_lat, auto is_lon) -> std::optional<std::pair<std::string, std::string>> {
    const ColumnView *lat = nullptr, *lon = nullptr;
    for (const auto& c : cols) {
      if (!lat && is_lat(c))
        lat = &c;
      else if (!lon && is_lon(c))
        lon = &c;
    }
    if (lat && lon) return std::pair{lat->id, lon->id};
    return std::nullopt;
  };
  auto by_semantic = pick(
      [](const ColumnView& c) {
        std::string s = lower(c.semantic_type);
        return s == "latitude" || s == "lat" || contains(s, "위도");
      },
      [](const ColumnView& c) {
        std::string s = lower(c.semantic_type);
        return s == "longitude" || s == "lon" || s == "lng" || contains(s, "경도");
      });
  if (by_semantic) return by_semantic;
  // The table's point option (TableOptions::point), as {latitude, longitude} or [lat, lon].
  for (const rapidjson::Value* where : {info, info ? json_member(*info, "meta") : nullptr}) {
    const auto* point = where ? json_member(*where, "point") : nullptr;
    if (point && point->IsArray() && point->Size() == 2 && (*point)[0].IsString() &&
        (*point)[1].IsString())
      return std::pair{std::string((*point)[0].GetString()), std::string((*point)[1].GetString())};
    if (point && point->IsObject() && !json_str(*point, "latitude").empty())
      return std::pair{json_str(*point, "latitude"), json_str(*point, "longitude")};
  }
  return pick(
      [](const ColumnView& c) {
        std::string n = lower(c.id);
        return contains(n, "위도") || n == "lat" || n == "latitude";
      },
      [](const ColumnView& c) {
        std::string n = lower(c.id);
        return contains(n, "경도") || n == "lon" || n == "lng" || n == "longitude";
      });
}

std::string_view semantic_label(Lang lang, const std::string& id) {
  static const struct {
    std::string_view id, ko, en;
  } kLabels[] = {{"latitude", "위도 (WGS84)", "Latitude (WGS84)"},
                 {"longitude", "경도 (WGS84)", "Longitude (WGS84)"},
                 {"legal_dong_code", "법정동코드", "Legal-dong code"},
                 {"admin_dong_code", "행정동코드", "Administrative-dong code"},
                 {"business_reg_no", "사업자등록번호", "Business registration no."},
                 {"postal_code", "우편번호", "Postal code"},
                 {"phone", "전화번호", "Phone number"},
                 {"road_address", "도로명주소", "Road-name address"},
                 {"lot_address", "지번주소", "Lot-number address"},
                 {"org_code", "제공기관코드", "Agency code"},
                 {"email", "이메일", "E-mail"},
                 {"url", "URL", "URL"},
                 {"date", "날짜", "Date"}};
  for (const auto& l : kLabels)
    if (l.id == id) return tr(lang, l.ko, l.en);
  return id;
}

std::string_view type_label(Lang lang, const std::string& type) {
  if (type == "int") return tr(lang, "정수", "Integer");
  if (type == "numeric") return tr(lang, "숫자", "Number");
  if (type == "bool") return tr(lang, "참/거짓", "Boolean");
  if (type == "date") return tr(lang, "날짜", "Date");
  if (type == "timestamp") return tr(lang, "일시", "Timestamp");
  if (type == "text") return tr(lang, "문자", "Text");
  return type;
}

void column_profile_table(Html& h, Lang lang, const std::vector<ColumnView>& cols,
                          std::int64_t rows, const std::string& caption) {
  const bool any_profile =
      std::any_of(cols.begin(), cols.end(), [](const auto& c) { return c.profiled; });
  h << "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"" << caption
    << "\"><table class=\"profile\"><caption>" << caption
    << "</caption><thead><tr><th scope=\"col\">" << tr(lang, "컬럼", "Column")
    << "</th><th scope=\"col\">" << tr(lang, "형식", "Type") << "</th><th scope=\"col\">"
    << tr(lang, "의미 유형", "Semantic type") << "</th><th scope=\"col\">"
    << tr(lang, "공통표준용어", "Standard term") << "</th><th scope=\"col\">"
    << tr(lang, "빈 값", "Nulls") << "</th><th scope=\"col\">" << tr(lang, "고유값", "Distinct")
    << "</th><th scope=\"col\">" << tr(lang, "최솟값", "Min") << "</th><th scope=\"col\">"
    << tr(lang, "최댓값", "Max") << "</th><th scope=\"col\">"
    << tr(lang, "자주 나오는 값", "Top values") << "</th></tr></thead><tbody>";
  const std::size_t n = std::min<std::size_t>(cols.size(), kProfileColumns);
  for (std::size_t i = 0; i < n; ++i) {
    const ColumnView& c = cols[i];
    h << "<tr><th scope=\"row\"><span class=\"col-id\">" << c.id << "</span>";
    if (!c.label.empty() && c.label != c.id)
      h << "<span class=\"col-label\">" << c.label << "</span>";
    if (!c.notes.empty())
      h << "<span class=\"col-notes\">" << source_snippet(c.notes, 160) << "</span>";
    h << "</th><td class=\"col-type\">" << type_label(lang, c.type);
    if (!c.type.empty() && type_label(lang, c.type) != c.type)
      h << " <code>" << c.type << "</code>";
    h << "</td><td>" << semantic_label(lang, c.semantic_type);
    if (c.invalid)
      h << " <span class=\"pct\">(" << tr(lang, "맞지 않는 값 ", "") << format_count(*c.invalid)
        << tr(lang, "", " values do not fit") << ")</span>";
    h << "</td><td>" << c.standard_term << "</td><td class=\"num\">";
    if (c.nulls) {
      h << format_count(*c.nulls);
      if (rows > 0 && *c.nulls > 0) {
        char pct[16];
        std::snprintf(pct, sizeof pct, "%.1f%%",
                      100.0 * static_cast<double>(*c.nulls) / static_cast<double>(rows));
        h << " <span class=\"pct\">(" << std::string(pct) << ")</span>";
      }
    }
    h << "</td><td class=\"num\">";
    if (c.distinct) {
      if (c.distinct_estimated) h << "≈";
      h << format_count(*c.distinct);
    }
    h << "</td><td>" << snippet(c.min, 24) << "</td><td>" << snippet(c.max, 24) << "</td><td>";
    // A value seen once is not "frequent": a column of unique ids shows no top values.
    std::size_t frequent = 0;
    while (frequent < std::min<std::size_t>(c.top.size(), 5) && c.top[frequent].second != 1)
      ++frequent;
    if (frequent > 0) {
      h << "<ul class=\"top-values\">";
      for (std::size_t k = 0; k < frequent; ++k) {
        h << "<li>" << snippet(c.top[k].first, 24);
        if (c.top[k].second >= 0)
          h << " <span class=\"count\">(" << format_count(c.top[k].second) << ")</span>";
        h << "</li>";
      }
      h << "</ul>";
    }
    h << "</td></tr>";
  }
  h << "</tbody></table></div>\n";
  if (cols.size() > n)
    h << "<p class=\"hint\">" << tr(lang, "처음 ", "The first ")
      << format_count(static_cast<std::int64_t>(n))
      << tr(lang, "개 컬럼만 보입니다. 전체는 datastore_info로 볼 수 있습니다.",
            " columns are shown; datastore_info lists them all.")
      << "</p>\n";
  if (!any_profile)
    h << "<p class=\"hint\">"
      << tr(lang, "이 표는 아직 프로파일되지 않았습니다: 형식은 표의 정의에서 왔습니다.",
            "This table has not been profiled yet: the types are the table's own.")
      << "</p>\n";
}

}  // namespace datamap::api::portal

#include "api/portal/data_preview.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>

#include "api/portal/data_columns.h"
#include "api/portal/partials.h"
#include "api/portal/point_map.h"
#include "catalog/errors.h"

namespace datamap::api::portal {

namespace {

rapidjson::Value json_string(const std::string& s, rapidjson::Document::AllocatorType& a) {
  return rapidjson::Value(s.data(), static_cast<rapidjson::SizeType>(s.size()), a);
}

void add_fields(ActionParams& p, const std::vector<std::string>& fields) {
  auto& a = p.doc().GetAllocator();
  rapidjson::Value list(rapidjson::kArrayType);
  for (const auto& f : fields) list.PushBack(json_string(f, a), a);
  p.doc().AddMember("fields", list, a);
}

// A table the reader may not see (a private dataset's, for an outsider) is left out like a
// resource without one: the actions decide, the page only follows.
std::optional<rapidjson::Document> read_action(ActionClient& actions, std::string_view name,
                                               const ActionParams& params) {
  try {
    return actions.try_call(name, params);
  } catch (const NotAuthorized&) {
    return std::nullopt;
  } catch (const ValidationError&) {
    return std::nullopt;
  }
}

// The 1-based page asked for in ?rows_page= when ?rows_of= names this resource; else 1.
std::int64_t requested_page(const PageContext& ctx, const std::string& resource_id) {
  if (ctx.param("rows_of") != resource_id) return 1;
  std::string s = ctx.param("rows_page");
  std::int64_t page = 1;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), page);
  if (ec != std::errc() || end != s.data() + s.size() || page < 1) return 1;
  return std::min<std::int64_t>(page, 1'000'000'000 / kPreviewRows);
}

std::string page_url(const PageContext& ctx, const std::string& resource_id, std::int64_t page) {
  return Url(ctx.path).add("rows_of", resource_id).add("rows_page", std::to_string(page)).str() +
         "#data-" + url_encode(resource_id);
}

std::optional<double> number_of(const rapidjson::Value* v) {
  if (!v) return std::nullopt;
  if (v->IsNumber()) return v->GetDouble();
  if (v->IsString()) {
    const char* s = v->GetString();
    char* end = nullptr;
    double d = std::strtod(s, &end);
    if (end != s && *end == '\0' && std::isfinite(d)) return d;
  }
  return std::nullopt;
}

// Every row of a small table; an even sample of a large one (CKAN's `_id` numbers rows 1..N in
// load order, so asking for every k-th _id spreads the sample over the whole table in one call).
PointSample sample_points(ActionClient& actions, const std::string& resource_id,
                          const std::pair<std::string, std::string>& latlon, std::int64_t total) {
  PointSample s;
  s.rows_total = total;
  ActionParams p;
  p.str("resource_id", resource_id).num("limit", kMapPoints).boolean("include_total", false);
  add_fields(p, {latlon.first, latlon.second});
  if (total > kMapPoints) {
    auto& a = p.doc().GetAllocator();
    rapidjson::Value ids(rapidjson::kArrayType);
    for (std::int64_t i = 0; i < kMapPoints; ++i)
      ids.PushBack(static_cast<int64_t>(1 + i * total / kMapPoints), a);
    rapidjson::Value filters(rapidjson::kObjectType);
    filters.AddMember("_id", ids, a);
    p.doc().AddMember("filters", filters, a);
  }
  auto result = read_action(actions, "datastore_search", p);
  if (!result && total > kMapPoints) {  // no _id to sample by: the first rows, and say so
    ActionParams first;
    first.str("resource_id", resource_id).num("limit", kMapPoints).boolean("include_total", false);
    add_fields(first, {latlon.first, latlon.second});
    result = read_action(actions, "datastore_search", first);
    s.first_rows_only = true;
  }
  const auto* records = result ? json_array(*result, "records") : nullptr;
  if (!records) return s;
  for (const auto& r : records->GetArray()) {
    ++s.rows_read;
    auto lat = number_of(json_member(r, latlon.first.c_str()));
    auto lon = number_of(json_member(r, latlon.second.c_str()));
    if (lat && lon) s.points.push_back({*lat, *lon});
  }
  return s;
}

void rows_table(Html& h, Lang lang, const std::vector<ColumnView>& cols,
                const rapidjson::Value& records, std::int64_t offset, const std::string& caption) {
  h << "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"" << caption
    << "\"><table class=\"rows\"><caption>" << caption
    << "</caption><thead><tr><th scope=\"col\" "
       "class=\"rownum\">"
    << tr(lang, "행", "Row") << "</th>";
  for (const auto& c : cols) {
    h << "<th scope=\"col\"><span class=\"col-id\">" << c.id << "</span>";
    if (!c.label.empty() && c.label != c.id)
      h << "<span class=\"col-label\">" << c.label << "</span>";
    h << "</th>";
  }
  h << "</tr></thead><tbody>";
  std::int64_t n = offset;
  for (const auto& r : records.GetArray()) {
    h << "<tr><th scope=\"row\" class=\"rownum\">" << format_count(++n) << "</th>";
    for (const auto& c : cols) {
      const auto* v = json_member(r, c.id.c_str());
      if (!v || v->IsNull()) {
        h << "<td class=\"null\"></td>";
        continue;
      }
      if (c.type == "int" || c.type == "numeric")
        h << "<td class=\"num\">";
      else
        h << "<td>";
      h << snippet(scalar_text(*v), 120) << "</td>";
    }
    h << "</tr>";
  }
  h << "</tbody></table></div>\n";
}

void pager_links(Html& h, const PageContext& ctx, const std::string& id, std::int64_t page,
                 std::int64_t total) {
  const Lang lang = ctx.lang;
  const std::int64_t last = std::max<std::int64_t>(1, (total + kPreviewRows - 1) / kPreviewRows);
  if (last == 1) return;
  h << "<nav class=\"rows-pager\" aria-label=\"" << tr(lang, "미리보기 쪽", "Preview pages")
    << "\">";
  if (page > 1)
    h << "<a rel=\"prev\" href=\"" << page_url(ctx, id, page - 1) << "\">"
      << tr(lang, "← 이전 20행", "← Previous 20 rows") << "</a> ";
  h << "<span>" << format_count(page) << " / " << format_count(last) << tr(lang, "쪽", " pages")
    << "</span>";
  if (page < last)
    h << " <a rel=\"next\" href=\"" << page_url(ctx, id, page + 1) << "\">"
      << tr(lang, "다음 20행 →", "Next 20 rows →") << "</a>";
  h << "</nav>\n";
}

void data_links(Html& h, Lang lang, const std::string& id) {
  const std::string dump = "/datastore/dump/" + url_encode(id);
  const std::pair<std::string, std::string_view> downloads[] = {
      {Url(dump).add("format", "csv").str(), "CSV"},
      {Url(dump).add("format", "csv").add("encoding", "cp949").str(),
       tr(lang, "CSV (CP949, 옛 엑셀용)", "CSV (CP949, older Excel)")},
      {Url(dump).add("format", "xlsx").str(), "XLSX"},
      {Url(dump).add("format", "json").str(), "JSON"}};
  h << "<ul class=\"data-links\"><li><span class=\"dl-label\">" << tr(lang, "내려받기", "Download")
    << "</span> ";
  for (const auto& [url, label] : downloads) {
    if (&url != &downloads[0].first) h << " · ";
    h << "<a href=\"" << url << "\">" << label << "</a>";
  }
  const std::string api = "/openapi/data/" + url_encode(id);
  h << "</li><li><span class=\"dl-label\">" << tr(lang, "자동 Open API", "Automatic Open API")
    << "</span> <a href=\"" << Url(api).add("page", "1").add("perPage", "10").str() << "\">" << api
    << "</a> · <a href=\"" << api + "/openapi.json"
    << "\">" << tr(lang, "OpenAPI 명세", "OpenAPI document")
    << "</a></li><li><span class=\"dl-label\">CKAN DataStore API</span> <a href=\""
    << Url("/api/3/action/datastore_search").add("resource_id", id).str()
    << "\">datastore_search</a> · <a href=\""
    << Url("/api/3/action/datastore_info").add("id", id).str()
    << "\">datastore_info</a></li></ul>\n";
}

void resource_data(Html& h, const PageContext& ctx, ActionClient& actions,
                   const rapidjson::Value& res) {
  const Lang lang = ctx.lang;
  const std::string id = json_str(res, "id");
  if (id.empty()) return;
  // Not gated on the resource's `datastore_active`: that flag is written after the fact (by the
  // load job, by datastore_create) and may lag; datastore_info is the authority and costs one
  // indexed lookup.
  ActionParams info_params;
  info_params.str("id", id);
  auto info = read_action(actions, "datastore_info", info_params);
  if (!info) return;  // no table, no datastore, or not for this reader
  std::vector<ColumnView> all_cols = table_columns(&*info, res);
  std::vector<ColumnView> shown(
      all_cols.begin(),
      all_cols.begin() + std::min<std::ptrdiff_t>(all_cols.size(), kPreviewColumns));

  std::int64_t page = requested_page(ctx, id);
  auto search = [&](std::int64_t p) {
    ActionParams sp;
    sp.str("resource_id", id)
        .num("limit", kPreviewRows)
        .num("offset", (p - 1) * kPreviewRows)
        .boolean("include_total", true);
    std::vector<std::string> names;
    for (const auto& c : shown) names.push_back(c.id);
    if (all_cols.size() > shown.size()) add_fields(sp, names);
    return read_action(actions, "datastore_search", sp);
  };
  auto rows = search(page);
  if (!rows) return;
  std::int64_t total = json_int(*rows, "total", info_row_count(*info).value_or(0));
  const std::int64_t last = std::max<std::int64_t>(1, (total + kPreviewRows - 1) / kPreviewRows);
  if (page > last) {  // a page past the end (the table shrank, or a hand-made URL): the last one
    page = last;
    rows = search(page);
    if (!rows) return;
  }
  const auto* records = json_array(*rows, "records");
  if (!records) return;

  const std::string name = json_str(res, "name", json_str(res, "format", id));
  const std::string anchor = "data-" + url_encode(id);
  h << "<section class=\"data-preview\" id=\"" << anchor << "\" aria-labelledby=\"" << anchor
    << "-h\"><h2 id=\"" << anchor << "-h\">" << tr(lang, "데이터 미리보기", "Data preview")
    << ": <span class=\"res-name\">" << name << "</span></h2>\n<p class=\"data-summary\">"
    << format_count(total) << tr(lang, "행", " rows") << " · "
    << format_count(static_cast<std::int64_t>(all_cols.size())) << tr(lang, "개 컬럼", " columns")
    << "</p>\n";

  const std::int64_t first = (page - 1) * kPreviewRows + 1;
  const std::int64_t shown_last = first + static_cast<std::int64_t>(records->Size()) - 1;
  // "주차장 목록 — 전체 14,851행 중 1–20행" / "주차장 목록 — rows 1–20 of 14,851"
  const std::string range = format_count(first) + "–" + format_count(shown_last);
  std::string caption = name + " — ";
  if (records->Empty())
    caption += tr(lang, "행 없음", "no rows");
  else if (lang == Lang::en)
    caption += "rows " + range + " of " + format_count(total);
  else
    caption += "전체 " + format_count(total) + "행 중 " + range + "행";
  rows_table(h, lang, shown, *records, first - 1, caption);
  if (all_cols.size() > shown.size())
    h << "<p class=\"hint\">" << tr(lang, "처음 ", "The first ") << format_count(kPreviewColumns)
      << tr(lang, "개 컬럼만 보입니다. 나머지는 내려받기나 API로 볼 수 있습니다.",
            " columns are shown; download the table or use the API for the rest.")
      << "</p>\n";
  pager_links(h, ctx, id, page, total);

  if (auto latlon = coordinate_columns(all_cols, &*info); latlon && total > 0) {
    h << "<h3>" << tr(lang, "위치", "Locations") << "</h3>\n";
    point_map(h, ctx, sample_points(actions, id, *latlon, total), name);
  }

  h << "<h3>" << tr(lang, "컬럼 프로파일과 데이터 사전", "Column profile and data dictionary")
    << "</h3>\n";
  column_profile_table(h, lang, all_cols, total,
                       name + " — " + std::string(tr(lang, "컬럼 프로파일", "column profile")));
  h << "<h3>" << tr(lang, "내려받기와 API", "Downloads and APIs") << "</h3>\n";
  data_links(h, lang, id);
  h << "</section>\n";
}

}  // namespace

void data_sections(Html& h, const PageContext& ctx, ActionClient& actions,
                   const rapidjson::Value& pkg) {
  if (!actions.has("datastore_info") || !actions.has("datastore_search")) return;
  const auto* resources = json_array(pkg, "resources");
  if (!resources) return;
  for (const auto& r : resources->GetArray()) resource_data(h, ctx, actions, r);
}

}  // namespace datamap::api::portal

#include "api/portal/search_page.h"

#include <algorithm>

#include "api/portal/layout.h"
#include "api/portal/pages.h"
#include "api/portal/partials.h"
#include "catalog/errors.h"

namespace datamap::api::portal {

namespace {

// Facet values reach fq inside double quotes; quotes and backslashes cannot be part of a value.
std::string quoted(const std::string& value) {
  std::string out = "\"";
  for (char c : value)
    if (c != '"' && c != '\\') out += c;
  return out + "\"";
}

struct SortOption {
  const char* value;
  std::string_view ko, en;
};
const SortOption kSorts[] = {
    {"score desc", "관련도순", "Relevance"},
    {"metadata_modified desc", "최근 수정순", "Recently updated"},
    {"views desc", "조회순", "Most viewed"},
    {"title_string asc", "제목순", "Title A–Z"},
    {"quality desc", "메타데이터 품질순", "Metadata quality"},
};

std::int64_t page_number(const PageContext& ctx) {
  try {
    long long p = std::stoll(ctx.param("page"));
    return std::clamp<long long>(p, 1, 500);
  } catch (const std::exception&) {
    return 1;
  }
}

void search_form(Html& h, const PageContext& ctx, const SearchScope& scope,
                 const std::string& form_action, const std::string& sort) {
  const Lang lang = ctx.lang;
  h << "<form class=\"search-form\" role=\"search\" method=\"get\" action=\"" << form_action
    << "\">\n<label for=\"q\" class=\"search-label\">"
    << tr(lang, "데이터 검색", "Search datasets") << "</label>\n<div class=\"search-row\">"
    << "<input type=\"search\" id=\"q\" name=\"q\" value=\"" << ctx.param("q")
    << "\" placeholder=\"" << tr(lang, "예: 주차장, 미세먼지, 버스 노선", "e.g. parking, fine dust, bus routes")
    << "\" autocomplete=\"off\">"
    << "<button type=\"submit\">" << tr(lang, "검색", "Search") << "</button></div>\n";
  for (const char* field : kFacetFields) {
    if (field == scope.field) continue;
    for (const auto& v : ctx.params(field))
      h << "<input type=\"hidden\" name=\"" << std::string_view(field) << "\" value=\"" << v << "\">";
  }
  if (ctx.param("national_priority") == "true")
    h << "<input type=\"hidden\" name=\"national_priority\" value=\"true\">";
  if (ctx.lang == Lang::en) h << "<input type=\"hidden\" name=\"lang\" value=\"en\">";
  h << "<div class=\"sort-row\"><label for=\"sort\">" << tr(lang, "정렬", "Sort by")
    << "</label> <select id=\"sort\" name=\"sort\" data-autosubmit>";
  for (const auto& s : kSorts) {
    h << "<option value=\"" << std::string_view(s.value) << "\"";
    if (sort == s.value) h << " selected";
    h << ">" << tr(lang, s.ko, s.en) << "</option>";
  }
  h << "</select> <button type=\"submit\" class=\"secondary js-hide\">"
    << tr(lang, "적용", "Apply") << "</button></div>\n</form>\n";
}

void active_filters(Html& h, const PageContext& ctx, const SearchScope& scope,
                    const rapidjson::Value* facets) {
  const Lang lang = ctx.lang;
  bool any = false;
  if (ctx.param("national_priority") == "true") {
    Url back(ctx.path);
    for (const auto& [k, val] : ctx.query)
      if (k != "national_priority" && k != "page") back.add(k, val);
    h << "<ul class=\"chips\" aria-label=\"" << tr(lang, "적용된 필터", "Active filters") << "\"><li><a href=\""
      << back.str() << "\">" << tr(lang, "국가중점데이터", "National priority") << " <span aria-hidden=\"true\">✕</span></a></li>";
    any = true;
  }
  for (const char* field : kFacetFields) {
    if (field == scope.field) continue;
    for (const auto& v : ctx.params(field)) {
      if (!any) h << "<ul class=\"chips\" aria-label=\"" << tr(lang, "적용된 필터", "Active filters") << "\">";
      any = true;
      std::string label = v;
      if (facets)
        if (auto* f = json_member(*facets, field))
          if (auto* items = json_array(*f, "items"))
            for (const auto& it : items->GetArray())
              if (json_str(it, "name") == v) label = json_str(it, "display_name", v);
      if (field == std::string_view("quality_rating"))
        label = std::string(quality_rating_label(lang, v));
      // The link back drops exactly this value and the page number.
      Url back(ctx.path);
      for (const auto& [k, val] : ctx.query)
        if (!(k == field && val == v) && k != "page") back.add(k, val);
      h << "<li><a href=\"" << back.str() << "\" aria-label=\"" << tr(lang, "필터 해제: ", "Remove filter: ")
        << facet_label(lang, field) << " " << label << "\">" << facet_label(lang, field) << ": "
        << label << " <span aria-hidden=\"true\">✕</span></a></li>";
    }
  }
  if (any) h << "</ul>\n";
}

void facet_lists(Html& h, const PageContext& ctx, const SearchScope& scope,
                 const rapidjson::Value& facets) {
  const Lang lang = ctx.lang;
  h << "<aside class=\"facets\" id=\"facets\" aria-label=\"" << tr(lang, "결과 좁히기", "Narrow results")
    << "\">\n<h2 class=\"facets-title\">" << tr(lang, "결과 좁히기", "Narrow results") << "</h2>\n";
  for (const char* field : kFacetFields) {
    if (field == scope.field) continue;
    const rapidjson::Value* f = json_member(facets, field);
    const rapidjson::Value* items = f ? json_array(*f, "items") : nullptr;
    if (!items || items->Empty()) continue;
    std::vector<std::string> selected = ctx.params(field);
    h << "<section class=\"facet\"><h3 id=\"facet-" << std::string_view(field) << "\">"
      << facet_label(lang, field) << "</h3><ul aria-labelledby=\"facet-" << std::string_view(field)
      << "\">";
    for (const auto& item : items->GetArray()) {
      std::string name = json_str(item, "name");
      std::string label = json_str(item, "display_name", name);
      if (field == std::string_view("type")) label = std::string(dataset_type_label(lang, name));
      if (field == std::string_view("quality_rating"))
        label = std::string(quality_rating_label(lang, name));
      bool on = std::find(selected.begin(), selected.end(), name) != selected.end();
      Url link(ctx.path);
      for (const auto& [k, v] : ctx.query) {
        if (k == "page") continue;
        if (on && k == field && v == name) continue;  // a selected value's link removes it
        link.add(k, v);
      }
      if (!on) link.add(field, name);
      h << "<li><a href=\"" << link.str() << "\"";
      if (on) h << " class=\"on\" aria-current=\"true\"";
      h << "><span class=\"facet-name\">";
      if (on) h << "<span aria-hidden=\"true\">✓ </span>";
      h << label << "</span> <span class=\"count\">" << format_count(json_int(item, "count"))
        << "</span></a></li>";
    }
    h << "</ul></section>\n";
  }
  h << "</aside>\n";
}

void nothing_found(Html& h, const PageContext& ctx, const SearchScope& scope) {
  const Lang lang = ctx.lang;
  h << "<div class=\"empty\"><h2>" << tr(lang, "검색 결과가 없습니다", "No datasets found") << "</h2>\n<ul>"
    << "<li>" << tr(lang, "낱말의 철자와 띄어쓰기를 확인해 보세요.", "Check the spelling and spacing of your words.")
    << "</li><li>" << tr(lang, "더 짧거나 일반적인 낱말로 검색해 보세요 (예: ‘주차장’).",
                         "Try fewer or more general words (e.g. ‘parking’).")
    << "</li>";
  bool filtered = false;
  for (const char* field : kFacetFields)
    if (field != scope.field && !ctx.params(field).empty()) filtered = true;
  if (ctx.param("national_priority") == "true") filtered = true;
  if (filtered) {
    Url clear(ctx.path);
    clear.add("q", ctx.param("q"));
    if (ctx.lang == Lang::en) clear.add("lang", "en");
    h << "<li><a href=\"" << clear.str() << "\">" << tr(lang, "필터를 모두 해제하고 다시 검색", "Search again without filters")
      << "</a></li>";
  }
  h << "<li>" << tr(lang, "분류별로 둘러보거나 ", "Browse ") << "<a href=\"/group\">"
    << tr(lang, "분류 목록", "the categories") << "</a>" << tr(lang, "에서 찾거나, ", ", or explore ")
    << "<a href=\"/map\">" << tr(lang, "데이터맵", "the data map") << "</a>"
    << tr(lang, "에서 관련 데이터를 따라가 보세요.", " to follow related data.") << "</li></ul></div>\n";
}

// The search engine's "did you mean" suggestion, under whichever name it gives it.
std::string suggestion_of(const rapidjson::Value& result) {
  for (const char* key : {"suggestion", "did_you_mean", "spelling_suggestion"}) {
    const rapidjson::Value* v = json_member(result, key);
    if (v && v->IsString() && v->GetStringLength() > 0) return v->GetString();
    if (v && v->IsObject()) {
      std::string q = json_str(*v, "q", json_str(*v, "query"));
      if (!q.empty()) return q;
    }
  }
  return "";
}

const rapidjson::Value* highlight_for(const rapidjson::Value& result, const rapidjson::Value& pkg) {
  if (auto* hl = json_member(pkg, "highlight")) return hl;
  if (auto* all = json_member(result, "highlighting"))
    if (auto* hl = json_member(*all, json_str(pkg, "id").c_str())) return hl;
  return nullptr;
}

}  // namespace

std::string build_fq(const PageContext& ctx, const SearchScope& scope) {
  std::string fq;
  auto add = [&](const std::string& field, const std::string& value) {
    if (!fq.empty()) fq += " AND ";
    fq += field + ":" + quoted(value);
  };
  if (!scope.field.empty()) add(scope.field, scope.value);
  if (ctx.param("national_priority") == "true") add("national_priority", "true");
  for (const char* field : kFacetFields) {
    if (field == scope.field) continue;
    for (const auto& v : ctx.params(field)) add(field, v);
  }
  return fq;
}

// While the index is far behind the catalog (a big import being indexed), results may miss
// datasets: the page says so rather than answering as if it were complete.
void catching_up_notice(Html& h, Lang lang, ActionClient& actions) {
  constexpr std::int64_t kNoticeFrom = 100;  // a few pending changes are normal after any write
  std::int64_t pending = 0;
  try {
    pending = json_int(actions.call("status_show", ActionParams()), "search_pending_changes");
  } catch (const std::exception&) {
    return;
  }
  if (pending < kNoticeFrom) return;
  h << "<p class=\"notice\" role=\"status\">"
    << tr(lang, "검색 색인을 만드는 중입니다. 아직 반영되지 않은 변경 ",
          "The search index is catching up with the catalog: ")
    << format_count(pending)
    << tr(lang, "건이 있어 결과에서 일부 데이터가 빠질 수 있습니다.",
          " changes are not in it yet, so some datasets may be missing from the results.")
    << "</p>\n";
}

int search_section(Html& h, const PageContext& ctx, ActionClient& actions, const SearchScope& scope,
                   const std::string& form_action) {
  const Lang lang = ctx.lang;
  std::string q = ctx.param("q");
  std::string sort = ctx.param("sort");
  bool known_sort = false;
  for (const auto& s : kSorts) known_sort = known_sort || sort == s.value;
  if (!known_sort) sort = q.empty() ? "metadata_modified desc" : "score desc";
  std::int64_t page = page_number(ctx);

  search_form(h, ctx, scope, form_action, sort);

  ActionParams params;
  params.str("q", q)
      .str("fq", build_fq(ctx, scope))
      .str("sort", sort)
      .num("rows", kResultsPerPage)
      .num("start", (page - 1) * kResultsPerPage)
      .num("facet.limit", 10)
      .strings("facet.field", {"groups", "organization", "res_format", "type", "license_id",
                               "frequency", "quality_rating"})
      .boolean("highlight", true);
  rapidjson::Document result;
  try {
    result = actions.call("package_search", params);
  } catch (const BadRequest& e) {
    if (!actions.has("package_search")) {
      h << "<p class=\"notice\" role=\"status\">"
        << tr(lang, "검색 기능이 이 서버에서 켜져 있지 않습니다.", "Search is not enabled on this server.")
        << "</p>\n";
      return 503;
    }
    h << "<div class=\"notice error\" role=\"alert\"><p>"
      << tr(lang, "검색어를 처리할 수 없습니다: ", "The search could not be run: ") << std::string_view(e.what())
      << "</p><p>" << tr(lang, "따옴표와 괄호의 짝을 맞추거나 낱말만 입력해 보세요.",
                         "Check that quotes and brackets are balanced, or type plain words.")
      << "</p></div>\n";
    return 400;
  }

  catching_up_notice(h, lang, actions);
  std::int64_t count = json_int(result, "count");
  const rapidjson::Value* facets = json_member(result, "search_facets");
  h << "<div class=\"results-layout\">\n<section class=\"results\" aria-labelledby=\"results-heading\">\n"
    << "<h2 id=\"results-heading\" class=\"results-count\" role=\"status\">";
  if (!q.empty()) h << "‘" << q << "’ ";
  h << tr(lang, "검색 결과 ", "") << format_count(count) << tr(lang, "건", count == 1 ? " dataset" : " datasets")
    << "</h2>\n";
  active_filters(h, ctx, scope, facets);
  if (std::string suggestion = suggestion_of(result); !suggestion.empty() && suggestion != q)
    h << "<p class=\"did-you-mean\">" << tr(lang, "혹시 이것을 찾으셨나요? ", "Did you mean ")
      << "<a href=\"" << url_with(ctx, "q", suggestion) << "\">" << suggestion << "</a>"
      << tr(lang, "", "?") << "</p>\n";
  if (count > 0 && facets) h << "<p class=\"skip-facets\"><a href=\"#facets\">" << tr(lang, "결과 좁히기로 이동", "Go to filters") << "</a></p>\n";
  const rapidjson::Value* results = json_array(result, "results");
  if (count == 0 || !results || results->Empty()) {
    nothing_found(h, ctx, scope);
  } else {
    h << "<ol class=\"cards\" start=\"" << (page - 1) * kResultsPerPage + 1 << "\">\n";
    for (const auto& pkg : results->GetArray()) dataset_card(h, ctx, pkg, highlight_for(result, pkg));
    h << "</ol>\n";
    pager(h, ctx, page, std::min<std::int64_t>(count, 500 * kResultsPerPage), kResultsPerPage);
  }
  h << "</section>\n";
  if (facets && count > 0) facet_lists(h, ctx, scope, *facets);
  h << "</div>\n";
  return 200;
}

PortalResponse search_page(const PageContext& ctx, ActionClient& actions) {
  Html h;
  h << "<h1>" << tr(ctx.lang, "데이터 찾기", "Find datasets") << "</h1>\n";
  PortalResponse r;
  r.status = search_section(h, ctx, actions, {}, "/dataset");
  PageSpec spec;
  std::string q = ctx.param("q");
  spec.title = q.empty() ? std::string(tr(ctx.lang, "데이터 찾기", "Find datasets"))
                         : q + " - " + std::string(tr(ctx.lang, "데이터 검색", "Dataset search"));
  spec.description = std::string(tr(ctx.lang, "공공데이터 목록을 검색합니다.", "Search the public data catalog."));
  spec.body = h.take();
  spec.scripts = {"portal.js"};
  spec.active_nav = "dataset";
  r.body = render_page(ctx, spec);
  return r;
}

}  // namespace datamap::api::portal

// Home: the search box first, then what the catalog holds (statistics, categories with counts),
// the national priority datasets (국가중점데이터) and what was updated most recently.
#include "api/portal/html.h"
#include "api/portal/layout.h"
#include "api/portal/pages.h"
#include "api/portal/partials.h"
#include "api/portal/search_page.h"

namespace datamap::api::portal {

namespace {

void cards_section(Html& h, const PageContext& ctx, ActionClient& actions, std::string_view id,
                   std::string_view heading, const ActionParams& params, const std::string& more) {
  auto result = actions.try_call("package_search", params);
  const rapidjson::Value* results = result ? json_array(*result, "results") : nullptr;
  if (!results || results->Empty()) return;
  h << "<section class=\"home-section\" aria-labelledby=\"" << id << "\"><h2 id=\"" << id << "\">"
    << heading << "</h2>\n<ul class=\"cards cards-grid\">\n";
  for (const auto& pkg : results->GetArray()) dataset_card(h, ctx, pkg, nullptr);
  h << "</ul>\n<p class=\"more\"><a href=\"" << more << "\">" << tr(ctx.lang, "더 보기 ›", "See all ›")
    << "</a></p></section>\n";
}

std::int64_t facet_count(const rapidjson::Value* facets, const char* field, std::string_view name) {
  if (!facets) return -1;
  const rapidjson::Value* f = json_member(*facets, field);
  const rapidjson::Value* items = f ? json_array(*f, "items") : nullptr;
  if (!items) return -1;
  for (const auto& it : items->GetArray())
    if (json_str(it, "name") == name) return json_int(it, "count");
  return 0;
}

}  // namespace

PortalResponse home_page(const PageContext& ctx, ActionClient& actions) {
  const Lang lang = ctx.lang;
  Html h;
  h << "<section class=\"hero\">\n<h1>"
    << tr(lang, "공공데이터를 찾고, 데이터 사이의 관계를 한눈에", "Find public data, and see how it connects")
    << "</h1>\n<p class=\"lead\">"
    << tr(lang, "중앙부처와 지방자치단체, 공공기관이 개방한 데이터 목록을 검색하고, 데이터맵에서 서로 연결되는 데이터를 따라가 보세요.",
          "Search the datasets that ministries, local governments and public bodies publish, and follow related data on the data map.")
    << "</p>\n<form class=\"search-form hero-search\" role=\"search\" method=\"get\" action=\"/dataset\">"
    << "<label for=\"q\" class=\"search-label\">" << tr(lang, "데이터 검색", "Search datasets")
    << "</label><div class=\"search-row\"><input type=\"search\" id=\"q\" name=\"q\" placeholder=\""
    << tr(lang, "예: 주차장, 미세먼지, 버스 노선", "e.g. parking, fine dust, bus routes")
    << "\" autocomplete=\"off\"><button type=\"submit\">" << tr(lang, "검색", "Search")
    << "</button></div>";
  if (lang == Lang::en) h << "<input type=\"hidden\" name=\"lang\" value=\"en\">";
  h << "</form>\n</section>\n";

  // One search with facets gives the statistics and the categories with their counts.
  ActionParams overview;
  overview.num("rows", 0).num("facet.limit", 50).strings("facet.field", {"groups", "type", "organization"});
  auto stats = actions.try_call("package_search", overview);
  const rapidjson::Value* facets = stats ? json_member(*stats, "search_facets") : nullptr;
  if (stats) {
    h << "<section class=\"stats\" aria-labelledby=\"stats-h\"><h2 id=\"stats-h\" class=\"visually-hidden\">"
      << tr(lang, "카탈로그 통계", "Catalog statistics") << "</h2><dl class=\"stat-list\">"
      << "<div><dt>" << tr(lang, "전체 데이터", "Datasets") << "</dt><dd>"
      << format_count(json_int(*stats, "count")) << "</dd></div>";
    for (auto [type, ko, en] : {std::tuple<const char*, std::string_view, std::string_view>{"file", "파일데이터", "Files"},
                                {"api", "오픈API", "Open APIs"},
                                {"standard", "표준데이터", "Standard data"}}) {
      std::int64_t n = facet_count(facets, "type", type);
      if (n >= 0) h << "<div><dt>" << tr(lang, ko, en) << "</dt><dd>" << format_count(n) << "</dd></div>";
    }
    if (auto orgs = actions.try_call("organization_list", ActionParams()); orgs && orgs->IsArray())
      h << "<div><dt>" << tr(lang, "제공기관", "Agencies") << "</dt><dd><a href=\"/organization\">"
        << format_count(static_cast<std::int64_t>(orgs->Size())) << "</a></dd></div>";
    h << "</dl></section>\n";
  }

  if (facets)
    if (const rapidjson::Value* g = json_member(*facets, "groups"))
      if (const rapidjson::Value* items = json_array(*g, "items"); items && !items->Empty()) {
        h << "<section class=\"home-section\" aria-labelledby=\"cat-h\"><h2 id=\"cat-h\">"
          << tr(lang, "분류별 데이터", "Datasets by category") << "</h2>\n<ul class=\"categories\">";
        for (const auto& it : items->GetArray()) {
          std::string name = json_str(it, "name");
          h << "<li><a href=\"/group/" << url_encode(name) << "\"><span class=\"cat-name\">"
            << json_str(it, "display_name", name) << "</span><span class=\"count\">"
            << format_count(json_int(it, "count")) << tr(lang, "건", "") << "</span></a></li>";
        }
        h << "</ul></section>\n";
      }

  ActionParams priority;
  priority.str("fq", "national_priority:true").str("sort", "views desc").num("rows", 6);
  cards_section(h, ctx, actions, "priority-h", tr(lang, "국가중점데이터", "National priority datasets"),
                priority, "/dataset?q=&sort=views+desc&national_priority=true");
  ActionParams recent;
  recent.str("sort", "metadata_modified desc").num("rows", 6);
  cards_section(h, ctx, actions, "recent-h", tr(lang, "최근 수정된 데이터", "Recently updated"), recent,
                "/dataset?sort=metadata_modified+desc");

  h << "<section class=\"home-section map-teaser\" aria-labelledby=\"map-h\"><h2 id=\"map-h\">"
    << tr(lang, "국가데이터맵", "National Data Map") << "</h2><p>"
    << tr(lang, "분류와 기관, 공통표준용어로 이어진 데이터의 관계를 지도로 봅니다. 두 데이터 사이의 연결 경로와 그 이유도 찾아 줍니다.",
          "See how datasets connect through categories, agencies and common standard terms, and find the path between two datasets with the reason for every hop.")
    << "</p><p><a class=\"button\" href=\"/map\">" << tr(lang, "데이터맵 열기", "Open the data map")
    << "</a></p></section>\n";

  PageSpec spec;
  spec.title = std::string(tr(lang, "공공데이터 포털", "Public data portal"));
  spec.description = std::string(tr(lang, "공공데이터 목록 검색과 국가데이터맵", "Public data catalog search and the National Data Map"));
  spec.body = h.take();
  PortalResponse r;
  r.body = render_page(ctx, spec);
  return r;
}

}  // namespace datamap::api::portal

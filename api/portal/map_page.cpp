// /map: the National Data Map. The page is a shell with labelled controls; web/static/map.js
// draws it with cytoscape (served from our own /static, never a CDN) from the map actions
// (datamap_overview, datamap_neighbors, datamap_path) and keeps a text list of what is drawn,
// so the map can be used with a keyboard and a screen reader too.
#include "api/portal/html.h"
#include "api/portal/layout.h"
#include "api/portal/pages.h"

namespace datamap::api::portal {

PortalResponse map_page(const PageContext& ctx) {
  const Lang lang = ctx.lang;
  Html h;
  h << "<h1>" << tr(lang, "국가데이터맵", "National Data Map") << "</h1>\n<p class=\"lead\">"
    << tr(lang, "원이 클수록 데이터가 많습니다. 분류나 기관을 누르면 그 안의 데이터로 들어가고, 데이터를 누르면 상세 페이지로 갑니다.",
          "Bigger circles hold more datasets. Choose a category or agency to go into its datasets; choose a dataset to open its page.")
    << "</p>\n<noscript><p class=\"notice\">"
    << tr(lang, "데이터맵을 그리려면 자바스크립트가 필요합니다. ", "Drawing the data map needs JavaScript. ")
    << "<a href=\"/group\">" << tr(lang, "분류 목록", "Categories") << "</a> · <a href=\"/organization\">"
    << tr(lang, "기관 목록", "Agencies") << "</a></p></noscript>\n"
    << "<div class=\"map-layout\">\n<div class=\"map-panel\">\n"
    << "<form id=\"map-find\" class=\"map-form\"><h2>" << tr(lang, "데이터 찾아 가운데로", "Centre a dataset") << "</h2>"
    << "<label for=\"map-find-q\">" << tr(lang, "데이터 이름", "Dataset title") << "</label>"
    << "<input id=\"map-find-q\" name=\"q\" type=\"search\" list=\"map-suggest\" autocomplete=\"off\" value=\""
    << ctx.param("focus") << "\"><button type=\"submit\">" << tr(lang, "보기", "Show") << "</button>"
    // Only relations measured on the rows (joinable, near); kept in the URL as measured=1.
    << "<p class=\"map-filter\"><input id=\"map-measured\" name=\"measured\" type=\"checkbox\" value=\"1\""
    << std::string_view(ctx.param("measured") == "1" ? " checked" : "")
    << "> <label for=\"map-measured\">"
    << tr(lang, "행으로 측정된 관계만 (결합·근접)", "Only relations measured on the rows (joinable, nearby)")
    << "</label></p></form>\n"
    << "<form id=\"map-path\" class=\"map-form\"><h2>" << tr(lang, "두 데이터 사이의 경로", "Path between two datasets") << "</h2>"
    << "<label for=\"map-path-from\">" << tr(lang, "출발 데이터", "From") << "</label>"
    << "<input id=\"map-path-from\" name=\"from\" type=\"search\" list=\"map-suggest\" autocomplete=\"off\" value=\""
    << ctx.param("from") << "\"><label for=\"map-path-to\">" << tr(lang, "도착 데이터", "To") << "</label>"
    << "<input id=\"map-path-to\" name=\"to\" type=\"search\" list=\"map-suggest\" autocomplete=\"off\" value=\""
    << ctx.param("to") << "\"><button type=\"submit\">" << tr(lang, "경로 찾기", "Find path") << "</button></form>\n"
    << "<datalist id=\"map-suggest\"></datalist>\n"
    << "<p><button type=\"button\" id=\"map-overview\" class=\"secondary\">"
    << tr(lang, "전체 지도로", "Back to the overview") << "</button></p>\n"
    << "<section id=\"map-path-result\" aria-live=\"polite\" class=\"path-result\"></section>\n"
    << "</div>\n<div class=\"map-stage\">\n<p id=\"map-status\" class=\"map-status\" role=\"status\">"
    << tr(lang, "지도를 불러오는 중…", "Loading the map…") << "</p>\n"
    << "<div id=\"map\" class=\"map-canvas\" role=\"img\" aria-label=\""
    << tr(lang, "데이터맵 그림. 같은 내용이 아래 목록에 있습니다.", "Data map drawing. The same content is in the list below.")
    << "\" data-lang=\"" << (lang == Lang::en ? std::string("en") : std::string("ko")) << "\"></div>\n"
    << "<details class=\"map-list\" open><summary>" << tr(lang, "지도의 항목 목록", "Items on the map")
    << "</summary><ul id=\"map-items\"></ul></details>\n</div>\n</div>\n";
  PageSpec spec;
  spec.title = std::string(tr(lang, "국가데이터맵", "National Data Map"));
  spec.description = std::string(tr(lang, "데이터 사이의 관계를 지도로 봅니다.", "A map of how datasets relate."));
  spec.body = h.take();
  spec.scripts = {"vendor/cytoscape.min.js", "map.js"};
  spec.active_nav = "map";
  PortalResponse r;
  r.body = render_page(ctx, spec);
  return r;
}

}  // namespace datamap::api::portal

// /map: the National Data Map at a glance (issue 19). The page is a shell of labelled controls;
// web/static/glance.js fills it from datamap_overview (levels, relations, term): a zoomable
// treemap of where data lives (category → agency → dataset, laid out by npm d3-hierarchy) and a
// relation view of how categories and agencies connect (cytoscape), each with a table carrying
// the same numbers. web/static/map.js keeps the dataset-level neighbourhood and path finder
// below them. Every library is served from our own /static, never a CDN.
#include <tuple>

#include "api/portal/html.h"
#include "api/portal/layout.h"
#include "api/portal/pages.h"
#include "api/portal/static_files.h"

namespace datamap::api::portal {

namespace {

void options(
    Html& h, Lang lang,
    std::initializer_list<std::tuple<const char*, std::string_view, std::string_view>> items) {
  for (const auto& [value, ko, en] : items)
    h << "<option value=\"" << std::string_view(value) << "\">" << tr(lang, ko, en) << "</option>";
}

// The graph library (cytoscape, 430 KB) and map.js are needed only for the relation view and
// the dataset-level map: glance.js loads them after the treemap's first render, so the first
// render waits for the 15 KB layout library alone.
std::string later_scripts(const PageContext& ctx) {
  std::string out;
  for (const char* script : {"vendor/cytoscape.min.js", "map.js"}) {
    if (!out.empty()) out += ' ';
    out += ctx.assets ? ctx.assets->url(script) : std::string("/static/") + script;
  }
  return out;
}

void glance_section(Html& h, const PageContext& ctx) {
  const Lang lang = ctx.lang;
  h << "<form id=\"glance-find\" class=\"glance-find\" role=\"search\"><label for=\"glance-q\">"
    << tr(lang, "지도에서 찾기: 데이터, 기관 또는 표준용어",
          "Find on the map: a dataset, agency or standard term")
    << "</label><div class=\"search-row\"><input id=\"glance-q\" name=\"find\" type=\"search\" "
       "list=\"glance-suggest\" autocomplete=\"off\" value=\""
    << ctx.param("find") << "\"><button type=\"submit\">" << tr(lang, "찾기", "Find")
    << "</button></div><datalist id=\"glance-suggest\"></datalist></form>\n"
    << "<div class=\"glance-tabs\" role=\"group\" aria-label=\"" << tr(lang, "보기", "View")
    << "\">"
    << "<button type=\"button\" id=\"tab-tree\" data-view=\"tree\" aria-pressed=\"true\">"
    << tr(lang, "데이터가 있는 곳", "Where data lives") << "</button>"
    << "<button type=\"button\" id=\"tab-relations\" data-view=\"relations\" "
       "aria-pressed=\"false\">"
    << tr(lang, "데이터가 이어지는 방식", "How data connects") << "</button></div>\n"
    << "<p id=\"glance-status\" class=\"map-status\" role=\"status\">"
    << tr(lang, "지도를 불러오는 중…", "Loading the map…") << "</p>\n";

  // Where data lives: the treemap.
  h << "<section id=\"view-tree\" class=\"glance-view\" aria-labelledby=\"tree-h\"><h2 "
       "id=\"tree-h\" class=\"visually-hidden\">"
    << tr(lang, "데이터가 있는 곳", "Where data lives") << "</h2>\n<div class=\"glance-controls\">"
    << "<label>" << tr(lang, "넓이", "Area") << " <select id=\"glance-size\">";
  options(h, lang,
          {{"datasets", "데이터 수", "Datasets"},
           {"downloads", "다운로드", "Downloads"},
           {"views", "조회수", "Views"}});
  h << "</select></label><label>" << tr(lang, "색", "Colour") << " <select id=\"glance-colour\">";
  options(h, lang,
          {{"api", "오픈API 비율", "Open API share"},
           {"standard", "표준데이터 비율", "Standard data share"},
           {"priority", "국가중점 비율", "National priority share"},
           {"quality", "품질 우수·양호 비율", "Quality excellent or good"},
           {"fresh", "3년 안에 수정된 비율", "Updated within 3 years"}});
  h << "</select></label></div>\n<nav id=\"glance-crumbs\" class=\"breadcrumb glance-crumbs\" "
       "aria-label=\""
    << tr(lang, "지도 위치", "Map level") << "\"><ol></ol></nav>\n"
    << "<div id=\"treemap\" class=\"treemap\" role=\"group\" aria-roledescription=\""
    << tr(lang, "트리맵", "treemap") << "\" aria-describedby=\"treemap-help\" data-lang=\""
    << (lang == Lang::en ? std::string("en") : std::string("ko")) << "\" data-later-scripts=\""
    << later_scripts(ctx) << "\"></div>\n"
    << "<p id=\"treemap-help\" class=\"hint\">"
    << tr(lang,
          "칸의 넓이는 데이터 양입니다. 칸을 누르거나 화살표로 옮겨 Enter를 누르면 들어가고, "
          "Backspace로 한 단계 올라갑니다. 이름이 다 안 보이는 칸은 가리키거나 초점을 두면 "
          "보입니다.",
          "A box's area is how much data it holds. Choose a box (or move with the arrow keys and "
          "press Enter) to go in; Backspace goes up a level. Boxes too small for their name show "
          "it on hover or focus.")
    << "</p>\n<div id=\"glance-legend\" class=\"glance-legend\" aria-label=\""
    << tr(lang, "색 범례", "Colour legend") << "\" role=\"group\"></div>\n"
    << "<details class=\"map-list\" open><summary>"
    << tr(lang, "같은 내용을 표로", "The same as a table")
    << "</summary><div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-labelledby=\"glance-table-cap\"><table id=\"glance-table\" "
       "class=\"glance-table\"></table></div></details>\n</section>\n";

  // How data connects: the relation view.
  h << "<section id=\"view-relations\" class=\"glance-view\" aria-labelledby=\"rel-h\" hidden><h2 "
       "id=\"rel-h\" class=\"visually-hidden\">"
    << tr(lang, "데이터가 이어지는 방식", "How data connects")
    << "</h2>\n<div class=\"glance-controls\">"
    << "<label>" << tr(lang, "단위", "Level") << " <select id=\"rel-level\">";
  options(h, lang, {{"category", "분류", "Categories"}, {"agency", "기관", "Agencies"}});
  h << "</select></label><form id=\"rel-term-form\" class=\"rel-term\"><label for=\"rel-term\">"
    << tr(lang, "표준용어를 가진 곳 강조", "Highlight who carries a standard term")
    << "</label> <input id=\"rel-term\" type=\"search\" list=\"rel-terms\" autocomplete=\"off\"> "
       "<button type=\"submit\">"
    << tr(lang, "강조", "Highlight")
    << "</button> <button type=\"button\" id=\"rel-term-clear\" class=\"secondary\">"
    << tr(lang, "지우기", "Clear")
    << "</button><datalist id=\"rel-terms\"></datalist></form></div>\n"
    << "<p class=\"hint\">"
    << tr(lang,
          "선의 굵기는 같은 표준용어나 측정된 결합 열로 이어지는 데이터 쌍의 수이고, 선 위에 그 "
          "용어가 적혀 있습니다.",
          "A line's thickness is the number of dataset pairs linked by a shared standard term or a "
          "measured join column; the line is labelled with those terms.")
    << "</p>\n<div id=\"relations\" class=\"map-canvas relations-canvas\" role=\"img\" "
       "aria-label=\""
    << tr(lang, "관계 그림. 같은 내용이 아래 표에 있습니다.",
          "Relation drawing. The same content is in the tables below.")
    << "\"></div>\n<section id=\"rel-carriers\" class=\"rel-carriers\" "
       "aria-live=\"polite\"></section>\n"
    << "<details class=\"map-list\" open><summary>" << tr(lang, "연결 표", "Links as a table")
    << "</summary><div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-labelledby=\"rel-table-cap\"><table id=\"rel-table\" "
       "class=\"glance-table\"></table></div></details>\n</section>\n";
}

void dataset_level_section(Html& h, const PageContext& ctx) {
  const Lang lang = ctx.lang;
  h << "<section class=\"dataset-level\" aria-labelledby=\"dl-h\"><h2 id=\"dl-h\">"
    << tr(lang, "데이터 단위로 보기: 주변 데이터와 경로",
          "Dataset by dataset: neighbourhood and paths")
    << "</h2>\n<div class=\"map-layout\">\n<div class=\"map-panel\">\n"
    << "<form id=\"map-find\" class=\"map-form\"><h3>"
    << tr(lang, "데이터 찾아 가운데로", "Centre a dataset") << "</h3>"
    << "<label for=\"map-find-q\">" << tr(lang, "데이터 이름", "Dataset title") << "</label>"
    << "<input id=\"map-find-q\" name=\"q\" type=\"search\" list=\"map-suggest\" "
       "autocomplete=\"off\" value=\""
    << ctx.param("focus") << "\"><button type=\"submit\">" << tr(lang, "보기", "Show")
    << "</button>"
    // Only relations measured on the rows (joinable, near); kept in the URL as measured=1.
    << "<p class=\"map-filter\"><input id=\"map-measured\" name=\"measured\" "
       "type=\"checkbox\" value=\"1\""
    << std::string_view(ctx.param("measured") == "1" ? " checked" : "")
    << "> <label for=\"map-measured\">"
    << tr(lang, "행으로 측정된 관계만 (결합·근접)",
          "Only relations measured on the rows (joinable, nearby)")
    << "</label></p></form>\n"
    << "<form id=\"map-path\" class=\"map-form\"><h3>"
    << tr(lang, "두 데이터 사이의 경로", "Path between two datasets") << "</h3>"
    << "<label for=\"map-path-from\">" << tr(lang, "출발 데이터", "From") << "</label>"
    << "<input id=\"map-path-from\" name=\"from\" type=\"search\" list=\"map-suggest\" "
       "autocomplete=\"off\" value=\""
    << ctx.param("from") << "\"><label for=\"map-path-to\">" << tr(lang, "도착 데이터", "To")
    << "</label>"
    << "<input id=\"map-path-to\" name=\"to\" type=\"search\" list=\"map-suggest\" "
       "autocomplete=\"off\" value=\""
    << ctx.param("to") << "\"><button type=\"submit\">" << tr(lang, "경로 찾기", "Find path")
    << "</button></form>\n"
    << "<datalist id=\"map-suggest\"></datalist>\n"
    << "<section id=\"map-path-result\" aria-live=\"polite\" class=\"path-result\"></section>\n"
    << "</div>\n<div class=\"map-stage\">\n<p id=\"map-status\" class=\"map-status\" "
       "role=\"status\">"
    << tr(lang, "데이터를 고르면 주변 데이터를 그립니다.",
          "Choose a dataset to draw what is around it.")
    << "</p>\n"
    << "<div id=\"map\" class=\"map-canvas\" role=\"img\" aria-label=\""
    << tr(lang, "데이터맵 그림. 같은 내용이 아래 목록에 있습니다.",
          "Data map drawing. The same content is in the list below.")
    << "\" data-lang=\"" << (lang == Lang::en ? std::string("en") : std::string("ko"))
    << "\"></div>\n"
    << "<details class=\"map-list\" open><summary>"
    << tr(lang, "지도의 항목 목록", "Items on the map")
    << "</summary><ul id=\"map-items\"></ul></details>\n</div>\n</div>\n</section>\n";
}

}  // namespace

PortalResponse map_page(const PageContext& ctx) {
  const Lang lang = ctx.lang;
  Html h;
  h << "<h1>" << tr(lang, "국가데이터맵", "National Data Map") << "</h1>\n<p class=\"lead\">"
    << tr(lang,
          "공공데이터가 어느 분류와 기관에 있는지, 그리고 표준용어로 어떻게 서로 이어지는지 한눈에 "
          "봅니다.",
          "See at a glance which categories and agencies hold public data, and how standard terms "
          "link it together.")
    << "</p>\n<noscript><p class=\"notice\">"
    << tr(lang, "데이터맵을 그리려면 자바스크립트가 필요합니다. ",
          "Drawing the data map needs JavaScript. ")
    << "<a href=\"/group\">" << tr(lang, "분류 목록", "Categories")
    << "</a> · <a href=\"/organization\">" << tr(lang, "기관 목록", "Agencies")
    << "</a></p></noscript>\n";
  glance_section(h, ctx);
  dataset_level_section(h, ctx);
  PageSpec spec;
  spec.title = std::string(tr(lang, "국가데이터맵", "National Data Map"));
  spec.description =
      std::string(tr(lang, "공공데이터가 있는 곳과 서로 이어지는 방식을 한눈에 봅니다.",
                     "Where public data lives and how it connects, at a glance."));
  spec.body = h.take();
  spec.scripts = {"vendor/d3-hierarchy.min.js", "action.js", "glance.js"};
  spec.active_nav = "map";
  PortalResponse r;
  r.body = render_page(ctx, spec);
  return r;
}

}  // namespace datamap::api::portal

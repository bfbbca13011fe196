// Agencies and categories: /organization, /organization/{name}, /group, /group/{name}. An
// agency's or category's page is its description and statistics above a search scoped to it.
#include "api/portal/html.h"
#include "api/portal/layout.h"
#include "api/portal/pages.h"
#include "api/portal/partials.h"
#include "api/portal/search_page.h"
#include "catalog/errors.h"

namespace datamap::api::portal {

namespace {

PortalResponse scoped_page(const PageContext& ctx, ActionClient& actions, const char* show_action,
                           const char* field, const std::string& name) {
  const Lang lang = ctx.lang;
  const bool is_org = std::string_view(field) == "organization";
  ActionParams show;
  show.str("id", name);
  rapidjson::Document entity = actions.call(show_action, show);  // NotFound → 404 page
  std::string slug = json_str(entity, "name", name);
  std::string title = display_title(entity);
  Html h;
  h << "<nav class=\"breadcrumb\" aria-label=\"" << tr(lang, "현재 위치", "Breadcrumb") << "\"><ol><li><a href=\"/\">"
    << tr(lang, "홈", "Home") << "</a></li><li><a href=\"" << (is_org ? std::string("/organization") : std::string("/group"))
    << "\">" << (is_org ? tr(lang, "기관", "Agencies") : tr(lang, "분류", "Categories"))
    << "</a></li><li aria-current=\"page\">" << title << "</li></ol></nav>\n"
    << "<header class=\"entity-head\"><p class=\"card-meta\">" << (is_org ? tr(lang, "제공기관", "Agency") : tr(lang, "분류", "Category"))
    << "</p><h1>" << title << "</h1>";
  if (std::string d = json_str(entity, "description"); !d.empty()) {
    h << "<div class=\"lead\">";
    source_paragraphs_html(h, d);
    h << "</div>";
  }
  h << "<dl class=\"stat-list small\"><div><dt>" << tr(lang, "데이터", "Datasets") << "</dt><dd>"
    << format_count(json_int(entity, "package_count")) << "</dd></div>";
  if (std::string code = json_str(entity, "code"); !code.empty())
    h << "<div><dt>" << tr(lang, "기관코드", "Agency code") << "</dt><dd>" << code << "</dd></div>";
  h << "</dl><p>";
  if (is_org)
    h << "<a href=\"/organization/" << url_encode(slug) << "/quality\">"
      << tr(lang, "메타데이터 품질", "Metadata quality") << "</a> · ";
  h << "<a href=\"" << Url("/map").add("focus_" + std::string(field), slug).str() << "\">"
    << tr(lang, "데이터맵에서 보기", "See on the data map") << "</a></p></header>\n";
  PortalResponse r;
  r.status = search_section(h, ctx, actions, {field, slug}, (is_org ? "/organization/" : "/group/") + url_encode(slug));
  PageSpec spec;
  spec.title = title;
  spec.description = source_snippet(json_str(entity, "description", title), 150);
  spec.body = h.take();
  spec.scripts = {"portal.js"};
  spec.active_nav = is_org ? "organization" : "group";
  r.body = render_page(ctx, spec);
  return r;
}

PortalResponse list_page(const PageContext& ctx, ActionClient& actions, const char* list_action,
                         bool is_org) {
  const Lang lang = ctx.lang;
  ActionParams params;
  params.boolean("all_fields", true).str("sort", "package_count desc").num("limit", 1000);
  rapidjson::Document list = actions.call(list_action, params);
  std::string filter = ctx.param("q");
  Html h;
  h << "<h1>" << (is_org ? tr(lang, "제공기관", "Agencies") : tr(lang, "분류", "Categories")) << "</h1>\n";
  if (is_org)
    h << "<form class=\"search-form\" role=\"search\" method=\"get\" action=\"/organization\"><label for=\"q\" class=\"search-label\">"
      << tr(lang, "기관 이름으로 찾기", "Find an agency by name") << "</label><div class=\"search-row\"><input type=\"search\" id=\"q\" name=\"q\" value=\""
      << filter << "\"><button type=\"submit\">" << tr(lang, "찾기", "Find") << "</button></div></form>\n";
  h << "<ul class=\"categories entity-list\">";
  std::int64_t shown = 0;
  if (list.IsArray())
    for (const auto& e : list.GetArray()) {
      std::string title = display_title(e);
      if (!filter.empty() && title.find(filter) == std::string::npos &&
          json_str(e, "name").find(filter) == std::string::npos)
        continue;
      ++shown;
      h << "<li><a href=\"/" << (is_org ? std::string_view("organization") : std::string_view("group")) << "/"
        << url_encode(json_str(e, "name")) << "\"><span class=\"cat-name\">" << title
        << "</span><span class=\"count\">" << format_count(json_int(e, "package_count")) << tr(lang, "건", "")
        << "</span></a></li>";
    }
  h << "</ul>\n";
  if (shown == 0) h << "<p>" << tr(lang, "찾는 항목이 없습니다.", "Nothing matches.") << "</p>\n";
  PageSpec spec;
  spec.title = std::string(is_org ? tr(lang, "제공기관", "Agencies") : tr(lang, "분류", "Categories"));
  spec.body = h.take();
  spec.active_nav = is_org ? "organization" : "group";
  PortalResponse r;
  r.body = render_page(ctx, spec);
  return r;
}

}  // namespace

PortalResponse organization_page(const PageContext& ctx, ActionClient& actions, const std::string& name) {
  return scoped_page(ctx, actions, "organization_show", "organization", name);
}

PortalResponse group_page(const PageContext& ctx, ActionClient& actions, const std::string& name) {
  return scoped_page(ctx, actions, "group_show", "groups", name);
}

PortalResponse organization_list_page(const PageContext& ctx, ActionClient& actions) {
  return list_page(ctx, actions, "organization_list", true);
}

PortalResponse group_list_page(const PageContext& ctx, ActionClient& actions) {
  return list_page(ctx, actions, "group_list", false);
}

PortalResponse error_page(const PageContext& ctx, int status, const std::string& message) {
  const Lang lang = ctx.lang;
  Html h;
  h << "<div class=\"error-page\"><h1>";
  if (status == 404)
    h << tr(lang, "페이지를 찾을 수 없습니다", "Page not found");
  else if (status == 403)
    h << tr(lang, "권한이 없습니다", "Not authorized");
  else if (status == 503)
    h << tr(lang, "잠시 후 다시 시도해 주세요", "Briefly unavailable: try again in a moment");
  else if (status >= 500)
    h << tr(lang, "서버 오류가 발생했습니다", "Something went wrong on the server");
  else
    h << tr(lang, "요청을 처리할 수 없습니다", "The request could not be handled");
  h << "</h1><p>" << message << "</p><p><a href=\"/\">" << tr(lang, "홈으로", "Home") << "</a> · <a href=\"/dataset\">"
    << tr(lang, "데이터 찾기", "Find datasets") << "</a></p></div>\n";
  PageSpec spec;
  spec.title = std::to_string(status);
  spec.body = h.take();
  PortalResponse r;
  r.status = status;
  r.body = render_page(ctx, spec);
  return r;
}

}  // namespace datamap::api::portal

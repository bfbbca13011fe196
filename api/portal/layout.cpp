#include "api/portal/layout.h"

#include "api/portal/html.h"
#include "api/portal/static_files.h"

namespace datamap::api::portal {

std::string PageContext::param(std::string_view name) const {
  for (const auto& [k, v] : query)
    if (k == name) return v;
  return "";
}

std::vector<std::string> PageContext::params(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : query)
    if (k == name && !v.empty()) out.push_back(v);
  return out;
}

std::string url_with(const PageContext& ctx, const std::string& name, const std::string& value) {
  Url url(ctx.path);
  bool replaced = false;
  for (const auto& [k, v] : ctx.query) {
    if (k == name) {
      if (!replaced) url.add(k, value);
      replaced = true;
    } else {
      url.add(k, v);
    }
  }
  if (!replaced) url.add(name, value);
  return url.str();
}

namespace {

void nav_link(Html& h, const PageContext& ctx, const PageSpec& spec, std::string_view key,
              std::string_view href, std::string_view ko, std::string_view en) {
  h << "<li><a href=\"" << href << "\"";
  if (spec.active_nav == key) h << " aria-current=\"page\"";
  h << ">" << tr(ctx.lang, ko, en) << "</a></li>";
}

}  // namespace

std::string render_page(const PageContext& ctx, const PageSpec& spec) {
  const Lang lang = ctx.lang;
  Html h;
  h << "<!doctype html>\n<html lang=\"" << (lang == Lang::en ? "en" : "ko") << "\">\n<head>\n"
    << "<meta charset=\"utf-8\">\n"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    << "<title>" << spec.title;
  if (!spec.title.empty()) h << " · ";
  h << ctx.site_title << "</title>\n";
  if (!spec.description.empty())
    h << "<meta name=\"description\" content=\"" << spec.description << "\">\n";
  std::string css = ctx.assets ? ctx.assets->url("portal.css") : "/static/portal.css";
  h << "<link rel=\"stylesheet\" href=\"" << css << "\">\n"
    << "<link rel=\"alternate\" hreflang=\"ko\" href=\"" << url_with(ctx, "lang", "ko") << "\">\n"
    << "<link rel=\"alternate\" hreflang=\"en\" href=\"" << url_with(ctx, "lang", "en") << "\">\n"
    << Raw{spec.head_extra} << "</head>\n<body>\n"
    << "<a class=\"skip-link\" href=\"#main\">" << tr(lang, "본문 바로가기", "Skip to content")
    << "</a>\n<header class=\"site-header\">\n<div class=\"wrap header-row\">\n"
    << "<a class=\"brand\" href=\"/\"><span class=\"brand-mark\" aria-hidden=\"true\">◆</span> "
    << ctx.site_title << "<span class=\"brand-sub\">"
    << tr(lang, "공공데이터 · 국가데이터맵", "Public data · National Data Map") << "</span></a>\n"
    << "<nav aria-label=\"" << tr(lang, "주 메뉴", "Main") << "\"><ul class=\"nav\">";
  nav_link(h, ctx, spec, "dataset", "/dataset", "데이터 찾기", "Datasets");
  nav_link(h, ctx, spec, "organization", "/organization", "기관", "Agencies");
  nav_link(h, ctx, spec, "group", "/group", "분류", "Categories");
  nav_link(h, ctx, spec, "map", "/map", "데이터맵", "Data map");
  nav_link(h, ctx, spec, "requests", "/requests", "제공신청", "Data requests");
  nav_link(h, ctx, spec, "console", "/console", "기관 콘솔", "Agency console");
  h << "</ul></nav>\n";
  if (lang == Lang::en)
    h << "<a class=\"lang-switch\" lang=\"ko\" hreflang=\"ko\" href=\"" << url_with(ctx, "lang", "ko")
      << "\">한국어</a>\n";
  else
    h << "<a class=\"lang-switch\" lang=\"en\" hreflang=\"en\" href=\"" << url_with(ctx, "lang", "en")
      << "\">English</a>\n";
  h << "</div>\n</header>\n<main id=\"main\" tabindex=\"-1\">\n<div class=\"wrap\">\n"
    << Raw{spec.body} << "\n</div>\n</main>\n<footer class=\"site-footer\">\n<div class=\"wrap\">\n"
    << "<p>" << tr(lang, "개발자용:", "For developers:")
    << " <a href=\"/api/3/action/help_show?name=package_search\">CKAN Action API v3</a> · "
    << "<a href=\"/api/3/action/status_show\">status_show</a> · "
    << "<a href=\"/catalog.jsonld\">DCAT (JSON-LD)</a> · <a href=\"/catalog.ttl\">DCAT (Turtle)</a></p>\n"
    << "<p>" << tr(lang, "목록 정보는 각 제공기관이 등록한 내용입니다.",
                   "Listings are as registered by each providing agency.")
    << "</p>\n</div>\n</footer>\n";
  for (const auto& script : spec.scripts) {
    std::string src = ctx.assets ? ctx.assets->url(script) : "/static/" + script;
    h << "<script src=\"" << src << "\" defer></script>\n";
  }
  h << "</body>\n</html>\n";
  return h.take();
}

}  // namespace datamap::api::portal

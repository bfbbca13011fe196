#include "api/portal/console_dashboard.h"

#include <algorithm>

#include "api/portal/console_demand.h"
#include "api/portal/console_kit.h"
#include "api/portal/html.h"
#include "api/portal/partials.h"

namespace datamap::api::portal {

PortalResponse console_dashboard(const PageContext& ctx, ActionClient& actions,
                                 const std::string& notice) {
  const Lang lang = ctx.lang;
  const Caller& caller = actions.caller();
  Html h;
  h << "<h1>" << tr(lang, "기관 콘솔", "Agency console") << "</h1>\n";
  if (!notice.empty()) h << "<p class=\"notice ok\" role=\"status\">" << notice << "</p>\n";
  h << "<div class=\"panel\"><p>" << tr(lang, "로그인: ", "Signed in as ") << "<strong>"
    << (caller.user ? caller.user->name : std::string()) << "</strong>";
  if (caller.sysadmin()) h << " (" << tr(lang, "시스템 관리자", "sysadmin") << ")";
  h << "</p><form method=\"post\" action=\"/console/logout\" class=\"inline-form\">";
  csrf_input(h, ctx);
  h << "<button type=\"submit\" class=\"secondary\">" << tr(lang, "로그아웃", "Sign out")
    << "</button></form> <a class=\"button\" href=\"/console/dataset/new\">"
    << tr(lang, "새 데이터 등록", "Register a dataset") << "</a> <a class=\"button secondary\" "
    << "href=\"/console/activity\">" << tr(lang, "내 활동 대시보드", "My activity dashboard")
    << "</a></div>\n";

  // The agencies this user belongs to, and their datasets (private ones included).
  std::vector<std::string> org_ids;
  if (caller.user)
    for (const auto& m : caller.user->memberships) org_ids.push_back(m.organization_id);
  h << "<div class=\"console-grid\"><section class=\"panel\" aria-labelledby=\"own-h\"><h2 "
       "id=\"own-h\">"
    << tr(lang, "우리 기관의 데이터", "Our agency's datasets") << "</h2>\n";
  std::string fq;
  for (const auto& id : org_ids)
    fq += (fq.empty() ? "" : " OR ") + std::string("owner_org:\"") + id + "\"";
  if (!fq.empty() || caller.sysadmin()) {
    ActionParams p;
    p.str("fq", fq)
        .str("sort", "metadata_modified desc")
        .num("rows", 50)
        .boolean("include_private", true);
    if (auto result = actions.try_call("package_search", p)) {
      h << "<p>" << format_count(json_int(*result, "count")) << tr(lang, "건", " datasets")
        << "</p><ul class=\"console-datasets\">";
      if (auto* results = json_array(*result, "results"))
        for (const auto& pkg : results->GetArray()) {
          std::string name = json_str(pkg, "name");
          h << "<li><a href=\"/dataset/" << url_encode(name) << "\">"
            << json_str(pkg, "title", name) << "</a> · <a href=\"/console/dataset/"
            << url_encode(name) << "/edit\">" << tr(lang, "수정", "Edit")
            << "</a> · <a href=\"/console/dataset/" << url_encode(name) << "/upload\">"
            << tr(lang, "파일 올리기", "Upload a file") << "</a> · <a href=\"/console/dataset/"
            << url_encode(name) << "/delete\">" << tr(lang, "삭제", "Delete") << "</a></li>";
        }
      h << "</ul>";
    } else {
      h << "<p>"
        << tr(lang, "검색 기능이 켜져 있지 않아 목록을 보일 수 없습니다.",
              "Search is not enabled, so the list cannot be shown.")
        << "</p>";
    }
  } else {
    h << "<p>"
      << tr(lang, "소속 기관이 없습니다. 기관 관리자에게 권한을 요청하세요.",
            "You belong to no agency yet. Ask your agency's administrator for a role.")
      << "</p>";
  }
  h << "</section>\n<section class=\"panel\" aria-labelledby=\"harvest-h\"><h2 id=\"harvest-h\">"
    << tr(lang, "수집 소스 (하베스트)", "Harvest sources") << "</h2>\n";
  if (auto sources = actions.try_call("harvest_source_list", ActionParams())) {
    const rapidjson::Value* list = sources->IsArray() ? &*sources : json_array(*sources, "results");
    int shown = 0;
    h << "<ul>";
    if (list)
      for (const auto& s : list->GetArray()) {
        std::string owner = json_str(s, "owner_org", json_str(s, "organization_id"));
        if (!caller.sysadmin() && std::find(org_ids.begin(), org_ids.end(), owner) == org_ids.end())
          continue;
        ++shown;
        std::string id = json_str(s, "id");
        h << "<li><a href=\"/console/harvest/" << url_encode(id) << "\">"
          << json_str(s, "title", json_str(s, "name", id)) << "</a> <span class=\"count\">"
          << json_str(s, "source_type", json_str(s, "type")) << " · " << json_str(s, "url")
          << "</span></li>";
      }
    h << "</ul>";
    if (shown == 0)
      h << "<p>" << tr(lang, "등록된 수집 소스가 없습니다.", "No harvest sources yet.") << "</p>";
  } else {
    h << "<p>"
      << tr(lang, "이 서버에서는 하베스트 기능이 켜져 있지 않습니다.",
            "Harvesting is not enabled on this server.")
      << "</p>";
  }
  h << "</section></div>\n";
  console_demand_section(h, ctx, actions, org_ids);
  return console_shell(ctx, std::string(tr(lang, "기관 콘솔", "Agency console")), h.take());
}

}  // namespace datamap::api::portal

#include "api/portal/console_demand.h"

#include "api/portal/partials.h"

namespace datamap::api::portal {
namespace {

void overdue_badge(Html& h, Lang lang, const rapidjson::Value& item) {
  if (json_bool(item, "overdue"))
    h << " <span class=\"badge badge-priority\">" << tr(lang, "기한 초과", "Overdue") << "</span>";
}

}  // namespace

void console_demand_section(Html& h, const PageContext& ctx, ActionClient& actions,
                            const std::vector<std::string>& org_ids) {
  const Lang lang = ctx.lang;
  if (!actions.has("datarequest_list")) return;
  std::vector<std::string> scopes = org_ids;
  if (scopes.empty()) {
    if (!actions.caller().sysadmin()) return;
    scopes.emplace_back();  // every agency
  }
  h << "<section class=\"panel\" aria-labelledby=\"demand-h\"><h2 id=\"demand-h\">"
    << tr(lang, "제공신청 · 오류신고 (답변 대기)", "Data requests and error reports to answer")
    << "</h2>\n<h3>" << tr(lang, "제공신청", "Data requests")
    << "</h3><ul class=\"console-requests\">";
  int shown = 0;
  for (const std::string& org : scopes) {
    ActionParams p;
    p.str("organization", org).str("status", "open").str("sort", "created asc").num("limit", 50);
    if (auto list = actions.try_call("datarequest_list", p))
      if (auto* items = json_array(*list, "results"))
        for (const auto& r : items->GetArray()) {
          ++shown;
          h << "<li><a href=\"/requests/" << url_encode(json_str(r, "id")) << "\">"
            << json_str(r, "title") << "</a> <span class=\"count\">" << json_str(r, "status_label")
            << " · " << tr(lang, "기한 ", "due ") << short_date(json_str(r, "deadline")) << " · "
            << tr(lang, "공감 ", "votes ") << json_int(r, "votes") << "</span>";
          overdue_badge(h, lang, r);
          h << "</li>";
        }
  }
  h << "</ul>";
  if (shown == 0)
    h << "<p>" << tr(lang, "답변할 신청이 없습니다.", "No requests to answer.") << "</p>";
  h << "<h3>" << tr(lang, "오류신고", "Error reports") << "</h3><ul class=\"console-reports\">";
  shown = 0;
  for (const std::string& org : scopes) {
    ActionParams p;
    p.str("organization", org).str("status", "open").num("limit", 50);
    if (auto list = actions.try_call("issue_report_list", p))
      if (auto* items = json_array(*list, "results"))
        for (const auto& r : items->GetArray()) {
          ++shown;
          h << "<li><a href=\"/reports/" << url_encode(json_str(r, "id")) << "\">"
            << json_str(r, "package_title", json_str(r, "package_name")) << "</a> — "
            << snippet(json_str(r, "description"), 80) << " <span class=\"count\">"
            << json_str(r, "status_label") << " · " << tr(lang, "기한 ", "due ")
            << short_date(json_str(r, "deadline")) << "</span>";
          overdue_badge(h, lang, r);
          h << "</li>";
        }
  }
  h << "</ul>";
  if (shown == 0)
    h << "<p>" << tr(lang, "처리할 오류신고가 없습니다.", "No reports to handle.") << "</p>";
  h << "</section>\n";
}

}  // namespace datamap::api::portal

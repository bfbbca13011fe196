#include "api/portal/report_pages.h"

#include "api/portal/console_kit.h"
#include "api/portal/demand_kit.h"
#include "api/portal/html.h"
#include "api/portal/layout.h"
#include "api/portal/partials.h"

namespace datamap::api::portal {
namespace {

const Choice kKinds[] = {{"wrong_values", "값이 틀림", "Wrong values"},
                         {"broken_link", "링크 깨짐", "Broken link"},
                         {"outdated", "오래된 데이터", "Outdated"},
                         {"other", "기타", "Other"}};

}  // namespace

PortalResponse report_new_page(const PageContext& ctx, ActionClient& actions, const Params* form) {
  const Lang lang = ctx.lang;
  const std::string package = form ? form_value(*form, "package") : ctx.param("package");
  ActionParams show;
  show.str("id", package);
  rapidjson::Document pkg = actions.call("package_show", show);  // NotFound → 404 page
  const std::string title = std::string(tr(lang, "오류 신고", "Report an error"));
  FieldErrors errors;
  if (form && ctx.user_name) {
    ActionParams p;
    p.str("package_id", json_str(pkg, "id")).str("resource_id", form_value(*form, "resource_id"));
    p.str("kind", form_value(*form, "kind")).str("description", form_value(*form, "description"));
    try {
      rapidjson::Document created = actions.call("issue_report_create", p);
      return see_other("/reports/" + url_encode(json_str(created, "id")));
    } catch (const ValidationError& e) {
      errors = e.fields();
    }
  }
  Html h;
  h << "<h1>" << title << "</h1>\n<p>" << tr(lang, "데이터: ", "Dataset: ") << "<a href=\"/dataset/"
    << url_encode(json_str(pkg, "name")) << "\">" << json_str(pkg, "title") << "</a></p>\n";
  if (!ctx.user_name) {
    sign_in_hint(h, lang, "오류 신고는 로그인한 이용자만 할 수 있습니다.",
                 "Only signed-in users may report errors.");
    return demand_page(ctx, title, h.take());
  }
  refused_fields(h, lang, errors);
  h << "<form method=\"post\" action=\"/reports/new\">";
  csrf_input(h, ctx);
  h << "<input type=\"hidden\" name=\"package\" value=\"" << json_str(pkg, "name") << "\">"
    << "<div class=\"field\"><label for=\"r-kind\">" << tr(lang, "무엇이 잘못되었나요", "What is wrong")
    << "</label><select id=\"r-kind\" name=\"kind\">";
  choice_options(h, lang, kKinds, "");
  h << "</select></div><div class=\"field\"><label for=\"r-resource\">"
    << tr(lang, "리소스 (선택)", "Resource (optional)")
    << "</label><select id=\"r-resource\" name=\"resource_id\"><option value=\"\">"
    << tr(lang, "데이터 전체", "The whole dataset") << "</option>";
  if (auto* resources = json_array(pkg, "resources"))
    for (const auto& res : resources->GetArray())
      h << "<option value=\"" << json_str(res, "id") << "\">"
        << json_str(res, "name", json_str(res, "format", json_str(res, "id"))) << "</option>";
  h << "</select></div><div class=\"field\"><label for=\"r-description\">"
    << tr(lang, "설명", "Description")
    << "</label><textarea id=\"r-description\" name=\"description\" rows=\"5\" maxlength=\"5000\" "
       "required>"
    << (form ? form_value(*form, "description") : std::string()) << "</textarea></div><button "
    << "type=\"submit\">" << tr(lang, "신고하기", "Report") << "</button></form>\n";
  return demand_page(ctx, title, h.take(), errors.empty() ? 200 : 409);
}

PortalResponse report_page(const PageContext& ctx, ActionClient& actions, const std::string& id,
                           const FieldErrors& errors) {
  const Lang lang = ctx.lang;
  ActionParams show;
  show.str("id", id);
  rapidjson::Document r = actions.call("issue_report_show", show);  // NotFound → 404 page
  const std::string path = "/reports/" + url_encode(id);
  const std::string status = json_str(r, "status");
  Html h;
  refused_fields(h, lang, errors);
  h << "<h1>" << tr(lang, "오류 신고: ", "Error report: ") << json_str(r, "package_title")
    << "</h1>\n<p class=\"card-meta\"><span class=\"badge\">" << json_str(r, "status_label")
    << "</span>";
  if (json_bool(r, "overdue"))
    h << " <span class=\"badge badge-priority\">" << tr(lang, "처리 기한 초과", "Overdue")
      << "</span>";
  h << "</p>\n<dl class=\"request-facts\"><div><dt>" << tr(lang, "데이터", "Dataset")
    << "</dt><dd><a href=\"/dataset/" << url_encode(json_str(r, "package_name")) << "\">"
    << json_str(r, "package_title") << "</a></dd></div><div><dt>" << tr(lang, "종류", "Kind")
    << "</dt><dd>" << choice_label(lang, kKinds, json_str(r, "kind")) << "</dd></div><div><dt>"
    << tr(lang, "신고자", "Reported by") << "</dt><dd>" << json_str(r, "user")
    << "</dd></div><div><dt>" << tr(lang, "신고일", "Filed") << "</dt><dd>"
    << short_date(json_str(r, "created")) << "</dd></div>";
  if (status != "notified")
    h << "<div><dt>" << tr(lang, "처리 기한", "Due") << "</dt><dd>"
      << short_date(json_str(r, "deadline")) << "</dd></div>";
  if (std::string answer = json_str(r, "answer"); !answer.empty())
    h << "<div><dt>" << tr(lang, "기관 답변", "Agency's answer") << "</dt><dd>" << answer
      << "</dd></div>";
  h << "</dl>\n<p>" << json_str(r, "description") << "</p>\n";
  if (json_bool(r, "may_handle") && status != "notified") {
    const bool pending = status == "pending";
    h << "<section class=\"panel\" aria-labelledby=\"handle-h\"><h2 id=\"handle-h\">"
      << tr(lang, "기관 처리", "Agency's handling") << "</h2><form method=\"post\" action=\""
      << path << (pending ? std::string("/accept") : std::string("/close")) << "\">";
    csrf_input(h, ctx);
    h << "<div class=\"field\"><label for=\"h-answer\">"
      << (pending ? tr(lang, "접수 메모 (선택)", "Note (optional)")
                  : tr(lang, "답변 (신고자에게 통지)", "Answer (sent to the reporter)"))
      << "</label><textarea id=\"h-answer\" name=\"answer\" rows=\"3\"></textarea></div>"
      << "<button type=\"submit\">"
      << (pending ? tr(lang, "접수", "Accept") : tr(lang, "답변하고 종료 (통지)", "Answer and close"))
      << "</button></form></section>\n";
  }
  return demand_page(ctx, std::string(tr(lang, "오류 신고", "Error report")), h.take(),
                     errors.empty() ? 200 : 409);
}

PortalResponse report_form_post(const PageContext& ctx, ActionClient& actions,
                                const std::string& id, const std::string& what,
                                const Params& form) {
  const char* call = what == "accept" ? "issue_report_update"
                     : what == "close" ? "issue_report_close"
                                       : nullptr;
  if (!call) throw NotFound("Page not found");
  ActionParams p;
  p.str("id", id).str("answer", form_value(form, "answer"));
  try {
    actions.call(call, p);
  } catch (const ValidationError& e) {
    return report_page(ctx, actions, id, e.fields());
  }
  return see_other("/reports/" + url_encode(id));
}

}  // namespace datamap::api::portal

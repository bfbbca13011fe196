#include "api/portal/console.h"

#include <rapidjson/document.h>

#include "api/portal/activity_pages.h"
#include "api/portal/console_dashboard.h"
#include "api/portal/console_harvest.h"
#include "api/portal/console_kit.h"
#include "api/portal/console_upload.h"
#include "api/portal/dataset_form.h"
#include "api/portal/html.h"
#include "api/portal/partials.h"
#include "catalog/errors.h"

namespace datamap::api::portal {
namespace {

PortalResponse sign_in_page(const PageContext& ctx, const ConsoleRequest& req) {
  const Lang lang = ctx.lang;
  const bool failed = !req.sign_in_error.empty();
  Html h;
  h << "<h1>" << tr(lang, "기관 콘솔", "Agency console") << "</h1>\n<div class=\"panel\"><h2>"
    << tr(lang, "API 토큰으로 로그인", "Sign in with an API token") << "</h2>\n<p>"
    << tr(lang,
          "기관 관리자에게 받은 API 토큰(또는 `datamap user add`가 출력한 토큰)을 입력하세요. "
          "토큰은 저장되지 않으며, 이 브라우저에는 로그아웃하면 무효가 되는 세션 쿠키만 남습니다.",
          "Enter the API token your agency administrator gave you (or the one `datamap user add` "
          "printed). The token is not kept: this browser only gets a session cookie that signing "
          "out invalidates.")
    << "</p>\n";
  if (failed)
    h << "<p class=\"notice error\" role=\"alert\" id=\"token-error\">" << req.sign_in_error
      << "</p>\n";
  h << "<form method=\"post\" action=\"/console/login\">";
  csrf_input(h, ctx);
  h << "<div class=\"field";
  if (failed) h << " has-error";
  h << "\"><label for=\"token\">" << tr(lang, "API 토큰", "API token") << "</label>"
    << "<input type=\"password\" id=\"token\" name=\"token\" required autocomplete=\"off\"";
  if (failed) h << " aria-invalid=\"true\" aria-describedby=\"token-error\"";
  h << "></div><button type=\"submit\">" << tr(lang, "로그인", "Sign in") << "</button></form></div>\n";
  return console_shell(ctx, std::string(tr(lang, "기관 콘솔 로그인", "Agency console sign-in")),
                       h.take(), failed ? 403 : 200);
}

PortalResponse new_dataset(const PageContext& ctx, ActionClient& actions,
                           const ConsoleRequest& req) {
  DatasetFormSpec spec;
  spec.action_url = "/console/dataset/new";
  spec.heading = std::string(tr(ctx.lang, "새 데이터 등록", "Register a dataset"));
  if (req.method != "POST") {
    spec.values = {{"type", "file"}};
    return dataset_form(ctx, actions, spec);
  }
  rapidjson::Document pkg = package_from_form(req.form, true);
  try {
    rapidjson::Document created = actions.call("package_create", pkg);
    return see_other("/dataset/" +
                     url_encode(json_str(created, "name", form_value(req.form, "name"))));
  } catch (const ValidationError& e) {
    spec.values = values_from_form(req.form);
    spec.errors = e.fields();
    spec.status = 409;
    return dataset_form(ctx, actions, spec);
  }
}

PortalResponse edit_dataset(const PageContext& ctx, ActionClient& actions,
                            const ConsoleRequest& req, const rapidjson::Value& pkg,
                            const std::string& name) {
  DatasetFormSpec spec;
  spec.action_url = "/console/dataset/" + url_encode(name) + "/edit";
  spec.heading = std::string(tr(ctx.lang, "수정: ", "Edit: ")) + json_str(pkg, "title", name);
  spec.is_edit = true;
  if (req.method != "POST") {
    spec.values = values_from_package(pkg);
    return dataset_form(ctx, actions, spec);
  }
  rapidjson::Document patch = package_from_form(req.form, false);
  patch.RemoveMember("name");
  std::string id = json_str(pkg, "id", name);
  patch.AddMember("id", rapidjson::Value(id.c_str(), patch.GetAllocator()), patch.GetAllocator());
  try {
    actions.call("package_patch", patch);
    return see_other("/dataset/" + url_encode(name));
  } catch (const ValidationError& e) {
    spec.values = values_from_form(req.form);
    spec.values["name"] = name;
    spec.errors = e.fields();
    spec.status = 409;
    return dataset_form(ctx, actions, spec);
  }
}

PortalResponse delete_dataset(const PageContext& ctx, ActionClient& actions,
                              const ConsoleRequest& req, const rapidjson::Value& pkg,
                              const std::string& name) {
  const Lang lang = ctx.lang;
  std::string title = json_str(pkg, "title", name);
  if (req.method == "POST") {
    ActionParams del;
    del.str("id", json_str(pkg, "id", name));
    actions.call("package_delete", del);
    return see_other(Url("/console")
                         .add("done", std::string(tr(lang, "삭제했습니다: ", "Deleted: ")) + title)
                         .str());
  }
  Html h;
  h << "<h1>" << tr(lang, "데이터 삭제", "Delete dataset") << "</h1><div class=\"panel\"><p>"
    << tr(lang, "다음 데이터를 삭제할까요? ", "Delete this dataset? ") << "<strong>" << title
    << "</strong></p>"
    << "<form method=\"post\" action=\"/console/dataset/" << url_encode(name) << "/delete\">";
  csrf_input(h, ctx);
  h << "<button type=\"submit\" class=\"danger\">" << tr(lang, "삭제", "Delete")
    << "</button> <a href=\"/console\">" << tr(lang, "취소", "Cancel") << "</a></form></div>";
  return console_shell(ctx, std::string(tr(lang, "데이터 삭제", "Delete dataset")), h.take());
}

PortalResponse run_harvest(const PageContext& ctx, ActionClient& actions,
                           const std::string& source_id) {
  ActionParams create;
  create.str("source_id", source_id);
  actions.call("harvest_job_create", create);
  return see_other(Url("/console/harvest/" + url_encode(source_id))
                       .add("done", std::string(tr(ctx.lang, "수집 작업을 시작했습니다.",
                                                   "Harvest job started.")))
                       .str());
}

}  // namespace

PortalResponse console_page(const PageContext& ctx, ActionClient& actions, const ConsoleRequest& req) {
  if (!req.signed_in || !actions.caller().user) return sign_in_page(ctx, req);

  const std::string& sub = req.subpath;
  if (sub.empty() || sub == "/") return console_dashboard(ctx, actions, ctx.param("done"));
  if (sub == "/dataset/new") return new_dataset(ctx, actions, req);
  if (sub == "/activity") return activity_dashboard(ctx, actions);

  const std::string dataset_prefix = "/dataset/";
  if (sub.rfind(dataset_prefix, 0) == 0) {
    std::string rest = sub.substr(dataset_prefix.size());
    auto slash = rest.find('/');
    std::string name = rest.substr(0, slash);
    std::string verb = slash == std::string::npos ? "" : rest.substr(slash + 1);
    ActionParams show;
    show.str("id", name);
    rapidjson::Document pkg = actions.call("package_show", show);
    if (verb == "edit") return edit_dataset(ctx, actions, req, pkg, name);
    if (verb == "delete") return delete_dataset(ctx, actions, req, pkg, name);
    if (verb == "upload") return upload_resource(ctx, actions, req, pkg, name);
  }
  const std::string harvest_prefix = "/harvest/";
  if (sub.rfind(harvest_prefix, 0) == 0) {
    std::string rest = sub.substr(harvest_prefix.size());
    const std::string run = "/run";
    if (req.method == "POST" && rest.size() > run.size() &&
        rest.compare(rest.size() - run.size(), run.size(), run) == 0)
      return run_harvest(ctx, actions, rest.substr(0, rest.size() - run.size()));
    return console_harvest_page(ctx, actions, rest);
  }
  throw NotFound("No such console page");
}

}  // namespace datamap::api::portal

#include "api/portal/console.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <set>

#include "api/portal/html.h"
#include "api/portal/layout.h"
#include "api/portal/partials.h"
#include "catalog/errors.h"
#include "catalog/ids.h"

namespace datamap::api::portal {

std::string csrf_for_token(const std::string& token) {
  return catalog::sha256_hex("datamap-console-csrf:" + token).substr(0, 32);
}

namespace {

std::string form_value(const Params& form, std::string_view name) {
  for (const auto& [k, v] : form)
    if (k == name) return v;
  return "";
}

PortalResponse page(const PageContext& ctx, std::string title, std::string body, int status = 200) {
  PageSpec spec;
  spec.title = std::move(title);
  spec.body = std::move(body);
  spec.active_nav = "console";
  PortalResponse r;
  r.status = status;
  r.headers.emplace_back("Cache-Control", "no-store");
  r.body = render_page(ctx, spec);
  return r;
}

PortalResponse redirect(const std::string& location) {
  PortalResponse r;
  r.status = 303;
  r.headers.emplace_back("Location", location);
  r.headers.emplace_back("Cache-Control", "no-store");
  r.body = "<!doctype html><title>See other</title><a href=\"" + escape_html(location) + "\">continue</a>";
  return r;
}

PortalResponse sign_in_page(const PageContext& ctx, const ConsoleRequest& req) {
  const Lang lang = ctx.lang;
  Html h;
  h << "<h1>" << tr(lang, "기관 콘솔", "Agency console") << "</h1>\n<div class=\"panel\"><h2>"
    << tr(lang, "API 토큰으로 로그인", "Sign in with an API token") << "</h2>\n<p>"
    << tr(lang, "기관 관리자에게 받은 API 토큰(또는 `datamap user add`가 출력한 토큰)을 입력하세요. 토큰은 이 브라우저의 보안 쿠키에만 저장됩니다.",
          "Enter the API token your agency administrator gave you (or the one `datamap user add` printed). It is kept only in a secure cookie of this browser.")
    << "</p>\n";
  if (!req.token_error.empty())
    h << "<p class=\"notice error\" role=\"alert\" id=\"token-error\">" << req.token_error << "</p>\n";
  h << "<form method=\"post\" action=\"/console/login\"><div class=\"field";
  if (!req.token_error.empty()) h << " has-error";
  h << "\"><label for=\"token\">" << tr(lang, "API 토큰", "API token") << "</label>"
    << "<input type=\"password\" id=\"token\" name=\"token\" required autocomplete=\"off\"";
  if (!req.token_error.empty()) h << " aria-invalid=\"true\" aria-describedby=\"token-error\"";
  h << "></div><button type=\"submit\">" << tr(lang, "로그인", "Sign in") << "</button></form></div>\n";
  return page(ctx, std::string(tr(lang, "기관 콘솔 로그인", "Agency console sign-in")), h.take(),
              req.token_error.empty() ? 200 : 403);
}

// ---- the dataset form

struct FormField {
  const char* name;
  std::string_view ko, en;
  const char* kind;  // text | textarea | url | select-org | select-type | select-license | select-group | checkbox
  bool required;
  std::string_view hint_ko, hint_en;
};

const FormField kFields[] = {
    {"title", "제목", "Title", "text", true, "", ""},
    {"name", "주소 이름 (URL)", "URL name", "text", true, "영문 소문자, 숫자, -, _ 로 2~100자 (예: seoul-parking-lots)",
     "2-100 lower-case letters, digits, - and _ (e.g. seoul-parking-lots)"},
    {"notes", "설명", "Description", "textarea", false, "", ""},
    {"owner_org", "제공기관", "Agency", "select-org", true, "", ""},
    {"type", "유형", "Type", "select-type", false, "", ""},
    {"groups", "분류", "Category", "select-group", false, "", ""},
    {"tags", "키워드", "Keywords", "text", false, "쉼표로 구분 (예: 주차장, 교통)", "Comma-separated (e.g. parking, transport)"},
    {"license_id", "이용허락범위", "License", "select-license", false, "", ""},
    {"frequency", "업데이트 주기", "Update frequency", "text", false, "예: 연간, 월간, 수시", "e.g. yearly, monthly, as needed"},
    {"url", "원본 페이지 URL", "Source page URL", "url", false, "", ""},
    {"maintainer", "관리부서", "Maintainer", "text", false, "", ""},
    {"maintainer_phone", "관리부서 전화번호", "Maintainer phone", "text", false, "", ""},
    {"resource_name", "리소스 이름", "Resource name", "text", false, "", ""},
    {"resource_url", "리소스 URL", "Resource URL", "url", false, "파일이나 API의 주소", "Address of the file or API"},
    {"resource_format", "리소스 형식", "Resource format", "text", false, "예: CSV, JSON, XML", "e.g. CSV, JSON, XML"},
    {"private", "비공개 (기관 구성원만 볼 수 있음)", "Private (only the agency's members can see it)", "checkbox", false, "", ""},
};

// Where a field's messages from the API appear: resources.0.url → resource_url, and so on.
std::string form_field_for_error(const std::string& key) {
  if (key.rfind("resources", 0) == 0) {
    if (key.find("url") != std::string::npos) return "resource_url";
    if (key.find("format") != std::string::npos) return "resource_format";
    return "resource_name";
  }
  if (key == "organization") return "owner_org";
  for (const auto& f : kFields)
    if (key == f.name) return key;
  return "";
}

struct Choice {
  std::string value, label;
};

std::vector<Choice> choices_for(const FormField& f, const PageContext& ctx, ActionClient& actions) {
  std::vector<Choice> out;
  std::string_view kind = f.kind;
  if (kind == "select-type") {
    for (const char* t : {"dataset", "file", "api", "standard"}) out.push_back({t, std::string(dataset_type_label(ctx.lang, t))});
  } else if (kind == "select-license") {
    out.push_back({"", std::string(tr(ctx.lang, "(선택 안 함)", "(none)"))});
    if (auto list = actions.try_call("license_list", ActionParams()); list && list->IsArray())
      for (const auto& l : list->GetArray()) out.push_back({json_str(l, "id"), json_str(l, "title", json_str(l, "id"))});
  } else if (kind == "select-group") {
    out.push_back({"", std::string(tr(ctx.lang, "(선택 안 함)", "(none)"))});
    ActionParams p;
    p.boolean("all_fields", true).num("limit", 1000);
    if (auto list = actions.try_call("group_list", p); list && list->IsArray())
      for (const auto& g : list->GetArray()) out.push_back({json_str(g, "name"), display_title(g)});
  } else if (kind == "select-org") {
    const Caller& caller = actions.caller();
    ActionParams p;
    p.boolean("all_fields", true).num("limit", 1000);
    if (auto list = actions.try_call("organization_list", p); list && list->IsArray())
      for (const auto& o : list->GetArray())
        if (caller.can_edit_org(json_str(o, "id"))) out.push_back({json_str(o, "id"), display_title(o)});
  }
  return out;
}

using Values = std::map<std::string, std::string>;

PortalResponse dataset_form(const PageContext& ctx, ActionClient& actions, const std::string& action_url,
                            const std::string& heading, const Values& values, const FieldErrors& errors,
                            bool is_edit, int status) {
  const Lang lang = ctx.lang;
  Html h;
  h << "<nav class=\"breadcrumb\" aria-label=\"" << tr(lang, "현재 위치", "Breadcrumb") << "\"><ol><li><a href=\"/console\">"
    << tr(lang, "기관 콘솔", "Agency console") << "</a></li><li aria-current=\"page\">" << heading << "</li></ol></nav>\n<h1>"
    << heading << "</h1>\n";
  // Field messages keyed by form field; anything that has no field goes in the summary only.
  std::map<std::string, std::vector<std::string>> by_field;
  std::vector<std::string> unplaced;
  for (const auto& [key, messages] : errors) {
    std::string field = form_field_for_error(key);
    for (const auto& m : messages) {
      if (field.empty())
        unplaced.push_back(key + ": " + m);
      else
        by_field[field].push_back(m);
    }
  }
  if (!errors.empty()) {
    h << "<div class=\"notice error\" role=\"alert\" id=\"form-errors\" tabindex=\"-1\"><h2>"
      << tr(lang, "입력 내용을 확인해 주세요", "Please check the form") << "</h2><ul>";
    for (const auto& f : kFields) {
      auto it = by_field.find(f.name);
      if (it == by_field.end()) continue;
      for (const auto& m : it->second)
        h << "<li><a href=\"#f-" << std::string_view(f.name) << "\">" << tr(lang, f.ko, f.en) << "</a>: " << m << "</li>";
    }
    for (const auto& m : unplaced) h << "<li>" << m << "</li>";
    h << "</ul></div>\n";
  }
  h << "<form method=\"post\" action=\"" << action_url << "\" class=\"panel dataset-form\" novalidate>"
    << "<input type=\"hidden\" name=\"csrf\" value=\"" << ctx.csrf_token << "\">";
  for (const auto& f : kFields) {
    std::string_view kind = f.kind;
    if (is_edit && (std::string_view(f.name) == "name" || std::string_view(f.name).rfind("resource_", 0) == 0)) {
      if (std::string_view(f.name) == "name" && values.count("name"))
        h << "<p>" << tr(lang, f.ko, f.en) << ": <code>" << values.at("name") << "</code></p>";
      continue;
    }
    auto vit = values.find(f.name);
    std::string value = vit == values.end() ? "" : vit->second;
    auto eit = by_field.find(f.name);
    bool bad = eit != by_field.end();
    std::string id = std::string("f-") + f.name;
    std::string described;
    if (!f.hint_ko.empty()) described += id + "-hint";
    if (bad) described += (described.empty() ? "" : " ") + id + "-error";
    h << "<div class=\"field";
    if (bad) h << " has-error";
    h << "\">";
    if (kind == "checkbox") {
      h << "<input type=\"checkbox\" id=\"" << id << "\" name=\"" << std::string_view(f.name) << "\" value=\"true\"";
      if (value == "true") h << " checked";
      h << "> <label for=\"" << id << "\" style=\"display:inline\">" << tr(lang, f.ko, f.en) << "</label>";
    } else {
      h << "<label for=\"" << id << "\">" << tr(lang, f.ko, f.en);
      if (f.required) h << " <span aria-hidden=\"true\">*</span><span class=\"visually-hidden\">" << tr(lang, "(필수)", "(required)") << "</span>";
      h << "</label>";
      auto common = [&]() {
        h << " id=\"" << id << "\" name=\"" << std::string_view(f.name) << "\"";
        if (f.required) h << " required aria-required=\"true\"";
        if (bad) h << " aria-invalid=\"true\"";
        if (!described.empty()) h << " aria-describedby=\"" << described << "\"";
      };
      if (kind == "textarea") {
        h << "<textarea";
        common();
        h << ">" << value << "</textarea>";
      } else if (kind.rfind("select-", 0) == 0) {
        h << "<select";
        common();
        h << ">";
        for (const auto& c : choices_for(f, ctx, actions)) {
          h << "<option value=\"" << c.value << "\"";
          if (c.value == value) h << " selected";
          h << ">" << c.label << "</option>";
        }
        h << "</select>";
      } else {
        h << "<input type=\"" << (kind == "url" ? std::string_view("url") : std::string_view("text")) << "\" value=\"" << value << "\"";
        common();
        h << ">";
      }
    }
    if (!f.hint_ko.empty()) h << "<p class=\"hint\" id=\"" << id << "-hint\">" << tr(lang, f.hint_ko, f.hint_en) << "</p>";
    if (bad) {
      h << "<p class=\"field-error\" id=\"" << id << "-error\">";
      bool first = true;
      for (const auto& m : eit->second) {
        if (!first) h << " ";
        first = false;
        h << m;
      }
      h << "</p>";
    }
    h << "</div>\n";
  }
  h << "<button type=\"submit\">" << (is_edit ? tr(lang, "저장", "Save") : tr(lang, "등록", "Register")) << "</button> "
    << "<a href=\"/console\">" << tr(lang, "취소", "Cancel") << "</a></form>\n";
  return page(ctx, heading, h.take(), status);
}

// The form's fields as a CKAN package dict.
rapidjson::Document package_from_form(const Params& form, bool include_resource) {
  rapidjson::Document d;
  d.SetObject();
  auto& a = d.GetAllocator();
  auto put = [&](const char* key, const std::string& v) {
    d.AddMember(rapidjson::Value(key, a), rapidjson::Value(v.c_str(), static_cast<rapidjson::SizeType>(v.size()), a), a);
  };
  for (const char* key : {"title", "name", "notes", "owner_org", "type", "license_id", "frequency", "url",
                          "maintainer", "maintainer_phone"})
    put(key, form_value(form, key));
  d.AddMember("private", rapidjson::Value(form_value(form, "private") == "true"), a);
  rapidjson::Value tags(rapidjson::kArrayType);
  std::string tag_text = form_value(form, "tags");
  std::size_t start = 0;
  while (start <= tag_text.size()) {
    std::size_t end = tag_text.find(',', start);
    if (end == std::string::npos) end = tag_text.size();
    std::string tag(tag_text.substr(start, end - start));
    tag.erase(0, tag.find_first_not_of(" \t"));
    tag.erase(tag.find_last_not_of(" \t") + 1);
    if (!tag.empty()) tags.PushBack(rapidjson::Value(tag.c_str(), static_cast<rapidjson::SizeType>(tag.size()), a), a);
    start = end + 1;
  }
  d.AddMember("tags", tags, a);
  rapidjson::Value groups(rapidjson::kArrayType);
  if (std::string g = form_value(form, "groups"); !g.empty())
    groups.PushBack(rapidjson::Value(g.c_str(), static_cast<rapidjson::SizeType>(g.size()), a), a);
  d.AddMember("groups", groups, a);
  if (include_resource) {
    rapidjson::Value resources(rapidjson::kArrayType);
    std::string url = form_value(form, "resource_url");
    if (!url.empty() || !form_value(form, "resource_name").empty()) {
      rapidjson::Value r(rapidjson::kObjectType);
      for (auto [key, field] : {std::pair<const char*, const char*>{"name", "resource_name"},
                                {"url", "resource_url"},
                                {"format", "resource_format"}}) {
        std::string v = form_value(form, field);
        r.AddMember(rapidjson::Value(key, a), rapidjson::Value(v.c_str(), static_cast<rapidjson::SizeType>(v.size()), a), a);
      }
      resources.PushBack(r, a);
    }
    d.AddMember("resources", resources, a);
  }
  return d;
}

Values values_from_form(const Params& form) {
  Values v;
  for (const auto& [k, val] : form) v[k] = val;
  return v;
}

Values values_from_package(const rapidjson::Value& pkg) {
  Values v;
  for (const char* key : {"title", "name", "notes", "owner_org", "type", "license_id", "frequency", "url",
                          "maintainer", "maintainer_phone"})
    v[key] = json_str(pkg, key);
  v["private"] = json_bool(pkg, "private") ? "true" : "";
  std::string tags;
  if (auto* t = json_array(pkg, "tags"))
    for (const auto& tag : t->GetArray()) tags += (tags.empty() ? "" : ", ") + display_title(tag);
  v["tags"] = tags;
  if (auto* g = json_array(pkg, "groups"); g && !g->Empty()) v["groups"] = json_str((*g)[0], "name");
  return v;
}

PortalResponse dashboard(const PageContext& ctx, ActionClient& actions, const std::string& notice) {
  const Lang lang = ctx.lang;
  const Caller& caller = actions.caller();
  Html h;
  h << "<h1>" << tr(lang, "기관 콘솔", "Agency console") << "</h1>\n";
  if (!notice.empty()) h << "<p class=\"notice ok\" role=\"status\">" << notice << "</p>\n";
  h << "<div class=\"panel\"><p>" << tr(lang, "로그인: ", "Signed in as ") << "<strong>"
    << (caller.user ? caller.user->name : std::string()) << "</strong>";
  if (caller.sysadmin()) h << " (" << tr(lang, "시스템 관리자", "sysadmin") << ")";
  h << "</p><form method=\"post\" action=\"/console/logout\" class=\"inline-form\"><input type=\"hidden\" name=\"csrf\" value=\""
    << ctx.csrf_token << "\"><button type=\"submit\" class=\"secondary\">" << tr(lang, "로그아웃", "Sign out")
    << "</button></form> <a class=\"button\" href=\"/console/dataset/new\">" << tr(lang, "새 데이터 등록", "Register a dataset")
    << "</a></div>\n";

  // The agencies this user belongs to, and their datasets (private ones included).
  std::vector<std::string> org_ids;
  if (caller.user)
    for (const auto& m : caller.user->memberships) org_ids.push_back(m.organization_id);
  h << "<div class=\"console-grid\"><section class=\"panel\" aria-labelledby=\"own-h\"><h2 id=\"own-h\">"
    << tr(lang, "우리 기관의 데이터", "Our agency's datasets") << "</h2>\n";
  std::string fq;
  for (const auto& id : org_ids) fq += (fq.empty() ? "" : " OR ") + std::string("owner_org:\"") + id + "\"";
  if (!fq.empty() || caller.sysadmin()) {
    ActionParams p;
    p.str("fq", fq).str("sort", "metadata_modified desc").num("rows", 50).boolean("include_private", true);
    if (auto result = actions.try_call("package_search", p)) {
      h << "<p>" << format_count(json_int(*result, "count")) << tr(lang, "건", " datasets") << "</p><ul class=\"console-datasets\">";
      if (auto* results = json_array(*result, "results"))
        for (const auto& pkg : results->GetArray()) {
          std::string name = json_str(pkg, "name");
          h << "<li><a href=\"/dataset/" << url_encode(name) << "\">" << json_str(pkg, "title", name) << "</a> · <a href=\"/console/dataset/"
            << url_encode(name) << "/edit\">" << tr(lang, "수정", "Edit") << "</a> · <a href=\"/console/dataset/" << url_encode(name)
            << "/delete\">" << tr(lang, "삭제", "Delete") << "</a></li>";
        }
      h << "</ul>";
    } else {
      h << "<p>" << tr(lang, "검색 기능이 켜져 있지 않아 목록을 보일 수 없습니다.", "Search is not enabled, so the list cannot be shown.") << "</p>";
    }
  } else {
    h << "<p>" << tr(lang, "소속 기관이 없습니다. 기관 관리자에게 권한을 요청하세요.", "You belong to no agency yet. Ask your agency's administrator for a role.") << "</p>";
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
        if (!caller.sysadmin() && std::find(org_ids.begin(), org_ids.end(), owner) == org_ids.end()) continue;
        ++shown;
        std::string id = json_str(s, "id");
        h << "<li><a href=\"/console/harvest/" << url_encode(id) << "\">" << json_str(s, "title", json_str(s, "name", id))
          << "</a> <span class=\"count\">" << json_str(s, "source_type", json_str(s, "type")) << " · " << json_str(s, "url") << "</span></li>";
      }
    h << "</ul>";
    if (shown == 0) h << "<p>" << tr(lang, "등록된 수집 소스가 없습니다.", "No harvest sources yet.") << "</p>";
  } else {
    h << "<p>" << tr(lang, "이 서버에서는 하베스트 기능이 켜져 있지 않습니다.", "Harvesting is not enabled on this server.") << "</p>";
  }
  h << "</section></div>\n";
  return page(ctx, std::string(tr(lang, "기관 콘솔", "Agency console")), h.take());
}

void job_report(Html& h, Lang lang, const rapidjson::Value& job) {
  h << "<li class=\"job\"><strong>" << json_str(job, "status", json_str(job, "state")) << "</strong> · <time>"
    << json_str(job, "created", json_str(job, "gather_started")).substr(0, 19) << "</time>";
  if (const rapidjson::Value* stats = json_member(job, "stats"); stats && stats->IsObject()) {
    h << "<dl class=\"stat-list small\">";
    for (const auto& m : stats->GetObject())
      if (m.value.IsNumber())
        h << "<div><dt>" << std::string_view(m.name.GetString(), m.name.GetStringLength()) << "</dt><dd>"
          << format_count(m.value.GetInt64()) << "</dd></div>";
    h << "</dl>";
  }
  std::vector<std::string> errors;
  if (const auto* gather = json_array(job, "gather_errors"))
    for (const auto& e : gather->GetArray())
      if (e.IsString()) errors.emplace_back(e.GetString(), e.GetStringLength());
  if (const auto* objects = json_array(job, "object_errors"))
    for (const auto& e : objects->GetArray()) errors.push_back(json_str(e, "guid") + ": " + json_str(e, "message"));
  if (errors.empty())
    if (std::string e = json_str(job, "error"); !e.empty()) errors.push_back(e);
  if (!errors.empty()) {
    h << "<details class=\"job-errors\" open><summary>" << tr(lang, "오류 ", "Errors ")
      << static_cast<std::int64_t>(errors.size()) << "</summary><ul>";
    for (const auto& e : errors) h << "<li>" << e << "</li>";
    h << "</ul></details>";
  }
  h << "</li>";
}

PortalResponse harvest_page(const PageContext& ctx, ActionClient& actions, const std::string& id) {
  const Lang lang = ctx.lang;
  ActionParams show;
  show.str("id", id);
  auto source = actions.call("harvest_source_show", show);
  Html h;
  std::string title = json_str(source, "title", json_str(source, "name", id));
  std::string source_id = json_str(source, "id", id);
  h << "<nav class=\"breadcrumb\" aria-label=\"" << tr(lang, "현재 위치", "Breadcrumb") << "\"><ol><li><a href=\"/console\">"
    << tr(lang, "기관 콘솔", "Agency console") << "</a></li><li aria-current=\"page\">" << title << "</li></ol></nav>\n<h1>" << title
    << "</h1>\n";
  if (std::string done = ctx.param("done"); !done.empty()) h << "<p class=\"notice ok\" role=\"status\">" << done << "</p>\n";
  h << "<div class=\"panel\"><dl class=\"facts\">";
  for (auto [key, ko, en] : {std::tuple<const char*, std::string_view, std::string_view>{"url", "주소", "URL"},
                             {"source_type", "유형", "Type"},
                             {"frequency", "주기", "Frequency"}}) {
    std::string v = json_str(source, key);
    if (!v.empty()) h << "<div><dt>" << tr(lang, ko, en) << "</dt><dd>" << v << "</dd></div>";
  }
  if (const rapidjson::Value* status = json_member(source, "status"); status && status->IsObject()) {
    h << "<div><dt>" << tr(lang, "수집된 데이터", "Datasets harvested") << "</dt><dd>"
      << format_count(json_int(*status, "total_datasets")) << "</dd></div>";
    if (std::string next = json_str(*status, "next_harvest"); !next.empty())
      h << "<div><dt>" << tr(lang, "다음 수집", "Next harvest") << "</dt><dd>" << next.substr(0, 19) << "</dd></div>";
  }
  h << "</dl><form method=\"post\" action=\"/console/harvest/" << url_encode(source_id) << "/run\">"
    << "<input type=\"hidden\" name=\"csrf\" value=\"" << ctx.csrf_token << "\"><button type=\"submit\">"
    << tr(lang, "지금 수집", "Harvest now") << "</button></form></div>\n<section class=\"panel\"><h2>"
    << tr(lang, "수집 작업 보고", "Job reports") << "</h2>";
  ActionParams jobs_params;
  jobs_params.str("source_id", source_id).num("limit", 20);
  auto jobs = actions.try_call("harvest_job_list", jobs_params);
  if (jobs && jobs->IsArray() && !jobs->Empty()) {
    h << "<ol class=\"jobs\">";
    for (const auto& job : jobs->GetArray()) {
      ActionParams rp;
      rp.str("id", json_str(job, "id")).num("limit", 20);
      auto report = actions.try_call("harvest_job_report", rp);
      job_report(h, lang, report && report->IsObject() ? *report : job);
    }
    h << "</ol>";
  } else {
    h << "<p>" << tr(lang, "아직 수집 작업이 없습니다.", "No jobs yet.") << "</p>";
  }
  h << "</section>\n";
  return page(ctx, title, h.take());
}

bool csrf_ok(const PageContext& ctx, const ConsoleRequest& req) {
  return !ctx.csrf_token.empty() && form_value(req.form, "csrf") == ctx.csrf_token;
}

}  // namespace

PortalResponse console_page(const PageContext& ctx, ActionClient& actions, const ConsoleRequest& req) {
  const Lang lang = ctx.lang;
  if (!req.token || !actions.caller().user) return sign_in_page(ctx, req);
  if (req.method == "POST" && !csrf_ok(ctx, req))
    return page(ctx, "403", "<p class=\"notice error\">" + escape_html(tr(lang, "양식이 만료되었습니다. 다시 시도해 주세요.", "The form has expired. Please try again.")) + "</p>", 403);

  const std::string& sub = req.subpath;
  if (sub.empty() || sub == "/") return dashboard(ctx, actions, ctx.param("done"));

  if (sub == "/dataset/new") {
    std::string heading(tr(lang, "새 데이터 등록", "Register a dataset"));
    if (req.method != "POST") {
      Values defaults{{"type", "file"}};
      return dataset_form(ctx, actions, "/console/dataset/new", heading, defaults, {}, false, 200);
    }
    rapidjson::Document pkg = package_from_form(req.form, true);
    try {
      rapidjson::Document created = actions.call("package_create", pkg);
      return redirect("/dataset/" + url_encode(json_str(created, "name", form_value(req.form, "name"))));
    } catch (const ValidationError& e) {
      return dataset_form(ctx, actions, "/console/dataset/new", heading, values_from_form(req.form), e.fields(), false, 409);
    }
  }

  const std::string prefix = "/dataset/";
  if (sub.rfind(prefix, 0) == 0) {
    std::string rest = sub.substr(prefix.size());
    auto slash = rest.find('/');
    std::string name = rest.substr(0, slash);
    std::string verb = slash == std::string::npos ? "" : rest.substr(slash + 1);
    ActionParams show;
    show.str("id", name);
    rapidjson::Document pkg = actions.call("package_show", show);
    std::string title = json_str(pkg, "title", name);
    std::string id = json_str(pkg, "id", name);
    if (verb == "edit") {
      std::string heading = std::string(tr(lang, "수정: ", "Edit: ")) + title;
      std::string action_url = "/console/dataset/" + url_encode(name) + "/edit";
      if (req.method != "POST")
        return dataset_form(ctx, actions, action_url, heading, values_from_package(pkg), {}, true, 200);
      rapidjson::Document patch = package_from_form(req.form, false);
      patch.RemoveMember("name");
      patch.AddMember("id", rapidjson::Value(id.c_str(), patch.GetAllocator()), patch.GetAllocator());
      try {
        actions.call("package_patch", patch);
        return redirect("/dataset/" + url_encode(name));
      } catch (const ValidationError& e) {
        Values v = values_from_form(req.form);
        v["name"] = name;
        return dataset_form(ctx, actions, action_url, heading, v, e.fields(), true, 409);
      }
    }
    if (verb == "delete") {
      if (req.method == "POST") {
        ActionParams del;
        del.str("id", id);
        actions.call("package_delete", del);
        return redirect(Url("/console").add("done", std::string(tr(lang, "삭제했습니다: ", "Deleted: ")) + title).str());
      }
      Html h;
      h << "<h1>" << tr(lang, "데이터 삭제", "Delete dataset") << "</h1><div class=\"panel\"><p>"
        << tr(lang, "다음 데이터를 삭제할까요? ", "Delete this dataset? ") << "<strong>" << title << "</strong></p>"
        << "<form method=\"post\" action=\"/console/dataset/" << url_encode(name) << "/delete\"><input type=\"hidden\" name=\"csrf\" value=\""
        << ctx.csrf_token << "\"><button type=\"submit\" class=\"danger\">" << tr(lang, "삭제", "Delete")
        << "</button> <a href=\"/console\">" << tr(lang, "취소", "Cancel") << "</a></form></div>";
      return page(ctx, std::string(tr(lang, "데이터 삭제", "Delete dataset")), h.take());
    }
  }
  if (sub.rfind("/harvest/", 0) == 0) {
    std::string rest = sub.substr(9);
    if (req.method == "POST" && rest.size() > 4 && rest.compare(rest.size() - 4, 4, "/run") == 0) {
      std::string source_id = rest.substr(0, rest.size() - 4);
      ActionParams create;
      create.str("source_id", source_id);
      actions.call("harvest_job_create", create);
      return redirect(Url("/console/harvest/" + url_encode(source_id))
                          .add("done", std::string(tr(lang, "수집 작업을 시작했습니다.", "Harvest job started.")))
                          .str());
    }
    return harvest_page(ctx, actions, rest);
  }
  throw NotFound("No such console page");
}

}  // namespace datamap::api::portal

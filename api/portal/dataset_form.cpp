#include "api/portal/dataset_form.h"

#include "api/portal/console_kit.h"
#include "api/portal/html.h"
#include "api/portal/partials.h"

namespace datamap::api::portal {
namespace {

struct FormField {
  const char* name;
  std::string_view ko, en;
  const char* kind;  // text | textarea | url | select-org | select-type | select-license |
                     // select-group | checkbox
  bool required;
  std::string_view hint_ko, hint_en;
};

const FormField kFields[] = {
    {"title", "제목", "Title", "text", true, "", ""},
    {"name", "주소 이름 (URL)", "URL name", "text", true,
     "영문 소문자, 숫자, -, _ 로 2~100자 (예: seoul-parking-lots)",
     "2-100 lower-case letters, digits, - and _ (e.g. seoul-parking-lots)"},
    {"notes", "설명", "Description", "textarea", false, "", ""},
    {"owner_org", "제공기관", "Agency", "select-org", true, "", ""},
    {"type", "유형", "Type", "select-type", false, "", ""},
    {"groups", "분류", "Category", "select-group", false, "", ""},
    {"tags", "키워드", "Keywords", "text", false, "쉼표로 구분 (예: 주차장, 교통)",
     "Comma-separated (e.g. parking, transport)"},
    {"license_id", "이용허락범위", "License", "select-license", false, "", ""},
    {"frequency", "업데이트 주기", "Update frequency", "text", false, "예: 연간, 월간, 수시",
     "e.g. yearly, monthly, as needed"},
    {"url", "원본 페이지 URL", "Source page URL", "url", false, "", ""},
    {"maintainer", "관리부서", "Maintainer", "text", false, "", ""},
    {"maintainer_phone", "관리부서 전화번호", "Maintainer phone", "text", false, "", ""},
    {"resource_name", "리소스 이름", "Resource name", "text", false, "", ""},
    {"resource_url", "리소스 URL", "Resource URL", "url", false, "파일이나 API의 주소",
     "Address of the file or API"},
    {"resource_format", "리소스 형식", "Resource format", "text", false, "예: CSV, JSON, XML",
     "e.g. CSV, JSON, XML"},
    {"private", "비공개 (기관 구성원만 볼 수 있음)",
     "Private (only the agency's members can see it)", "checkbox", false, "", ""},
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
    for (const char* t : {"dataset", "file", "api", "standard"})
      out.push_back({t, std::string(dataset_type_label(ctx.lang, t))});
  } else if (kind == "select-license") {
    out.push_back({"", std::string(tr(ctx.lang, "(선택 안 함)", "(none)"))});
    if (auto list = actions.try_call("license_list", ActionParams()); list && list->IsArray())
      for (const auto& l : list->GetArray())
        out.push_back({json_str(l, "id"), json_str(l, "title", json_str(l, "id"))});
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
        if (caller.can_edit_org(json_str(o, "id")))
          out.push_back({json_str(o, "id"), display_title(o)});
  }
  return out;
}

}  // namespace

PortalResponse dataset_form(const PageContext& ctx, ActionClient& actions,
                            const DatasetFormSpec& spec) {
  const std::string& heading = spec.heading;
  const std::string& action_url = spec.action_url;
  const Values& values = spec.values;
  const FieldErrors& errors = spec.errors;
  const bool is_edit = spec.is_edit;
  const Lang lang = ctx.lang;
  Html h;
  h << "<nav class=\"breadcrumb\" aria-label=\"" << tr(lang, "현재 위치", "Breadcrumb")
    << "\"><ol><li><a href=\"/console\">" << tr(lang, "기관 콘솔", "Agency console")
    << "</a></li><li aria-current=\"page\">" << heading << "</li></ol></nav>\n<h1>" << heading
    << "</h1>\n";
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
        h << "<li><a href=\"#f-" << std::string_view(f.name) << "\">" << tr(lang, f.ko, f.en)
          << "</a>: " << m << "</li>";
    }
    for (const auto& m : unplaced) h << "<li>" << m << "</li>";
    h << "</ul></div>\n";
  }
  h << "<form method=\"post\" action=\"" << action_url
    << "\" class=\"panel dataset-form\" novalidate>";
  csrf_input(h, ctx);
  for (const auto& f : kFields) {
    std::string_view kind = f.kind;
    if (is_edit && (std::string_view(f.name) == "name" ||
                    std::string_view(f.name).rfind("resource_", 0) == 0)) {
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
      h << "<input type=\"checkbox\" id=\"" << id << "\" name=\"" << std::string_view(f.name)
        << "\" value=\"true\"";
      if (value == "true") h << " checked";
      h << "> <label for=\"" << id << "\" style=\"display:inline\">" << tr(lang, f.ko, f.en)
        << "</label>";
    } else {
      h << "<label for=\"" << id << "\">" << tr(lang, f.ko, f.en);
      if (f.required)
        h << " <span aria-hidden=\"true\">*</span><span class=\"visually-hidden\">"
          << tr(lang, "(필수)", "(required)") << "</span>";
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
        h << "<input type=\""
          << (kind == "url" ? std::string_view("url") : std::string_view("text")) << "\" value=\""
          << value << "\"";
        common();
        h << ">";
      }
    }
    if (!f.hint_ko.empty())
      h << "<p class=\"hint\" id=\"" << id << "-hint\">" << tr(lang, f.hint_ko, f.hint_en)
        << "</p>";
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
  h << "<button type=\"submit\">"
    << (is_edit ? tr(lang, "저장", "Save") : tr(lang, "등록", "Register")) << "</button> "
    << "<a href=\"/console\">" << tr(lang, "취소", "Cancel") << "</a></form>\n";
  return console_shell(ctx, heading, h.take(), spec.status);
}

// The form's fields as a CKAN package dict.
rapidjson::Document package_from_form(const Params& form, bool include_resource) {
  rapidjson::Document d;
  d.SetObject();
  auto& a = d.GetAllocator();
  auto put = [&](const char* key, const std::string& v) {
    d.AddMember(rapidjson::Value(key, a),
                rapidjson::Value(v.c_str(), static_cast<rapidjson::SizeType>(v.size()), a), a);
  };
  for (const char* key : {"title", "name", "notes", "owner_org", "type", "license_id", "frequency",
                          "url", "maintainer", "maintainer_phone"})
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
    if (!tag.empty())
      tags.PushBack(rapidjson::Value(tag.c_str(), static_cast<rapidjson::SizeType>(tag.size()), a),
                    a);
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
        r.AddMember(rapidjson::Value(key, a),
                    rapidjson::Value(v.c_str(), static_cast<rapidjson::SizeType>(v.size()), a), a);
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
  for (const char* key : {"title", "name", "notes", "owner_org", "type", "license_id", "frequency",
                          "url", "maintainer", "maintainer_phone"})
    v[key] = json_str(pkg, key);
  v["private"] = json_bool(pkg, "private") ? "true" : "";
  std::string tags;
  if (auto* t = json_array(pkg, "tags"))
    for (const auto& tag : t->GetArray()) tags += (tags.empty() ? "" : ", ") + display_title(tag);
  v["tags"] = tags;
  if (auto* g = json_array(pkg, "groups"); g && !g->Empty())
    v["groups"] = json_str((*g)[0], "name");
  return v;
}

}  // namespace datamap::api::portal

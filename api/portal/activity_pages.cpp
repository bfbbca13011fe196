#include "api/portal/activity_pages.h"

#include "api/activity_text.h"
#include "api/portal/console_kit.h"
#include "api/portal/partials.h"
#include "catalog/validation.h"

namespace datamap::api::portal {
namespace {

std::string_view reuse_type_label(Lang lang, const std::string& type) {
  if (type == "app") return tr(lang, "앱·서비스", "App");
  if (type == "article") return tr(lang, "기사", "Article");
  if (type == "visualisation") return tr(lang, "시각화", "Visualisation");
  if (type == "research") return tr(lang, "연구", "Research");
  return type;
}

}  // namespace

void reuses_section(Html& h, const PageContext& ctx, ActionClient& actions,
                    const rapidjson::Value& pkg) {
  const Lang lang = ctx.lang;
  ActionParams p;
  p.str("id", json_str(pkg, "id")).num("limit", 20);
  auto found = actions.try_call("reuse_list", p);
  if (!found) return;
  h << "<section aria-labelledby=\"reuse-h\"><h2 id=\"reuse-h\">"
    << tr(lang, "이 데이터를 활용한 사례", "Reuses of this dataset") << "</h2>\n";
  const rapidjson::Value* list = json_array(*found, "results");
  if (!list || list->Empty()) {
    h << "<p>" << tr(lang, "아직 등록된 활용사례가 없습니다.", "No reuses of this dataset yet.")
      << "</p>";
  } else {
    h << "<ul class=\"reuses\">";
    for (const auto& r : list->GetArray()) {
      std::string url = json_str(r, "url");
      h << "<li>";
      // Validated on the way in, checked again on the way out: only http(s) becomes a link.
      if (catalog::is_valid_url(url))
        h << "<a href=\"" << url << "\" rel=\"noopener nofollow ugc\">" << json_str(r, "title")
          << "</a>";
      else
        h << json_str(r, "title");
      h << " <span class=\"count\">" << reuse_type_label(lang, json_str(r, "type")) << "</span>";
      if (std::string d = json_str(r, "description"); !d.empty())
        h << "<p>" << snippet(d, 200) << "</p>";
      h << "</li>";
    }
    h << "</ul>";
  }
  h << "<p><a href=\"/feeds/dataset/" << url_encode(json_str(pkg, "name")) << ".atom\">"
    << tr(lang, "이 데이터의 변경 내역 (Atom 피드)", "Changes to this dataset (Atom feed)")
    << "</a></p></section>\n";
}

PortalResponse activity_dashboard(const PageContext& ctx, ActionClient& actions) {
  const Lang lang = ctx.lang;
  Html h;
  h << "<h1>" << tr(lang, "내 활동 대시보드", "My activity dashboard") << "</h1>\n";
  h << "<section class=\"panel\" aria-labelledby=\"follow-h\"><h2 id=\"follow-h\">"
    << tr(lang, "팔로우 중", "Following") << "</h2>";
  ActionParams who;
  who.str("id", actions.caller().user->id);
  rapidjson::Document followees = actions.call("followee_list", who);
  if (followees.IsArray() && !followees.Empty()) {
    h << "<ul>";
    for (const auto& f : followees.GetArray()) {
      const std::string type = json_str(f, "type");
      const rapidjson::Value& dict = f["dict"];
      const bool dataset = type == "dataset", request = type == "datarequest";
      h << "<li><a href=\""
        << Raw{dataset   ? "/dataset/"
               : request ? "/requests/"
                         : "/organization/"}
        << url_encode(json_str(dict, "name")) << "\">" << json_str(f, "display_name") << "</a> "
        << "<span class=\"count\">"
        << (dataset   ? tr(lang, "데이터", "dataset")
            : request ? tr(lang, "제공신청", "data request")
                      : tr(lang, "기관", "agency"))
        << "</span></li>";
    }
    h << "</ul>";
  } else {
    h << "<p>"
      << tr(lang, "팔로우하는 데이터, 기관, 제공신청이 없습니다.",
            "You follow no dataset, agency or data request yet.")
      << "</p>";
  }
  h << "</section>\n<section class=\"panel\" aria-labelledby=\"changes-h\"><h2 id=\"changes-h\">"
    << tr(lang, "최근 변경", "Recent changes") << "</h2>";
  ActionParams page;
  page.num("limit", 50);
  rapidjson::Document stream = actions.call("dashboard_activity_list", page);
  if (stream.IsArray() && !stream.Empty()) {
    h << "<ol class=\"activity\">";
    for (const auto& a : stream.GetArray()) {
      const ActivitySubject about = activity_subject(a["data"]);
      const std::string type = json_str(a, "activity_type");
      h << "<li><time datetime=\"" << json_str(a, "timestamp") << "Z\">"
        << short_date(json_str(a, "timestamp")) << "</time> "
        << activity_label(type, lang == Lang::en) << ": ";
      if (type.rfind("deleted", 0) == 0)
        h << about.title;
      else
        h << "<a href=\"" << Raw{about.path} << "\">" << about.title << "</a>";
      h << "</li>";
    }
    h << "</ol>";
  } else {
    h << "<p>" << tr(lang, "아직 변경 내역이 없습니다.", "Nothing has changed yet.") << "</p>";
  }
  h << "</section>\n";
  return console_shell(ctx, std::string(tr(lang, "내 활동 대시보드", "My activity dashboard")),
                       h.take());
}

}  // namespace datamap::api::portal

// /join: "결합 미리보기" — the first pairs of a join between two loaded resources, as a small table
// a citizen can read, linked from the dataset page's list of joinable and nearby datasets.
//   /join?left=RID&right=RID&on=COLUMN&other_on=COLUMN   rows whose codes match
//   /join?left=RID&right=RID&within=METRES               rows whose points lie that close
// Everything comes through datastore_join (and resource_show / datastore_info for names and
// columns), so who may see which rows is decided by those actions alone; a table the caller may
// not read is the same 404 as a missing one.
#include <rapidjson/document.h>

#include <charconv>
#include <cmath>

#include "api/portal/action_client.h"
#include "api/portal/data_columns.h"
#include "api/portal/html.h"
#include "api/portal/layout.h"
#include "api/portal/pages.h"
#include "api/portal/partials.h"
#include "catalog/errors.h"

namespace datamap::api::portal {
namespace {

constexpr int kPairs = 10;          // pairs shown
constexpr int kColumnsPerSide = 3;  // besides the join column: the first few of each table
constexpr double kMaxWithin = 2000;

struct Side {
  std::string resource_id, name, package_id, join_column;
  std::vector<std::string> columns;  // shown, join column first
};

Side side_of(ActionClient& actions, const std::string& resource_id, const std::string& on) {
  Side s;
  s.resource_id = resource_id;
  ActionParams id;
  id.str("id", resource_id);
  auto r = actions.call("resource_show", id);
  s.name = json_str(r, "name", resource_id);
  s.package_id = json_str(r, "package_id");
  ActionParams info;
  info.str("resource_id", resource_id);
  auto i = actions.call("datastore_info", info);
  if (!on.empty()) {
    s.join_column = on;
    s.columns.push_back(on);
  }
  if (const auto* fields = json_array(i, "fields"))
    for (const auto& f : fields->GetArray()) {
      std::string fid = json_str(f, "id");
      if (fid == "_id" || fid == on) continue;
      if (s.columns.size() >= std::size_t(kColumnsPerSide + (on.empty() ? 0 : 1))) break;
      s.columns.push_back(fid);
    }
  return s;
}

void add_string(rapidjson::Value& list, const std::string& s, rapidjson::Document& d) {
  list.PushBack(rapidjson::Value(s.c_str(), d.GetAllocator()), d.GetAllocator());
}

}  // namespace

PortalResponse join_preview_page(const PageContext& ctx, ActionClient& actions) {
  const Lang lang = ctx.lang;
  const std::string left = ctx.param("left"), right = ctx.param("right");
  const std::string on = ctx.param("on"), other_on = ctx.param("other_on");
  const std::string within_text = ctx.param("within");
  if (left.empty() || right.empty())
    throw BadRequest("Bad request", "left and right name the two resources to join");
  double within = 0;
  if (!within_text.empty()) {
    auto [end, ec] =
        std::from_chars(within_text.data(), within_text.data() + within_text.size(), within);
    if (ec != std::errc{} || end != within_text.data() + within_text.size() ||
        !std::isfinite(within) || within <= 0 || within > kMaxWithin)
      throw BadRequest("Bad request", "within is a distance in metres, above 0 and at most 2000");
  } else if (on.empty() || other_on.empty()) {
    throw BadRequest("Bad request", "join on columns (on and other_on) or by distance (within)");
  }
  Side a = side_of(actions, left, within > 0 ? "" : on);
  Side b = side_of(actions, right, within > 0 ? "" : other_on);

  ActionParams join;
  auto& d = join.doc();
  auto& alloc = d.GetAllocator();
  join.str("left", left).str("right", right).num("limit", kPairs);
  if (within > 0) {
    d.AddMember("within_meters", within, alloc);
  } else {
    rapidjson::Value pair(rapidjson::kObjectType);
    pair.AddMember("left", rapidjson::Value(on.c_str(), alloc), alloc);
    pair.AddMember("right", rapidjson::Value(other_on.c_str(), alloc), alloc);
    d.AddMember("on", pair, alloc);
  }
  rapidjson::Value fields(rapidjson::kArrayType);
  for (const auto& c : a.columns) add_string(fields, "left." + c, d);
  for (const auto& c : b.columns) add_string(fields, "right." + c, d);
  d.AddMember("fields", fields, alloc);
  auto result = actions.call("datastore_join", join);

  Html h;
  std::string title(tr(lang, "결합 미리보기", "Join preview"));
  h << "<nav aria-label=\"" << tr(lang, "현재 위치", "Breadcrumb") << "\" class=\"breadcrumb\"><ol>"
    << "<li><a href=\"/dataset\">" << tr(lang, "데이터 목록", "Datasets") << "</a></li>"
    << "<li><a href=\"/dataset/" << url_encode(a.package_id) << "\">" << snippet(a.name, 40)
    << "</a></li><li aria-current=\"page\">" << title << "</li></ol></nav>\n"
    << "<h1>" << title << "</h1>\n<p class=\"lead\">";
  auto named = [&](std::string_view letter, const Side& s) {
    h << "<strong>" << letter << "</strong> = <a href=\"/dataset/" << url_encode(s.package_id)
      << "\">" << s.name << "</a>";
  };
  named("A", a);
  h << ", ";
  named("B", b);
  h << ". ";
  if (within > 0)
    h << tr(lang, "두 데이터의 지점이 ", "Rows whose points lie within ")
      << std::int64_t(std::lround(within))
      << tr(lang, "m 안에 있는 행의 짝입니다.", " m of each other, paired.");
  else
    h << tr(lang, "A의 ", "Rows where A's ") << "<strong>" << on << "</strong>"
      << tr(lang, " 값과 B의 ", " equals B's ") << "<strong>" << other_on << "</strong>"
      << tr(lang, " 값이 같은 행의 짝입니다 (공백·하이픈·앞자리 0은 무시).",
            ", paired (spaces, hyphens and leading zeros ignored).");
  std::int64_t total = json_int(result, "total", -1);
  if (total >= 0)
    h << " " << tr(lang, "전체 ", "") << format_count(total)
      << tr(lang, "쌍 중 앞의 ", " pairs in all; the first ") << std::int64_t(kPairs)
      << tr(lang, "쌍을 보여 줍니다.", " are shown.");
  h << "</p>\n";

  const auto* rfields = json_array(result, "fields");
  const auto* records = json_array(result, "records");
  std::string caption(tr(lang, "결합된 행의 짝", "Joined pairs of rows"));
  h << "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"" << caption
    << "\"><table class=\"rows join-preview\"><caption>" << caption << "</caption><thead><tr>";
  std::vector<std::string> ids;
  if (rfields)
    for (const auto& f : rfields->GetArray()) {
      std::string id = json_str(f, "id");
      ids.push_back(id);
      std::string label = id.rfind("left.", 0) == 0    ? "A · " + id.substr(5)
                          : id.rfind("right.", 0) == 0 ? "B · " + id.substr(6)
                          : id == "distance_m" ? std::string(tr(lang, "거리(m)", "Distance (m)"))
                                               : id;
      h << "<th scope=\"col\">" << label << "</th>";
    }
  h << "</tr></thead><tbody>";
  if (records)
    for (const auto& r : records->GetArray()) {
      h << "<tr>";
      for (const auto& id : ids) {
        const auto* v = json_member(r, id.c_str());
        if (!v || v->IsNull()) {
          h << "<td class=\"null\"></td>";
        } else if (id == "distance_m" && v->IsNumber()) {
          h << "<td class=\"num\">" << std::int64_t(std::lround(v->GetDouble())) << "</td>";
        } else {
          h << "<td>" << snippet(scalar_text(*v), 80) << "</td>";
        }
      }
      h << "</tr>";
    }
  h << "</tbody></table></div>\n";
  if (!records || records->Empty())
    h << "<p>" << tr(lang, "결합되는 행이 없습니다.", "No rows pair up.") << "</p>\n";
  h << "<p>" << tr(lang, "전체 결과는 API로: ", "The whole result through the API: ")
    << "<code>datastore_join</code> (<a href=\"/api/docs\">"
    << tr(lang, "API 문서", "API documentation") << "</a>)</p>\n";

  PageSpec spec;
  spec.title = title;
  spec.description = title;
  spec.body = h.take();
  spec.active_nav = "dataset";
  PortalResponse out;
  out.body = render_page(ctx, spec);
  return out;
}

}  // namespace datamap::api::portal

// The quality scoreboard pages (issue 15 item 4, docs/QUALITY.md): /quality ranks the agencies,
// /organization/{name}/quality is one agency's scoreboard. Both read the actions the API serves
// (quality_overview, organization_quality_show) and show numbers as text and tables, so a screen
// reader hears the same thing a sighted reader sees.
#include <cstdio>

#include "api/portal/html.h"
#include "api/portal/layout.h"
#include "api/portal/pages.h"
#include "api/portal/partials.h"
#include "api/portal/quality_trend.h"

namespace datamap::api::portal {
namespace {

constexpr const char* kRatings[] = {"excellent", "good", "sufficient", "bad"};
constexpr std::int64_t kAgenciesPerPage = 100;

std::string percent_text(double p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", p);
  return buf;
}

void rating_badge(Html& h, Lang lang, const std::string& rating) {
  h << "<span class=\"badge badge-quality badge-quality-" << rating << "\">"
    << quality_rating_label(lang, rating) << "</span>";
}

// The totals every scoreboard shows: datasets, mean score, the four ratings, overdue updates,
// broken links and the error rate of the loaded resources.
void totals(Html& h, Lang lang, const rapidjson::Value& v) {
  h << "<dl class=\"stat-list small\"><div><dt>" << tr(lang, "평가 데이터", "Datasets scored")
    << "</dt><dd>" << format_count(json_int(v, "datasets")) << "</dd></div><div><dt>"
    << tr(lang, "평균 점수", "Mean score") << "</dt><dd>"
    << percent_text(json_num(v, "mean_percent")) << "</dd></div>";
  const rapidjson::Value* dist = json_member(v, "distribution");
  for (const char* r : kRatings)
    h << "<div><dt>" << quality_rating_label(lang, r) << "</dt><dd>"
      << format_count(dist ? json_int(*dist, r) : 0) << "</dd></div>";
  h << "<div><dt>" << tr(lang, "갱신 지연", "Overdue updates") << "</dt><dd>"
    << format_count(json_int(v, "overdue")) << "</dd></div><div><dt>"
    << tr(lang, "끊긴 링크", "Broken links") << "</dt><dd>"
    << format_count(json_int(v, "broken_links")) << "</dd></div><div><dt>"
    << tr(lang, "데이터 오류율", "Data error rate") << "</dt><dd>"
    << error_rate_text(json_num(v, "error_rate")) << " ("
    << format_count(json_int(v, "invalid_values")) << " / "
    << format_count(json_int(v, "checked_values")) << tr(lang, "값", " values")
    << ")</dd></div></dl>\n";
}

// The ranking's orders (quality_overview's `sort`), with their column captions.
struct SortChoice {
  const char* id;
  const char* ko;
  const char* en;
};
constexpr SortChoice kSorts[] = {
    {"score", "평균 점수가 높은 기관부터", "Highest mean score first"},
    {"error_rate", "데이터 오류율이 높은 기관부터", "Highest data error rate first"},
    {"broken_links", "끊긴 링크가 많은 기관부터", "Most broken links first"}};

PortalResponse render(const PageContext& ctx, std::string title, Html& h) {
  PageSpec spec;
  spec.title = std::move(title);
  spec.body = h.take();
  spec.active_nav = "organization";
  PortalResponse r;
  r.body = render_page(ctx, spec);
  return r;
}

// The agency's datasets with broken links, most first, each link named.
void broken_links_section(Html& h, Lang lang, const rapidjson::Value& board) {
  h << "<section aria-labelledby=\"broken\"><h2 id=\"broken\">"
    << tr(lang, "끊긴 링크", "Broken links") << "</h2>\n";
  const rapidjson::Value* broken = json_array(board, "broken");
  if (!broken || broken->Empty()) {
    h << "<p>"
      << tr(lang, "마지막 점검에서 끊긴 링크가 없습니다.", "No link failed its last check.")
      << "</p></section>\n";
    return;
  }
  h << "<ol class=\"cards\">\n";
  for (const auto& b : broken->GetArray()) {
    h << "<li class=\"card\"><h3 class=\"card-title\"><a href=\"/dataset/"
      << url_encode(json_str(b, "name")) << "\">" << json_str(b, "title", json_str(b, "name"))
      << "</a></h3><p class=\"card-meta\">" << tr(lang, "끊긴 링크 ", "Broken links: ")
      << json_int(b, "broken_links") << "</p><ul>";
    if (const auto* links = json_array(b, "links"))
      for (const auto& l : links->GetArray())
        h << "<li>"
          << (json_str(l, "resource_id").empty() ? tr(lang, "목록 URL: ", "Landing page: ")
                                                 : tr(lang, "리소스 URL: ", "Resource URL: "))
          << "<code>" << snippet(json_str(l, "url"), 120) << "</code></li>";
    h << "</ul></li>\n";
  }
  h << "</ol></section>\n";
}

// The agency's loaded resources, highest error rate first, linked to their reports.
void error_rates_section(Html& h, Lang lang, const rapidjson::Value& board) {
  h << "<section aria-labelledby=\"error-rates\"><h2 id=\"error-rates\">"
    << tr(lang, "오류율이 높은 데이터", "Highest data error rates") << "</h2>\n";
  const rapidjson::Value* rates = json_array(board, "error_rates");
  if (!rates || rates->Empty()) {
    h << "<p>" << tr(lang, "검증된 데이터가 없습니다.", "No loaded data validated yet.")
      << "</p></section>\n";
    return;
  }
  h << table_scroll_open(tr(lang, "오류율", "Error rates")) << "<table><caption>"
    << tr(lang, "오류율이 높은 리소스부터", "Highest error rate first")
    << "</caption><thead><tr><th scope=\"col\">" << tr(lang, "데이터", "Dataset")
    << "</th><th scope=\"col\">" << tr(lang, "리소스", "Resource") << "</th><th scope=\"col\">"
    << tr(lang, "오류율", "Error rate") << "</th><th scope=\"col\">"
    << tr(lang, "오류 값 / 검사한 값", "Invalid / checked values") << "</th><th scope=\"col\">"
    << tr(lang, "오류 행", "Failing rows") << "</th></tr></thead><tbody>\n";
  for (const auto& r : rates->GetArray())
    h << "<tr><td><a href=\"/dataset/" << url_encode(json_str(r, "package_name")) << "\">"
      << json_str(r, "package_title", json_str(r, "package_name")) << "</a></td><th scope=\"row\">"
      << json_str(r, "resource_name", json_str(r, "resource_id")) << "</th><td>"
      << error_rate_text(json_num(r, "error_rate")) << "</td><td>"
      << format_count(json_int(r, "invalid_values")) << " / "
      << format_count(json_int(r, "checked_values")) << "</td><td><a href=\"/datastore/validation/"
      << url_encode(json_str(r, "resource_id")) << "\" download>"
      << format_count(json_int(r, "failing_rows")) << " (CSV)</a></td></tr>\n";
  h << "</tbody></table></div></section>\n";
}

}  // namespace

static std::string_view problem_label(Lang lang, const std::string& kind) {
  struct Label {
    const char* kind;
    const char* ko;
    const char* en;
  };
  static const Label kLabels[] = {
      {"out_of_korea", "국내 범위 밖 좌표", "Coordinates outside Korea"},
      {"not_a_number", "숫자가 아님", "Not a number"},
      {"date_format", "날짜 형식 오류", "Date format"},
      {"phone_format", "전화번호 형식 오류", "Phone format"},
      {"code_format", "코드 길이·자릿수 오류", "Code length or digits"},
      {"check_digit", "검증번호 불일치", "Check digit"},
      {"not_allowed", "허용값 아님", "Not an allowed value"},
      {"too_long", "길이 초과", "Too long"},
      {"inconsistent_code", "같은 코드의 다른 표기", "Same code written differently"},
      {"email_format", "이메일 형식 오류", "E-mail format"},
      {"url_format", "URL 형식 오류", "URL format"}};
  for (const auto& l : kLabels)
    if (kind == l.kind) return lang == Lang::en ? l.en : l.ko;
  return kind;
}

void validation_section(Html& h, Lang lang, const rapidjson::Value& pkg) {
  const auto* resources = json_array(pkg, "resources");
  if (!resources) return;
  bool opened = false;
  for (const auto& r : resources->GetArray()) {
    const rapidjson::Value* v = json_member(r, "validation");
    if (!v || !v->IsObject()) continue;
    if (!opened) {
      h << "<section aria-labelledby=\"validation-h\"><h2 id=\"validation-h\">"
        << tr(lang, "데이터 검증", "Data validation") << "</h2>\n";
      opened = true;
    }
    const std::string rid = json_str(r, "id");
    double rate = v->HasMember("error_rate") && (*v)["error_rate"].IsNumber()
                      ? (*v)["error_rate"].GetDouble()
                      : 0;
    char percent[32];
    std::snprintf(percent, sizeof percent, "%.2f%%", rate * 100);
    h << "<h3>" << json_str(r, "name", rid) << "</h3><p>" << tr(lang, "오류율 ", "Error rate ")
      << std::string(percent) << " (" << json_int(*v, "invalid_values") << " / "
      << json_int(*v, "checked_values") << tr(lang, "값", " values") << ") · "
      << tr(lang, "오류 행 ", "failing rows ") << json_int(*v, "failing_rows") << " · "
      << tr(lang, "중복 행 ", "duplicate rows ") << json_int(*v, "duplicate_rows") << " · "
      << tr(lang, "열 개수 불일치 행 ", "ragged rows ") << json_int(*v, "ragged_rows")
      << " · <a href=\"/datastore/validation/" << url_encode(rid) << "\" download>"
      << tr(lang, "오류 행 내려받기 (CSV)", "Download the failing rows (CSV)") << "</a></p>\n";
    const auto* cols = json_array(r, "columns");
    if (!cols) continue;
    bool table = false;
    for (const auto& c : cols->GetArray()) {
      const rapidjson::Value* cv = json_member(c, "validation");
      const rapidjson::Value* problems = cv ? json_array(*cv, "problems") : nullptr;
      if (!problems || problems->Empty()) continue;
      if (!table) {
        h << table_scroll_open(tr(lang, "컬럼별 검증 결과", "Validation by column"))
          << "<table><thead><tr><th scope=\"col\">" << tr(lang, "컬럼", "Column") << "</th><th scope=\"col\">" << tr(lang, "누락", "Missing")
          << "</th><th scope=\"col\">" << tr(lang, "오류", "Invalid") << "</th><th scope=\"col\">"
          << tr(lang, "정상", "Valid") << "</th><th scope=\"col\">"
          << tr(lang, "문제 (예: 행 번호 값)", "Problems (e.g. row value)")
          << "</th></tr></thead><tbody>";
        table = true;
      }
      h << "<tr><th scope=\"row\">" << json_str(c, "name") << "</th><td>"
        << json_int(*cv, "missing") << "</td><td>" << json_int(*cv, "invalid") << "</td><td>"
        << json_int(*cv, "valid") << "</td><td><ul>";
      for (const auto& p : problems->GetArray()) {
        h << "<li>" << problem_label(lang, json_str(p, "kind")) << " " << json_int(p, "count");
        if (const auto* ex = json_array(p, "examples"); ex && !ex->Empty())
          h << " (" << tr(lang, "예: ", "e.g. ") << json_int((*ex)[0], "row")
            << tr(lang, "행 ", ": ") << snippet(json_str((*ex)[0], "value"), 40) << ")";
        h << "</li>";
      }
      h << "</ul></td></tr>";
    }
    if (table) h << "</tbody></table></div>\n";
  }
  if (opened) h << "</section>\n";
}

void quality_section(Html& h, Lang lang, const rapidjson::Value& shown) {
  const rapidjson::Value* q = json_member(shown, "quality");
  if (!q || !q->IsObject()) return;
  h << "<section aria-labelledby=\"quality-h\"><h2 id=\"quality-h\">"
    << tr(lang, "메타데이터 품질", "Metadata quality") << "</h2><p>";
  rating_badge(h, lang, json_str(*q, "rating"));
  h << " " << json_int(*q, "score") << " / " << json_int(*q, "max") << tr(lang, "점", " points")
    << " (" << json_int(*q, "percent") << "%) · <a href=\"/quality#criteria\">"
    << tr(lang, "평가 기준", "Criteria") << "</a></p>\n";
  std::int64_t failed = 0;
  if (const auto* list = json_array(shown, "indicators"))
    for (const auto& i : list->GetArray())
      if (json_str(i, "outcome") == "failed") ++failed;
  if (failed > 0) {
    h << "<details><summary>" << tr(lang, "보완할 점 ", "To improve: ") << failed
      << tr(lang, "가지", "") << "</summary><ul>";
    for (const auto& i : json_array(shown, "indicators")->GetArray()) {
      if (json_str(i, "outcome") != "failed") continue;
      h << "<li><strong>" << json_str(i, lang == Lang::en ? "label_en" : "label") << "</strong> "
        << json_str(i, lang == Lang::en ? "fix_en" : "fix") << " <span class=\"count\">(−"
        << json_int(i, "weight") << tr(lang, "점", " points") << ")</span></li>";
    }
    h << "</ul></details>\n";
  }
  h << "</section>\n";
}

PortalResponse quality_overview_page(const PageContext& ctx, ActionClient& actions) {
  const Lang lang = ctx.lang;
  const SortChoice* sort = &kSorts[0];
  for (const auto& c : kSorts)
    if (ctx.param("sort") == c.id) sort = &c;
  rapidjson::Document board =
      actions.call("quality_overview", ActionParams().num("limit", 100000).str("sort", sort->id));
  Html h;
  h << "<h1>" << tr(lang, "기관별 메타데이터 품질", "Metadata quality by agency")
    << "</h1>\n<p class=\"lead\">"
    << tr(lang, "공개 데이터 목록의 메타데이터를 기준에 따라 채점한 결과입니다. ",
          "Every public dataset's metadata scored against the criteria. ")
    << "<a href=\"/quality#criteria\">" << tr(lang, "평가 기준", "Criteria") << "</a> · "
    << tr(lang, "평가일 ", "Scored on ") << json_str(board, "scored_on") << "</p>\n";
  h << "<section aria-labelledby=\"national\"><h2 id=\"national\">"
    << tr(lang, "전체", "Nationwide") << "</h2>\n";
  totals(h, lang, board);
  h << "</section>\n";
  quality_history_section(h, lang, board);
  const rapidjson::Value* agencies = json_array(board, "agencies");
  const std::int64_t total = agencies ? agencies->Size() : 0;
  std::int64_t page = 1;
  try {
    page = std::max<long long>(1, std::stoll(ctx.param("page")));
  } catch (const std::exception&) {
  }
  h << "<section aria-labelledby=\"ranking\"><h2 id=\"ranking\">"
    << tr(lang, "기관 순위", "Agency ranking") << "</h2>\n<p>" << tr(lang, "정렬: ", "Order: ");
  for (const auto& c : kSorts) {
    if (&c != &kSorts[0]) h << " · ";
    h << "<a href=\"/quality?sort=" << std::string(c.id) << "#ranking\"";
    if (&c == sort) h << " aria-current=\"true\"";
    h << ">" << tr(lang, c.ko, c.en) << "</a>";
  }
  h << "</p>\n"
    << table_scroll_open(tr(lang, "기관 순위", "Agency ranking")) << "<table><caption>"
    << tr(lang, sort->ko, sort->en)
    << "</caption><thead><tr><th scope=\"col\">" << tr(lang, "순위", "Rank")
    << "</th><th scope=\"col\">" << tr(lang, "기관", "Agency") << "</th><th scope=\"col\">"
    << tr(lang, "데이터", "Datasets") << "</th><th scope=\"col\">"
    << tr(lang, "평균 점수", "Mean score") << "</th>";
  for (const char* r : kRatings)
    h << "<th scope=\"col\">" << quality_rating_label(lang, r) << "</th>";
  h << "<th scope=\"col\">" << tr(lang, "갱신 지연", "Overdue") << "</th><th scope=\"col\">"
    << tr(lang, "끊긴 링크", "Broken links") << "</th><th scope=\"col\">"
    << tr(lang, "데이터 오류율", "Data error rate") << "</th></tr></thead><tbody>\n";
  for (std::int64_t i = (page - 1) * kAgenciesPerPage;
       agencies && i < total && i < page * kAgenciesPerPage; ++i) {
    const auto& a = (*agencies)[static_cast<rapidjson::SizeType>(i)];
    const rapidjson::Value* dist = json_member(a, "distribution");
    h << "<tr><td>" << json_int(a, "rank") << "</td><th scope=\"row\"><a href=\"/organization/"
      << url_encode(json_str(a, "name")) << "/quality\">" << display_title(a) << "</a></th><td>"
      << format_count(json_int(a, "datasets")) << "</td><td>"
      << percent_text(json_num(a, "mean_percent")) << "</td>";
    for (const char* r : kRatings)
      h << "<td>" << format_count(dist ? json_int(*dist, r) : 0) << "</td>";
    h << "<td>" << format_count(json_int(a, "overdue")) << "</td><td>"
      << format_count(json_int(a, "broken_links")) << "</td><td>"
      << error_rate_text(json_num(a, "error_rate")) << "</td></tr>\n";
  }
  h << "</tbody></table></div>\n";
  pager(h, ctx, page, total, kAgenciesPerPage);
  h << "</section>\n<section aria-labelledby=\"criteria\"><h2 id=\"criteria\">"
    << tr(lang, "평가 기준", "Criteria") << "</h2><p>"
    << tr(lang,
          "찾기 쉬움·접근성·상호운용성·재사용성·맥락 정보의 다섯 영역에서 항목별 점수를 더합니다. "
          "점수의 "
          "86.7% 이상은 우수, 54.6% 이상은 양호, 29.9% 이상은 보통, 그 아래는 미흡입니다. 링크 "
          "점검 전인 "
          "항목은 점수에서 빠집니다.",
          "Points per indicator in five dimensions: findability, accessibility, interoperability, "
          "reusability, contextuality. 86.7% of the points possible or more is excellent, 54.6% "
          "good, "
          "29.9% sufficient, less is poor. Indicators waiting for a link check are left out.")
    << "</p></section>\n";
  return render(ctx, std::string(tr(lang, "기관별 메타데이터 품질", "Metadata quality by agency")),
                h);
}

PortalResponse organization_quality_page(const PageContext& ctx, ActionClient& actions,
                                         const std::string& name) {
  const Lang lang = ctx.lang;
  rapidjson::Document board =
      actions.call("organization_quality_show", ActionParams().str("id", name).num("limit", 50));
  const rapidjson::Value* org = json_member(board, "organization");
  const std::string title = org ? display_title(*org) : name;
  const std::string slug = org ? json_str(*org, "name", name) : name;
  Html h;
  h << "<nav class=\"breadcrumb\" aria-label=\"" << tr(lang, "현재 위치", "Breadcrumb")
    << "\"><ol><li><a href=\"/\">" << tr(lang, "홈", "Home") << "</a></li><li><a href=\"/quality\">"
    << tr(lang, "메타데이터 품질", "Metadata quality") << "</a></li><li><a href=\"/organization/"
    << url_encode(slug) << "\">" << title << "</a></li><li aria-current=\"page\">"
    << tr(lang, "품질", "Quality") << "</li></ol></nav>\n<h1>" << title << " "
    << tr(lang, "메타데이터 품질", "metadata quality") << "</h1>\n<p class=\"lead\">";
  if (const auto* rank = json_member(board, "rank"); rank && rank->IsInt64())
    h << tr(lang, "전체 ", "Rank ") << rank->GetInt64() << " / "
      << json_int(board, "agencies_ranked") << tr(lang, "위", "");
  else
    h << tr(lang, "공개 데이터가 없어 순위에 없습니다", "Not ranked: no public datasets");
  h << " · " << tr(lang, "평가일 ", "Scored on ") << json_str(board, "scored_on") << "</p>\n";
  totals(h, lang, board);

  h << "<section aria-labelledby=\"failing\"><h2 id=\"failing\">"
    << tr(lang, "가장 많이 놓친 항목", "What its datasets miss most") << "</h2>\n";
  const rapidjson::Value* failing = json_array(board, "failing");
  if (!failing || failing->Empty()) {
    h << "<p>" << tr(lang, "놓친 항목이 없습니다.", "Nothing missed.") << "</p>\n";
  } else {
    h << table_scroll_open(tr(lang, "놓친 항목", "Missed indicators"))
      << "<table><thead><tr><th scope=\"col\">" << tr(lang, "항목", "Indicator") << "</th><th scope=\"col\">"
      << tr(lang, "해당 데이터", "Datasets") << "</th><th scope=\"col\">"
      << tr(lang, "고치는 방법", "How to fix") << "</th></tr></thead><tbody>\n";
    for (const auto& f : failing->GetArray())
      h << "<tr><th scope=\"row\">" << json_str(f, lang == Lang::en ? "label_en" : "label")
        << "</th><td>" << format_count(json_int(f, "datasets")) << "</td><td>"
        << json_str(f, lang == Lang::en ? "fix_en" : "fix") << "</td></tr>\n";
    h << "</tbody></table></div>\n";
  }
  h << "</section>\n<section aria-labelledby=\"worst\"><h2 id=\"worst\">"
    << tr(lang, "먼저 고칠 데이터", "Datasets to fix first") << "</h2>\n";
  const rapidjson::Value* worst = json_array(board, "worst");
  if (!worst || worst->Empty()) {
    h << "<p>" << tr(lang, "평가된 데이터가 없습니다.", "No datasets scored.") << "</p>\n";
  } else {
    h << "<ol class=\"cards\">\n";
    for (const auto& w : worst->GetArray()) {
      h << "<li class=\"card\"><h3 class=\"card-title\"><a href=\"/dataset/"
        << url_encode(json_str(w, "name")) << "\">" << json_str(w, "title", json_str(w, "name"))
        << "</a></h3><p class=\"card-meta\">";
      rating_badge(h, lang, json_str(w, "rating"));
      h << " " << json_int(w, "score") << " / " << json_int(w, "max") << tr(lang, "점", " points")
        << " (" << json_int(w, "percent") << "%)";
      if (json_bool(w, "overdue")) h << " · " << tr(lang, "갱신 지연", "Update overdue");
      h << "</p>";
      if (const auto* fixes = json_array(w, "fix"); fixes && !fixes->Empty()) {
        h << "<ul>";
        for (const auto& f : fixes->GetArray())
          h << "<li>" << json_str(f, lang == Lang::en ? "fix_en" : "fix")
            << " <span class=\"count\">(−" << json_int(f, "points_lost")
            << tr(lang, "점", " points") << ")</span></li>";
        h << "</ul>";
      }
      h << "</li>\n";
    }
    h << "</ol>\n";
  }
  h << "</section>\n";
  broken_links_section(h, lang, board);
  error_rates_section(h, lang, board);
  quality_history_section(h, lang, board);
  return render(ctx, title + " " + std::string(tr(lang, "메타데이터 품질", "metadata quality")), h);
}

}  // namespace datamap::api::portal

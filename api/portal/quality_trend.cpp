#include "api/portal/quality_trend.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include "api/portal/action_client.h"
#include "api/portal/partials.h"

namespace datamap::api::portal {
namespace {

std::string fixed(double v, int digits) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

// The mean score per day as a polyline on a 0–100 % scale.
void trend_svg(Html& h, Lang lang, const rapidjson::Value& history) {
  constexpr double kWidth = 360, kHeight = 140, kLeft = 36, kRight = 12, kTop = 12, kBottom = 28;
  const auto n = history.Size();
  auto x = [&](rapidjson::SizeType i) {
    return n <= 1 ? kLeft + (kWidth - kLeft - kRight) / 2
                  : kLeft + (kWidth - kLeft - kRight) * i / (n - 1);
  };
  auto y = [&](double percent) {
    return kTop + (kHeight - kTop - kBottom) * (1 - std::clamp(percent, 0.0, 100.0) / 100);
  };
  const auto& first = history[0];
  const auto& last = history[n - 1];
  const std::string summary =
      std::string(tr(lang, "평균 점수 추이: ", "Mean score over time: ")) +
      json_str(first, "date") + " " + fixed(json_num(first, "mean_percent"), 1) + "% → " +
      json_str(last, "date") + " " + fixed(json_num(last, "mean_percent"), 1) + "%";
  h << "<figure class=\"quality-trend\"><svg viewBox=\"0 0 " << fixed(kWidth, 0) << " "
    << fixed(kHeight, 0) << "\" role=\"img\" aria-label=\"" << summary << "\" focusable=\"false\">";
  for (int p : {0, 50, 100})
    h << "<line class=\"qt-grid\" x1=\"" << fixed(kLeft, 0) << "\" x2=\""
      << fixed(kWidth - kRight, 0) << "\" y1=\"" << fixed(y(p), 1) << "\" y2=\"" << fixed(y(p), 1)
      << "\"/><text x=\"" << fixed(kLeft - 4, 0) << "\" y=\"" << fixed(y(p) + 4, 1)
      << "\" text-anchor=\"end\">" << p << "%</text>";
  std::string points;
  for (rapidjson::SizeType i = 0; i < n; ++i) {
    if (!points.empty()) points += ' ';
    points += fixed(x(i), 1) + "," + fixed(y(json_num(history[i], "mean_percent")), 1);
  }
  if (n > 1) h << "<polyline class=\"qt-line\" points=\"" << points << "\"/>";
  for (rapidjson::SizeType i = 0; i < n; ++i)
    h << "<circle class=\"qt-point\" r=\"3\" cx=\"" << fixed(x(i), 1) << "\" cy=\""
      << fixed(y(json_num(history[i], "mean_percent")), 1) << "\"/>";
  h << "<text x=\"" << fixed(kLeft, 0) << "\" y=\"" << fixed(kHeight - 8, 0) << "\">"
    << json_str(first, "date") << "</text>";
  if (n > 1)
    h << "<text x=\"" << fixed(kWidth - kRight, 0) << "\" y=\"" << fixed(kHeight - 8, 0)
      << "\" text-anchor=\"end\">" << json_str(last, "date") << "</text>";
  h << "</svg></figure>\n";
}

}  // namespace

std::string error_rate_text(double rate) {
  // Small rates matter (the limit is 1 %): three decimals of a percent.
  return fixed(rate * 100, 3) + "%";
}

void quality_history_section(Html& h, Lang lang, const rapidjson::Value& board) {
  h << "<section aria-labelledby=\"history\"><h2 id=\"history\">"
    << tr(lang, "변화 추이", "Progress over time") << "</h2>\n";
  const rapidjson::Value* history = json_array(board, "history");
  if (!history || history->Empty()) {
    h << "<p>"
      << tr(lang, "아직 기록된 날이 없습니다. 점수는 하루에 한 번 기록됩니다.",
            "No day recorded yet: the scores are recorded once a day.")
      << "</p></section>\n";
    return;
  }
  trend_svg(h, lang, *history);
  h << table_scroll_open(tr(lang, "날짜별 기록", "Recorded days"))
    << "<table class=\"quality-history\"><caption>"
    << tr(lang, "날짜별 기록 (최근 날짜가 마지막)", "Recorded days (newest last)")
    << "</caption><thead><tr><th scope=\"col\">" << tr(lang, "날짜", "Date")
    << "</th><th scope=\"col\">" << tr(lang, "데이터", "Datasets") << "</th><th scope=\"col\">"
    << tr(lang, "평균 점수", "Mean score") << "</th><th scope=\"col\">"
    << quality_rating_label(lang, "excellent") << "</th><th scope=\"col\">"
    << quality_rating_label(lang, "bad") << "</th><th scope=\"col\">"
    << tr(lang, "끊긴 링크", "Broken links") << "</th><th scope=\"col\">"
    << tr(lang, "오류율", "Error rate") << "</th><th scope=\"col\">"
    << tr(lang, "갱신 지연", "Overdue") << "</th></tr></thead><tbody>\n";
  for (const auto& d : history->GetArray()) {
    const rapidjson::Value* dist = json_member(d, "distribution");
    h << "<tr><th scope=\"row\">" << json_str(d, "date") << "</th><td>"
      << format_count(json_int(d, "datasets")) << "</td><td>"
      << fixed(json_num(d, "mean_percent"), 1) << "%</td><td>"
      << format_count(dist ? json_int(*dist, "excellent") : 0) << "</td><td>"
      << format_count(dist ? json_int(*dist, "bad") : 0) << "</td><td>"
      << format_count(json_int(d, "broken_links")) << "</td><td>"
      << error_rate_text(json_num(d, "error_rate")) << "</td><td>"
      << format_count(json_int(d, "overdue")) << "</td></tr>\n";
  }
  h << "</tbody></table></div></section>\n";
}

}  // namespace datamap::api::portal

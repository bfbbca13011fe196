// The scoreboard's history over real HTTP (issue 15 item 4, docs/QUALITY.md): quality_snapshot
// with an injected day (no sleeping, no clock): two days show an agency's progress in
// organization_quality_show, quality_overview and the agency page; the same day twice is one
// entry with the later figures; `datamap quality snapshot` writes the same; bad input is a
// precise 4xx.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "tests/api/api_world.h"

namespace datamap::testing {
namespace {

struct Day {
  std::string date;
  std::int64_t datasets = 0;
  double mean = 0;
  std::int64_t bad = 0;
};

// The history of an action's result, oldest first as served.
std::vector<Day> history_of(const rapidjson::Value& result) {
  std::vector<Day> out;
  for (const auto& h : result["history"].GetArray())
    out.push_back({h["date"].GetString(), h["datasets"].GetInt64(), h["mean_percent"].GetDouble(),
                   h["distribution"]["bad"].GetInt64()});
  return out;
}

const Day* find_day(const std::vector<Day>& days, const std::string& date) {
  for (const auto& d : days)
    if (d.date == date) return &d;
  return nullptr;
}

class QualityHistory : public ::testing::Test {
 protected:
  ApiWorld w;

  rapidjson::Document snapshot(const std::string& date) {
    return w.ok("quality_snapshot", R"({"date":")" + date + "\"}", w.sysadmin);
  }
};

TEST_F(QualityHistory, TwoSnapshotsOnTwoDaysShowTheAgencysProgress) {
  w.ok("package_create", R"({"name":"h-parking","title":"주차장","owner_org":"agency-a"})",
       w.sysadmin);
  auto first = snapshot("2026-01-05");
  EXPECT_STREQ(first["result"]["date"].GetString(), "2026-01-05");
  EXPECT_EQ(first["result"]["datasets"].GetInt(), 1);
  EXPECT_EQ(first["result"]["distribution"]["bad"].GetInt(), 1);

  // The agency describes its dataset properly; the next day's snapshot records it.
  w.ok("package_patch", R"({"id":"h-parking","tags":["주차장"],"groups":["transport"],
       "notes":"서울시 공영주차장의 위치, 주차면수, 요금과 운영시간을 담았습니다.",
       "spatial":"서울특별시","temporal":"2020/2022","license_id":"KOGL-1",
       "maintainer":"교통정책과","issued":"2020-01-01","modified":"2022-12-31",
       "frequency":"연간","next_update":"2999-12-31",
       "extras":{"access_rights":"PUBLIC","rights":"출처: 서울특별시"}})",
       w.sysadmin);
  snapshot("2026-01-06");

  auto board = w.ok("organization_quality_show", R"({"id":"agency-a"})");
  std::vector<Day> days = history_of(board["result"]);
  for (std::size_t i = 1; i < days.size(); ++i) EXPECT_LT(days[i - 1].date, days[i].date);
  const Day* before = find_day(days, "2026-01-05");
  const Day* after = find_day(days, "2026-01-06");
  ASSERT_TRUE(before && after) << "history: " << days.size() << " days";
  EXPECT_EQ(before->datasets, 1);
  EXPECT_EQ(after->datasets, 1);
  EXPECT_EQ(before->bad, 1);
  EXPECT_EQ(after->bad, 0);
  EXPECT_GT(after->mean, before->mean + 20) << before->mean << " -> " << after->mean;
  // Today's live figure is what the newest snapshot of the same catalog says.
  EXPECT_DOUBLE_EQ(board["result"]["mean_percent"].GetDouble(), after->mean);

  // The nation's history records the same days; agency-b had nothing public, so it has none.
  auto overview = w.ok("quality_overview", "{}");
  std::vector<Day> national = history_of(overview["result"]);
  ASSERT_TRUE(find_day(national, "2026-01-05") && find_day(national, "2026-01-06"));
  EXPECT_EQ(find_day(national, "2026-01-06")->mean, after->mean);
  auto b = w.ok("organization_quality_show", R"({"id":"agency-b"})");
  EXPECT_FALSE(find_day(history_of(b["result"]), "2026-01-05"));

  // history_limit bounds it to the newest days.
  auto one = w.ok("organization_quality_show", R"({"id":"agency-a","history_limit":1})");
  ASSERT_EQ(one["result"]["history"].Size(), 1u);
  EXPECT_EQ(std::string(one["result"]["history"][0]["date"].GetString()), days.back().date);

  // The agency page draws it: a line with a spoken summary, and the table of the days.
  HttpReply page = w.http.get("/organization/agency-a/quality");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<h2 id=\"history\">변화 추이</h2>"), std::string::npos);
  EXPECT_NE(page.body.find("role=\"img\" aria-label=\"평균 점수 추이: "), std::string::npos);
  EXPECT_NE(page.body.find("<th scope=\"row\">2026-01-05</th>"), std::string::npos);
  EXPECT_LT(page.body.find("<th scope=\"row\">2026-01-05</th>"),
            page.body.find("<th scope=\"row\">2026-01-06</th>"));
  EXPECT_NE(w.http.get("/quality").body.find("<th scope=\"row\">2026-01-06</th>"),
            std::string::npos);
}

TEST_F(QualityHistory, TheSameDayTwiceIsOneEntryWithTheLaterFigures) {
  w.dataset("d-one", "agency-a");
  snapshot("2026-02-01");
  w.dataset("d-two", "agency-a");
  auto again = snapshot("2026-02-01");
  EXPECT_EQ(again["result"]["datasets"].GetInt(), 2);
  auto board = w.ok("organization_quality_show", R"({"id":"agency-a"})");
  int entries = 0;
  for (const auto& d : history_of(board["result"]))
    if (d.date == "2026-02-01") {
      ++entries;
      EXPECT_EQ(d.datasets, 2);
    }
  EXPECT_EQ(entries, 1);
}

TEST_F(QualityHistory, TheCommandLineTakesTheSameSnapshot) {
  w.dataset("cli-one", "agency-a");
  CliResult r =
      run_datamap({"quality", "snapshot", "--data", w.server.data_dir(), "--date", "2026-03-01"});
  ASSERT_EQ(r.exit_code, 0) << r.output << r.errors;
  EXPECT_NE(r.output.find("quality snapshot of 2026-03-01: 1 agencies, 1 datasets"),
            std::string::npos)
      << r.output;
  auto board = w.ok("organization_quality_show", R"({"id":"agency-a"})");
  const auto days = history_of(board["result"]);
  ASSERT_TRUE(find_day(days, "2026-03-01"));
  EXPECT_EQ(find_day(days, "2026-03-01")->datasets, 1);

  CliResult bad =
      run_datamap({"quality", "snapshot", "--data", w.server.data_dir(), "--date", "2026-02-30"});
  EXPECT_NE(bad.exit_code, 0);
}

TEST_F(QualityHistory, BadInputIsAPrecise4xxAndOnlyASysadminTakesSnapshots) {
  w.dataset("bad-one", "agency-a");
  auto post = [&](const std::string& body, const std::string& token) {
    return w.http.action("quality_snapshot", body, token);
  };
  EXPECT_EQ(post(R"({"date":"2026-01-01"})", "").status, 403);
  EXPECT_EQ(post(R"({"date":"2026-01-01"})", w.admin_a).status, 403);
  for (const char* date : {"2026-13-01", "2026-02-30", "yesterday", "2026-1-1", "20260101",
                           "2999-01-01", "2026-01-01T00:00:00", "<script>"}) {
    HttpReply r = post(std::string(R"({"date":")") + date + "\"}", w.sysadmin);
    EXPECT_EQ(r.status, 409) << date << ": " << r.body;
    EXPECT_NE(r.body.find("\"date\""), std::string::npos) << r.body;
  }
  EXPECT_EQ(post(R"({"date":17})", w.sysadmin).status / 100, 4);
  EXPECT_EQ(w.http.get("/api/3/action/quality_snapshot").status, 405);
  EXPECT_EQ(w.http.action("quality_overview", R"({"sort":"name"})").status, 409);
  EXPECT_EQ(
      w.http.action("organization_quality_show", R"({"id":"agency-a","history_limit":100000})")
          .status,
      409);
  // Nothing was recorded by the refused calls, and the server is alive.
  auto board = w.ok("organization_quality_show", R"({"id":"agency-a"})");
  EXPECT_FALSE(find_day(history_of(board["result"]), "2026-01-01"));
  EXPECT_EQ(w.http.get("/quality?sort=%3Cscript%3E").status, 200);
}

}  // namespace
}  // namespace datamap::testing

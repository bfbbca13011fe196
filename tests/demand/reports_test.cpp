// Error reports over real HTTP: 대기 → 접수 → 통지, moved only by the publishing agency's
// editors and admins (or a sysadmin); the reporter is told of each step through the outbox.
#include <gtest/gtest.h>

#include <string>

#include "tests/api/api_world.h"

namespace datamap::testing {
namespace {

std::string str(const rapidjson::Value& v, const char* key) {
  return v.HasMember(key) && v[key].IsString() ? v[key].GetString() : "";
}

// On both catalogs (on PostgreSQL the reports are in the shared database).
class ErrorReportsOnBoth : public ::testing::TestWithParam<Backend> {};
DATAMAP_STORE_BACKENDS(ErrorReportsOnBoth);

TEST_P(ErrorReportsOnBoth, MoveFromPendingToAcceptedToNotifiedByThePublishingAgencyOnly) {
  ApiWorld w(GetParam());
  std::string citizen = w.server.add_user("citizen");
  w.dataset("bus-stops", "agency-a");
  w.dataset("libraries", "agency-b");
  EXPECT_EQ(w.http
                .action("issue_report_create",
                        R"({"package_id":"bus-stops","kind":"broken_link","description":"x"})")
                .status,
            403);  // anonymous
  auto created = w.ok(
      "issue_report_create",
      R"({"package_id":"bus-stops","kind":"wrong_values","description":"좌표가 바다 위에 있습니다"})",
      citizen);
  std::string id = str(created["result"], "id");
  EXPECT_EQ(str(created["result"], "status"), "pending");
  EXPECT_EQ(str(created["result"], "status_label"), "대기");
  EXPECT_FALSE(str(created["result"], "deadline").empty());

  const std::string accept = R"({"id":")" + id + R"("})";
  for (const std::string* t : {&w.editor_b, &w.member_a, &citizen})
    EXPECT_EQ(w.http.action("issue_report_update", accept, *t).status, 403);
  EXPECT_EQ(w.http.action("issue_report_update", accept, "").status, 403);
  // 통지 needs 접수 first.
  EXPECT_EQ(w.http
                .action("issue_report_close", R"({"id":")" + id + R"(","answer":"고쳤습니다"})",
                        w.admin_a)
                .status,
            409);
  auto accepted = w.ok("issue_report_update", accept, w.editor_a);
  EXPECT_EQ(str(accepted["result"], "status"), "accepted");
  EXPECT_FALSE(str(accepted["result"], "accepted_at").empty());

  const std::string close = R"({"id":")" + id + R"(","answer":"좌표를 고쳤습니다"})";
  EXPECT_EQ(w.http.action("issue_report_close", close, w.editor_b).status, 403);
  EXPECT_EQ(w.http.action("issue_report_close", close, "").status, 403);
  EXPECT_EQ(w.http.action("issue_report_close", R"({"id":")" + id + R"("})", w.admin_a).status,
            409);  // an answer is required
  auto notified = w.ok("issue_report_close", close, w.admin_a);
  EXPECT_EQ(str(notified["result"], "status"), "notified");
  EXPECT_EQ(str(notified["result"], "status_label"), "통지");
  EXPECT_EQ(w.http.action("issue_report_close", close, w.admin_a).status, 409);

  // The reporter heard of 접수 and 통지, with the answer.
  auto mine = w.ok("notification_list", "{}", citizen);
  ASSERT_EQ(mine["result"]["count"].GetInt64(), 2);
  EXPECT_EQ(str(mine["result"]["results"][0], "body"), "좌표를 고쳤습니다");
  EXPECT_EQ(mine["result"]["unread"].GetInt64(), 2);
  w.ok("notification_mark_read", "{}", citizen);
  EXPECT_EQ(w.ok("notification_list", "{}", citizen)["result"]["unread"].GetInt64(), 0);

  // A sysadmin may handle any agency's report.
  auto other =
      w.ok("issue_report_create",
           R"({"package_id":"libraries","kind":"outdated","description":"2019년 자료"})", citizen);
  w.ok("issue_report_update", R"({"id":")" + str(other["result"], "id") + R"("})", w.sysadmin);

  // The agency's open reports.
  auto open_a = w.ok("issue_report_list", R"({"organization":"agency-a","status":"open"})");
  EXPECT_EQ(open_a["result"]["count"].GetInt64(), 0);
  auto open_b = w.ok("issue_report_list", R"({"organization":"agency-b","status":"open"})");
  EXPECT_EQ(open_b["result"]["count"].GetInt64(), 1);

  // Each dataset's reports count in the demand ranking.
  auto ranking = w.ok("demand_ranking", "{}");
  int seen = 0;
  for (const auto& r : ranking["result"]["results"].GetArray())
    if (str(r, "name") == "bus-stops" || str(r, "name") == "libraries") {
      ++seen;
      EXPECT_EQ(r["counts"]["error_reports"].GetInt64(), 1) << str(r, "name");
    }
  EXPECT_EQ(seen, 2);
}

TEST_P(ErrorReportsOnBoth, BadReportsAreRefusedPrecisely) {
  ApiWorld w(GetParam());
  std::string citizen = w.server.add_user("citizen");
  w.dataset("bus-stops", "agency-a");
  w.dataset("secret-a", "agency-a", true);
  auto report = [&](const std::string& body) {
    return w.http.action("issue_report_create", body, citizen);
  };
  auto kind = report(R"({"package_id":"bus-stops","kind":"ugly","description":"x"})");
  EXPECT_EQ(kind.status, 409);
  EXPECT_TRUE(kind.json()["error"].HasMember("kind")) << kind.body;
  EXPECT_EQ(report(R"({"package_id":"bus-stops","kind":"other","description":""})").status, 409);
  EXPECT_EQ(
      report(
          R"({"package_id":"bus-stops","kind":"other","description":"x","resource_id":"not-its-resource"})")
          .status,
      409);
  // A dataset the reporter may not see is as unknown as one that does not exist.
  EXPECT_EQ(report(R"({"package_id":"secret-a","kind":"other","description":"x"})").status, 404);
  EXPECT_EQ(report(R"({"package_id":"nowhere","kind":"other","description":"x"})").status, 404);
  EXPECT_EQ(w.http.action("issue_report_show", R"({"id":"nope"})").status, 404);
  // The agency's member sees the private dataset, and may report on it.
  EXPECT_EQ(w.http
                .action("issue_report_create",
                        R"({"package_id":"secret-a","kind":"other","description":"내부 검토"})",
                        w.member_a)
                .status,
            200);
}

}  // namespace
}  // namespace datamap::testing

// The /requests pages as a signed-in browser uses them: file a request through the form, vote
// and comment from its page; forms without the session's CSRF field or without a session change
// nothing; the agency's console lists what it has to answer, with deadlines.
#include <gtest/gtest.h>

#include <string>

#include "tests/api/api_world.h"
#include "tests/api/console_browser.h"

namespace datamap::testing {
namespace {

std::string location_id(const HttpReply& r) {
  std::string loc = r.header("location");
  return loc.rfind("/requests/", 0) == 0 ? loc.substr(10) : "";
}

TEST(RequestPages, SignedInCitizenFilesVotesAndCommentsThroughTheForms) {
  ApiWorld w;
  std::string citizen = w.server.add_user("citizen");
  ConsoleBrowser browser(w.server.url());
  ASSERT_EQ(browser.sign_in(citizen).status, 303);

  auto form = browser.get("/requests/new");
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("name=\"title\""), std::string::npos);
  // The live list of similar requests: an empty polite region the page's own script fills while
  // the title is typed (no inline script); without script the form is as before.
  EXPECT_NE(form.body.find("<div id=\"title-similar\" class=\"suggest\" aria-live=\"polite\""),
            std::string::npos);
  EXPECT_NE(form.body.find("<script src=\"/static/request_similar.js"), std::string::npos);
  EXPECT_EQ(form.body.find("<script>"), std::string::npos);
  const std::string csrf = browser.csrf();
  ASSERT_FALSE(csrf.empty());
  auto filed = browser.post("/requests/new", "csrf=" + url_encode(csrf) +
                                                 "&title=" + url_encode("하천 수위 실시간 관측") +
                                                 "&purpose=research&organization=agency-a");
  ASSERT_EQ(filed.status, 303) << filed.body;
  std::string id = location_id(filed);
  ASSERT_FALSE(id.empty());

  // Nearly the same title again: the form shows the first request before filing anything.
  browser.get("/requests/new");
  auto similar = browser.post("/requests/new", "csrf=" + url_encode(browser.csrf()) + "&title=" +
                                                   url_encode("하천 수위 실시간 관측 자료"));
  EXPECT_EQ(similar.status, 200);
  EXPECT_NE(similar.body.find("/requests/" + id), std::string::npos);
  EXPECT_NE(similar.body.find("name=\"confirm\""), std::string::npos);
  EXPECT_EQ(w.ok("datarequest_list", "{}")["result"]["count"].GetInt64(), 1);
  // A title too long is answered on the form, field by field.
  std::string long_title(201, 'x');
  auto invalid = browser.post(
      "/requests/new", "csrf=" + url_encode(browser.csrf()) + "&confirm=1&title=" + long_title);
  EXPECT_EQ(invalid.status, 409);
  EXPECT_NE(invalid.body.find("aria-invalid=\"true\""), std::string::npos);

  auto page = browser.get("/requests/" + id);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("하천 수위 실시간 관측"), std::string::npos);
  EXPECT_NE(page.body.find("/requests/" + id + "/vote"), std::string::npos);
  auto voted = browser.post("/requests/" + id + "/vote", "csrf=" + url_encode(browser.csrf()));
  EXPECT_EQ(voted.status, 303);
  browser.get("/requests/" + id);
  auto commented = browser.post(
      "/requests/" + id + "/comment",
      "csrf=" + url_encode(browser.csrf()) + "&comment=" + url_encode("<b>굵게</b> 부탁합니다"));
  EXPECT_EQ(commented.status, 303);
  auto shown = w.ok("datarequest_show", R"({"id":")" + id + R"("})");
  EXPECT_EQ(shown["result"]["votes"].GetInt64(), 1);
  ASSERT_EQ(shown["result"]["comments"].Size(), 1u);
  auto again = browser.get("/requests/" + id);
  EXPECT_NE(again.body.find("&lt;b&gt;굵게&lt;/b&gt;"), std::string::npos);
  EXPECT_EQ(again.body.find("<b>굵게"), std::string::npos);

  // Without the CSRF field, from another site, or without a session: nothing changes.
  EXPECT_EQ(browser.post("/requests/" + id + "/comment", "comment=x").status, 403);
  EXPECT_EQ(
      browser
          .post("/requests/" + id + "/comment", "csrf=" + url_encode(browser.csrf()) + "&comment=x",
                {{"Origin", "https://evil.example"}})
          .status,
      403);
  HttpClient anonymous(w.server.url());
  EXPECT_EQ(anonymous
                .post("/requests/" + id + "/comment", "comment=x",
                      {{"Content-Type", "application/x-www-form-urlencoded"}})
                .status,
            303);
  EXPECT_EQ(w.ok("datarequest_show", R"({"id":")" + id + R"("})")["result"]["comments"].Size(), 1u);

  // The list page filters; the agency's console shows the request with its deadline.
  auto list = anonymous.get("/requests?status=open&organization=agency-a&q=" + url_encode("수위"));
  EXPECT_EQ(list.status, 200);
  EXPECT_NE(list.body.find("/requests/" + id), std::string::npos);
  auto none = anonymous.get("/requests?organization=agency-b");
  EXPECT_EQ(none.body.find("/requests/" + id), std::string::npos);
  ConsoleBrowser agency(w.server.url());
  ASSERT_EQ(agency.sign_in(w.admin_a).status, 303);
  auto console = agency.get("/console");
  EXPECT_NE(console.body.find("/requests/" + id), std::string::npos);

  // The in-portal notifications: the agency's answer reaches the requester's page.
  w.ok("datarequest_update", R"({"id":")" + id + R"(","status":"reviewing"})", w.admin_a);
  auto notes = browser.get("/notifications");
  EXPECT_EQ(notes.status, 200);
  EXPECT_NE(notes.body.find("검토중"), std::string::npos);
}

TEST(RequestPages, TheAgencyAnswersAndClosesFromTheRequestPageAndOthersCannot) {
  ApiWorld w;
  std::string citizen = w.server.add_user("citizen");
  auto filed = w.ok("datarequest_create", R"({"title":"가로등 위치","organization":"agency-a"})",
                    citizen);
  const std::string id = filed["result"]["id"].GetString();
  const std::string path = "/requests/" + id;
  w.dataset("streetlights", "agency-a");

  ConsoleBrowser other(w.server.url());
  ASSERT_EQ(other.sign_in(w.editor_b).status, 303);
  auto seen = other.get(path);
  EXPECT_EQ(seen.body.find(path + "/answer"), std::string::npos) << "no answer form for them";
  EXPECT_EQ(other.post(path + "/answer", "csrf=" + url_encode(other.csrf()) + "&status=reviewing")
                .status,
            403);

  ConsoleBrowser agency(w.server.url());
  ASSERT_EQ(agency.sign_in(w.admin_a).status, 303);
  auto page = agency.get(path);
  EXPECT_NE(page.body.find(path + "/answer"), std::string::npos);
  // 제공 예정 without its date: refused on the page itself, naming the field.
  auto no_date =
      agency.post(path + "/answer", "csrf=" + url_encode(agency.csrf()) + "&status=scheduled");
  EXPECT_EQ(no_date.status, 409);
  EXPECT_NE(no_date.body.find("scheduled_date"), std::string::npos);
  EXPECT_EQ(agency
                .post(path + "/answer", "csrf=" + url_encode(agency.csrf()) +
                                            "&status=scheduled&scheduled_date=2027-02-01&extend=true")
                .status,
            303);
  auto scheduled = w.ok("datarequest_show", R"({"id":")" + id + R"("})");
  EXPECT_STREQ(scheduled["result"]["status"].GetString(), "scheduled");
  EXPECT_TRUE(scheduled["result"]["extended"].GetBool());
  agency.get(path);
  EXPECT_EQ(agency
                .post(path + "/close", "csrf=" + url_encode(agency.csrf()) +
                                           "&outcome=provided&package_id=streetlights")
                .status,
            303);
  auto pkg = w.ok("package_show", R"({"id":"streetlights"})");
  ASSERT_EQ(pkg["result"]["datarequests"].Size(), 1u);
  auto closed = agency.get(path);
  EXPECT_EQ(closed.body.find(path + "/answer"), std::string::npos) << "closed: no answer form";
  EXPECT_NE(closed.body.find("/dataset/streetlights"), std::string::npos);
}

TEST(ReportPages, ACitizenReportsFromTheDatasetPageAndTheAgencyAnswersOnTheReportPage) {
  ApiWorld w;
  std::string citizen = w.server.add_user("citizen");
  w.dataset("bus-stops", "agency-a");
  HttpClient anonymous(w.server.url());
  EXPECT_NE(anonymous.get("/dataset/bus-stops").body.find("/reports/new?package=bus-stops"),
            std::string::npos);
  EXPECT_EQ(anonymous.get("/reports/new?package=no-such-dataset").status, 404);

  ConsoleBrowser browser(w.server.url());
  ASSERT_EQ(browser.sign_in(citizen).status, 303);
  ASSERT_EQ(browser.get("/reports/new?package=bus-stops").status, 200);
  auto filed = browser.post("/reports/new", "csrf=" + url_encode(browser.csrf()) +
                                                "&package=bus-stops&kind=outdated&description=" +
                                                url_encode("2019년 자료입니다"));
  ASSERT_EQ(filed.status, 303) << filed.body;
  const std::string path = filed.header("location");
  ASSERT_EQ(path.rfind("/reports/", 0), 0u);
  const std::string id = path.substr(9);

  ConsoleBrowser other(w.server.url());
  ASSERT_EQ(other.sign_in(w.editor_b).status, 303);
  EXPECT_EQ(other.get(path).body.find(path + "/accept"), std::string::npos);
  EXPECT_EQ(other.post(path + "/accept", "csrf=" + url_encode(other.csrf())).status, 403);

  ConsoleBrowser agency(w.server.url());
  ASSERT_EQ(agency.sign_in(w.editor_a).status, 303);
  EXPECT_NE(agency.get("/console").body.find(path), std::string::npos);
  agency.get(path);
  EXPECT_EQ(agency.post(path + "/accept", "csrf=" + url_encode(agency.csrf())).status, 303);
  agency.get(path);
  auto empty = agency.post(path + "/close", "csrf=" + url_encode(agency.csrf()) + "&answer=");
  EXPECT_EQ(empty.status, 409);
  EXPECT_NE(empty.body.find("answer"), std::string::npos);
  EXPECT_EQ(agency
                .post(path + "/close", "csrf=" + url_encode(agency.csrf()) + "&answer=" +
                                           url_encode("2024년 자료로 바꿨습니다"))
                .status,
            303);
  auto shown = w.ok("issue_report_show", R"({"id":")" + id + R"("})");
  EXPECT_STREQ(shown["result"]["status"].GetString(), "notified");
  EXPECT_NE(browser.get("/notifications").body.find("2024년 자료로 바꿨습니다"), std::string::npos);
}

}  // namespace
}  // namespace datamap::testing

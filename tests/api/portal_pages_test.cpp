// The portal's pages over real HTTP against a started `datamap serve`: status codes, escaping of
// hostile catalog text, caching of static files, the language switch, and the console's sign-in,
// CSRF guard, per-field validation messages and registration through the API's own actions.
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <thread>

#include "tests/api/api_world.h"
#include "tests/api/console_browser.h"

namespace datamap::testing {
namespace {

class PortalPages : public ::testing::Test {
 protected:
  ApiWorld w;

  // A browser signed in to the console with `token`.
  ConsoleBrowser signed_in(const std::string& token) {
    ConsoleBrowser b(w.server.url());
    HttpReply r = b.sign_in(token);
    EXPECT_EQ(r.status, 303) << r.body;
    EXPECT_NE(b.last_set_cookie().find("HttpOnly"), std::string::npos);
    EXPECT_NE(b.last_set_cookie().find("SameSite=Strict"), std::string::npos);
    return b;
  }
};

TEST_F(PortalPages, DatasetPageShowsHostileTextAsTextAndEmbedsJsonLdSafely) {
  w.ok("package_create",
       R"({"name":"hostile","title":"<script>alert(1)</script>","owner_org":"agency-a",
           "notes":"</script><!-- <img src=x onerror=alert(2)>","tags":["<b>t</b>"],
           "resources":[{"name":"\"><svg onload=alert(3)>","url":"https://example.org/a.csv","format":"CSV"}]})",
       w.sysadmin);
  HttpReply r = w.http.get("/dataset/hostile");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(r.body.find("<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>"), std::string::npos);
  EXPECT_EQ(r.body.find("<img"), std::string::npos);
  EXPECT_EQ(r.body.find("<svg onload"), std::string::npos);
  EXPECT_EQ(r.body.find("<b>t</b>"), std::string::npos);
  // Exactly one </script> per <script: the JSON-LD cannot close its element early.
  std::ptrdiff_t opens = 0, closes = 0;
  for (std::size_t p = 0; (p = r.body.find("<script", p)) != std::string::npos; ++p) ++opens;
  for (std::size_t p = 0; (p = r.body.find("</script", p)) != std::string::npos; ++p) ++closes;
  EXPECT_EQ(opens, closes);
  EXPECT_NE(r.body.find(R"("@type":"Dataset")"), std::string::npos);
  EXPECT_NE(r.body.find(R"(\u003cscript\u003ealert(1)\u003c/script\u003e)"), std::string::npos);
}

TEST_F(PortalPages, UnknownAndDeletedDatasetsAre404Pages) {
  HttpReply missing = w.http.get("/dataset/no-such-dataset");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(missing.body.find("페이지를 찾을 수 없습니다"), std::string::npos);
  w.dataset("gone-soon", "agency-a");
  EXPECT_EQ(w.http.get("/dataset/gone-soon").status, 200);
  w.ok("package_delete", R"({"id":"gone-soon"})", w.sysadmin);
  EXPECT_EQ(w.http.get("/dataset/gone-soon").status, 404);
}

TEST_F(PortalPages, OrganizationAndGroupPagesNameTheirEntity) {
  HttpReply org = w.http.get("/organization/agency-a");
  EXPECT_EQ(org.status == 200 || org.status == 503, true) << org.status;  // 503: search not enabled
  EXPECT_NE(org.body.find("<h1>가 기관</h1>"), std::string::npos);
  HttpReply list = w.http.get("/organization");
  EXPECT_EQ(list.status, 200);
  EXPECT_NE(list.body.find("/organization/agency-b"), std::string::npos);
  EXPECT_EQ(w.http.get("/organization/nobody").status, 404);
  HttpReply group = w.http.get("/group/transport");
  EXPECT_NE(group.body.find("<h1>교통물류</h1>"), std::string::npos);
}

TEST_F(PortalPages, StaticFilesAreCachedForAYearByVersionAndRevalidatedByEtag) {
  HttpReply home = w.http.get("/map");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(home.body, m, std::regex(R"re(href="(/static/portal\.css\?v=[0-9a-f]+)")re")));
  HttpReply css = w.http.get(m[1].str());
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.header("content-type"), "text/css; charset=utf-8");
  EXPECT_EQ(css.header("cache-control"), "public, max-age=31536000, immutable");
  std::string etag = css.header("etag");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(w.http.get("/static/portal.css", {{"If-None-Match", etag}}).status, 304);
  // The map libraries are ours to serve, copied from node_modules at build time: the treemap's
  // layout in a script tag, the graph library named for loading after the first render.
  ASSERT_TRUE(std::regex_search(home.body, m, std::regex(R"re(src="(/static/vendor/d3-hierarchy\.min\.js\?v=[0-9a-f]+)")re")));
  EXPECT_EQ(w.http.get(m[1].str()).status, 200);
  ASSERT_TRUE(std::regex_search(home.body, m, std::regex(R"re(data-later-scripts="(/static/vendor/cytoscape\.min\.js\?v=[0-9a-f]+) )re")));
  EXPECT_EQ(w.http.get(m[1].str()).status, 200);
  EXPECT_EQ(w.http.get("/static/no-such.css").status, 404);
  EXPECT_EQ(w.http.get("/static/%2e%2e/%2e%2e/datamap").status, 404);
}

TEST_F(PortalPages, EnglishIsOneClickAwayAndRemembered) {
  HttpReply en = w.http.get("/map?lang=en");
  EXPECT_NE(en.body.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_NE(en.body.find("National Data Map"), std::string::npos);
  EXPECT_NE(en.header("set-cookie").find("lang=en"), std::string::npos);
  HttpReply remembered = w.http.get("/map", {{"Cookie", "lang=en"}});
  EXPECT_NE(remembered.body.find("<html lang=\"en\">"), std::string::npos);
  HttpReply ko = w.http.get("/map");
  EXPECT_NE(ko.body.find("<html lang=\"ko\">"), std::string::npos);
  EXPECT_NE(ko.body.find("국가데이터맵"), std::string::npos);
}

TEST_F(PortalPages, ConsoleRefusesAnUnknownTokenAndSetsASecureCookieForAGoodOne) {
  ConsoleBrowser bad(w.server.url());
  HttpReply refused = bad.sign_in("dm_nope");
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("not valid"), std::string::npos);
  EXPECT_TRUE(session_cookie(bad).empty());
  ConsoleBrowser b = signed_in(w.editor_a);
  HttpReply dash = b.get("/console");
  EXPECT_EQ(dash.status, 200);
  EXPECT_NE(dash.body.find("editor_a"), std::string::npos);
  EXPECT_EQ(dash.header("cache-control"), "no-store");
}

TEST_F(PortalPages, ConsoleRegistersThroughPackageCreateWithPerFieldMessagesAndCsrf) {
  ConsoleBrowser b = signed_in(w.editor_a);
  // The form offers only the agencies this user may edit.
  HttpReply form = b.get("/console/dataset/new");
  EXPECT_NE(form.body.find(w.org_a_id), std::string::npos);
  EXPECT_EQ(form.body.find(w.org_b_id), std::string::npos);
  std::string csrf = url_encode(b.csrf());
  ASSERT_FALSE(csrf.empty());
  // Without the CSRF field: refused, nothing created.
  std::string fields = "title=" + url_encode("자전거 대여소") + "&name=bike-stations&owner_org=" + w.org_a_id;
  EXPECT_EQ(b.post("/console/dataset/new", fields).status, 403);
  EXPECT_EQ(w.http.get("/api/3/action/package_show?id=bike-stations").status, 404);
  // A bad name and resource URL: the API's messages appear beside those fields.
  HttpReply invalid =
      b.post("/console/dataset/new", "csrf=" + csrf + "&title=" + url_encode("자전거 대여소") +
                                         "&name=Bad+Name%21&owner_org=" + w.org_a_id +
                                         "&resource_url=ftp%3A%2F%2Fx");
  EXPECT_EQ(invalid.status, 409);
  EXPECT_NE(invalid.body.find("id=\"f-name-error\""), std::string::npos) << invalid.body;
  EXPECT_NE(invalid.body.find("id=\"f-resource_url-error\""), std::string::npos);
  EXPECT_NE(invalid.body.find("aria-invalid=\"true\""), std::string::npos);
  EXPECT_NE(invalid.body.find("value=\"자전거 대여소\""), std::string::npos);  // what was typed stays
  // Valid: created by package_create and redirected to its page.
  HttpReply created = b.post("/console/dataset/new", "csrf=" + csrf + "&" + fields +
                                                         "&tags=" + url_encode("자전거, 대여소"));
  EXPECT_EQ(created.status, 303) << created.body;
  EXPECT_EQ(created.header("location"), "/dataset/bike-stations");
  auto shown = w.ok("package_show", R"({"id":"bike-stations"})");
  EXPECT_STREQ(shown["result"]["title"].GetString(), "자전거 대여소");
  EXPECT_EQ(shown["result"]["tags"].Size(), 2u);
  // Edit (package_patch) and delete (package_delete) through the console.
  HttpReply edited = b.post(
      "/console/dataset/bike-stations/edit",
      "csrf=" + csrf + "&title=" + url_encode("공공자전거 대여소") + "&owner_org=" + w.org_a_id);
  EXPECT_EQ(edited.status, 303) << edited.body;
  EXPECT_STREQ(w.ok("package_show", R"({"id":"bike-stations"})")["result"]["title"].GetString(), "공공자전거 대여소");
  EXPECT_EQ(b.post("/console/dataset/bike-stations/delete", "csrf=" + csrf).status, 303);
  EXPECT_EQ(w.http.get("/dataset/bike-stations").status, 404);
}

TEST_F(PortalPages, AnotherAgencysEditorCannotEditThroughTheConsole) {
  w.dataset("a-owned", "agency-a");
  ConsoleBrowser b = signed_in(w.editor_b);
  b.get("/console");
  HttpReply r = b.post("/console/dataset/a-owned/edit",
                       "csrf=" + url_encode(b.csrf()) + "&title=hijacked&owner_org=" + w.org_a_id);
  EXPECT_EQ(r.status, 403);
  EXPECT_STRNE(w.ok("package_show", R"({"id":"a-owned"})")["result"]["title"].GetString(), "hijacked");
}

TEST_F(PortalPages, ConsoleShowsOnlyOwnHarvestSourcesAndTheirJobReports) {
  auto created = w.ok("harvest_source_create",
                      R"({"name":"a-feed","title":"가 기관 data.json","url":"http://127.0.0.1:9/data.json",
                          "source_type":"datajson","frequency":"MANUAL","owner_org":")" + w.org_a_id + R"("})",
                      w.editor_a);
  std::string source_id = created["result"]["id"].GetString();
  ConsoleBrowser a = signed_in(w.editor_a);
  EXPECT_NE(a.get("/console").body.find("가 기관 data.json"), std::string::npos);
  std::string csrf = a.csrf();
  ConsoleBrowser b = signed_in(w.editor_b);
  EXPECT_EQ(b.get("/console").body.find("가 기관 data.json"), std::string::npos);
  std::string csrf_b = b.csrf();
  // "Harvest now" starts a job through harvest_job_create; its report shows on the source page.
  HttpReply run = a.post("/console/harvest/" + source_id + "/run", "csrf=" + url_encode(csrf));
  EXPECT_EQ(run.status, 303) << run.body;
  // The source is on a loopback address the config does not allow: the job ends in a recorded error.
  std::string page;
  for (int i = 0; i < 100; ++i) {
    page = a.get("/console/harvest/" + source_id).body;
    if (page.find("job-errors") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_NE(page.find("class=\"job\""), std::string::npos) << page;
  EXPECT_NE(page.find("job-errors"), std::string::npos) << page;
  // Another agency's editor cannot start it.
  EXPECT_EQ(b.post("/console/harvest/" + source_id + "/run", "csrf=" + url_encode(csrf_b)).status,
            403);
}

}  // namespace
}  // namespace datamap::testing

// Activity streams, following, reuses and Atom feeds (issue 16 items 3 and 4) over real HTTP:
// changes appear in CKAN's shapes newest first, following fills the follower's dashboard only,
// a private dataset's activity reaches only its organization's members (in the API and in the
// feeds), reuses show on the dataset page and on the map, and hostile input is refused or
// escaped. The feeds are parsed with libxml2, a real XML parser.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <thread>

#include "tests/api/api_world.h"
#include "tests/api/atom_titles.h"
#include "tests/support/eventually.h"

namespace datamap::testing {
namespace {

std::string str(const rapidjson::Value& v, const char* key) {
  return v.IsObject() && v.HasMember(key) && v[key].IsString() ? v[key].GetString() : "";
}

struct Activity {
  std::string type, object_id, user_id, name;
};

// The activity list an action returns, as (type, object, user, data's name).
std::vector<Activity> activities(ApiWorld& w, const std::string& action, const std::string& body,
                                 const std::string& token = "") {
  HttpReply r = w.http.action(action, body, token);
  EXPECT_EQ(r.status, 200) << action << ": " << r.body;
  std::vector<Activity> out;
  if (r.status != 200) return out;
  auto doc = r.json();
  for (const auto& a : doc["result"].GetArray()) {
    for (const char* field : {"id", "timestamp", "user_id", "object_id", "activity_type"})
      EXPECT_TRUE(a.HasMember(field) && a[field].IsString()) << field << " in " << r.body;
    EXPECT_TRUE(a["data"].IsObject());
    const auto& data = a["data"];
    const rapidjson::Value& obj = data.HasMember("package") ? data["package"] : data["group"];
    out.push_back(
        {str(a, "activity_type"), str(a, "object_id"), str(a, "user_id"), str(obj, "name")});
  }
  return out;
}

std::string user_id(ApiWorld& w, const std::string& name) {
  return w.ok("user_show", R"({"id":")" + name + R"("})", w.sysadmin)["result"]["id"].GetString();
}

// Every test here runs on both catalog backends (SQLite, PostgreSQL).
class ActivityStream : public ::testing::TestWithParam<Backend> {
 protected:
  ApiWorld w{GetParam()};
};
DATAMAP_STORE_BACKENDS(ActivityStream);

TEST_P(ActivityStream, DatasetChangesAreListedNewestFirstWithCkanFields) {
  const std::string editor = user_id(w, "editor_a");
  std::string id =
      w.ok("package_create", R"({"name":"bus-stops","title":"버스 정류장","owner_org":"agency-a"})",
           w.editor_a)["result"]["id"]
          .GetString();
  w.ok("package_patch", R"({"id":"bus-stops","title":"버스 정류장 위치"})", w.editor_a);
  w.ok("package_delete", R"({"id":"bus-stops"})", w.editor_a);

  // A deleted dataset's history stays readable to its editors (CKAN: deleted is their business).
  auto list = activities(w, "package_activity_list", R"({"id":")" + id + R"("})", w.editor_a);
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].type, "deleted package");
  EXPECT_EQ(list[1].type, "changed package");
  EXPECT_EQ(list[2].type, "new package");
  for (const auto& a : list) {
    EXPECT_EQ(a.object_id, id);
    EXPECT_EQ(a.user_id, editor);
    EXPECT_EQ(a.name, "bus-stops");
  }
  // The same three in the organization's stream and the user's, and limit/offset page them.
  auto org = activities(w, "organization_activity_list", R"({"id":"agency-a","limit":2})");
  ASSERT_EQ(org.size(), 2u);
  EXPECT_EQ(org[0].type, "deleted package");
  auto page2 =
      activities(w, "organization_activity_list", R"({"id":"agency-a","limit":2,"offset":2})");
  ASSERT_FALSE(page2.empty());
  EXPECT_EQ(page2[0].type, "new package");
  auto mine = activities(w, "user_activity_list", R"({"id":"editor_a"})");
  ASSERT_EQ(mine.size(), 3u);
  EXPECT_EQ(mine[2].type, "new package");
}

TEST_P(ActivityStream, OrganizationChangesAreActivitiesOfTheOrganization) {
  w.ok("organization_create", R"({"name":"agency-c","title":"다 기관"})", w.sysadmin);
  w.ok("organization_update", R"({"id":"agency-c","title":"다 기관","description":"새 설명"})",
       w.sysadmin);
  w.ok("package_create", R"({"name":"parking","title":"주차장","owner_org":"agency-c"})",
       w.sysadmin);
  auto list = activities(w, "organization_activity_list", R"({"id":"agency-c"})");
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].type, "new package");
  EXPECT_EQ(list[1].type, "changed organization");
  EXPECT_EQ(list[2].type, "new organization");
  EXPECT_EQ(list[2].name, "agency-c");
  // The recent-changes stream lists datasets only.
  auto recent = activities(w, "recently_changed_packages_activity_stream", "{}");
  ASSERT_FALSE(recent.empty());
  for (const auto& a : recent) EXPECT_NE(a.type.find("package"), std::string::npos);
}

TEST_P(ActivityStream, FollowingFillsTheFollowersDashboardOnly) {
  w.dataset("bus-routes", "agency-a");
  w.ok("follow_dataset", R"({"id":"bus-routes"})", w.member_a);
  // A second follow is CKAN's 409; following needs a token; unknown datasets are 404.
  EXPECT_EQ(w.http.action("follow_dataset", R"({"id":"bus-routes"})", w.member_a).status, 409);
  EXPECT_EQ(w.http.action("follow_dataset", R"({"id":"bus-routes"})").status, 403);
  EXPECT_EQ(w.http.action("follow_dataset", R"({"id":"nowhere"})", w.member_a).status, 404);
  EXPECT_EQ(w.ok("dataset_follower_count", R"({"id":"bus-routes"})")["result"].GetInt64(), 1);
  EXPECT_TRUE(
      w.ok("am_following_dataset", R"({"id":"bus-routes"})", w.member_a)["result"].GetBool());
  EXPECT_FALSE(
      w.ok("am_following_dataset", R"({"id":"bus-routes"})", w.editor_b)["result"].GetBool());
  w.ok("follow_group", R"({"id":"agency-b"})", w.member_a);

  w.ok("package_patch", R"({"id":"bus-routes","notes":"노선 변경"})", w.editor_a);
  w.ok("package_create", R"({"name":"b-data","title":"나 데이터","owner_org":"agency-b"})",
       w.editor_b);

  auto dash = activities(w, "dashboard_activity_list", "{}", w.member_a);
  ASSERT_GE(dash.size(), 2u);
  EXPECT_EQ(dash[0].type, "new package");
  EXPECT_EQ(dash[0].name, "b-data");  // through the followed organization
  EXPECT_EQ(dash[1].type, "changed package");
  EXPECT_EQ(dash[1].name, "bus-routes");
  // Someone who follows nothing and changed nothing sees none of it.
  const std::string outsider = w.server.add_user("outsider");
  EXPECT_TRUE(activities(w, "dashboard_activity_list", "{}", outsider).empty());
  EXPECT_EQ(w.http.action("dashboard_activity_list", "{}").status, 403);

  auto followees = w.ok("followee_list", R"({"id":"member_a"})", w.member_a);
  EXPECT_EQ(followees["result"].Size(), 2u);
  EXPECT_EQ(w.http.action("followee_list", R"({"id":"member_a"})", w.editor_b).status, 403);

  w.ok("unfollow_dataset", R"({"id":"bus-routes"})", w.member_a);
  EXPECT_EQ(w.http.action("unfollow_dataset", R"({"id":"bus-routes"})", w.member_a).status, 404);
  EXPECT_EQ(w.ok("dataset_follower_count", R"({"id":"bus-routes"})")["result"].GetInt64(), 0);
}

TEST_P(ActivityStream, APrivateDatasetsActivityReachesOnlyItsMembers) {
  w.ok("package_create",
       R"({"name":"secret-plan","title":"Zorblax plan","owner_org":"agency-a","private":true})",
       w.editor_a);
  w.ok("package_patch", R"({"id":"secret-plan","notes":"더 비밀"})", w.editor_a);
  // Outsiders: 404 on the dataset's stream (like a missing dataset), nothing in the others.
  for (const std::string& who : {std::string(), w.editor_b}) {
    EXPECT_EQ(w.http.action("package_activity_list", R"({"id":"secret-plan"})", who).status, 404);
    EXPECT_EQ(w.http.action("follow_dataset", R"({"id":"secret-plan"})", who).status,
              who.empty() ? 403 : 404);
    for (const auto& [action, body] : std::vector<std::pair<std::string, std::string>>{
             {"organization_activity_list", R"({"id":"agency-a"})"},
             {"recently_changed_packages_activity_stream", "{}"},
             {"user_activity_list", R"({"id":"editor_a"})"}}) {
      HttpReply r = w.http.action(action, body, who);
      EXPECT_EQ(r.status, 200);
      EXPECT_EQ(r.body.find("Zorblax"), std::string::npos) << action << " leaks: " << r.body;
    }
  }
  // A member of agency-a sees it everywhere (the organization's own creation below the two).
  EXPECT_EQ(activities(w, "package_activity_list", R"({"id":"secret-plan"})", w.member_a).size(),
            2u);
  EXPECT_EQ(activities(w, "organization_activity_list", R"({"id":"agency-a"})", w.member_a).size(),
            3u);
  // The feeds are read as nobody: the dataset's is 404, the organization's says nothing of it.
  EXPECT_EQ(w.http.get("/feeds/dataset/secret-plan.atom").status, 404);
  HttpReply org_feed = w.http.get("/feeds/organization/agency-a.atom");
  EXPECT_EQ(org_feed.status, 200);
  EXPECT_EQ(org_feed.body.find("Zorblax"), std::string::npos);
  auto org_titles = atom_titles(org_feed.body);
  ASSERT_EQ(org_titles.size(), 1u);  // only the organization's own creation
  EXPECT_EQ(org_titles[0], "새 기관: 가 기관");

  // A public dataset made private later: its whole history goes quiet for outsiders.
  w.ok("package_create", R"({"name":"was-open","title":"Quuxly open","owner_org":"agency-a"})",
       w.editor_a);
  EXPECT_NE(w.http.get("/feeds/dataset.atom").body.find("Quuxly"), std::string::npos);
  w.ok("package_patch", R"({"id":"was-open","private":true})", w.editor_a);
  EXPECT_EQ(w.http.get("/feeds/dataset.atom").body.find("Quuxly"), std::string::npos);
  EXPECT_EQ(w.http.action("recently_changed_packages_activity_stream", "{}").body.find("Quuxly"),
            std::string::npos);
}

TEST_P(ActivityStream, AtomFeedsParseAndListChangesNewestFirst) {
  // Markup and an ampersand in a title: escaped in the feed, so it still parses, and the parser
  // gives back exactly the text.
  w.ok("package_create",
       R"({"name":"air","title":"대기 <b>오염</b> & 측정","owner_org":"agency-a"})", w.editor_a);
  w.ok("package_patch", R"({"id":"air","title":"대기 오염 측정 2"})", w.editor_a);
  HttpReply feed = w.http.get("/feeds/dataset/air.atom");
  ASSERT_EQ(feed.status, 200);
  EXPECT_EQ(feed.header("content-type").rfind("application/atom+xml", 0), 0u);
  EXPECT_EQ(feed.body.find("<b>"), std::string::npos);
  auto titles = atom_titles(feed.body);
  ASSERT_EQ(titles.size(), 2u);
  EXPECT_EQ(titles[0], "데이터 변경: 대기 오염 측정 2");
  EXPECT_EQ(titles[1], "새 데이터: 대기 <b>오염</b> & 측정");

  // The organization's feed: its datasets' changes above its own creation.
  auto org_titles = atom_titles(w.http.get("/feeds/organization/agency-a.atom").body);
  ASSERT_EQ(org_titles.size(), 3u);
  EXPECT_EQ(org_titles[0], titles[0]);
  EXPECT_EQ(org_titles[2], "새 기관: 가 기관");
  auto recent = atom_titles(w.http.get("/feeds/dataset.atom").body);
  ASSERT_FALSE(recent.empty());
  EXPECT_EQ(recent[0], titles[0]);
  // A search's feed lists the datasets it finds (the index follows the catalog shortly).
  EXPECT_TRUE(eventually([&] {
    auto found = atom_titles(w.http.get("/feeds/custom.atom?q=%EB%8C%80%EA%B8%B0").body);
    return found.size() == 1 && found[0] == "대기 오염 측정 2";
  }));
  // Unknown dataset or organization: 404; a bad page number: 409 naming it.
  EXPECT_EQ(w.http.get("/feeds/dataset/nowhere.atom").status, 404);
  EXPECT_EQ(w.http.get("/feeds/organization/nowhere.atom").status, 404);
  EXPECT_EQ(w.http.get("/feeds/dataset/air.atom?page=abc").status, 409);
}

class Reuses : public ::testing::TestWithParam<Backend> {
 protected:
  ApiWorld w{GetParam()};
  void SetUp() override { w.dataset("bus-stops", "agency-a"); }
};

TEST_P(Reuses, AppearOnTheDatasetPageInPackageShowAndOnTheMap) {
  const std::string citizen = w.server.add_user("citizen");
  auto created = w.ok("reuse_create", R"({"title":"정류장 <script>alert(1)</script> 앱",
      "url":"https://example.org/bus-app","type":"app","description":"버스 도착 알림",
      "datasets":["bus-stops"]})",
                      citizen);
  const std::string reuse_id = created["result"]["id"].GetString();
  EXPECT_EQ(std::string(created["result"]["datasets"][0]["name"].GetString()), "bus-stops");
  EXPECT_EQ(w.ok("package_show", R"({"id":"bus-stops"})")["result"]["reuse_count"].GetInt64(), 1);

  HttpReply page = w.http.get("/dataset/bus-stops");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("이 데이터를 활용한 사례"), std::string::npos);
  EXPECT_NE(page.body.find("href=\"https://example.org/bus-app\""), std::string::npos);
  EXPECT_NE(page.body.find("정류장 &lt;script&gt;alert(1)&lt;/script&gt; 앱"), std::string::npos);
  EXPECT_EQ(page.body.find("<script>alert(1)"), std::string::npos);

  // On the map: a reuse node linked to its dataset by a `uses` edge.
  EXPECT_TRUE(eventually([&] {
    HttpReply r = w.http.action("datamap_neighbors", R"({"id":"bus-stops"})");
    return r.status == 200 && r.body.find("\"reuse:" + reuse_id + "\"") != std::string::npos &&
           r.body.find("\"uses\"") != std::string::npos;
  })) << w.http.action("datamap_neighbors", R"({"id":"bus-stops"})").body;

  // Only its creator or a sysadmin changes it.
  EXPECT_EQ(
      w.http.action("reuse_update", R"({"id":")" + reuse_id + R"(","title":"탈취"})", w.editor_a)
          .status,
      403);
  w.ok("reuse_update", R"({"id":")" + reuse_id + R"(","title":"정류장 앱"})", citizen);
  EXPECT_EQ(
      std::string(
          w.ok("reuse_show", R"({"id":")" + reuse_id + R"("})")["result"]["title"].GetString()),
      "정류장 앱");
  EXPECT_EQ(w.ok("reuse_list", R"({"id":"bus-stops"})")["result"]["count"].GetInt64(), 1);
  EXPECT_EQ(w.http.action("reuse_delete", R"({"id":")" + reuse_id + R"("})", w.editor_b).status,
            403);
  w.ok("reuse_delete", R"({"id":")" + reuse_id + R"("})", w.sysadmin);
  EXPECT_EQ(w.http.action("reuse_show", R"({"id":")" + reuse_id + R"("})").status, 404);
  EXPECT_EQ(w.ok("package_show", R"({"id":"bus-stops"})")["result"]["reuse_count"].GetInt64(), 0);
}

TEST_P(Reuses, HostileInputIsRefusedPrecisely) {
  const std::string citizen = w.server.add_user("citizen");
  auto refused_field = [&](const std::string& body, const std::string& token) {
    HttpReply r = w.http.action("reuse_create", body, token);
    if (r.status != 409) return "status " + std::to_string(r.status) + ": " + r.body;
    auto doc = r.json();
    std::string fields;
    for (const auto& m : doc["error"].GetObject())
      if (std::string(m.name.GetString()) != "__type" &&
          std::string(m.name.GetString()) != "message")
        fields += m.name.GetString();
    return fields;
  };
  EXPECT_EQ(
      refused_field(
          R"J({"title":"x","url":"javascript:alert(1)","type":"app","datasets":["bus-stops"]})J",
          citizen),
      "url");
  EXPECT_EQ(
      refused_field(
          R"J({"title":"x","url":"JavaScript:alert(1)//http://a","type":"app","datasets":["bus-stops"]})J",
          citizen),
      "url");
  EXPECT_EQ(
      refused_field(
          R"J({"title":"x","url":"https://ok.example","image_url":"data:image/png;base64,AA","type":"app","datasets":["bus-stops"]})J",
          citizen),
      "image_url");
  EXPECT_EQ(
      refused_field(
          R"J({"title":"x","url":"https://ok.example","type":"game","datasets":["bus-stops"]})J",
          citizen),
      "type");
  EXPECT_EQ(
      refused_field(
          R"J({"title":"","url":"https://ok.example","type":"app","datasets":["bus-stops"]})J",
          citizen),
      "title");
  EXPECT_EQ(
      refused_field(R"J({"title":"x","url":"https://ok.example","type":"app","datasets":[]})J",
                    citizen),
      "datasets");
  EXPECT_EQ(
      refused_field(R"J({"title":"x","url":"https://ok.example","type":"app","datasets":[1]})J",
                    citizen),
      "datasets");
  // A private dataset the author may not read is as unknown as one that does not exist.
  w.dataset("secret-plan", "agency-a", true);
  HttpReply hidden = w.http.action(
      "reuse_create",
      R"({"title":"x","url":"https://ok.example","type":"app","datasets":["secret-plan"]})",
      citizen);
  HttpReply missing = w.http.action(
      "reuse_create",
      R"({"title":"x","url":"https://ok.example","type":"app","datasets":["no-such-plan"]})",
      citizen);
  EXPECT_EQ(hidden.status, 409);
  EXPECT_EQ(hidden.body.find("secret-plan") != std::string::npos,
            missing.body.find("no-such-plan") != std::string::npos);
  // Anonymous: 403; the datasets parameter as broken JSON text: 400 naming it.
  EXPECT_EQ(
      w.http
          .action(
              "reuse_create",
              R"({"title":"x","url":"https://ok.example","type":"app","datasets":["bus-stops"]})")
          .status,
      403);
  EXPECT_EQ(
      w.http
          .action(
              "reuse_create",
              R"({"title":"x","url":"https://ok.example","type":"app","datasets":"[\"bus-stops\""})",
              citizen)
          .status,
      400);
  // Nothing was stored, and the server is alive.
  EXPECT_EQ(w.ok("reuse_list", "{}")["result"]["count"].GetInt64(), 0);
}

DATAMAP_STORE_BACKENDS(Reuses);

TEST(DemandRanking, RanksPublicDatasetsByTheDocumentedFormula) {
  ApiWorld w;
  // Views and downloads only until requests are stored: x = views 99, downloads 9; y = views 9,
  // downloads 99. x: 100 * (0.15 * 1 + 0.20 * 0.5) = 25; y: 100 * (0.15 * 0.5 + 0.20 * 1) = 27.5.
  w.ok("package_create",
       R"({"name":"xx-data","title":"X","owner_org":"agency-a","views":99,"downloads":9})",
       w.sysadmin);
  w.ok("package_create",
       R"({"name":"yy-data","title":"Y","owner_org":"agency-a","views":9,"downloads":99})",
       w.sysadmin);
  w.ok(
      "package_create",
      R"({"name":"already","title":"Z","owner_org":"agency-a","views":999,"national_priority":true})",
      w.sysadmin);
  w.ok("package_create",
       R"({"name":"hidden","title":"H","owner_org":"agency-a","views":999,"private":true})",
       w.sysadmin);
  auto r = w.ok("demand_ranking", "{}");
  const auto& results = r["result"]["results"];
  ASSERT_EQ(results.Size(), 2u) << "national_priority and private datasets are no candidates";
  EXPECT_EQ(std::string(results[0]["name"].GetString()), "yy-data");
  EXPECT_NEAR(results[0]["score"].GetDouble(), 27.5, 1e-9);
  EXPECT_EQ(std::string(results[1]["name"].GetString()), "xx-data");
  EXPECT_NEAR(results[1]["score"].GetDouble(), 25.0, 1e-9);
  EXPECT_EQ(w.http.action("demand_ranking", R"({"limit":0})").status, 409);
}

}  // namespace
}  // namespace datamap::testing

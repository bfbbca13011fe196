// Every action over real HTTP against a started `datamap serve`.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "tests/api/api_world.h"

namespace datamap::testing {
namespace {

class Actions : public ::testing::Test {
 protected:
  ApiWorld w;
};

std::set<std::string> names(const rapidjson::Value& array) {
  std::set<std::string> out;
  for (const auto& v : array.GetArray())
    out.insert(v.IsString() ? v.GetString() : v["name"].GetString());
  return out;
}

TEST_F(Actions, StatusShowAnswersTheCkanEnvelopeAsJsonWithCors) {
  HttpReply r = w.http.get("/api/3/action/status_show");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "application/json; charset=utf-8");
  EXPECT_EQ(r.header("access-control-allow-origin"), "*");
  auto doc = r.json();
  EXPECT_TRUE(doc["success"].GetBool());
  EXPECT_NE(std::string(doc["help"].GetString()).find("help_show?name=status_show"),
            std::string::npos);
  EXPECT_EQ(doc["result"]["api_version"].GetInt(), 3);
  EXPECT_STREQ(doc["result"]["ckan_version"].GetString(), "2.10.0");
}

// A client that wrote at revision N waits (polls) until search and the map have applied N.
TEST_F(Actions, StatusShowTellsWhenSearchAndTheMapHaveCaughtUpWithAWrite) {
  w.dataset("status-caught-up", "agency-a");
  auto revision = w.ok("status_show", "{}")["result"]["revision"].GetInt64();
  bool caught_up = false;
  for (int i = 0; i < 600 && !caught_up; ++i) {
    auto s = w.ok("status_show", "{}");
    caught_up = s["result"]["search_revision"].GetInt64() >= revision &&
                s["result"]["map_revision"].GetInt64() >= revision;
    if (!caught_up) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(caught_up) << "search or map never reached revision " << revision;
  auto found = w.ok("package_search", R"({"fq": "name:status-caught-up"})");
  EXPECT_EQ(found["result"]["count"].GetInt(), 1);
  EXPECT_EQ(w.http.action("datamap_neighbors", R"({"id": "status-caught-up"})").status, 200);
}

TEST_F(Actions, TheUnversionedPathServesTheSameActions) {
  HttpReply r = w.http.get("/api/action/status_show");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.json()["success"].GetBool());
}

TEST_F(Actions, HelpShowDescribesAnActionAnd404sForAnUnknownOne) {
  auto doc = w.ok("help_show", R"({"name":"package_show"})");
  EXPECT_NE(std::string(doc["result"].GetString()).find("source key"), std::string::npos);
  HttpReply r = w.http.action("help_show", R"({"name":"no_such_action"})");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(error_type(r), "Not Found Error");
}

TEST_F(Actions, PackageShowFindsADatasetByIdNameAndSourceKeyWithOrganizationAndGroupTitles) {
  auto created = w.ok("package_create", R"({
      "name": "seoul-parking", "title": "서울시 공영주차장 정보", "owner_org": "agency-a",
      "source_key": "15000000", "groups": ["transport"], "tags": ["주차장", "교통"],
      "resources": [{"name": "CSV 파일", "url": "https://example.org/p.csv", "format": "csv"}]})",
                      w.sysadmin);
  std::string id = created["result"]["id"].GetString();
  for (const std::string& ref : {id, std::string("seoul-parking"), std::string("15000000")}) {
    auto doc = w.ok("package_show", R"({"id":")" + ref + R"("})");
    const auto& p = doc["result"];
    EXPECT_EQ(std::string(p["id"].GetString()), id) << ref;
    EXPECT_STREQ(p["title"].GetString(), "서울시 공영주차장 정보");
    EXPECT_STREQ(p["organization"]["name"].GetString(), "agency-a");
    EXPECT_STREQ(p["organization"]["title"].GetString(), "가 기관");
    ASSERT_EQ(p["groups"].Size(), 1u);
    EXPECT_STREQ(p["groups"][0]["name"].GetString(), "transport");
    EXPECT_STREQ(p["groups"][0]["title"].GetString(), "교통물류");
    EXPECT_EQ(p["tags"].Size(), 2u);
    ASSERT_EQ(p["resources"].Size(), 1u);
    EXPECT_STREQ(p["resources"][0]["format"].GetString(), "CSV");
  }
  // The same through GET with a percent-encoded Korean-free query string.
  HttpReply r = w.http.get("/api/3/action/package_show?id=15000000");
  EXPECT_EQ(r.status, 200);
  EXPECT_STREQ(r.json()["result"]["name"].GetString(), "seoul-parking");
}

TEST_F(Actions, PackageShowOfAnUnknownDatasetIs404) {
  HttpReply r = w.http.get("/api/3/action/package_show?id=does-not-exist");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(error_type(r), "Not Found Error");
  auto doc = r.json();
  EXPECT_FALSE(doc["success"].GetBool());
  EXPECT_TRUE(doc["error"]["message"].IsString());
}

TEST_F(Actions, PackageListPagesThroughActivePublicDatasetsSortedByName) {
  w.dataset("ds-c", "agency-a");
  w.dataset("ds-a", "agency-a");
  w.dataset("ds-b", "agency-b");
  w.dataset("ds-private", "agency-a", true);
  auto all = w.ok("package_list", "{}");
  ASSERT_EQ(all["result"].Size(), 3u);
  EXPECT_STREQ(all["result"][0].GetString(), "ds-a");
  EXPECT_STREQ(all["result"][2].GetString(), "ds-c");
  HttpReply page = w.http.get("/api/3/action/package_list?limit=1&offset=1");
  ASSERT_EQ(page.status, 200);
  auto doc = page.json();
  ASSERT_EQ(doc["result"].Size(), 1u);
  EXPECT_STREQ(doc["result"][0].GetString(), "ds-b");
  HttpReply bad = w.http.get("/api/3/action/package_list?limit=ten");
  EXPECT_EQ(bad.status, 409);
  EXPECT_EQ(error_type(bad), "Validation Error");
}

TEST_F(Actions, PackageCreateReturnsTheDatasetAndRejectsADuplicateName) {
  auto doc = w.ok("package_create",
                  R"({"name":"new-one","title":"새 데이터","owner_org":"agency-a"})", w.editor_a);
  EXPECT_STREQ(doc["result"]["name"].GetString(), "new-one");
  EXPECT_EQ(std::string(doc["result"]["owner_org"].GetString()), w.org_a_id);
  EXPECT_STREQ(doc["result"]["source"].GetString(), "api");
  HttpReply again = w.http.action(
      "package_create", R"({"name":"new-one","title":"또","owner_org":"agency-a"})", w.editor_a);
  EXPECT_EQ(again.status, 409);
  auto err = again.json();
  ASSERT_TRUE(err["error"].HasMember("name"));
  EXPECT_STREQ(err["error"]["name"][0].GetString(), "That URL is already in use.");
}

TEST_F(Actions, PackageCreateValidatesEachFieldWith409) {
  HttpReply r = w.http.action("package_create",
                              R"({"name":"Bad Name!","url":"not a url","owner_org":"agency-a",
                                  "issued":"yesterday","groups":["no-such-group"]})",
                              w.sysadmin);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(error_type(r), "Validation Error");
  auto doc = r.json();
  for (const char* field : {"name", "title", "url", "issued", "groups"}) {
    ASSERT_TRUE(doc["error"].HasMember(field)) << field << ": " << r.body;
    EXPECT_TRUE(doc["error"][field].IsArray());
    EXPECT_GT(doc["error"][field].Size(), 0u);
  }
}

TEST_F(Actions, PackageCreateNeedsAnExistingOrganization) {
  HttpReply r = w.http.action(
      "package_create", R"({"name":"orphan","title":"고아","owner_org":"no-such-agency"})",
      w.sysadmin);
  EXPECT_EQ(r.status, 409);
  auto doc = r.json();
  ASSERT_TRUE(doc["error"].HasMember("owner_org")) << r.body;
  EXPECT_STREQ(doc["error"]["owner_org"][0].GetString(), "Organization does not exist");
}

TEST_F(Actions, PackageUpdateReplacesTheDictButKeepsResourcesWhenLeftOut) {
  w.ok("package_create", R"({"name":"upd","title":"원래","owner_org":"agency-a","notes":"설명",
        "resources":[{"url":"https://example.org/a.json","format":"JSON"}]})",
       w.sysadmin);
  auto doc = w.ok("package_update", R"({"id":"upd","title":"바뀐 제목","owner_org":"agency-a"})",
                  w.editor_a);
  EXPECT_STREQ(doc["result"]["title"].GetString(), "바뀐 제목");
  EXPECT_STREQ(doc["result"]["notes"].GetString(), "");  // replaced: left out means cleared
  EXPECT_EQ(doc["result"]["resources"].Size(), 1u);
  auto shown = w.ok("package_show", R"({"id":"upd"})");
  EXPECT_STREQ(shown["result"]["title"].GetString(), "바뀐 제목");
}

TEST_F(Actions, PackagePatchChangesOnlyTheGivenMembers) {
  w.ok("package_create",
       R"({"name":"pat","title":"제목","notes":"그대로","owner_org":"agency-a","tags":["x"]})",
       w.sysadmin);
  auto doc = w.ok("package_patch", R"({"id":"pat","title":"새 제목"})", w.editor_a);
  EXPECT_STREQ(doc["result"]["title"].GetString(), "새 제목");
  EXPECT_STREQ(doc["result"]["notes"].GetString(), "그대로");
  EXPECT_EQ(doc["result"]["tags"].Size(), 1u);
  EXPECT_STREQ(doc["result"]["organization"]["name"].GetString(), "agency-a");
}

TEST_F(Actions, PackageDeleteHidesTheDatasetFromShowAndList) {
  w.dataset("gone", "agency-a");
  auto doc = w.ok("package_delete", R"({"id":"gone"})", w.editor_a);
  EXPECT_TRUE(doc["result"].IsNull());
  EXPECT_EQ(w.http.action("package_show", R"({"id":"gone"})").status, 404);
  EXPECT_EQ(names(w.ok("package_list", "{}")["result"]).count("gone"), 0u);
  // The editor still sees it, marked deleted (CKAN semantics).
  auto seen = w.ok("package_show", R"({"id":"gone"})", w.editor_a);
  EXPECT_STREQ(seen["result"]["state"].GetString(), "deleted");
  EXPECT_EQ(w.http.action("package_delete", R"({"id":"gone"})", w.editor_a).status, 404);
}

TEST_F(Actions, ResourceShowFindsAResourceById) {
  auto doc = w.ok("package_create", R"({"name":"res","title":"자원","owner_org":"agency-a",
        "resources":[{"name":"API","url":"https://example.org/api","format":"json"}]})",
                  w.sysadmin);
  std::string rid = doc["result"]["resources"][0]["id"].GetString();
  auto r = w.ok("resource_show", R"({"id":")" + rid + R"("})");
  EXPECT_STREQ(r["result"]["url"].GetString(), "https://example.org/api");
  EXPECT_EQ(std::string(r["result"]["package_id"].GetString()),
            std::string(doc["result"]["id"].GetString()));
  EXPECT_EQ(w.http.action("resource_show", R"({"id":"nope"})").status, 404);
}

TEST_F(Actions, OrganizationListGivesNamesOrDictsSortedAndPaged) {
  w.dataset("one", "agency-b");
  w.dataset("two", "agency-b");
  auto plain = w.ok("organization_list", "{}");
  ASSERT_EQ(plain["result"].Size(), 2u);
  EXPECT_STREQ(plain["result"][0].GetString(), "agency-a");
  auto full = w.ok("organization_list", R"({"all_fields":true,"sort":"package_count desc"})");
  ASSERT_EQ(full["result"].Size(), 2u);
  EXPECT_STREQ(full["result"][0]["name"].GetString(), "agency-b");
  EXPECT_EQ(full["result"][0]["package_count"].GetInt(), 2);
  EXPECT_STREQ(full["result"][0]["title"].GetString(), "나 기관");
  HttpReply paged = w.http.get("/api/3/action/organization_list?limit=1&offset=1");
  ASSERT_EQ(paged.status, 200);
  EXPECT_STREQ(paged.json()["result"][0].GetString(), "agency-b");
  EXPECT_EQ(w.http.get("/api/3/action/organization_list?sort=color").status, 409);
}

TEST_F(Actions, OrganizationShowByNameOrId) {
  w.dataset("counted", "agency-a");
  auto by_name = w.ok("organization_show", R"({"id":"agency-a"})");
  EXPECT_EQ(std::string(by_name["result"]["id"].GetString()), w.org_a_id);
  EXPECT_EQ(by_name["result"]["package_count"].GetInt(), 1);
  auto by_id = w.ok("organization_show", R"({"id":")" + w.org_a_id + R"("})");
  EXPECT_STREQ(by_id["result"]["name"].GetString(), "agency-a");
  EXPECT_EQ(w.http.action("organization_show", R"({"id":"nope"})").status, 404);
}

TEST_F(Actions, OrganizationCreateAndUpdate) {
  auto doc = w.ok("organization_create",
                  R"({"name":"agency-c","title":"다 기관","description":"설명","code":"1234"})",
                  w.sysadmin);
  EXPECT_STREQ(doc["result"]["code"].GetString(), "1234");
  HttpReply dup = w.http.action("organization_create", R"({"name":"agency-c"})", w.sysadmin);
  EXPECT_EQ(dup.status, 409);
  auto upd = w.ok("organization_update", R"({"id":"agency-a","title":"가 기관 새 이름"})", w.admin_a);
  EXPECT_STREQ(upd["result"]["title"].GetString(), "가 기관 새 이름");
  EXPECT_STREQ(upd["result"]["name"].GetString(), "agency-a");
  HttpReply bad = w.http.action("organization_create", R"({"name":"X Y"})", w.sysadmin);
  EXPECT_EQ(bad.status, 409);
}

TEST_F(Actions, GroupListAndShowCarryTitlesAndCounts) {
  w.ok("package_create",
       R"({"name":"g1","title":"g","owner_org":"agency-a","groups":["health"]})", w.sysadmin);
  auto list = w.ok("group_list", R"({"all_fields":true})");
  ASSERT_EQ(list["result"].Size(), 2u);
  EXPECT_STREQ(list["result"][0]["name"].GetString(), "health");
  EXPECT_EQ(list["result"][0]["package_count"].GetInt(), 1);
  auto show = w.ok("group_show", R"({"id":"transport"})");
  EXPECT_STREQ(show["result"]["title"].GetString(), "교통물류");
  EXPECT_EQ(w.http.action("group_show", R"({"id":"nope"})").status, 404);
}

TEST_F(Actions, TagListFiltersByPrefixAndLimits) {
  w.ok("package_create",
       R"({"name":"t1","title":"t","owner_org":"agency-a","tags":["주차장","주차","교통"]})",
       w.sysadmin);
  w.ok("package_create", R"({"name":"t2","title":"t","owner_org":"agency-a","tags":["교통"]})",
       w.sysadmin);
  auto all = w.ok("tag_list", "{}");
  EXPECT_EQ(all["result"].Size(), 3u);
  EXPECT_STREQ(all["result"][0].GetString(), "교통");  // most used first
  HttpReply q = w.http.get("/api/3/action/tag_list?query=" + url_encode("주차"));
  ASSERT_EQ(q.status, 200);
  EXPECT_EQ(names(q.json()["result"]), (std::set<std::string>{"주차장", "주차"}));
  EXPECT_EQ(w.ok("tag_list", R"({"limit":1})")["result"].Size(), 1u);
}

TEST_F(Actions, LicenseListIncludesKoglAndCreativeCommons) {
  auto doc = w.ok("license_list", "{}");
  ASSERT_TRUE(doc["result"].IsArray());
  std::string all;
  for (const auto& l : doc["result"].GetArray()) all += std::string(l["title"].GetString()) + "|";
  EXPECT_NE(all.find("공공누리"), std::string::npos) << all;
  EXPECT_NE(all.find("Creative Commons"), std::string::npos) << all;
}

TEST_F(Actions, UserShowHidesEmailAndMembershipsFromOthers) {
  auto self = w.ok("user_show", R"({"id":"editor_a"})", w.editor_a);
  EXPECT_TRUE(self["result"].HasMember("email"));
  ASSERT_TRUE(self["result"].HasMember("organizations"));
  EXPECT_STREQ(self["result"]["organizations"][0]["capacity"].GetString(), "editor");
  auto other = w.ok("user_show", R"({"id":"editor_a"})", w.editor_b);
  EXPECT_FALSE(other["result"].HasMember("email"));
  EXPECT_STREQ(other["result"]["name"].GetString(), "editor_a");
  EXPECT_EQ(w.http.action("user_show", R"({"id":"nobody"})").status, 404);
}

TEST_F(Actions, ApiTokenCreateGivesAWorkingTokenAndRevokeKillsIt) {
  auto doc = w.ok("api_token_create", R"({"user":"editor_a","name":"laptop"})", w.editor_a);
  std::string token = doc["result"]["token"].GetString();
  EXPECT_GE(token.size(), 40u);
  // Usable in each accepted header form.
  EXPECT_EQ(w.http.post("/api/3/action/package_create",
                        R"({"name":"via-bearer","title":"b","owner_org":"agency-a"})",
                        {{"Authorization", "Bearer " + token}})
                .status,
            200);
  EXPECT_EQ(w.http.post("/api/3/action/package_create",
                        R"({"name":"via-ckan-key","title":"k","owner_org":"agency-a"})",
                        {{"X-CKAN-API-Key", token}})
                .status,
            200);
  auto listed = w.ok("api_token_list", "{}", token);
  bool found = false;
  for (const auto& t : listed["result"].GetArray())
    found |= std::string(t["name"].GetString()) == "laptop";
  EXPECT_TRUE(found);
  w.ok("api_token_revoke", R"({"token":")" + token + R"("})", token);
  HttpReply after = w.http.action("package_create",
                                  R"({"name":"after","title":"a","owner_org":"agency-a"})", token);
  EXPECT_EQ(after.status, 403);
  EXPECT_EQ(error_type(after), "Authorization Error");
  // Another user cannot mint tokens for editor_a.
  EXPECT_EQ(w.http.action("api_token_create", R"({"user":"editor_a"})", w.editor_b).status, 403);
}

TEST_F(Actions, ApiTokenRevokeByIdNeedsTheOwner) {
  auto doc = w.ok("api_token_create", R"({"user":"editor_b"})", w.editor_b);
  std::string id = doc["result"]["id"].GetString();
  EXPECT_EQ(w.http.action("api_token_revoke", R"({"jti":")" + id + R"("})", w.editor_a).status,
            404);
  w.ok("api_token_revoke", R"({"jti":")" + id + R"("})", w.editor_b);
  std::string token = doc["result"]["token"].GetString();
  EXPECT_EQ(w.http.action("status_show", "{}", token).status, 403);
}

TEST_F(Actions, FormEncodedPostAndGetQueryWorkLikeJson) {
  HttpReply form = w.http.post("/api/3/action/package_create",
                               "name=from-form&title=" + url_encode("폼 데이터") +
                                   "&owner_org=agency-a",
                               {{"Content-Type", "application/x-www-form-urlencoded"},
                                {"Authorization", w.sysadmin}});
  ASSERT_EQ(form.status, 200) << form.body;
  EXPECT_STREQ(form.json()["result"]["title"].GetString(), "폼 데이터");
  HttpReply get = w.http.get("/api/3/action/package_show?id=from-form");
  EXPECT_STREQ(get.json()["result"]["title"].GetString(), "폼 데이터");
  // curl -d '{json}' labels JSON as a form; it is still read as JSON.
  HttpReply curl_style = w.http.post(
      "/api/3/action/package_show", R"({"id":"from-form"})",
      {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(curl_style.status, 200) << curl_style.body;
}

TEST_F(Actions, OrganizationMemberCreateGrantsARoleThatTakesEffect) {
  std::string token = w.server.add_user("newcomer");
  HttpReply before = w.http.action(
      "package_create", R"({"name":"nc1","title":"n","owner_org":"agency-a"})", token);
  EXPECT_EQ(before.status, 403);
  w.ok("organization_member_create",
       R"({"id":"agency-a","username":"newcomer","role":"editor"})", w.admin_a);
  w.ok("package_create", R"({"name":"nc1","title":"n","owner_org":"agency-a"})", token);
  w.ok("organization_member_delete", R"({"id":"agency-a","username":"newcomer"})", w.admin_a);
  EXPECT_EQ(w.http.action("package_create",
                          R"({"name":"nc2","title":"n","owner_org":"agency-a"})", token)
                .status,
            403);
}

}  // namespace
}  // namespace datamap::testing

// One identifier resolver (api/resolve.h) behind every front end: the same dataset, agency and
// category are reached by each identifier package_show / organization_show / group_show accept
// (dataset: id, name, 목록키; agency: id, name, 기관코드; category: id, name) in each family of
// actions and routes over HTTP: catalog, search, map, harvest, DataStore, formats, portal pages.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/api/api_world.h"

namespace datamap::testing {
namespace {

class Identifiers : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    w_ = new ApiWorld();
    w_->ok("organization_update", R"({"id":"agency-a","code":"B551234"})", w_->sysadmin);
    auto d = w_->ok("package_create", R"({
        "name": "seoul-parking", "title": "서울시 공영주차장 정보", "owner_org": "agency-a",
        "source_key": "15000000", "groups": ["transport"], "tags": ["주차장"],
        "resources": [{"name": "CSV", "url": "https://example.org/p.csv", "format": "CSV"}]})",
                    w_->sysadmin);
    id_ = d["result"]["id"].GetString();
    resource_ = d["result"]["resources"][0]["id"].GetString();
    // A neighbour on the map: same agency, category and keyword.
    w_->ok("package_create", R"({"name": "seoul-parking-fees", "title": "서울시 주차장 요금",
        "owner_org": "agency-a", "groups": ["transport"], "tags": ["주차장"]})",
           w_->sysadmin);
    group_id_ = w_->ok("group_show", R"({"id":"transport"})")["result"]["id"].GetString();
    auto revision = w_->ok("status_show", "{}")["result"]["revision"].GetInt64();
    for (int i = 0; i < 600; ++i) {
      auto s = w_->ok("status_show", "{}");
      if (s["result"]["search_revision"].GetInt64() >= revision &&
          s["result"]["map_revision"].GetInt64() >= revision)
        return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL() << "search or the map never caught up";
  }
  static void TearDownTestSuite() { delete w_; }

  static std::vector<std::string> dataset_refs() { return {id_, "seoul-parking", "15000000"}; }
  static std::vector<std::string> org_refs() { return {w_->org_a_id, "agency-a", "B551234"}; }
  static std::vector<std::string> group_refs() { return {group_id_, "transport"}; }
  static std::string body(const char* key, const std::string& value) {
    return std::string("{\"") + key + "\":\"" + value + "\"}";
  }

  static ApiWorld* w_;
  static std::string id_, resource_, group_id_;
};

ApiWorld* Identifiers::w_ = nullptr;
std::string Identifiers::id_, Identifiers::resource_, Identifiers::group_id_;

TEST_F(Identifiers, CatalogActionsTakeEveryIdentifier) {
  for (const auto& ref : dataset_refs()) {
    EXPECT_EQ(std::string(w_->ok("package_show", body("id", ref))["result"]["id"].GetString()),
              id_);
    EXPECT_EQ(w_->ok("package_relationships_list", body("id", ref))["result"].Size(), 0u) << ref;
    auto quality = w_->http.action("quality_show", body("id", ref));
    EXPECT_EQ(quality.status, 200) << ref << quality.body;
  }
  for (const auto& ref : org_refs()) {
    EXPECT_EQ(std::string(w_->ok("organization_show", body("id", ref))["result"]["id"].GetString()),
              w_->org_a_id);
    EXPECT_EQ(w_->http.action("organization_quality_show", body("id", ref)).status, 200) << ref;
  }
  for (const auto& ref : group_refs())
    EXPECT_EQ(std::string(w_->ok("group_show", body("id", ref))["result"]["name"].GetString()),
              "transport");
  // Writes too: a dataset filed under the agency by its 기관코드 and the category by its id,
  // then patched through its 목록키.
  auto made = w_->ok(
      "package_create",
      R"({"name":"by-code","title":"t","owner_org":"B551234","groups":[")" + group_id_ + "\"]}",
      w_->editor_a);
  EXPECT_EQ(std::string(made["result"]["owner_org"].GetString()), w_->org_a_id);
  EXPECT_STREQ(made["result"]["groups"][0]["name"].GetString(), "transport");
  w_->ok("package_patch", R"({"id":"15000000","notes":"patched by 목록키"})", w_->editor_a);
  EXPECT_STREQ(w_->ok("package_show", body("id", id_))["result"]["notes"].GetString(),
               "patched by 목록키");
  auto r = w_->ok("resource_create",
                  R"({"package_id":"15000000","url":"https://example.org/q.csv"})", w_->editor_a);
  EXPECT_EQ(std::string(r["result"]["package_id"].GetString()), id_);
}

TEST_F(Identifiers, SearchFiltersTakeEveryIdentifierOfAnAgencyAndACategory) {
  for (const auto& ref : org_refs()) {
    for (const char* field : {"organization", "owner_org"}) {
      auto found = w_->ok("package_search",
                          R"({"fq":")" + std::string(field) + ":\\\"" + ref + R"(\"","rows":0})");
      EXPECT_GE(found["result"]["count"].GetInt(), 2) << field << ":" << ref;
    }
  }
  for (const auto& ref : group_refs()) {
    auto found = w_->ok("package_search", R"({"fq":"groups:\")" + ref + R"(\"","rows":0})");
    EXPECT_GE(found["result"]["count"].GetInt(), 2) << ref;
  }
  // A reference naming nothing still finds nothing (and is no error).
  EXPECT_EQ(w_->ok("package_search", R"({"fq":"organization:nobody"})")["result"]["count"].GetInt(),
            0);
}

TEST_F(Identifiers, MapActionsTakeEveryIdentifier) {
  for (const auto& ref : dataset_refs()) {
    auto related = w_->http.action("datamap_related", body("id", ref));
    EXPECT_EQ(related.status, 200) << ref << " " << related.body;
    auto path =
        w_->http.action("datamap_path", R"({"from":")" + ref + R"(","to":"seoul-parking-fees"})");
    EXPECT_EQ(path.status, 200) << ref << " " << path.body;
  }
  for (const auto& ref : org_refs()) {
    auto n = w_->http.action("datamap_neighbors", body("id", "agency:" + ref));
    EXPECT_EQ(n.status, 200) << ref << " " << n.body;
  }
  for (const auto& ref : group_refs()) {
    auto n = w_->http.action("datamap_neighbors", body("id", "category:" + ref));
    EXPECT_EQ(n.status, 200) << ref << " " << n.body;
  }
  auto none = w_->http.action("datamap_related", body("id", "99999999"));
  EXPECT_EQ(none.status, 404);
}

TEST_F(Identifiers, HarvestActionsTakeEveryIdentifierOfAnAgency) {
  w_->ok("harvest_source_create",
         R"({"name":"agency-a-feed","url":"https://example.org/data.json","source_type":"datajson",
             "owner_org":"B551234"})",
         w_->admin_a);
  for (const auto& ref : org_refs()) {
    auto list = w_->ok("harvest_source_list", body("organization_id", ref), w_->admin_a);
    ASSERT_EQ(list["result"].Size(), 1u) << ref;
    EXPECT_EQ(std::string(list["result"][0]["owner_org"].GetString()), w_->org_a_id);
  }
}

TEST_F(Identifiers, DataStoreTakesTheDatasetByEveryIdentifier) {
  for (const auto& ref : dataset_refs()) {
    auto made = w_->http.action(
        "datastore_create",
        R"({"resource":{"package_id":")" + ref + R"(","name":"table"},"records":[{"a":1}]})",
        w_->editor_a);
    EXPECT_EQ(made.status, 200) << ref << " " << made.body;
    if (made.status == 200) {
      EXPECT_FALSE(std::string(made.json()["result"]["resource_id"].GetString()).empty());
    }
  }
}

TEST_F(Identifiers, FormatRoutesAndPortalPagesTakeEveryIdentifier) {
  for (const auto& ref : dataset_refs()) {
    auto ttl = w_->http.get("/dataset/" + ref + ".ttl");
    EXPECT_EQ(ttl.status, 200) << ref;
    EXPECT_NE(ttl.body.find(id_), std::string::npos) << ref;
    auto page = w_->http.get("/dataset/" + ref);
    EXPECT_EQ(page.status, 200) << ref;
    EXPECT_NE(page.body.find("서울시 공영주차장 정보"), std::string::npos) << ref;
  }
  for (const auto& ref : org_refs()) {
    auto page = w_->http.get("/organization/" + ref);
    EXPECT_EQ(page.status, 200) << ref;
    EXPECT_NE(page.body.find("seoul-parking"), std::string::npos) << ref;
    auto ttl = w_->http.get("/catalog.ttl?fq=organization:" + ref);
    EXPECT_EQ(ttl.status, 200) << ref;
    EXPECT_NE(ttl.body.find(id_), std::string::npos) << ref;
    auto datago = w_->http.get("/openapi/datasets?serviceKey=" + url_encode(w_->editor_a) +
                               "&type=json&agency=" + url_encode(ref));
    EXPECT_GE(datago.json()["response"]["body"]["totalCount"].GetInt(), 2) << ref;
  }
  for (const auto& ref : group_refs()) {
    auto page = w_->http.get("/group/" + ref);
    EXPECT_EQ(page.status, 200) << ref;
    EXPECT_NE(page.body.find("seoul-parking"), std::string::npos) << ref;
  }
}

}  // namespace
}  // namespace datamap::testing

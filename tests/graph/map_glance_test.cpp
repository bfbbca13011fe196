// datamap_overview with levels, relations and term (the map at a glance, issue 19) over real HTTP
// against a started `datamap serve`, on a small catalog made through the API: the hierarchy's
// counts are the catalog's, relation edges name the shared standard term, a term's carriers are
// exactly the agencies and categories whose datasets carry it, and hostile parameters get a
// precise 400 or 404 while the server keeps answering.
#include <gtest/gtest.h>

#include <set>

#include "tests/graph/map_http.h"

namespace datamap::graph::testing {
namespace {

using datamap::testing::TestServer;

class MapGlance : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new TestServer();
    http_ = new HttpClient(server_->url());
    sysadmin_ = server_->add_user("sysadmin", {"--sysadmin"});
    for (const char* org : {"agency-a", "agency-b", "agency-c"})
      ok(*http_, "organization_create", std::string(R"({"name":")") + org + R"("})", sysadmin_);
    ok(*http_, "group_create", R"({"name":"transport","title":"교통물류"})", sysadmin_);
    ok(*http_, "group_create", R"({"name":"environment","title":"환경기상"})", sysadmin_);
    create("parking", "agency-a", "주차장 현황", "법정동코드별 공영주차장 위치", "transport");
    create("population", "agency-b", "인구 현황", "법정동코드 기준 인구", "environment");
    create("stations", "agency-b", "측정소 목록", "대기오염 측정소명과 위치", "environment");
    create("rulings", "agency-c", "판례 목록", "대법원 판례", "environment");
    ASSERT_TRUE(map_caught_up(*http_));
  }
  static void TearDownTestSuite() {
    delete http_;
    delete server_;
  }
  static void create(const std::string& name, const std::string& org, const std::string& title,
                     const std::string& notes, const std::string& group) {
    ok(*http_, "package_create",
       R"({"name":")" + name + R"(","title":")" + title + R"(","notes":")" + notes +
           R"(","owner_org":")" + org + R"(","groups":[")" + group + R"("]})",
       sysadmin_);
  }
  static rapidjson::Document glance(const std::string& query) {
    HttpReply r = http_->get("/api/3/action/datamap_overview?" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    return parse(r);
  }
  static std::size_t slot(const rapidjson::Value& result, const std::string& name) {
    const auto& names = result["measures"];
    for (rapidjson::SizeType i = 0; i < names.Size(); ++i)
      if (str(names[i]) == name) return i;
    ADD_FAILURE() << "no measure " << name;
    return 0;
  }

  static TestServer* server_;
  static HttpClient* http_;
  static std::string sysadmin_;
};
TestServer* MapGlance::server_ = nullptr;
HttpClient* MapGlance::http_ = nullptr;
std::string MapGlance::sysadmin_;

const rapidjson::Value* by_key(const rapidjson::Value& array, const std::string& key) {
  for (const auto& v : array.GetArray())
    if (str(v["key"]) == key) return &v;
  return nullptr;
}

std::set<std::string> keys(const rapidjson::Value& array) {
  std::set<std::string> out;
  for (const auto& v : array.GetArray()) out.insert(str(v["key"]));
  return out;
}

TEST_F(MapGlance, HierarchyCountsAreTheCatalogsCounts) {
  auto doc = glance("levels=category,agency");
  const auto& result = doc["result"];
  const std::size_t datasets = slot(result, "datasets");
  EXPECT_EQ(result["datasets"].GetInt64(), 4);
  for (const char* group : {"transport", "environment"}) {
    auto show = ok(*http_, "group_show", std::string(R"({"id":")") + group + R"("})");
    const auto* c = by_key(result["categories"], std::string("category:") + group);
    ASSERT_NE(c, nullptr) << group;
    EXPECT_EQ((*c)["m"][datasets].GetInt64(), show["result"]["package_count"].GetInt64()) << group;
    std::int64_t sum = 0;
    for (const auto& a : (*c)["agencies"].GetArray()) sum += a["m"][datasets].GetInt64();
    EXPECT_EQ(sum, (*c)["m"][datasets].GetInt64()) << "the agencies of " << group << " add up";
  }
  const auto* env = by_key(result["categories"], "category:environment");
  const auto* b = by_key((*env)["agencies"], "agency:agency-b");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ((*b)["m"][datasets].GetInt64(), 2);
}

TEST_F(MapGlance, DatasetLevelListsOneCellsDatasets) {
  auto doc = glance("levels=category,agency,dataset&category=environment&agency=agency-b");
  const auto& cats = doc["result"]["categories"];
  ASSERT_EQ(cats.Size(), 1u);
  ASSERT_EQ(cats[0]["agencies"].Size(), 1u);
  std::set<std::string> names;
  for (const auto& d : cats[0]["agencies"][0]["datasets"].GetArray()) names.insert(str(d["name"]));
  EXPECT_EQ(names, (std::set<std::string>{"population", "stations"}));
}

TEST_F(MapGlance, CategoryEdgesNameTheSharedStandardTerm) {
  auto doc = glance("relations=category");
  const auto& edges = doc["result"]["relations"]["edges"];
  bool found = false;
  for (const auto& e : edges.GetArray()) {
    std::set<std::string> ends{str(e["source"]), str(e["target"])};
    if (ends != std::set<std::string>{"category:transport", "category:environment"}) continue;
    found = true;
    EXPECT_GE(e["pairs"].GetInt64(), 1);
    bool named = false;
    for (const auto& t : e["terms"].GetArray()) named = named || str(t["name"]) == "법정동코드";
    EXPECT_TRUE(named) << "the edge does not name 법정동코드";
  }
  EXPECT_TRUE(found) << "no edge between the two categories that share 법정동코드";
}

TEST_F(MapGlance, ATermsCarriersAreExactlyTheAgenciesAndCategoriesCarryingIt) {
  auto doc = glance("term=법정동코드");
  const auto& term = doc["result"]["term"];
  EXPECT_EQ(str(term["name"]), "법정동코드");
  EXPECT_EQ(term["datasets"].GetInt64(), 2);
  EXPECT_EQ(keys(term["agencies"]), (std::set<std::string>{"agency:agency-a", "agency:agency-b"}));
  EXPECT_EQ(keys(term["categories"]),
            (std::set<std::string>{"category:transport", "category:environment"}));
}

TEST_F(MapGlance, HostileParametersAreRefusedPrecisely) {
  const std::pair<const char*, int> cases[] = {
      {"levels=bogus", 400},
      {"levels=category,agency,dataset", 400},  // dataset level without an agency
      {"levels=dataset&agency=agency-a", 400},  // dataset level without the agency level
      {"levels=category&category=nowhere", 404},
      {"levels=category&agency=agency-zzz", 404},
      {"term=%EC%97%86%EB%8A%94%EC%9A%A9%EC%96%B4", 404},  // 없는용어
      {"levels=category&limit=0", 400},
      {"levels=category&limit=99999", 400},
      {"relations=dataset", 400},
      {"relations=agency&edge_limit=-1", 400},
      {"terms=100000", 400},
  };
  for (const auto& [query, status] : cases) {
    HttpReply r = http_->get(std::string("/api/3/action/datamap_overview?") + query);
    EXPECT_EQ(r.status, status) << query << ": " << r.body;
    EXPECT_FALSE(parse(r)["success"].GetBool()) << query;
  }
  // Still answering, and the legacy answer is unchanged.
  auto legacy = parse(http_->get("/api/3/action/datamap_overview"));
  EXPECT_TRUE(legacy["result"].HasMember("nodes"));
}

TEST_F(MapGlance, AnswerIsComputedOncePerRevisionAndFollowsChanges) {
  auto first = glance("levels=category");
  auto again = glance("levels=category");
  EXPECT_EQ(first["result"]["revision"].GetInt64(), again["result"]["revision"].GetInt64());
  EXPECT_EQ(first["result"]["seconds"].GetDouble(), again["result"]["seconds"].GetDouble());
  create("buses", "agency-c", "버스 노선", "노선 정보", "transport");
  ASSERT_TRUE(map_caught_up(*http_));
  ASSERT_TRUE(eventually([&] {
    auto doc = glance("levels=category&category=transport");
    return doc["result"]["categories"][0]["m"][0].GetInt64() == 2;
  })) << "the new dataset never showed in the glance";
}

// A declared relationship links its datasets' categories and agencies, counted apart from the
// pairs that share a term (rulings shares no standard term with anything).
TEST_F(MapGlance, ADeclaredRelationshipLinksCategoriesAndAgencies) {
  auto explicit_pairs = [](const std::string& query, const std::set<std::string>& ends) {
    auto doc = glance(query);
    for (const auto& e : doc["result"]["relations"]["edges"].GetArray())
      if (std::set<std::string>{str(e["source"]), str(e["target"])} == ends)
        return e["explicit_pairs"].GetInt64();
    return std::int64_t(0);
  };
  EXPECT_EQ(explicit_pairs("relations=agency", {"agency:agency-a", "agency:agency-c"}), 0);
  ok(*http_, "package_relationship_create",
     R"({"subject":"rulings","object":"parking","type":"links_to"})", sysadmin_);
  ASSERT_TRUE(map_caught_up(*http_));
  ASSERT_TRUE(eventually([&] {
    return explicit_pairs("relations=agency", {"agency:agency-a", "agency:agency-c"}) == 1;
  })) << "the relationship never linked the two agencies";
  EXPECT_EQ(explicit_pairs("relations=category", {"category:transport", "category:environment"}),
            1);
}

}  // namespace
}  // namespace datamap::graph::testing

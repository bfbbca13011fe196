// The data-map actions over real HTTP against a started `datamap serve`, on a small catalog
// created through the API itself: relations and their reasons, freshness, relationships,
// hostile parameters, and GraphML a real XML parser accepts.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/graph/map_http.h"

namespace datamap::graph::testing {
namespace {

using datamap::testing::TestServer;
using datamap::testing::url_encode;

class MapApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new TestServer();
    http_ = new HttpClient(server_->url());
    sysadmin_ = server_->add_user("sysadmin", {"--sysadmin"});
    ok(*http_, "organization_create", R"({"name":"agency-a","title":"가 기관"})", sysadmin_);
    ok(*http_, "organization_create", R"({"name":"agency-b","title":"나 기관"})", sysadmin_);
    ok(*http_, "organization_create", R"({"name":"agency-c","title":"다 기관"})", sysadmin_);
    ok(*http_, "group_create", R"({"name":"transport","title":"교통물류"})", sysadmin_);
    editor_a_ = server_->add_user("editor_a", {"--org", "agency-a", "--role", "editor"});
    create("parking", "agency-a", "주차장 현황", "법정동코드별 공영주차장 위치",
           R"(["transport"])");
    create("population", "agency-b", "인구 현황", "법정동코드 기준 주민등록 인구", "[]");
    create("stations", "agency-b", "측정소 목록", "대기오염 측정소명과 위치", "[]");
    create("lonely", "agency-a", "판례 목록", "대법원 판례", "[]");
    ASSERT_TRUE(map_caught_up(*http_));
  }
  static void TearDownTestSuite() {
    delete http_;
    delete server_;
  }
  static void create(const std::string& name, const std::string& org, const std::string& title,
                     const std::string& notes, const std::string& groups, bool is_private = false) {
    ok(*http_, "package_create",
       R"({"name":")" + name + R"(","title":")" + title + R"(","notes":")" + notes +
           R"(","owner_org":")" + org + R"(","groups":)" + groups + R"(,"private":)" +
           (is_private ? "true" : "false") + "}",
       sysadmin_);
  }
  static rapidjson::Document get(const std::string& action, const std::string& query) {
    return parse(http_->get("/api/3/action/" + action + "?" + query));
  }
  // The related list of `id` as (name -> reasons) once `other` shows up in it (or the last list).
  static bool related_contains(const std::string& id, const std::string& other,
                               rapidjson::Document* out = nullptr) {
    HttpReply r = http_->get("/api/3/action/datamap_related?id=" + url_encode(id));
    if (r.status != 200) return false;
    auto doc = parse(r);
    bool found = false;
    for (const auto& item : doc["result"].GetArray())
      if (str(item["name"]) == other) found = true;
    if (out) *out = std::move(doc);
    return found;
  }

  static TestServer* server_;
  static HttpClient* http_;
  static std::string sysadmin_, editor_a_;
};
TestServer* MapApi::server_ = nullptr;
HttpClient* MapApi::http_ = nullptr;
std::string MapApi::sysadmin_, MapApi::editor_a_;

const rapidjson::Value* find_by(const rapidjson::Value& array, const char* key,
                                const std::string& value) {
  for (const auto& v : array.GetArray())
    if (v.HasMember(key) && str(v[key]) == value) return &v;
  return nullptr;
}

TEST_F(MapApi, RelatedDatasetsOfOtherAgenciesNameTheSharedTerm) {
  rapidjson::Document doc;
  ASSERT_TRUE(related_contains("parking", "population", &doc));
  const auto* pop = find_by(doc["result"], "name", "population");
  ASSERT_NE(pop, nullptr);
  EXPECT_EQ(str((*pop)["title"]), "인구 현황");
  EXPECT_GT((*pop)["weight"].GetDouble(), 0.0);
  const auto* reason = find_by((*pop)["reasons"], "value", "법정동코드");
  ASSERT_NE(reason, nullptr);
  EXPECT_EQ(str((*reason)["kind"]), "term");
  EXPECT_GT((*reason)["weight"].GetDouble(), 0.0);
  EXPECT_EQ(find_by(doc["result"], "name", "stations"), nullptr) << "nothing shared, no relation";
}

TEST_F(MapApi, ADatasetCreatedThroughTheApiAppearsInItsNeighbourhoodWithinSeconds) {
  create("buildings", "agency-b", "건축물대장", "법정동코드 단위 건축물 현황", "[]");
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(eventually([] { return related_contains("parking", "buildings"); },
                         std::chrono::seconds(30)));
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  RecordProperty("seconds_until_on_map", std::to_string(seconds));
  auto doc = get("datamap_neighbors", "id=buildings&depth=1&limit=50");
  ASSERT_TRUE(doc["success"].IsTrue());
  EXPECT_EQ(str(doc["result"]["center"]["name"]), "buildings");
  EXPECT_NE(find_by(doc["result"]["nodes"], "id", "term:법정동코드"), nullptr);
  EXPECT_NE(find_by(doc["result"]["nodes"], "id", "agency:agency-b"), nullptr);
}

TEST_F(MapApi, NeighborsFilterByNodeAndEdgeType) {
  auto doc = get("datamap_neighbors",
                 "id=term:" + url_encode("법정동코드") + "&node_types=term,dataset&limit=100");
  ASSERT_TRUE(doc["success"].IsTrue()) << doc["error"]["message"].GetString();
  std::vector<std::string> names;
  for (const auto& n : doc["result"]["nodes"].GetArray()) {
    std::string type = str(n["type"]);
    EXPECT_TRUE(type == "term" || type == "dataset") << type;
    if (type == "dataset") names.push_back(str(n["name"]));
  }
  EXPECT_NE(std::find(names.begin(), names.end(), "parking"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "population"), names.end());
  EXPECT_EQ(std::find(names.begin(), names.end(), "stations"), names.end());

  auto only_agency = get("datamap_neighbors", "id=parking&edge_types=published_by");
  ASSERT_TRUE(only_agency["success"].IsTrue());
  ASSERT_EQ(only_agency["result"]["nodes"].Size(), 2u);
  EXPECT_EQ(str(only_agency["result"]["nodes"][1]["id"]), "agency:agency-a");
  EXPECT_EQ(str(only_agency["result"]["nodes"][1]["label"]), "가 기관");
}

TEST_F(MapApi, PathNamesTheSharedTermsAndNoPathIsAnAnswer) {
  auto doc = get("datamap_path", "from=parking&to=population");
  ASSERT_TRUE(doc["success"].IsTrue());
  const auto& res = doc["result"];
  ASSERT_TRUE(res["found"].IsTrue());
  ASSERT_GE(res["hops"].Size(), 1u);
  EXPECT_NE(find_by(res["hops"][0]["reasons"], "value", "법정동코드"), nullptr);

  HttpReply none = http_->get("/api/3/action/datamap_path?from=parking&to=lonely");
  EXPECT_EQ(none.status, 200) << none.body;
  auto nd = parse(none);
  EXPECT_TRUE(nd["result"]["found"].IsFalse());
  EXPECT_EQ(nd["result"]["hops"].Size(), 0u);
  EXPECT_NE(str(nd["result"]["message"]).find("no path"), std::string::npos);
}

TEST_F(MapApi, UnknownIdsAre404) {
  for (std::string q :
       {"datamap_neighbors?id=no-such-dataset", "datamap_related?id=no-such-dataset",
        "datamap_path?from=parking&to=no-such-dataset", "datamap_export?id=term:없는용어"}) {
    HttpReply r = http_->get("/api/3/action/" + q);
    EXPECT_EQ(r.status, 404) << q << " -> " << r.body;
    EXPECT_EQ(str(parse(r)["error"]["__type"]), "Not Found Error") << q;
  }
}

TEST_F(MapApi, LimitsAreCappedWithAClearMessage) {
  struct Case {
    std::string query, words;
  };
  for (const Case& c :
       {Case{"datamap_neighbors?id=parking&depth=9", "depth must be between 1 and 3"},
        Case{"datamap_neighbors?id=parking&limit=100000", "limit must be between 1 and 1000"},
        Case{"datamap_neighbors?id=parking&depth=-1", "depth must be between"},
        Case{"datamap_related?id=parking&limit=0", "limit must be between 1 and 100"},
        Case{"datamap_neighbors?id=parking&node_types=planet", "Unknown node_types value: planet"},
        Case{"datamap_hubs?type=planet", "Unknown type"},
        Case{"datamap_path?from=parking&to=term:" + url_encode("법정동코드"),
             "must name a dataset"},
        Case{"datamap_export?format=pdf", "format must be json or graphml"}}) {
    HttpReply r = http_->get("/api/3/action/" + c.query);
    EXPECT_EQ(r.status, 400) << c.query << " -> " << r.body;
    EXPECT_NE(error_message(r).find(c.words), std::string::npos) << c.query << " -> " << r.body;
  }
  HttpReply junk = http_->get("/api/3/action/datamap_neighbors?id=parking&depth=deep");
  EXPECT_GE(junk.status, 400);
  EXPECT_LT(junk.status, 500) << junk.body;
}

TEST_F(MapApi, PrivateDatasetsStayOffTheMap) {
  // In agency-c, whose counts no other test compares: the catalog counts private datasets, the
  // public map does not.
  create("secret-plan", "agency-c", "비공개 계획", "법정동코드 포함", "[]", true);
  ASSERT_TRUE(map_caught_up(*http_));
  HttpReply r = http_->get("/api/3/action/datamap_neighbors?id=secret-plan");
  EXPECT_EQ(r.status, 404) << r.body;
  EXPECT_FALSE(related_contains("parking", "secret-plan"));
}

TEST_F(MapApi, OverviewCountsEqualTheCatalogsCounts) {
  auto doc = get("datamap_overview", "agency_limit=100");
  ASSERT_TRUE(doc["success"].IsTrue());
  for (const char* org : {"agency-a", "agency-b"}) {
    auto show = ok(*http_, "organization_show", std::string(R"({"id":")") + org + R"("})");
    const auto* node = find_by(doc["result"]["nodes"], "id", std::string("agency:") + org);
    ASSERT_NE(node, nullptr) << org;
    EXPECT_EQ((*node)["type"], "agency");
    EXPECT_EQ((*node)["count"].GetInt64(), show["result"]["package_count"].GetInt64()) << org;
  }
  const auto* transport = find_by(doc["result"]["nodes"], "id", "category:transport");
  ASSERT_NE(transport, nullptr);
  EXPECT_EQ(str((*transport)["label"]), "교통물류");
  EXPECT_EQ((*transport)["count"].GetInt64(), 1);
}

TEST_F(MapApi, ExplicitRelationshipsThroughTheApi) {
  // Anonymous callers may not relate datasets; unknown types and self-relations are refused.
  EXPECT_EQ(http_
                ->action("package_relationship_create",
                         R"({"subject":"stations","object":"lonely","type":"links_to"})")
                .status,
            403);
  EXPECT_EQ(http_
                ->action("package_relationship_create",
                         R"({"subject":"parking","object":"lonely","type":"eats"})", editor_a_)
                .status,
            409);
  EXPECT_EQ(http_
                ->action("package_relationship_create",
                         R"({"subject":"parking","object":"parking","type":"links_to"})", editor_a_)
                .status,
            409);
  EXPECT_EQ(http_
                ->get("/api/3/action/"
                      "package_relationship_create?subject=parking&object=lonely&type=links_to")
                .status,
            405);

  // editor_a edits agency-a's "lonely"; "stations" belongs to agency-b: the inverse form is
  // accepted.
  auto created =
      ok(*http_, "package_relationship_create",
         R"({"subject":"stations","object":"lonely","type":"dependency_of","comment":"참조"})",
         editor_a_);
  EXPECT_EQ(str(created["result"]["subject"]), "lonely");
  EXPECT_EQ(str(created["result"]["type"]), "depends_on");
  EXPECT_EQ(str(created["result"]["object"]), "stations");

  auto from_stations = ok(*http_, "package_relationships_list", R"({"id":"stations"})");
  ASSERT_EQ(from_stations["result"].Size(), 1u);
  EXPECT_EQ(str(from_stations["result"][0]["type"]), "dependency_of");
  EXPECT_EQ(str(from_stations["result"][0]["object"]), "lonely");
  EXPECT_EQ(str(from_stations["result"][0]["comment"]), "참조");

  rapidjson::Document rel;
  ASSERT_TRUE(eventually([&] { return related_contains("lonely", "stations", &rel); },
                         std::chrono::seconds(30)));
  const auto* st = find_by(rel["result"], "name", "stations");
  ASSERT_NE(st, nullptr);
  const auto* reason = find_by((*st)["reasons"], "kind", "explicit");
  ASSERT_NE(reason, nullptr);
  EXPECT_EQ(str((*reason)["value"]), "depends_on");

  ok(*http_, "package_relationship_delete",
     R"({"subject":"lonely","object":"stations","type":"depends_on"})", editor_a_);
  EXPECT_EQ(ok(*http_, "package_relationships_list", R"({"id":"lonely"})")["result"].Size(), 0u);
  EXPECT_TRUE(eventually([&] { return !related_contains("lonely", "stations"); },
                         std::chrono::seconds(30)));
  EXPECT_EQ(
      http_
          ->action("package_relationship_delete",
                   R"({"subject":"lonely","object":"stations","type":"depends_on"})", editor_a_)
          .status,
      404);
}

TEST_F(MapApi, GraphmlExportParsesWithARealXmlParser) {
  datamap::testing::TempDir dir;
  auto doc = get("datamap_export", "id=parking&depth=2&format=graphml");
  ASSERT_TRUE(doc["success"].IsTrue());
  std::string xml = str(doc["result"]["graphml"]);
  auto counts = parse_graphml_with_python(xml, dir.path());
  EXPECT_EQ(counts, std::to_string(doc["result"]["node_count"].GetUint64()) + " " +
                        std::to_string(doc["result"]["edge_count"].GetUint64()));
  EXPECT_NE(xml.find("법정동코드"), std::string::npos);

  auto whole = get("datamap_export", "format=graphml");
  ASSERT_TRUE(whole["success"].IsTrue());
  auto all = parse_graphml_with_python(str(whole["result"]["graphml"]), dir.path());
  EXPECT_EQ(all, std::to_string(whole["result"]["node_count"].GetUint64()) + " " +
                     std::to_string(whole["result"]["edge_count"].GetUint64()));

  auto json = get("datamap_export", "id=parking&depth=2");
  ASSERT_TRUE(json["success"].IsTrue());
  EXPECT_EQ(json["result"]["nodes"].Size(), doc["result"]["node_count"].GetUint64());
}

TEST_F(MapApi, StatsHubsAndClustersDescribeTheMap) {
  auto stats = get("datamap_stats", "");
  ASSERT_TRUE(stats["success"].IsTrue());
  EXPECT_GE(stats["result"]["nodes"]["dataset"].GetInt64(), 4);
  EXPECT_GE(stats["result"]["edges"]["related"].GetInt64(), 1);
  auto hubs = get("datamap_hubs", "type=term&limit=5");
  ASSERT_TRUE(hubs["success"].IsTrue());
  ASSERT_GE(hubs["result"].Size(), 1u);
  EXPECT_EQ(str(hubs["result"][0]["id"]), "term:법정동코드") << "the term most datasets carry";
  auto clusters = get("datamap_clusters", "limit=5");
  ASSERT_TRUE(clusters["success"].IsTrue());
  ASSERT_GE(clusters["result"]["clusters"].Size(), 1u);
  EXPECT_EQ(str(clusters["result"]["clusters"][0]["label"]), "법정동코드");
}

}  // namespace
}  // namespace datamap::graph::testing

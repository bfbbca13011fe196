// What one anonymous map request may cost: the whole-map export is built once per map revision
// however often it is asked for (status_show counts the builds), a map over the configured
// export size answers 413, and a path search that would explore past its budget answers 400.
#include <gtest/gtest.h>

#include "tests/graph/map_http.h"

namespace datamap::graph::testing {
namespace {

using datamap::testing::TestServer;

// parking and population share the standard term 법정동코드, population and stations share
// 측정소명, and parking and stations share nothing: parking -> stations takes two hops.
void make_catalog(TestServer& server, const HttpClient& http) {
  std::string root = server.add_user("root", {"--sysadmin"});
  ok(http, "organization_create", R"({"name":"agency-a","title":"가 기관"})", root);
  ok(http, "organization_create", R"({"name":"agency-b","title":"나 기관"})", root);
  auto create = [&](const char* name, const char* org, const char* title, const char* notes) {
    ok(http, "package_create",
       std::string(R"({"name":")") + name + R"(","title":")" + title + R"(","notes":")" + notes +
           R"(","owner_org":")" + org + R"("})",
       root);
  };
  create("parking", "agency-a", "주차장 현황", "법정동코드별 공영주차장 위치");
  create("population", "agency-b", "인구 현황", "법정동코드 기준 측정소명 인구");
  create("stations", "agency-b", "측정소 목록", "대기오염 측정소명과 위치");
  ASSERT_TRUE(map_caught_up(http));
}

std::int64_t exports_built(const HttpClient& http) {
  auto doc = parse(http.action("status_show"));
  EXPECT_TRUE(doc["result"].HasMember("map_exports_built")) << "status_show has no counter";
  return doc["result"].HasMember("map_exports_built")
             ? doc["result"]["map_exports_built"].GetInt64()
             : -1;
}

TEST(MapLimits, TheWholeMapExportIsBuiltOncePerMapRevision) {
  TestServer server;
  HttpClient http = server.client();
  make_catalog(server, http);
  std::int64_t before = exports_built(http);
  HttpReply first = http.get("/api/3/action/datamap_export");
  ASSERT_EQ(first.status, 200) << first.body.substr(0, 500);
  for (int i = 0; i < 20; ++i) {
    HttpReply again = http.get("/api/3/action/datamap_export");
    ASSERT_EQ(again.status, 200);
    EXPECT_EQ(again.body, first.body);
  }
  EXPECT_EQ(exports_built(http), before + 1);
  // GraphML is its own export, also built once.
  std::string graphml = http.get("/api/3/action/datamap_export?format=graphml").body;
  EXPECT_EQ(http.get("/api/3/action/datamap_export?format=graphml").body, graphml);
  EXPECT_EQ(exports_built(http), before + 2);
  EXPECT_NE(graphml.find("<graphml"), std::string::npos);

  // A change makes a new map revision: the next export includes it.
  std::string root = server.add_user("root2", {"--sysadmin"});
  ok(http, "package_create",
     R"({"name":"parking-2","title":"주차장 2","notes":"법정동코드","owner_org":"agency-a"})",
     root);
  ASSERT_TRUE(map_caught_up(http));
  HttpReply fresh = http.get("/api/3/action/datamap_export");
  EXPECT_NE(fresh.body.find("parking-2"), std::string::npos);
  EXPECT_EQ(exports_built(http), before + 3);
}

TEST(MapLimits, AWholeMapExportOverTheConfiguredSizeIs413WithAMessage) {
  TestServer::Options o;
  o.config_toml = "[limits]\nmap_export_max_nodes = 3\n";
  TestServer server(o);
  HttpClient http = server.client();
  make_catalog(server, http);
  HttpReply r = http.get("/api/3/action/datamap_export");
  EXPECT_EQ(r.status, 413) << r.body.substr(0, 500);
  std::string message = error_message(r);
  EXPECT_NE(message.find("more than this server exports at once (3 nodes"), std::string::npos)
      << message;
  EXPECT_NE(message.find("export a neighbourhood"), std::string::npos) << message;
  // A neighbourhood is still fine.
  EXPECT_EQ(http.get("/api/3/action/datamap_export?id=parking&limit=3").status, 200);
}

TEST(MapLimits, APathSearchPastItsBudgetIs400NotUnboundedWork) {
  TestServer::Options o;
  o.config_toml = "[limits]\npath_max_explored = 1\n";
  TestServer server(o);
  HttpClient http = server.client();
  make_catalog(server, http);
  HttpReply r = http.get("/api/3/action/datamap_path?from=parking&to=stations");
  EXPECT_EQ(r.status, 400) << r.body.substr(0, 500);
  EXPECT_NE(error_message(r).find("limits.path_max_explored"), std::string::npos) << r.body;
}

TEST(MapLimits, APathWithinTheDefaultBudgetIsFound) {
  TestServer server;
  HttpClient http = server.client();
  make_catalog(server, http);
  auto doc = ok(http, "datamap_path", R"({"from":"parking","to":"stations"})");
  EXPECT_TRUE(doc["result"]["found"].GetBool());
  EXPECT_GE(doc["result"]["length"].GetInt64(), 2);
}

}  // namespace
}  // namespace datamap::graph::testing

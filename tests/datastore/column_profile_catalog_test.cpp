// The column profile in the catalog, over real HTTP: package_show shows it on the resource,
// package_update round-trips it unchanged, and package_search's fq=columns:X finds the dataset
// by a column's name, standard term or semantic type.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "tests/support/test_server.h"

using datamap::testing::TestServer;

namespace {

const char* kProfiledDataset = R"({
  "name": "parking-profiled", "title": "전국주차장정보표준데이터", "owner_org": "agency",
  "resources": [{
    "name": "data.csv", "format": "CSV", "url": "http://example.kr/data.csv",
    "datastore_active": true,
    "columns": [
      {"name": "위도", "type": "numeric", "semantic_type": "latitude", "standard_term": "위도",
       "rows": 14851, "nulls": 2207, "distinct": 11528, "distinct_estimated": false,
       "min": "0", "max": "38.5", "invalid": 40, "top_values": [{"value": "37.5", "count": 3}],
       "organizations": [], "sketch": []},
      {"name": "코드", "type": "text", "semantic_type": "legal_dong_code",
       "standard_term": "법정동코드", "rows": 14851, "nulls": 0, "distinct": 2,
       "distinct_estimated": true, "min": "1111010100", "max": "1168010100", "invalid": 0,
       "top_values": [], "organizations": ["org-1"],
       "sketch": ["00000000000000ff", "ffffffffffffffff"]}
    ]
  }]
})";

rapidjson::Document ok(TestServer& s, const std::string& action, const std::string& body,
                       const std::string& token) {
  auto reply = s.client().action(action, body, token);
  EXPECT_EQ(reply.status, 200) << action << ": " << reply.body;
  return reply.json();
}

std::string to_json(const rapidjson::Value& v) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  v.Accept(w);
  return sb.GetString();
}

}  // namespace

TEST(ColumnProfileCatalog, PackageShowRoundTripAndSearchByColumn) {
  TestServer server;
  std::string token = server.add_user("admin", {"--sysadmin"});
  ok(server, "organization_create", R"({"name": "agency", "title": "기관"})", token);
  ok(server, "package_create", kProfiledDataset, token);

  auto shown = ok(server, "package_show", R"({"id": "parking-profiled"})", token);
  const auto& res = shown["result"]["resources"][0];
  ASSERT_TRUE(res.HasMember("columns")) << to_json(res);
  EXPECT_TRUE(res["datastore_active"].GetBool());
  ASSERT_EQ(res["columns"].Size(), 2u);
  const auto& lat = res["columns"][0];
  EXPECT_STREQ(lat["semantic_type"].GetString(), "latitude");
  EXPECT_EQ(lat["nulls"].GetInt64(), 2207);
  EXPECT_EQ(lat["invalid"].GetInt64(), 40);
  EXPECT_STREQ(lat["top_values"][0]["value"].GetString(), "37.5");
  const auto& code = res["columns"][1];
  EXPECT_TRUE(code["distinct_estimated"].GetBool());
  EXPECT_STREQ(code["sketch"][0].GetString(), "00000000000000ff");
  EXPECT_STREQ(code["sketch"][1].GetString(), "ffffffffffffffff");
  EXPECT_STREQ(code["organizations"][0].GetString(), "org-1");
  std::string before = to_json(res["columns"]);

  // package_update with what package_show gave: the profile comes back unchanged.
  ok(server, "package_update", to_json(shown["result"]), token);
  auto again = ok(server, "package_show", R"({"id": "parking-profiled"})", token);
  EXPECT_EQ(to_json(again["result"]["resources"][0]["columns"]), before);

  // A broken profile is a validation error naming the field, not a 500.
  auto bad = server.client().action(
      "package_create",
      R"({"name": "bad-profile", "owner_org": "agency", "resources": [{"url": "http://x.kr", "columns": [{"rows": "many"}]}]})",
      token);
  EXPECT_EQ(bad.status, 409) << bad.body;
  EXPECT_NE(bad.body.find("resources[0].columns[0].rows"), std::string::npos) << bad.body;

  auto revision = ok(server, "status_show", "{}", "")["result"]["revision"].GetInt64();
  for (int i = 0; i < 300; ++i) {
    if (ok(server, "status_show", "{}", "")["result"]["search_revision"].GetInt64() >= revision) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  for (const char* fq : {"columns:법정동코드", "columns:latitude", "columns:위도", "columns:코드"}) {
    auto found = ok(server, "package_search", std::string(R"({"fq": ")") + fq + "\"}", token);
    EXPECT_EQ(found["result"]["count"].GetInt(), 1) << fq;
  }
  auto none = ok(server, "package_search", R"({"fq": "columns:우편번호"})", token);
  EXPECT_EQ(none["result"]["count"].GetInt(), 0);
  auto facets = ok(server, "package_search", R"({"facet.field": ["columns"]})", token);
  EXPECT_EQ(facets["result"]["facets"]["columns"]["legal_dong_code"].GetInt(), 1)
      << to_json(facets["result"]["facets"]);
}

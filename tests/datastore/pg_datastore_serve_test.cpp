// `datamap serve --catalog postgresql://…` keeps the DataStore on PostgreSQL too
// (app/datastore_wiring.cpp, datastore/pg_table_store.h): datastore_create and datastore_search
// and datastore_join over real HTTP on the binary's throwaway cluster.
#include <gtest/gtest.h>

#include <string>

#include "tests/support/pg_cluster.h"
#include "tests/support/test_server.h"

namespace datamap::testing {
namespace {

TEST(PostgresDataStore, CreateAndSearchOverHttp) {
  const std::string url = PgCluster::shared().new_database();
  TestServer::Options o;
  o.extra_args = {"--catalog", url};
  TestServer server(o);
  const std::string admin = server.add_user("admin", {"--sysadmin", "--catalog", url});
  ASSERT_EQ(server.client()
                .action("organization_create", R"({"name":"daegu","title":"대구광역시"})", admin)
                .status,
            200);
  ASSERT_EQ(server.client()
                .action("package_create",
                        R"({"name":"parks","title":"도시공원 정보","owner_org":"daegu"})", admin)
                .status,
            200);
  auto created = server.client().action("datastore_create", R"({
      "resource": {"package_id": "parks", "name": "공원 목록", "format": "CSV"},
      "fields": [{"id": "공원명", "type": "text"}, {"id": "면적", "type": "numeric"},
                 {"id": "위도", "type": "numeric"}, {"id": "경도", "type": "numeric"}],
      "primary_key": ["공원명"],
      "records": [{"공원명": "율하체육공원", "면적": 1500.5, "위도": 35.86, "경도": 128.69},
                  {"공원명": "대구체육공원", "면적": "20", "위도": 35.83, "경도": 128.69},
                  {"공원명": "Central Park", "면적": 341}]})",
                                        admin);
  ASSERT_EQ(created.status, 200) << created.body << server.log();
  const std::string rid = created.json()["result"]["resource_id"].GetString();

  auto found = server.client().action(
      "datastore_search", R"({"resource_id":")" + rid + R"(","q":"체육공원","sort":"면적 desc"})");
  ASSERT_EQ(found.status, 200) << found.body;
  auto doc = found.json();
  EXPECT_EQ(doc["result"]["total"].GetInt(), 2);
  ASSERT_EQ(doc["result"]["records"].Size(), 2u);
  EXPECT_STREQ(doc["result"]["records"][0]["공원명"].GetString(), "율하체육공원");
  EXPECT_EQ(doc["result"]["records"][1]["면적"].GetDouble(), 20.0);

  auto filtered = server.client().action(
      "datastore_search", R"({"resource_id":")" + rid + R"(","filters":{"면적":"341"}})");
  ASSERT_EQ(filtered.status, 200) << filtered.body;
  EXPECT_STREQ(filtered.json()["result"]["records"][0]["공원명"].GetString(), "Central Park");
  auto bad = server.client().action(
      "datastore_search", R"({"resource_id":")" + rid + R"(","filters":{"면적":"넓음"}})");
  EXPECT_EQ(bad.status, 409) << bad.body;

  auto sql =
      server.client().action("datastore_search_sql", R"({"sql":"SELECT count(*) AS n FROM \")" +
                                                         rid + R"(\" WHERE \"면적\" > 100"})");
  ASSERT_EQ(sql.status, 200) << sql.body;
  EXPECT_EQ(sql.json()["result"]["records"][0]["n"].GetInt(), 2);
  auto write =
      server.client().action("datastore_search_sql", R"({"sql":"DELETE FROM \")" + rid + R"(\""})");
  EXPECT_EQ(write.status, 400) << write.body;

  // datastore_join (its pairs decided by the engine both backends share): the parks within
  // 4 km of each other, the two in 대구 (3.3 km apart) and each with itself; Central Park has no
  // point and pairs with nothing.
  auto near = server.client().action(
      "datastore_join", R"({"left":")" + rid + R"(","right":")" + rid +
                            R"(","within_meters":4000,"left_point":["위도","경도"],)"
                            R"("right_point":["위도","경도"],"fields":["left._id","right._id"]})");
  ASSERT_EQ(near.status, 200) << near.body;
  auto pairs = near.json();
  EXPECT_EQ(pairs["result"]["total"].GetInt(), 4);
  ASSERT_EQ(pairs["result"]["records"].Size(), 4u);
  EXPECT_EQ(pairs["result"]["records"][1]["left._id"].GetInt(), 1);
  EXPECT_EQ(pairs["result"]["records"][1]["right._id"].GetInt(), 2);
  EXPECT_NEAR(pairs["result"]["records"][1]["distance_m"].GetDouble(), 3336, 5);
  auto by_name = server.client().action(
      "datastore_join", R"({"left":")" + rid + R"(","right":")" + rid +
                            R"(","on":"공원명","fields":["right.면적"],"sort":"right.면적"})");
  ASSERT_EQ(by_name.status, 200) << by_name.body;
  auto names = by_name.json();
  EXPECT_EQ(names["result"]["total"].GetInt(), 3);
  EXPECT_EQ(names["result"]["records"][0]["right.면적"].GetDouble(), 20.0);
}

}  // namespace
}  // namespace datamap::testing

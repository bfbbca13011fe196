// `datamap serve --catalog postgresql://…`: the real server on a real PostgreSQL (the binary's
// throwaway cluster, tests/support/pg_cluster.h), answering over HTTP; two nodes on one catalog.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/eventually.h"
#include "tests/support/pg_cluster.h"
#include "tests/support/test_server.h"

namespace datamap::testing {
namespace {

TestServer::Options on_catalog(const std::string& url) {
  TestServer::Options o;
  o.extra_args = {"--catalog", url};
  return o;
}

std::int64_t search_count(const TestServer& s, const std::string& q) {
  auto r = s.client().action("package_search", R"({"q":")" + q + R"("})");
  if (r.status != 200) return -1;
  return r.json()["result"]["count"].GetInt64();
}

TEST(PostgresServe, PackageCreateShowAndSearchOverHttp) {
  const std::string url = PgCluster::shared().new_database();
  TestServer server(on_catalog(url));
  const std::string admin = server.add_user("admin", {"--sysadmin", "--catalog", url});
  auto org = server.client().action("organization_create",
                                    R"({"name":"seoul","title":"서울특별시"})", admin);
  ASSERT_EQ(org.status, 200) << org.body;
  auto created = server.client().action(
      "package_create",
      R"({"name":"parking-lots","title":"공영주차장 정보","owner_org":"seoul",
          "tags":[{"name":"주차장"}],"resources":[{"url":"https://example.go.kr/p.csv"}]})",
      admin);
  ASSERT_EQ(created.status, 200) << created.body << server.log();

  auto shown = server.client().action("package_show", R"({"id":"parking-lots"})");
  ASSERT_EQ(shown.status, 200) << shown.body;
  auto doc = shown.json();
  EXPECT_STREQ(doc["result"]["title"].GetString(), "공영주차장 정보");
  EXPECT_EQ(doc["result"]["resources"].Size(), 1u);
  EXPECT_STREQ(doc["result"]["organization"]["name"].GetString(), "seoul");

  EXPECT_TRUE(eventually([&] { return search_count(server, "주차장") == 1; })) << server.log();
  auto list = server.client().action("package_list");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json()["result"].Size(), 1u);

  // Bad input: a name taken is CKAN's 409; a text PostgreSQL cannot hold is refused the same
  // way, not cut short; neither harms the server or the stored dataset.
  auto clash = server.client().action(
      "package_create", R"({"name":"parking-lots","title":"또","owner_org":"seoul"})", admin);
  EXPECT_EQ(clash.status, 409) << clash.body;
  auto nul = server.client().action(
      "package_create", R"({"name":"nul-title","title":"a\u0000b","owner_org":"seoul"})", admin);
  EXPECT_EQ(nul.status, 409) << nul.body;
  EXPECT_EQ(server.client().action("package_show", R"({"id":"nul-title"})").status, 404);
  auto anonymous = server.client().action("package_create",
                                          R"({"name":"anon","title":"익명","owner_org":"seoul"})");
  EXPECT_EQ(anonymous.status, 403) << anonymous.body;
  EXPECT_EQ(server.client().action("package_show", R"({"id":"parking-lots"})").status, 200);

  // The dataset's history is kept on PostgreSQL too (tests/api/activity_test.cpp runs the
  // activity, follow and reuse actions on both backends).
  auto activity = server.client().action("package_activity_list", R"({"id":"parking-lots"})");
  ASSERT_EQ(activity.status, 200) << activity.body;
  ASSERT_EQ(activity.json()["result"].Size(), 1u) << activity.body;
  EXPECT_STREQ(activity.json()["result"][0]["activity_type"].GetString(), "new package");

  // Nothing answers 501 any more: the demand ranking reads the shared data requests.
  auto ranking = server.client().action("demand_ranking", "{}");
  EXPECT_EQ(ranking.status, 200) << ranking.body;
}

// Two nodes, each with its own data directory (search index, map), on one catalog: a write on
// one is found by the other's search, woken by NOTIFY, and is in the other's activity stream.
TEST(PostgresServe, AWriteOnOneNodeIsFoundOnTheOther) {
  const std::string url = PgCluster::shared().new_database();
  TestServer a(on_catalog(url));
  TestServer b(on_catalog(url));
  const std::string admin = a.add_user("admin", {"--sysadmin", "--catalog", url});
  ASSERT_EQ(a.client().action("organization_create", R"({"name":"busan"})", admin).status, 200);
  auto created = a.client().action(
      "package_create", R"({"name":"busan-beaches","title":"해수욕장 수질","owner_org":"busan"})",
      admin);
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_EQ(b.client().action("package_show", R"({"id":"busan-beaches"})").status, 200);
  EXPECT_TRUE(eventually([&] { return search_count(b, "해수욕장") == 1; })) << b.log();
  // And back: node b's write (with the same token: users are in the shared catalog).
  auto second = b.client().action(
      "package_create", R"({"name":"busan-ports","title":"항만 물동량","owner_org":"busan"})",
      admin);
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_TRUE(eventually([&] { return search_count(a, "물동량") == 1; })) << a.log();

  // Activities and follows are the shared catalog's too: node b's write is in node a's stream
  // at once, and a follow made on a is counted on b.
  auto stream = a.client().action("package_activity_list", R"({"id":"busan-ports"})");
  ASSERT_EQ(stream.status, 200) << stream.body;
  ASSERT_EQ(stream.json()["result"].Size(), 1u) << stream.body;
  EXPECT_STREQ(stream.json()["result"][0]["activity_type"].GetString(), "new package");
  ASSERT_EQ(a.client().action("follow_dataset", R"({"id":"busan-beaches"})", admin).status, 200);
  auto followers = b.client().action("dataset_follower_count", R"({"id":"busan-beaches"})");
  ASSERT_EQ(followers.status, 200) << followers.body;
  EXPECT_EQ(followers.json()["result"].GetInt64(), 1);
  EXPECT_EQ(b.client().action("follow_dataset", R"({"id":"busan-beaches"})", admin).status, 409)
      << "already following, whichever node is asked";
}

// Data requests are the shared catalog's: one made on node a is listed and votable on node b;
// votes arriving at once on both nodes are each counted once (one user's second vote, on the
// other node, counts nothing); both nodes' ranking counts them.
TEST(PostgresServe, ADataRequestMadeOnOneNodeIsVotedOnBothWithAnExactTally) {
  const std::string url = PgCluster::shared().new_database();
  TestServer a(on_catalog(url));
  TestServer b(on_catalog(url));
  const std::string admin = a.add_user("admin", {"--sysadmin", "--catalog", url});
  ASSERT_EQ(a.client().action("organization_create", R"({"name":"daegu"})", admin).status, 200);
  ASSERT_EQ(a.client()
                .action("package_create",
                        R"({"name":"subway-crowding","title":"지하철 혼잡도","owner_org":"daegu"})",
                        admin)
                .status,
            200);
  const std::string citizen = a.add_user("citizen", {"--catalog", url});
  auto created = a.client().action(
      "datarequest_create", R"({"title":"지하철 혼잡도 실시간","organization":"daegu"})", citizen);
  ASSERT_EQ(created.status, 200) << created.body << a.log();
  const std::string id = created.json()["result"]["id"].GetString();
  const std::string by_id = R"({"id":")" + id + R"("})";

  auto listed = b.client().action("datarequest_list", "{}");
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_EQ(listed.json()["result"]["count"].GetInt64(), 1) << listed.body;
  EXPECT_EQ(listed.json()["result"]["results"][0]["id"].GetString(), id);
  // Node b's request search follows the shared change log (woken by NOTIFY).
  EXPECT_TRUE(eventually([&] {
    auto found = b.client().action("datarequest_search", R"({"q":"혼잡도"})");
    return found.status == 200 && found.json()["result"]["count"].GetInt64() == 1;
  })) << b.log();

  constexpr int kVoters = 8;
  std::vector<std::string> voters;
  for (int i = 0; i < kVoters; ++i)
    voters.push_back(a.add_user("voter" + std::to_string(i), {"--catalog", url}));
  // Each voter votes on both nodes at once: 2 x kVoters calls, kVoters of them counted.
  std::vector<int> statuses(2 * kVoters, 0);
  std::vector<bool> counted(2 * kVoters, false);
  std::vector<std::thread> threads;
  for (int i = 0; i < 2 * kVoters; ++i)
    threads.emplace_back([&, i] {
      HttpClient http(i % 2 ? b.url() : a.url());
      auto r = http.action("datarequest_vote", by_id, voters[i / 2]);
      statuses[i] = static_cast<int>(r.status);
      if (r.status == 200) counted[i] = r.json()["result"]["counted"].GetBool();
    });
  for (auto& t : threads) t.join();
  for (int s : statuses) EXPECT_EQ(s, 200);
  int counted_votes = 0;
  for (int i = 0; i < kVoters; ++i) {
    EXPECT_NE(counted[2 * i], counted[2 * i + 1]) << "voter " << i << ": counted exactly once";
    counted_votes += counted[2 * i] + counted[2 * i + 1];
  }
  EXPECT_EQ(counted_votes, kVoters);
  for (TestServer* node : {&a, &b}) {
    auto shown = node->client().action("datarequest_show", by_id);
    ASSERT_EQ(shown.status, 200) << shown.body;
    EXPECT_EQ(shown.json()["result"]["votes"].GetInt64(), kVoters);
  }

  // Closed on b with the dataset: both nodes' ranking counts the request and its votes.
  auto closed = b.client().action(
      "datarequest_close",
      R"({"id":")" + id + R"(","outcome":"provided","package_id":"subway-crowding"})", admin);
  ASSERT_EQ(closed.status, 200) << closed.body;
  for (TestServer* node : {&a, &b}) {
    auto ranking = node->client().action("demand_ranking", "{}");
    ASSERT_EQ(ranking.status, 200) << ranking.body;
    auto doc = ranking.json();
    ASSERT_EQ(doc["result"]["results"].Size(), 1u) << ranking.body;
    EXPECT_EQ(doc["result"]["results"][0]["counts"]["votes"].GetInt64(), kVoters);
    EXPECT_EQ(doc["result"]["results"][0]["counts"]["requests"].GetInt64(), 1);
  }
  // A vote on a closed request is refused on either node.
  EXPECT_EQ(a.client().action("datarequest_vote", by_id, citizen).status, 409);
}

TEST(PostgresServe, ACatalogThatIsNotAPostgresUrlOrUnreachableIsRefusedClearly) {
  TempDir dir;
  auto bad =
      run_datamap({"user", "add", "x", "--data", dir.path(), "--catalog", "mysql://somewhere/db"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.errors.find("postgresql://"), std::string::npos) << bad.errors;
  // A closed port: the message names the server without the password.
  auto unreachable = run_datamap({"user", "add", "x", "--data", dir.path(), "--catalog",
                                  "postgresql://datamap:hunter2@127.0.0.1:1/none"});
  EXPECT_NE(unreachable.exit_code, 0);
  EXPECT_NE(unreachable.errors.find("cannot connect"), std::string::npos) << unreachable.errors;
  EXPECT_EQ(unreachable.errors.find("hunter2"), std::string::npos) << unreachable.errors;
}

}  // namespace
}  // namespace datamap::testing

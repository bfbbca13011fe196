// datamap_overview with levels after a catalog change, over real HTTP: the glance is recomputed in
// the background, so requests meanwhile answer with the previous glance marked `computing` (never
// waiting for the computation), all of them when many come at once, and later with the new
// figures. DATAMAP_GLANCE_DELAY_MS holds each computation back long enough to watch this.
#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>
#include <vector>

#include "tests/graph/map_http.h"

namespace datamap::graph::testing {
namespace {

using datamap::testing::TestServer;

struct Seen {
  int status = 0;
  std::int64_t datasets = -1, revision = -1;
  bool computing = false;
};

Seen look(const HttpClient& http) {
  HttpReply r = http.get("/api/3/action/datamap_overview?levels=category,agency");
  Seen s;
  s.status = r.status;
  auto doc = parse(r);
  if (r.status != 200 || !doc.IsObject() || !doc.HasMember("result")) return s;
  const auto& res = doc["result"];
  s.datasets = res["datasets"].GetInt64();
  s.revision = res["revision"].GetInt64();
  s.computing = res.HasMember("computing") && res["computing"].IsTrue();
  return s;
}

TEST(MapGlanceBackground, AChangeServesThePreviousGlanceMarkedUntilTheNewOneIsReady) {
  setenv("DATAMAP_GLANCE_DELAY_MS", "5000", 1);
  TestServer server;
  unsetenv("DATAMAP_GLANCE_DELAY_MS");
  HttpClient http(server.url());
  const std::string admin = server.add_user("sysadmin", {"--sysadmin"});
  ok(http, "organization_create", R"({"name":"agency-a"})", admin);
  ok(http, "group_create", R"({"name":"transport","title":"교통물류"})", admin);
  auto create = [&](const std::string& name) {
    ok(http, "package_create",
       R"({"name":")" + name + R"(","title":"주차장 )" + name +
           R"(","owner_org":"agency-a","groups":["transport"]})",
       admin);
  };
  create("parking-1");
  create("parking-2");
  ASSERT_TRUE(map_caught_up(http));

  // A server that never had a glance waits for its first one.
  const Seen first = look(http);
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.datasets, 2);
  EXPECT_FALSE(first.computing);

  create("parking-3");
  ASSERT_TRUE(map_caught_up(http));
  // Eight visitors at once while the new glance is held back: each gets the previous one, flagged.
  std::vector<Seen> seen(8);
  std::vector<std::thread> visitors;
  for (std::size_t i = 0; i < seen.size(); ++i)
    visitors.emplace_back([&seen, &http, i] { seen[i] = look(http); });
  for (auto& t : visitors) t.join();
  for (const auto& s : seen) {
    EXPECT_EQ(s.status, 200);
    EXPECT_EQ(s.datasets, 2);
    EXPECT_EQ(s.revision, first.revision);
    EXPECT_TRUE(s.computing);
  }

  // Later: the new figures, no longer flagged.
  Seen later;
  EXPECT_TRUE(eventually([&] {
    later = look(http);
    return !later.computing;
  }));
  EXPECT_EQ(later.status, 200);
  EXPECT_EQ(later.datasets, 3);
  EXPECT_GT(later.revision, first.revision);
}

// A server whose first glance is not ready within the wait answers 503 with Retry-After (the
// page's script asks again then), not a client error; once computed it answers 200.
TEST(MapGlanceBackground, AFirstGlanceNotReadyInTimeIs503WithRetryAfterThen200) {
  setenv("DATAMAP_GLANCE_DELAY_MS", "3000", 1);
  setenv("DATAMAP_GLANCE_FIRST_WAIT_MS", "100", 1);
  TestServer server;
  unsetenv("DATAMAP_GLANCE_DELAY_MS");
  unsetenv("DATAMAP_GLANCE_FIRST_WAIT_MS");
  HttpClient http(server.url());
  const std::string admin = server.add_user("sysadmin", {"--sysadmin"});
  ok(http, "organization_create", R"({"name":"agency-a"})", admin);
  ok(http, "package_create", R"({"name":"parking-1","title":"주차장","owner_org":"agency-a"})",
     admin);
  ASSERT_TRUE(map_caught_up(http));

  HttpReply first = http.get("/api/3/action/datamap_overview?levels=category");
  EXPECT_EQ(first.status, 503);
  const std::string retry = first.header("retry-after");
  EXPECT_FALSE(retry.empty());
  EXPECT_GT(std::atoi(retry.c_str()), 0);
  auto doc = parse(first);
  ASSERT_TRUE(doc.IsObject());
  EXPECT_FALSE(doc["success"].GetBool());
  EXPECT_NE(std::string(doc["error"]["message"].GetString()).find("being computed"),
            std::string::npos);

  EXPECT_TRUE(eventually([&] { return look(http).status == 200; }));
  EXPECT_EQ(look(http).datasets, 1);
}

}  // namespace
}  // namespace datamap::graph::testing

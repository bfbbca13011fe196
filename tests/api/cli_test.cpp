// The `datamap serve` and `datamap user add` commands as a user runs them.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>

#include "tests/api/api_world.h"

namespace datamap::testing {
namespace {

TEST(UserAdd, PrintsATokenThatAuthenticatesAsThatUser) {
  TestServer server;
  std::string token = server.add_user("alice", {"--sysadmin"});
  EXPECT_EQ(token.rfind("dm_", 0), 0u) << token;
  auto doc = server.client().action("user_show", "{}", token).json();
  EXPECT_STREQ(doc["result"]["name"].GetString(), "alice");
  EXPECT_TRUE(doc["result"]["sysadmin"].GetBool());
}

TEST(UserAdd, AgainGivesTheSameUserANewTokenAndBothWork) {
  TestServer server;
  std::string first = server.add_user("bob", {"--sysadmin"});
  std::string second = server.add_user("bob");
  EXPECT_NE(first, second);
  auto http = server.client();
  EXPECT_EQ(http.action("user_show", "{}", first).status, 200);
  EXPECT_EQ(http.action("user_show", "{}", second).status, 200);
  auto users = http.action("user_show", R"({"id":"bob"})", second).json();
  EXPECT_TRUE(users["result"]["sysadmin"].GetBool());  // a later plain `add` does not demote
}

TEST(UserAdd, AnUnknownOrganizationFailsWithAMessage) {
  TestServer server;
  CliResult r = run_datamap(
      {"user", "add", "carol", "--data", server.data_dir(), "--org", "nowhere", "--role", "editor"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.errors.find("Organization not found"), std::string::npos) << r.errors;
  EXPECT_TRUE(r.output.empty()) << r.output;  // no token printed for a failed add
}

TEST(UserAdd, RoleWithoutOrgIsAUsageError) {
  TestServer server;
  CliResult r = run_datamap({"user", "add", "dave", "--data", server.data_dir(), "--role", "admin"});
  EXPECT_NE(r.exit_code, 0);
}

TEST(Serve, ReadsTheConfigFileAndFlagsOverrideIt) {
  TestServer::Options options;
  options.config_toml =
      "[server]\nport = 1\nmax_body_bytes = 2048\n[site]\ntitle = \"국가데이터맵 테스트\"\n";
  TestServer server(options);  // --port 0 on the command line wins over port = 1
  auto doc = server.client().get("/api/3/action/status_show").json();
  EXPECT_STREQ(doc["result"]["site_title"].GetString(), "국가데이터맵 테스트");
  EXPECT_EQ(server.client().post("/api/3/action/status_show", std::string(3000, ' ')).status, 413);
}

TEST(Serve, ABadConfigFileStopsStartupWithTheFileNamed) {
  TempDir dir;
  std::string config = dir.file("bad.toml");
  std::ofstream(config) << "[server]\nport = \"eighty\"\n";
  CliResult r = run_datamap({"serve", "--data", dir.file("data"), "--port", "0", "--config", config});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.errors.find("bad.toml"), std::string::npos) << r.errors;
}

TEST(Serve, StopsCleanlyOnSigtermAndKeepsItsData) {
  TestServer server;
  std::string token = server.add_user("erin", {"--sysadmin"});
  server.client().action("organization_create", R"({"name":"kept"})", token);
  server.stop();  // SIGTERM
  server.start();
  EXPECT_EQ(server.client().action("organization_show", R"({"id":"kept"})").status, 200);
  EXPECT_NE(server.log().find("stopping"), std::string::npos) << server.log();
}

}  // namespace
}  // namespace datamap::testing

namespace datamap::testing {
namespace {

// `harvest run URL` registers the URL through harvest_source_create: the action's rules (a bad
// name is its 409 message, nothing registered), its naming and the site's sysadmin as creator.
TEST(HarvestRunCli, RegistersANewUrlThroughTheHarvestActions) {
  TempDir dir;
  const std::string url = "http://127.0.0.1:9/data.json";
  auto bad = run_datamap({"harvest", "run", url, "--name", "Bad Name", "--data", dir.path()});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.errors.find("name: Must be purely lowercase alphanumeric"), std::string::npos)
      << bad.errors;
  // The fetch is refused (loopback, no allowance): the source stands all the same.
  auto run = run_datamap({"harvest", "run", url, "--type", "datajson", "--data", dir.path()});
  EXPECT_NE(run.output.find("refused"), std::string::npos) << run.output << run.errors;
  auto again = run_datamap({"harvest", "run", "http-127-0-0-1-9-data-json", "--data", dir.path()});
  EXPECT_NE(again.output.find("harvesting http-127-0-0-1-9-data-json"), std::string::npos)
      << again.output << again.errors;
  auto wrong_type = run_datamap(
      {"harvest", "run", "http-127-0-0-1-9-data-json", "--type", "ckan", "--data", dir.path()});
  EXPECT_EQ(wrong_type.exit_code, 1);
  EXPECT_NE(wrong_type.errors.find("is of type datajson, not ckan"), std::string::npos)
      << wrong_type.errors;

  TestServer::Options options;
  options.data_dir = dir.path();
  TestServer server(options);
  std::string admin = server.add_user("admin", {"--sysadmin"});
  auto list = server.client().action("harvest_source_list", "{}", admin).json();
  ASSERT_EQ(list["result"].Size(), 1u);
  const auto& s = list["result"][0];
  EXPECT_STREQ(s["name"].GetString(), "http-127-0-0-1-9-data-json");
  EXPECT_STREQ(s["url"].GetString(), url.c_str());
  EXPECT_STREQ(s["source_type"].GetString(), "datajson");
  EXPECT_STREQ(s["frequency"].GetString(), "MANUAL");
  EXPECT_STREQ(s["creator_user_id"].GetString(), "site");
}

}  // namespace
}  // namespace datamap::testing

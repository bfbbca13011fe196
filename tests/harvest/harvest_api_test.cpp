// The harvest actions and `datamap harvest run` against the real binary: a started `datamap
// serve` harvesting a fixture catalog on loopback, the authorization rules, the reports.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/harvest/harvest_env.h"
#include "tests/support/fixture_http_server.h"
#include "tests/support/test_server.h"

namespace datamap::harvest {
namespace {

using datamap::testing::FixtureHttpServer;
using datamap::testing::FixtureRequest;
using datamap::testing::FixtureResponse;
using datamap::testing::TestServer;

// Two good datasets and one the model refuses (no title).
const std::string kCatalog = R"({"dataset": [
  {"identifier": "env-1", "title": "Air quality", "publisher": {"name": "Env"}},
  {"identifier": "env-2", "title": "Water quality", "publisher": {"name": "Env"}},
  {"identifier": "env-3", "description": "a dataset without a title"}]})";

using datamap::harvest::testing::loopback_allowed;

struct World {
  FixtureHttpServer remote;
  TestServer server{loopback_allowed()};
  std::string admin, editor_a, editor_b;

  World() {
    remote.route("/data.json", [](const FixtureRequest&, FixtureResponse& res) {
      res.send(200, "application/json", kCatalog);
    });
    admin = server.add_user("admin", {"--sysadmin"});
    for (const char* org : {"agency-a", "agency-b"}) {
      auto r = server.client().action("organization_create",
                                      std::string("{\"name\": \"") + org + "\"}", admin);
      EXPECT_EQ(r.status, 200) << r.body;
    }
    editor_a = server.add_user("editor-a", {"--org", "agency-a", "--role", "editor"});
    editor_b = server.add_user("editor-b", {"--org", "agency-b", "--role", "editor"});
  }

  std::string source_body(const std::string& name, const std::string& org) {
    return "{\"name\": \"" + name + "\", \"url\": \"" + remote.url("/data.json") +
           "\", \"source_type\": \"datajson\", \"owner_org\": \"" + org +
           "\", \"config\": {\"note\": \"secret-ish\"}}";
  }

  // Polls harvest_job_show until the job ends (a hang guard, not a timing assertion).
  rapidjson::Document wait_for(const std::string& job_id) {
    for (int i = 0; i < 600; ++i) {
      auto r = server.client().action("harvest_job_show", "{\"id\": \"" + job_id + "\"}");
      auto doc = r.json();
      std::string status = doc["result"]["status"].GetString();
      if (status != "New" && status != "Running") return doc;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "job " << job_id << " did not end";
    return rapidjson::Document();
  }
};

TEST(HarvestApi, AnAgencyHarvestsIntoItsOwnOrganizationAndReadsTheReport) {
  World w;
  auto c = w.server.client();
  auto created = c.action("harvest_source_create", w.source_body("env-feed", "agency-a"), w.editor_a);
  ASSERT_EQ(created.status, 200) << created.body;
  auto source = created.json();
  std::string source_id = source["result"]["id"].GetString();
  EXPECT_STREQ(source["result"]["config"].GetString(), "{\"note\":\"secret-ish\"}");

  auto job = c.action("harvest_job_create", "{\"source_id\": \"env-feed\"}", w.editor_a);
  ASSERT_EQ(job.status, 200) << job.body;
  std::string job_id = job.json()["result"]["id"].GetString();

  auto done = w.wait_for(job_id);
  ASSERT_TRUE(done.IsObject());
  const auto& result = done["result"];
  EXPECT_STREQ(result["status"].GetString(), "Finished") << result["error"].GetString();
  EXPECT_EQ(result["stats"]["added"].GetInt64(), 2);
  EXPECT_EQ(result["stats"]["errored"].GetInt64(), 1);

  auto report = c.action("harvest_job_report", "{\"id\": \"" + job_id + "\"}").json();
  const auto& errors = report["result"]["object_errors"];
  ASSERT_EQ(errors.Size(), 1u);
  EXPECT_STREQ(errors[0]["guid"].GetString(), "env-3");
  EXPECT_NE(std::string(errors[0]["message"].GetString()).find("title"), std::string::npos);
  auto object = c.action("harvest_object_show",
                         std::string("{\"id\": \"") + errors[0]["object_id"].GetString() + "\"}");
  ASSERT_EQ(object.status, 200) << object.body;
  EXPECT_STREQ(object.json()["result"]["state"].GetString(), "ERROR");

  // The harvested datasets are in the catalog, in the agency's organization.
  auto pkg = c.action("package_show", "{\"id\": \"env-1\"}");
  ASSERT_EQ(pkg.status, 200) << pkg.body;
  EXPECT_STREQ(pkg.json()["result"]["organization"]["name"].GetString(), "agency-a");

  auto status = c.action("harvest_source_show_status", "{\"id\": \"env-feed\"}").json();
  EXPECT_EQ(status["result"]["job_count"].GetInt64(), 1);
  EXPECT_EQ(status["result"]["total_datasets"].GetInt64(), 2);
  auto jobs = c.action("harvest_job_list", "{\"source_id\": \"" + source_id + "\"}").json();
  EXPECT_EQ(jobs["result"].Size(), 1u);
  auto listed = c.action("harvest_source_list", "{\"organization_id\": \"agency-a\"}").json();
  EXPECT_EQ(listed["result"].Size(), 1u);

  // Anonymous readers see the source but not its config.
  auto anon = c.action("harvest_source_show", "{\"id\": \"env-feed\"}").json();
  EXPECT_FALSE(anon["result"].HasMember("config"));

  auto abort_done = c.action("harvest_job_abort", "{\"id\": \"" + job_id + "\"}", w.editor_a);
  EXPECT_EQ(abort_done.status, 409) << abort_done.body;  // a finished job cannot be aborted

  auto deleted = c.action("harvest_source_delete", "{\"id\": \"env-feed\"}", w.editor_a);
  EXPECT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(c.action("harvest_source_show", "{\"id\": \"env-feed\"}").status, 404);
  EXPECT_EQ(c.action("package_show", "{\"id\": \"env-1\"}").status, 200);  // datasets stay
}

TEST(HarvestApi, OnlyTheAgencysEditorsOrASysadminManageItsSources) {
  World w;
  auto c = w.server.client();
  EXPECT_EQ(c.action("harvest_source_create", w.source_body("x1", "agency-a")).status, 403);
  EXPECT_EQ(c.action("harvest_source_create", w.source_body("x2", "agency-a"), w.editor_b).status,
            403);
  EXPECT_EQ(c.action("harvest_source_create", w.source_body("x3", ""), w.editor_a).status, 403);
  auto mine = c.action("harvest_source_create", w.source_body("x4", "agency-a"), w.editor_a);
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_EQ(c.action("harvest_source_update", "{\"id\": \"x4\", \"title\": \"t\"}", w.editor_b)
                .status,
            403);
  EXPECT_EQ(c.action("harvest_job_create", "{\"source_id\": \"x4\"}", w.editor_b).status, 403);
  EXPECT_EQ(c.action("harvest_source_delete", "{\"id\": \"x4\"}", w.editor_b).status, 403);
  auto moved = c.action("harvest_source_update", "{\"id\": \"x4\", \"owner_org\": \"agency-b\"}",
                        w.editor_a);
  EXPECT_EQ(moved.status, 403) << moved.body;  // no rights in agency-b
  auto by_admin = c.action("harvest_source_update",
                           "{\"id\": \"x4\", \"frequency\": \"daily\"}", w.admin);
  ASSERT_EQ(by_admin.status, 200) << by_admin.body;
  EXPECT_STREQ(by_admin.json()["result"]["frequency"].GetString(), "DAILY");
  EXPECT_EQ(c.action("harvest_source_create", w.source_body("x5", ""), w.admin).status, 200);
}

TEST(HarvestApi, BadSourcesAreValidationErrors) {
  World w;
  auto c = w.server.client();
  auto bad_url = c.action("harvest_source_create",
                          R"({"name": "b1", "url": "ftp://x/y", "source_type": "ckan"})", w.admin);
  EXPECT_EQ(bad_url.status, 409);
  EXPECT_TRUE(bad_url.json()["error"].HasMember("url")) << bad_url.body;
  auto bad_type = c.action("harvest_source_create",
                           R"({"name": "b2", "url": "https://x.org/", "source_type": "gopher"})",
                           w.admin);
  EXPECT_EQ(bad_type.status, 409);
  EXPECT_TRUE(bad_type.json()["error"].HasMember("source_type")) << bad_type.body;
  auto bad_freq = c.action(
      "harvest_source_create",
      R"({"name": "b3", "url": "https://x.org/", "source_type": "ckan", "frequency": "HOURLYISH"})",
      w.admin);
  EXPECT_EQ(bad_freq.status, 409);
  auto bad_config = c.action(
      "harvest_source_create",
      R"({"name": "b4", "url": "https://x.org/", "source_type": "ckan", "config": "[1"})", w.admin);
  EXPECT_EQ(bad_config.status, 409);
  EXPECT_EQ(c.action("harvest_job_show", R"({"id": "nope"})").status, 404);
  EXPECT_EQ(c.action("harvest_object_show", R"({"id": "nope"})").status, 404);
}

TEST(HarvestCli, RunsAUrlAndPrintsTheReport) {
  FixtureHttpServer remote;
  remote.route("/data.json", [](const FixtureRequest&, FixtureResponse& res) {
    res.send(200, "application/json", kCatalog);
  });
  datamap::testing::TempDir dir;
  auto first = datamap::testing::run_datamap({"harvest", "run", remote.url("/data.json"), "--data",
                                              dir.path(), "--allow-host", "127.0.0.1"});
  EXPECT_EQ(first.exit_code, 0) << first.output << first.errors;
  EXPECT_NE(first.output.find("Finished"), std::string::npos) << first.output;
  EXPECT_NE(first.output.find("added 2, updated 0, not modified 0, deleted 0, errored 1"),
            std::string::npos)
      << first.output;
  EXPECT_NE(first.output.find("env-3"), std::string::npos) << first.output;
  auto again = datamap::testing::run_datamap({"harvest", "run", remote.url("/data.json"), "--data",
                                              dir.path(), "--allow-host", "127.0.0.1"});
  EXPECT_EQ(again.exit_code, 0) << again.output << again.errors;
  EXPECT_NE(again.output.find("added 0, updated 0, not modified 2"), std::string::npos)
      << again.output;
  // Without the allowance the SSRF guard refuses the loopback source.
  datamap::testing::TempDir other;
  auto refused = datamap::testing::run_datamap(
      {"harvest", "run", remote.url("/data.json"), "--data", other.path()});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.output.find("refused"), std::string::npos) << refused.output;
}

}  // namespace
}  // namespace datamap::harvest

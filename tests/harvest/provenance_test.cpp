// A harvest writes only what its own source created (CKAN harvest's guid model), over real HTTP:
// a started `datamap serve`, agencies with editors, and fixture remote catalogs on loopback.
// - agency-a's source whose remote gives agency-b's dataset `id` (CKAN) or agency-b's source key
//   as `identifier` (data.json) gets an object error naming the dataset and its agency; the
//   dataset keeps its content, owner and visibility, and a later run without the record does
//   not delete it.
// - A job ending never rewrites its source from the copy it read at its start: an update, an
//   owner change or a delete made while it ran stands.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "tests/harvest/harvest_env.h"
#include "tests/support/ckan_fixture.h"
#include "tests/support/fixture_http_server.h"
#include "tests/support/test_server.h"

namespace datamap::harvest {
namespace {

using datamap::testing::CkanFixture;
using datamap::testing::FixtureHttpServer;
using datamap::testing::FixtureRequest;
using datamap::testing::FixtureResponse;
using datamap::testing::HttpReply;
using datamap::testing::TestServer;

using datamap::harvest::testing::loopback_allowed;

struct World {
  FixtureHttpServer remote;
  TestServer server{loopback_allowed()};
  std::string admin, editor_a, editor_b;
  std::mutex mu;
  std::string data_json = R"({"dataset": []})";

  World() {
    remote.route("/data.json", [this](const FixtureRequest&, FixtureResponse& res) {
      std::lock_guard lock(mu);
      res.send(200, "application/json", data_json);
    });
    admin = server.add_user("admin", {"--sysadmin"});
    for (const char* org : {"agency-a", "agency-b"})
      EXPECT_EQ(ok("organization_create", std::string(R"({"name":")") + org + "\"}", admin).status,
                200);
    editor_a = server.add_user("editor-a", {"--org", "agency-a", "--role", "editor"});
    editor_b = server.add_user("editor-b", {"--org", "agency-b", "--role", "editor"});
  }

  HttpReply ok(const std::string& action, const std::string& body, const std::string& token) {
    HttpReply r = server.client().action(action, body, token);
    EXPECT_EQ(r.status, 200) << action << ": " << r.body;
    return r;
  }

  void serve_data_json(const std::string& body) {
    std::lock_guard lock(mu);
    data_json = body;
  }

  // agency-b's own dataset, registered by its editor; returns its id.
  std::string agency_b_dataset() {
    auto r = ok("package_create",
                R"({"name":"b-air","title":"B 대기질","owner_org":"agency-b",
                    "source_key":"B-KEY-1","notes":"agency-b's own words"})",
                editor_b);
    return r.json()["result"]["id"].GetString();
  }

  std::string source(const std::string& name, const std::string& type, const std::string& url,
                     const std::string& org, const std::string& token) {
    auto r = ok("harvest_source_create",
                R"({"name":")" + name + R"(","url":")" + url + R"(","source_type":")" + type +
                    R"(","owner_org":")" + org + R"("})",
                token);
    return r.json()["result"]["id"].GetString();
  }

  // Creates a job for the source and polls until it ends (a hang guard, not a timing assertion).
  rapidjson::Document run(const std::string& source_id, const std::string& token) {
    auto created = ok("harvest_job_create", R"({"source_id":")" + source_id + R"("})", token);
    return wait_for(created.json()["result"]["id"].GetString());
  }

  rapidjson::Document wait_for(const std::string& job_id) {
    for (int i = 0; i < 600; ++i) {
      auto doc = server.client().action("harvest_job_show", R"({"id":")" + job_id + R"("})").json();
      std::string status = doc["result"]["status"].GetString();
      if (status != "New" && status != "Running") return doc;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "job " << job_id << " did not end";
    return rapidjson::Document();
  }

  std::string first_object_error(const std::string& job_id) {
    auto report =
        server.client().action("harvest_job_report", R"({"id":")" + job_id + R"("})").json();
    const auto& errors = report["result"]["object_errors"];
    return errors.Size() ? errors[0]["message"].GetString() : "";
  }

  // agency-b's dataset as anyone sees it: unchanged content, owner and visibility.
  void expect_untouched(const std::string& id) {
    HttpReply shown = server.client().action("package_show", R"({"id":")" + id + R"("})");
    ASSERT_EQ(shown.status, 200) << "agency-b's dataset is gone or private: " << shown.body;
    auto doc = shown.json();
    const auto& d = doc["result"];
    EXPECT_STREQ(d["title"].GetString(), "B 대기질");
    EXPECT_STREQ(d["notes"].GetString(), "agency-b's own words");
    EXPECT_STREQ(d["organization"]["name"].GetString(), "agency-b");
    EXPECT_STREQ(d["state"].GetString(), "active");
    EXPECT_FALSE(d["private"].GetBool());
  }
};

TEST(HarvestProvenance, ACkanSourceCannotTakeOverAnotherAgencysDatasetById) {
  World w;
  std::string victim = w.agency_b_dataset();
  CkanFixture ckan(w.remote);
  ckan.set_packages({R"({"id":")" + victim + R"(","name":"captured","title":"Captured",
      "notes":"overwritten by agency-a","private":true,
      "metadata_modified":"2024-01-01T00:00:00.000000"})",
                     R"({"id":"a-own-1","name":"a-own","title":"A's own",
      "metadata_modified":"2024-01-01T00:00:01.000000"})"});
  std::string source = w.source("a-ckan", "ckan", ckan.site_url(), "agency-a", w.editor_a);

  auto job = w.run(source, w.editor_a);
  ASSERT_TRUE(job.IsObject());
  EXPECT_STREQ(job["result"]["status"].GetString(), "Finished");
  EXPECT_EQ(job["result"]["stats"]["added"].GetInt64(), 1);  // its own record is harvested
  EXPECT_EQ(job["result"]["stats"]["updated"].GetInt64(), 0);
  EXPECT_EQ(job["result"]["stats"]["errored"].GetInt64(), 1);
  std::string why = w.first_object_error(job["result"]["id"].GetString());
  EXPECT_NE(why.find("agency-b"), std::string::npos) << why;
  EXPECT_NE(why.find("b-air"), std::string::npos) << why;
  w.expect_untouched(victim);

  // The remote drops the record: the next full run deletes nothing of agency-b's.
  ckan.set_packages({R"({"id":"a-own-1","name":"a-own","title":"A's own",
      "metadata_modified":"2024-01-01T00:00:01.000000"})"});
  auto again = w.run(source, w.editor_a);
  EXPECT_EQ(again["result"]["stats"]["deleted"].GetInt64(), 0);
  w.expect_untouched(victim);
}

TEST(HarvestProvenance, ADataJsonSourceCannotTakeOverAnotherAgencysSourceKey) {
  World w;
  std::string victim = w.agency_b_dataset();
  w.serve_data_json(R"({"dataset": [
      {"identifier": "B-KEY-1", "title": "Captured", "description": "overwritten by agency-a",
       "accessLevel": "non-public"}]})");
  std::string source =
      w.source("a-json", "datajson", w.remote.url("/data.json"), "agency-a", w.editor_a);
  auto job = w.run(source, w.editor_a);
  ASSERT_TRUE(job.IsObject());
  EXPECT_EQ(job["result"]["stats"]["added"].GetInt64(), 0);
  EXPECT_EQ(job["result"]["stats"]["updated"].GetInt64(), 0);
  EXPECT_EQ(job["result"]["stats"]["errored"].GetInt64(), 1);
  std::string why = w.first_object_error(job["result"]["id"].GetString());
  EXPECT_NE(why.find("agency-b"), std::string::npos) << why;
  w.expect_untouched(victim);

  w.serve_data_json(R"({"dataset": []})");
  auto again = w.run(source, w.editor_a);
  EXPECT_STREQ(again["result"]["status"].GetString(), "Finished");
  EXPECT_EQ(again["result"]["stats"]["deleted"].GetInt64(), 0);
  w.expect_untouched(victim);
}

TEST(HarvestProvenance, ASysadminsSourceDoesNotOverwriteADatasetRegisteredByHand) {
  World w;
  std::string victim = w.agency_b_dataset();
  w.serve_data_json(R"({"dataset": [{"identifier": "B-KEY-1", "title": "Captured"}]})");
  std::string source = w.source("sys-json", "datajson", w.remote.url("/data.json"), "", w.admin);
  auto job = w.run(source, w.admin);
  ASSERT_TRUE(job.IsObject());
  EXPECT_EQ(job["result"]["stats"]["errored"].GetInt64(), 1);
  EXPECT_NE(w.first_object_error(job["result"]["id"].GetString()).find("b-air"), std::string::npos);
  w.expect_untouched(victim);
}

TEST(HarvestProvenance, AnAgencysOwnSourceStillUpdatesAndDeletesWhatItCreated) {
  World w;
  w.serve_data_json(R"({"dataset": [{"identifier": "A-1", "title": "First words"}]})");
  std::string source =
      w.source("a-json", "datajson", w.remote.url("/data.json"), "agency-a", w.editor_a);
  EXPECT_EQ(w.run(source, w.editor_a)["result"]["stats"]["added"].GetInt64(), 1);
  w.serve_data_json(R"({"dataset": [{"identifier": "A-1", "title": "Second words"}]})");
  EXPECT_EQ(w.run(source, w.editor_a)["result"]["stats"]["updated"].GetInt64(), 1);
  auto shown = w.server.client().action("package_show", R"({"id":"A-1"})").json();
  EXPECT_STREQ(shown["result"]["title"].GetString(), "Second words");
  w.serve_data_json(R"({"dataset": []})");
  EXPECT_EQ(w.run(source, w.editor_a)["result"]["stats"]["deleted"].GetInt64(), 1);
}

// A remote that answers after `delay`, and says when the job has asked (the source is read then).
struct SlowRemote {
  FixtureHttpServer server;
  std::atomic<bool> asked{false};
  explicit SlowRemote(std::chrono::milliseconds delay) {
    server.route("/data.json", [this, delay](const FixtureRequest&, FixtureResponse& res) {
      asked = true;
      std::this_thread::sleep_for(delay);
      res.send(200, "application/json",
               R"({"dataset": [{"identifier": "slow-1", "title": "Slow"}]})");
    });
  }
  void wait_until_asked() {
    for (int i = 0; i < 300 && !asked; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ASSERT_TRUE(asked.load()) << "the job never fetched";
  }
};

TEST(HarvestLostUpdates, AnUpdateAndAnOwnerChangeMadeWhileAJobRunsStand) {
  World w;
  SlowRemote slow(std::chrono::milliseconds(1500));
  std::string source =
      w.source("slow", "datajson", slow.server.url("/data.json"), "agency-a", w.admin);
  auto job = w.ok("harvest_job_create", R"({"source_id":")" + source + R"("})", w.admin);
  slow.wait_until_asked();
  w.ok("harvest_source_update",
       R"({"id":")" + source + R"(","title":"Renamed meanwhile","frequency":"WEEKLY",
           "owner_org":"agency-b"})",
       w.admin);
  auto done = w.wait_for(job.json()["result"]["id"].GetString());
  ASSERT_TRUE(done.IsObject());
  EXPECT_STREQ(done["result"]["status"].GetString(), "Finished");

  auto shown = w.server.client()
                   .action("harvest_source_show", R"({"id":")" + source + R"("})", w.admin)
                   .json();
  EXPECT_STREQ(shown["result"]["title"].GetString(), "Renamed meanwhile");
  EXPECT_STREQ(shown["result"]["frequency"].GetString(), "WEEKLY");
  auto b = w.server.client().action("organization_show", R"({"id":"agency-b"})").json();
  EXPECT_STREQ(shown["result"]["owner_org"].GetString(), b["result"]["id"].GetString());
}

TEST(HarvestLostUpdates, ASourceDeletedWhileAJobRunsStaysDeleted) {
  World w;
  SlowRemote slow(std::chrono::milliseconds(1500));
  std::string source =
      w.source("slow", "datajson", slow.server.url("/data.json"), "agency-a", w.editor_a);
  auto job = w.ok("harvest_job_create", R"({"source_id":")" + source + R"("})", w.editor_a);
  slow.wait_until_asked();
  w.ok("harvest_source_delete", R"({"id":")" + source + R"("})", w.editor_a);
  w.wait_for(job.json()["result"]["id"].GetString());
  EXPECT_EQ(w.server.client().action("harvest_source_show", R"({"id":")" + source + R"("})").status,
            404);
  auto listed = w.server.client().action("harvest_source_list", "{}").json();
  EXPECT_EQ(listed["result"].Size(), 0u);
}

}  // namespace
}  // namespace datamap::harvest

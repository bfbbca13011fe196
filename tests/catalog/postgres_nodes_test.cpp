// Two `datamap serve` nodes on one PostgreSQL catalog, over HTTP: the harvest records and the link
// records are the shared catalog's, so a harvest source made on one node is run once (by one
// node's harvester, whichever) and its job, report and datasets are read on the other, and a link
// checked by one node's checker is shown by the other's link_check_show.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "tests/support/eventually.h"
#include "tests/support/fixture_http_server.h"
#include "tests/support/pg_cluster.h"
#include "tests/support/test_server.h"

namespace datamap::testing {
namespace {

TestServer::Options node(const std::string& url, const std::string& extra_toml = "") {
  TestServer::Options o;
  o.config_toml = "[harvest]\nallow_hosts = [\"127.0.0.1\"]\n" + extra_toml;
  o.catalog = url;
  return o;
}

std::string job_status(const TestServer& s, const std::string& job_id) {
  auto r = s.client().action("harvest_job_show", R"({"id":")" + job_id + R"("})");
  if (r.status != 200) return "(" + std::to_string(r.status) + ")";
  return r.json()["result"]["status"].GetString();
}

// Four sources, their jobs asked for on both nodes at once: each node's harvester is woken and
// both claim from the one queue, yet each remote catalog is fetched once and each job ends once.
TEST(PostgresNodes, AHarvestSourceMadeOnOneNodeRunsOnceAndIsReadOnTheOther) {
  FixtureHttpServer remote;
  for (int i = 0; i < 4; ++i) {
    const std::string body = R"({"dataset": [{"identifier": "feed-)" + std::to_string(i) +
                             R"(", "title": "Feed )" + std::to_string(i) +
                             R"(", "publisher": {"name": "Env"}}]})";
    remote.route("/feed-" + std::to_string(i) + ".json",
                 [body](const FixtureRequest&, FixtureResponse& res) {
                   res.send(200, "application/json", body);
                 });
  }
  const std::string url = PgCluster::shared().new_database();
  TestServer a(node(url));
  TestServer b(node(url));
  const std::string admin = a.add_user("admin", {"--sysadmin"});
  std::vector<std::string> jobs;
  for (int i = 0; i < 4; ++i) {
    const std::string name = "feed-" + std::to_string(i);
    auto created =
        a.client().action("harvest_source_create",
                          R"({"name":")" + name + R"(","url":")" +
                              remote.url("/" + name + ".json") + R"(","source_type":"datajson"})",
                          admin);
    ASSERT_EQ(created.status, 200) << created.body;
    // The source made on a is node b's too.
    ASSERT_EQ(b.client().action("harvest_source_show", R"({"id":")" + name + R"("})").status, 200);
    const TestServer& asked = i % 2 ? a : b;
    auto job =
        asked.client().action("harvest_job_create", R"({"source_id":")" + name + R"("})", admin);
    ASSERT_EQ(job.status, 200) << job.body;
    jobs.push_back(job.json()["result"]["id"].GetString());
    // A second job for the same source is refused on the other node while this one is queued
    // or running, or (if it already ended) queued: never two unfinished.
    const TestServer& other = i % 2 ? b : a;
    auto again =
        other.client().action("harvest_job_create", R"({"source_id":")" + name + R"("})", admin);
    if (again.status == 200) {
      jobs.push_back(again.json()["result"]["id"].GetString());
    } else {
      EXPECT_EQ(again.status, 409) << again.body;
    }
  }
  for (const std::string& id : jobs)
    EXPECT_TRUE(eventually([&] { return job_status(a, id) == "Finished"; }))
        << id << ": " << job_status(a, id) << "\n"
        << a.log() << b.log();
  // Each job fetched its remote once: a job run by both nodes would have fetched it twice.
  int fetched = 0;
  for (int i = 0; i < 4; ++i) fetched += remote.hits("/feed-" + std::to_string(i) + ".json");
  EXPECT_EQ(fetched, static_cast<int>(jobs.size()));
  for (int i = 0; i < 4; ++i) {
    const std::string name = "feed-" + std::to_string(i);
    EXPECT_EQ(b.client().action("package_show", R"({"id":")" + name + R"("})").status, 200) << name;
    auto list = b.client().action("harvest_job_list", R"({"source_id":")" + name + R"("})");
    ASSERT_EQ(list.status, 200) << list.body;
  }
  auto report = b.client().action("harvest_job_report", R"({"id":")" + jobs[0] + R"("})");
  ASSERT_EQ(report.status, 200) << report.body;
}

// Both nodes run a link checker on one schedule: the URL is checked by one of them, and the
// check is read on both.
TEST(PostgresNodes, ALinkCheckedOnOneNodeIsSeenOnTheOther) {
  FixtureHttpServer remote;
  remote.route("/gone.csv", [](const FixtureRequest&, FixtureResponse& res) {
    res.send(404, "text/plain", "gone");
  });
  const std::string url = PgCluster::shared().new_database();
  const std::string links = "[links]\nenabled = true\ntimeout_s = 2\nper_host_rate = 100.0\n";
  TestServer a(node(url, links));
  TestServer b(node(url, links));
  const std::string admin = a.add_user("admin", {"--sysadmin"});
  ASSERT_EQ(a.client().action("organization_create", R"({"name":"agency"})", admin).status, 200);
  auto created = a.client().action(
      "package_create",
      R"({"name":"broken","title":"Broken","owner_org":"agency","resources":[{"url":")" +
          remote.url("/gone.csv") + R"("}]})",
      admin);
  ASSERT_EQ(created.status, 200) << created.body;
  const std::string resource = created.json()["result"]["resources"][0]["id"].GetString();
  auto history_on = [&](const TestServer& s) -> int {
    auto r = s.client().action("link_check_show", R"({"id":")" + resource + R"("})");
    if (r.status != 200) return -1;
    auto doc = r.json();
    return doc["result"]["latest"].IsObject() ? static_cast<int>(doc["result"]["history"].Size())
                                              : 0;
  };
  ASSERT_TRUE(eventually([&] { return history_on(a) > 0 && history_on(b) > 0; }))
      << a.log() << b.log();
  // Checked once, not once per node (the next check is hours away).
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(history_on(a), 1);
  EXPECT_EQ(history_on(b), 1);
  auto doc = b.client().action("link_check_show", R"({"id":")" + resource + R"("})").json();
  EXPECT_STREQ(doc["result"]["answer"].GetString(), "no");
  auto report = b.client().action("organization_link_report", R"({"id":"agency"})", admin);
  ASSERT_EQ(report.status, 200) << report.body;
}

}  // namespace
}  // namespace datamap::testing

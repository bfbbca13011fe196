// The link checker inside the real `datamap serve`: link_check_show, organization_link_report and
// status_show's counts over HTTP, against fixture remotes on loopback.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/support/fixture_http_server.h"
#include "tests/support/test_server.h"

namespace datamap::quality {
namespace {

using datamap::testing::FixtureHttpServer;
using datamap::testing::FixtureRequest;
using datamap::testing::FixtureResponse;
using datamap::testing::TestServer;

TestServer::Options links_on() {
  TestServer::Options o;
  o.config_toml =
      "[harvest]\nallow_hosts = [\"127.0.0.1\"]\n"
      "[links]\nenabled = true\ntimeout_s = 2\nper_host_rate = 100.0\n";
  return o;
}

struct World {
  FixtureHttpServer remote;
  TestServer server{links_on()};
  std::string admin;
  std::string good_resource, missing_resource;

  World() {
    remote.route("/good.csv", [](const FixtureRequest&, FixtureResponse& res) {
      res.send(200, "text/csv", "a,b\n1,2\n");
    });
    remote.route("/gone.csv", [](const FixtureRequest&, FixtureResponse& res) {
      res.send(404, "text/plain", "gone");
    });
    admin = server.add_user("admin", {"--sysadmin"});
    auto org = server.client().action("organization_create", R"({"name": "agency-a"})", admin);
    EXPECT_EQ(org.status, 200) << org.body;
    auto created = server.client().action(
        "package_create",
        R"({"name": "parking", "title": "Parking lots", "owner_org": "agency-a", "resources": [)"
        R"({"name": "good", "url": ")" +
            remote.url("/good.csv") +
            R"("},)"
            R"({"name": "gone", "url": ")" +
            remote.url("/gone.csv") + R"("}]})",
        admin);
    EXPECT_EQ(created.status, 200) << created.body;
    auto doc = created.json();
    good_resource = doc["result"]["resources"][0]["id"].GetString();
    missing_resource = doc["result"]["resources"][1]["id"].GetString();
  }

  // Polls link_check_show until the resource's URL has been checked (a hang guard).
  rapidjson::Document checked(const std::string& resource_id) {
    for (int i = 0; i < 300; ++i) {
      auto r = server.client().action("link_check_show", "{\"id\": \"" + resource_id + "\"}");
      EXPECT_EQ(r.status, 200) << r.body;
      auto doc = r.json();
      if (doc["result"]["latest"].IsObject()) return doc;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "resource " << resource_id << " was never checked";
    return rapidjson::Document();
  }
};

TEST(LinkApi, ACitizenSeesEachResourcesCheckAndTheAgencyItsBrokenLinks) {
  World w;
  auto good = w.checked(w.good_resource);
  ASSERT_TRUE(good.IsObject());
  EXPECT_STREQ(good["result"]["answer"].GetString(), "yes");
  EXPECT_EQ(good["result"]["latest"]["status"].GetInt(), 200);
  EXPECT_STREQ(good["result"]["latest"]["content_type"].GetString(), "text/csv");
  EXPECT_EQ(good["result"]["history"].Size(), 1u);

  auto gone = w.checked(w.missing_resource);
  ASSERT_TRUE(gone.IsObject());
  EXPECT_STREQ(gone["result"]["answer"].GetString(), "no");
  EXPECT_EQ(gone["result"]["latest"]["status"].GetInt(), 404);
  EXPECT_STREQ(gone["result"]["latest"]["error"].GetString(), "http_status");

  // The same record by URL.
  auto by_url = w.server.client().action("link_check_show",
                                         "{\"url\": \"" + w.remote.url("/gone.csv") + "\"}");
  ASSERT_EQ(by_url.status, 200) << by_url.body;
  EXPECT_STREQ(by_url.json()["result"]["answer"].GetString(), "no");

  auto report = w.server.client().action("organization_link_report", R"({"id": "agency-a"})");
  ASSERT_EQ(report.status, 200) << report.body;
  auto r = report.json();
  EXPECT_EQ(r["result"]["count"].GetInt(), 1);
  ASSERT_EQ(r["result"]["broken"].Size(), 1u);
  EXPECT_STREQ(r["result"]["broken"][0]["package_name"].GetString(), "parking");
  EXPECT_STREQ(r["result"]["broken"][0]["resource_id"].GetString(), w.missing_resource.c_str());
  EXPECT_EQ(r["result"]["broken"][0]["latest"]["status"].GetInt(), 404);

  auto status = w.server.client().action("status_show");
  ASSERT_EQ(status.status, 200);
  auto s = status.json();
  ASSERT_TRUE(s["result"].HasMember("links")) << status.body;
  EXPECT_EQ(s["result"]["links"]["urls"].GetInt(), 2);
  EXPECT_EQ(s["result"]["links"]["answering"].GetInt(), 1);
  EXPECT_EQ(s["result"]["links"]["broken"].GetInt(), 1);
  EXPECT_EQ(s["result"]["links"]["datasets_with_broken_links"].GetInt(), 1);
}

TEST(LinkApi, BadRequestsArePreciseErrors) {
  World w;
  auto c = w.server.client();
  auto none = c.action("link_check_show", "{}");
  EXPECT_EQ(none.status, 409) << none.body;  // neither id nor url: a missing value
  auto unknown = c.action("link_check_show", R"({"id": "no-such-resource"})");
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  auto unnamed = c.action("link_check_show", R"({"url": "http://nobody.example/links-here"})");
  EXPECT_EQ(unnamed.status, 404) << unnamed.body;
  auto no_org = c.action("organization_link_report", R"({"id": "no-such-agency"})");
  EXPECT_EQ(no_org.status, 404) << no_org.body;
  auto bad_limit = c.action("organization_link_report", R"({"id": "agency-a", "limit": 0})");
  EXPECT_EQ(bad_limit.status, 409) << bad_limit.body;
  EXPECT_EQ(c.action("status_show").status, 200);  // still alive
}

TEST(LinkApi, ServedWithoutALinksSectionTheCheckerStaysOff) {
  FixtureHttpServer remote;
  remote.route("/x.csv", [](const FixtureRequest&, FixtureResponse& res) {
    res.send(200, "text/csv", "a\n");
  });
  TestServer server;
  std::string admin = server.add_user("admin", {"--sysadmin"});
  auto created =
      server.client().action("package_create",
                             R"({"name": "quiet", "title": "Quiet", "resources": [{"url": ")" +
                                 remote.url("/x.csv") + R"("}]})",
                             admin);
  ASSERT_EQ(created.status, 200) << created.body;
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(remote.hits("/x.csv"), 0);
  auto s = server.client().action("status_show").json();
  EXPECT_EQ(s["result"]["links"]["urls"].GetInt(), 0);
}

}  // namespace
}  // namespace datamap::quality

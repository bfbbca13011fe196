// Issue 17: a harvest never loses a dataset for a field that can be repaired or kept, and the
// job report lists every error, paged. Fixture remotes on loopback, a real catalog.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <thread>

#include "tests/harvest/harvest_env.h"
#include "tests/support/fixture_http_server.h"
#include "tests/support/test_server.h"

namespace datamap::harvest {
namespace {

using datamap::testing::FixtureHttpServer;
using datamap::testing::FixtureRequest;
using datamap::testing::FixtureResponse;
using testing::HarvestEnv;

// Whether some extra keeps `value` as it came (the reader's key or repair_record's *_raw).
bool kept(const catalog::KeyValues& extras, const std::string& value) {
  return std::any_of(extras.begin(), extras.end(),
                     [&](const auto& kv) { return kv.second == value; });
}

// 110 characters of comma-separated keywords: one literal, longer than the 100-character limit.
const std::string kKeywordList =
    "air quality, particulate matter, ozone, nitrogen dioxide, sulphur dioxide, carbon monoxide, "
    "monitoring stations";

TEST(HarvestRepair, AKeywordListLongerThanATagIsSplitIntoTagsAndTheDatasetLands) {
  ASSERT_GT(kKeywordList.size(), 100u);
  FixtureHttpServer remote;
  const std::string ttl =
      "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n"
      "<https://portal.example/dataset/air> a dcat:Dataset ; dct:identifier \"air\" ;\n"
      "  dct:title \"Air\" ; dcat:keyword \"" +
      kKeywordList +
      "\", \"air\" .\n"
      "<https://portal.example/dataset/water> a dcat:Dataset ; dct:identifier \"water\" ;\n"
      "  dct:title \"Water\" ; dcat:keyword \"water\" .\n";
  remote.route("/catalog.ttl", [&](const FixtureRequest&, FixtureResponse& res) {
    res.send(200, "text/turtle", ttl);
  });
  HarvestEnv env;
  auto job = env.run(env.add_source("air", "dcat", remote.url("/catalog.ttl")));
  ASSERT_EQ(job.status, "Finished") << job.error;
  EXPECT_EQ(job.added, 2);
  EXPECT_EQ(job.errored, 0);
  auto air = env.store->dataset("air");
  ASSERT_TRUE(air);
  std::set<std::string> tags(air->tags.begin(), air->tags.end());
  EXPECT_EQ(tags, (std::set<std::string>{"air", "air quality", "particulate matter", "ozone",
                                         "nitrogen dioxide", "sulphur dioxide", "carbon monoxide",
                                         "monitoring stations"}));
  // The repair is recorded on the record's object.
  bool recorded = false;
  for (const auto& o : env.records->objects(job.id, "COMPLETE", 0, 10))
    if (o.remote_id == "air")
      recorded = o.error.find("split the keyword list") != std::string::npos;
  EXPECT_TRUE(recorded);
}

TEST(HarvestRepair, OverlongTagsAreShortenedBadValuesKeptAndOnlyRecordsWithoutAnIdAreLost) {
  FixtureHttpServer remote;
  const std::string long_tag(130, 'k');
  const std::string catalog = R"({"dataset": [
    {"identifier": "keep-1", "title": "Keep one", "keyword": [")" +
                              long_tag + R"("],
     "modified": "last tuesday", "landingPage": "not a url",
     "distribution": [{"downloadURL": "ftp//broken", "title": "file"}]},
    {"identifier": "keep-2", "title": "Keep two", "keyword": ["fine"]},
    {"title": "No identifier at all"}]})";
  remote.route("/data.json", [&](const FixtureRequest&, FixtureResponse& res) {
    res.send(200, "application/json", catalog);
  });
  HarvestEnv env;
  auto job = env.run(env.add_source("keep", "datajson", remote.url("/data.json")));
  ASSERT_EQ(job.status, "Finished") << job.error;
  EXPECT_EQ(job.added, 2);
  EXPECT_EQ(job.errored, 1);  // only the record without an identifier of its own

  auto d = env.store->dataset("keep-1");
  ASSERT_TRUE(d);
  ASSERT_EQ(d->tags.size(), 1u);
  EXPECT_EQ(d->tags[0], std::string(100, 'k'));
  EXPECT_EQ(d->modified, "");
  EXPECT_TRUE(kept(d->extras, "last tuesday"));
  EXPECT_TRUE(kept(d->extras, "not a url"));
  ASSERT_EQ(d->resources.size(), 1u);
  EXPECT_EQ(d->resources[0].url, "");
  EXPECT_TRUE(kept(d->resources[0].extras, "ftp//broken"));

  auto errors = env.records->objects(job.id, "ERROR", 0, 10);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].error.find("identifier"), std::string::npos) << errors[0].error;
}

// 150 records the model refuses (no title): the report lists every one, 100 a page.
TEST(HarvestRepair, TheJobReportListsEveryObjectErrorPaged) {
  FixtureHttpServer remote;
  std::string catalog = R"({"dataset": [)";
  for (int i = 0; i < 150; ++i)
    catalog += std::string(i ? "," : "") + R"({"identifier": "bad-)" + std::to_string(i) + "\"}";
  catalog += R"(, {"identifier": "good", "title": "Good"}]})";
  remote.route("/data.json", [&](const FixtureRequest&, FixtureResponse& res) {
    res.send(200, "application/json", catalog);
  });
  datamap::testing::TestServer server{testing::loopback_allowed()};
  auto admin = server.add_user("admin", {"--sysadmin"});
  auto c = server.client();
  auto src = c.action(
      "harvest_source_create",
      R"({"name":"bad-feed","source_type":"datajson","url":")" + remote.url("/data.json") + R"("})",
      admin);
  ASSERT_EQ(src.status, 200) << src.body;
  auto job = c.action("harvest_job_create", R"({"source_id":"bad-feed"})", admin);
  ASSERT_EQ(job.status, 200) << job.body;
  std::string job_id = job.json()["result"]["id"].GetString();
  std::string status;
  for (int i = 0; i < 600 && status != "Finished" && status != "Aborted"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    status = c.action("harvest_job_show", R"({"id":")" + job_id + R"("})")
                 .json()["result"]["status"]
                 .GetString();
  }
  ASSERT_EQ(status, "Finished");

  std::set<std::string> guids;
  auto first = c.action("harvest_job_report", R"({"id":")" + job_id + R"("})").json();
  EXPECT_EQ(first["result"]["object_error_count"].GetInt(), 150);
  ASSERT_EQ(first["result"]["object_errors"].Size(), 100u);
  ASSERT_TRUE(first["result"].HasMember("next_offset"));
  EXPECT_EQ(first["result"]["next_offset"].GetInt(), 100);
  for (const auto& e : first["result"]["object_errors"].GetArray())
    guids.insert(e["guid"].GetString());
  auto second =
      c.action("harvest_job_report", R"({"id":")" + job_id + R"(","offset":100,"limit":100})")
          .json();
  ASSERT_EQ(second["result"]["object_errors"].Size(), 50u);
  EXPECT_FALSE(second["result"].HasMember("next_offset"));
  for (const auto& e : second["result"]["object_errors"].GetArray())
    guids.insert(e["guid"].GetString());
  EXPECT_EQ(guids.size(), 150u);  // every one, none twice
  EXPECT_EQ(c.action("harvest_job_report", R"({"id":")" + job_id + R"(","offset":-1})").status,
            409);
}

}  // namespace
}  // namespace datamap::harvest

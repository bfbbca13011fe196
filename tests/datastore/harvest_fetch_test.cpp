// Harvested resources fetched into the FileStore and loaded (issue 13, item 1): a data.json
// source whose config says "fetch_resources": true has its CSV distributions fetched with the
// harvester's fetcher (SSRF guard, size cap) and loaded like an upload; every refusal is a
// recorded job error of the resource (API keys in the URL redacted); a source without the option fetches nothing; a second
// harvest of the same records and bytes keeps the table and the column profile.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/datastore/load_job_util.h"
#include "tests/harvest/harvest_env.h"
#include "tests/support/fixture_http_server.h"
#include "tests/support/test_server.h"

namespace datamap::testing {
namespace {

std::string read_file(const std::string& name) {
  std::ifstream in(std::string(DATAMAP_SOURCE_DIR) + "/data/sample/datafiles/" + name,
                   std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TestServer::Options options() {
  auto o = harvest::testing::loopback_allowed();
  // The city-park file (3.7 MB) fits; the parking file (4.2 MB) does not.
  o.config_toml += "[datastore]\nmax_upload_bytes = 4000000\n";
  return o;
}

struct World {
  FixtureHttpServer remote;
  TestServer server{options()};
  HttpClient http = server.client();
  std::string admin;
  std::string parks = read_file("datago-std-citypark-15012890.csv");
  std::string parking = read_file("datago-std-parking-15012896.csv");

  World() {
    remote.route("/data.json", [this](const FixtureRequest&, FixtureResponse& res) {
      auto dist = [&](const std::string& url) {
        return R"({"downloadURL": ")" + url + R"(", "mediaType": "text/csv", "format": "CSV"})";
      };
      res.send(200, "application/json",
               R"({"dataset": [
  {"identifier": "parks", "title": "도시공원", "publisher": {"name": "Parks"},
   "distribution": [)" + dist(remote.url("/parks.csv")) + R"(]},
  {"identifier": "parking", "title": "주차장", "publisher": {"name": "Parks"},
   "distribution": [)" + dist(remote.url("/parking.csv")) + R"(]},
  {"identifier": "gone", "title": "없는 파일", "publisher": {"name": "Parks"},
   "distribution": [)" + dist(remote.url("/missing.csv?serviceKey=SECRET123")) + R"(]},
  {"identifier": "inside", "title": "내부망 파일", "publisher": {"name": "Parks"},
   "distribution": [)" + dist("http://10.1.2.3/data.csv") + R"(]}]})");
    });
    remote.route("/parks.csv", [this](const FixtureRequest&, FixtureResponse& res) {
      res.send(200, "text/csv", parks);
    });
    remote.route("/parking.csv", [this](const FixtureRequest&, FixtureResponse& res) {
      res.send(200, "text/csv", parking);
    });
    remote.route("/missing.csv", [](const FixtureRequest&, FixtureResponse& res) {
      res.send(404, "text/plain", "no such file");
    });
    admin = server.add_user("admin", {"--sysadmin"});
    EXPECT_EQ(http.action("organization_create", R"({"name": "parks-agency"})", admin).status, 200);
  }

  void harvest(const std::string& source, bool fetch) {
    std::string config = fetch ? R"({"fetch_resources": true})" : "{}";
    auto created = http.action("harvest_source_create",
                               R"({"name": ")" + source + R"(", "url": ")" +
                                   remote.url("/data.json") +
                                   R"(", "source_type": "datajson", "owner_org": "parks-agency",)" +
                                   R"( "config": )" + config + "}",
                               admin);
    if (created.status == 409) created.status = 200;  // already there: harvest it again
    ASSERT_EQ(created.status, 200) << created.body;
    run(source);
  }

  void run(const std::string& source) {
    auto job = http.action("harvest_job_create", R"({"source_id": ")" + source + R"("})", admin);
    ASSERT_EQ(job.status, 200) << job.body;
    std::string id = job.json()["result"]["id"].GetString();
    for (int i = 0; i < 600; ++i) {
      auto doc = http.action("harvest_job_show", R"({"id": ")" + id + R"("})").json();
      std::string status = doc["result"]["status"].GetString();
      if (status != "New" && status != "Running") {
        ASSERT_EQ(status, "Finished");
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL() << "the harvest job did not end";
  }

  std::string resource_of(const std::string& dataset) {
    auto doc = http.action("package_show", R"({"id": ")" + dataset + R"("})", admin).json();
    return doc["result"]["resources"][0]["id"].GetString();
  }
};

TEST(HarvestFetch, AnOptedInSourceHasItsFilesFetchedAndLoadedAndEveryRefusalRecorded) {
  World w;
  w.harvest("parks-feed", true);

  std::string parks = w.resource_of("parks");
  auto job = wait_for_job(w.http, parks, w.admin);
  ASSERT_STREQ(job["result"]["status"].GetString(), "complete") << job["result"]["error"].IsNull();
  EXPECT_EQ(job["result"]["rows_done"].GetInt64(), 18481);
  auto search = w.http.action("datastore_search", R"({"resource_id": ")" + parks + R"(", "limit": 1})");
  ASSERT_EQ(search.status, 200) << search.body;
  EXPECT_EQ(search.json()["result"]["total"].GetInt64(), 18481);
  // The resource keeps its source URL and now carries the measured profile.
  auto pkg = w.http.action("package_show", R"({"id": "parks"})").json();
  const auto& r = pkg["result"]["resources"][0];
  EXPECT_NE(std::string(r["url"].GetString()).find("/parks.csv"), std::string::npos);
  EXPECT_TRUE(r["datastore_active"].GetBool());
  EXPECT_GT(r["columns"].Size(), 10u);

  // Over the size cap, a 404, an address inside the private network: recorded, no table.
  for (const auto& [dataset, words] :
       {std::pair{"parking", "too_large"}, std::pair{"gone", "http_status"},
        std::pair{"inside", "refused"}}) {
    std::string rid = w.resource_of(dataset);
    auto failed = wait_for_job(w.http, rid, w.admin);
    ASSERT_STREQ(failed["result"]["status"].GetString(), "error") << dataset;
    std::string error = failed["result"]["error"]["message"].GetString();
    EXPECT_NE(error.find("fetching http"), std::string::npos) << error;
    EXPECT_NE(error.find(words), std::string::npos) << dataset << ": " << error;
    EXPECT_EQ(error.find("SECRET123"), std::string::npos) << "the API key was recorded: " << error;
    EXPECT_EQ(w.http.action("datastore_info", R"({"id": ")" + rid + R"("})").status, 404);
  }

  // A second harvest: the same records and bytes keep the table, its job and its profile.
  std::string first_job = job["result"]["job_id"].GetString();
  w.run("parks-feed");
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  auto again = wait_for_job(w.http, parks, w.admin);
  EXPECT_EQ(std::string(again["result"]["job_id"].GetString()), first_job);
  auto kept = w.http.action("package_show", R"({"id": "parks"})").json();
  EXPECT_TRUE(kept["result"]["resources"][0]["datastore_active"].GetBool());
  EXPECT_GT(kept["result"]["resources"][0]["columns"].Size(), 10u);

  // Deleting the resource releases the fetched copy.
  ASSERT_EQ(w.http.action("resource_delete", R"({"id": ")" + parks + R"("})", w.admin).status, 200);
  int files = 0;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(w.server.data_dir() + "/files", ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); ++it)
    files += it->is_regular_file() && it->path().parent_path().filename() != "refs" &&
             it->path().string().find("/refs/") == std::string::npos;
  EXPECT_EQ(files, 0);
}

// Regular files under the FileStore (the stored copies, not their reference marks).
int stored_files(const TestServer& server) {
  int files = 0;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(server.data_dir() + "/files", ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); ++it)
    files += it->is_regular_file() && it->path().string().find("/refs/") == std::string::npos;
  return files;
}

// Waits until `path` of the remote has been asked `n` times.
void wait_for_hits(const FixtureHttpServer& remote, const std::string& path, int n) {
  for (int i = 0; i < 300 && remote.hits(path) < n; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_EQ(remote.hits(path), n) << path;
}

TEST(HarvestFetch, AReFetchIsConditionalAndA304KeepsTheStoredCopyWithoutDownloading) {
  World w;
  const std::string etag = "\"parks-v1\"", modified = "Sun, 06 Dec 2026 10:00:00 GMT";
  std::atomic<int> bodies{0};  // full answers sent
  w.remote.route("/parks.csv", [&](const FixtureRequest& req, FixtureResponse& res) {
    if (req.header("if-none-match") == etag) {
      res.send(304, "text/csv", "", {"ETag: " + etag});
      return;
    }
    ++bodies;
    res.send(200, "text/csv", w.parks, {"ETag: " + etag, "Last-Modified: " + modified});
  });
  w.harvest("parks-feed", true);
  std::string parks = w.resource_of("parks");
  auto job = wait_for_job(w.http, parks, w.admin);
  ASSERT_STREQ(job["result"]["status"].GetString(), "complete");
  // The first fetch had nothing to be conditional on.
  auto first = w.remote.requests("/parks.csv");
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].header("if-none-match"), "");
  EXPECT_EQ(first[0].header("if-modified-since"), "");

  // Fetches run in harvest order: once the parking file's refusal is recorded again, the parks'
  // second fetch has been handled.
  std::string parking = w.resource_of("parking");
  std::string refused = wait_for_job(w.http, parking, w.admin)["result"]["job_id"].GetString();
  w.run("parks-feed");
  wait_for_hits(w.remote, "/parks.csv", 2);
  std::string latest = refused;
  for (int i = 0; i < 300 && latest == refused; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    latest = wait_for_job(w.http, parking, w.admin)["result"]["job_id"].GetString();
  }
  ASSERT_NE(latest, refused) << "the second harvest's fetches did not run";
  auto second = w.remote.requests("/parks.csv");
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(second[1].header("if-none-match"), etag);
  EXPECT_EQ(second[1].header("if-modified-since"), modified);
  EXPECT_EQ(bodies.load(), 1) << "the unchanged file was downloaded again";
  // The stored copy and its table stay, under the same job.
  auto kept = wait_for_job(w.http, parks, w.admin);
  EXPECT_STREQ(kept["result"]["status"].GetString(), "complete");
  EXPECT_EQ(std::string(kept["result"]["job_id"].GetString()),
            std::string(job["result"]["job_id"].GetString()));
  EXPECT_EQ(stored_files(w.server), 1);
  auto search =
      w.http.action("datastore_search", R"({"resource_id": ")" + parks + R"(", "limit": 1})");
  ASSERT_EQ(search.status, 200) << search.body;
  EXPECT_EQ(search.json()["result"]["total"].GetInt64(), 18481);
}

// The race of issue 13: the resource is deleted after the fetcher checked it still exists and
// before the fetched copy is referenced. The remote itself deletes it while it is being asked
// for the file, so the race happens every time. Nothing may keep the copy afterwards.
TEST(HarvestFetch, AResourceDeletedDuringItsFetchKeepsNoCopy) {
  World w;
  std::atomic<int> deleted{0};
  w.remote.route("/parks.csv", [&](const FixtureRequest&, FixtureResponse& res) {
    auto http = w.server.client();  // its own client: the test's is in use on the main thread
    auto pkg = http.action("package_show", R"({"id": "parks"})", w.admin).json();
    std::string id = pkg["result"]["resources"][0]["id"].GetString();
    deleted = http.action("resource_delete", R"({"id": ")" + id + R"("})", w.admin).status;
    res.send(200, "text/csv", w.parks);
  });
  w.harvest("parks-feed", true);
  // Fetches run in harvest order: once the parking file's refusal is recorded, the parks' fetch
  // is over.
  auto refused = wait_for_job(w.http, w.resource_of("parking"), w.admin);
  ASSERT_STREQ(refused["result"]["status"].GetString(), "error");
  ASSERT_EQ(w.remote.hits("/parks.csv"), 1);
  ASSERT_EQ(deleted.load(), 200);
  EXPECT_EQ(stored_files(w.server), 0) << "the fetched copy of a deleted resource was kept";
  std::error_code ec;
  EXPECT_TRUE(std::filesystem::is_empty(w.server.data_dir() + "/files/refs", ec));
  // The server is alive and the deleted resource has no table or job.
  auto pkg = w.http.action("package_show", R"({"id": "parks"})").json();
  EXPECT_EQ(pkg["result"]["resources"].Size(), 0u);
}

TEST(HarvestFetch, ASourceThatDoesNotAskFetchesNothing) {
  World w;
  w.harvest("plain-feed", false);
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  std::string parks = w.resource_of("parks");
  EXPECT_EQ(w.http.action("datastore_job_status", R"({"resource_id": ")" + parks + R"("})", w.admin)
                .status,
            404);
  EXPECT_EQ(w.remote.hits("/parks.csv"), 0);
}

}  // namespace
}  // namespace datamap::testing

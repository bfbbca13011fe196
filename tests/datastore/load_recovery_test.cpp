// Load jobs outlive the process: a job a stopped server left running is recorded as interrupted
// and loaded again on the next start; `datamap attach` loads through the same path on the
// command line, once per distinct bytes.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "datastore/load_jobs.h"
#include "datastore/profile_writer.h"
#include "tests/support/test_server.h"

namespace datamap::testing {
namespace {

const std::string kParking =
    std::string(DATAMAP_SOURCE_DIR) + "/data/sample/datafiles/datago-std-parking-15012896.csv";
const std::string kParks =
    std::string(DATAMAP_SOURCE_DIR) + "/data/sample/datafiles/datago-std-citypark-15012890.csv";

std::string jobs_db(const TestServer& server) {
  return (std::filesystem::path(server.data_dir()) / "datastore_jobs.db").string();
}

std::string job_status(const HttpClient& http, const std::string& resource_id) {
  auto doc =
      http.action("datastore_job_status", R"({"resource_id":")" + resource_id + R"("})").json();
  if (!doc.HasMember("result") || !doc["result"].IsObject()) return "";
  return doc["result"]["status"].GetString();
}

bool wait_complete(const HttpClient& http, const std::string& resource_id) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    std::string s = job_status(http, resource_id);
    if (s == "complete") return true;
    if (s == "error") return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

// A dataset made over HTTP, then the server stopped so the CLI has the data dir to itself.
std::string make_dataset(TestServer& server) {
  std::string admin = server.add_user("admin", {"--sysadmin"});
  auto http = server.client();
  EXPECT_EQ(http.action("organization_create", R"({"name":"agency"})", admin).status, 200);
  EXPECT_EQ(http.action("package_create",
                        R"({"name":"parking","title":"주차장","owner_org":"agency",)"
                        R"("source_key":"15012896"})",
                        admin)
                .status,
            200);
  return admin;
}

TEST(Attach, LoadsTheRealFilesOnTheCommandLineOnceAndTheServerServesThem) {
  TestServer server;
  make_dataset(server);
  server.stop();
  auto started = std::chrono::steady_clock::now();
  CliResult first = run_datamap({"attach", "--data", server.data_dir(), "15012896", kParking});
  double parking_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  ASSERT_EQ(first.exit_code, 0) << first.output << first.errors;
  EXPECT_NE(first.output.find("loaded 14851 rows x 33 columns"), std::string::npos) << first.output;
  started = std::chrono::steady_clock::now();
  CliResult parks =
      run_datamap({"attach", "--data", server.data_dir(), "parking", kParks, "--name", "도시공원"});
  double parks_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  ASSERT_EQ(parks.exit_code, 0) << parks.output << parks.errors;
  EXPECT_NE(parks.output.find("loaded 18481 rows x 19 columns"), std::string::npos) << parks.output;
  std::printf("[ figure ] datamap attach: parking %.2f s, city parks %.2f s (whole command)\n",
              parking_seconds, parks_seconds);

  // The same bytes again: the same resource, nothing loaded.
  CliResult again = run_datamap({"attach", "--data", server.data_dir(), "15012896", kParking});
  ASSERT_EQ(again.exit_code, 0) << again.errors;
  EXPECT_NE(again.output.find("already loaded"), std::string::npos) << again.output;

  server.start();
  auto http = server.client();
  auto pkg = http.action("package_show", R"({"id":"15012896"})").json();
  ASSERT_EQ(pkg["result"]["resources"].Size(), 2u);
  for (const auto& r : pkg["result"]["resources"].GetArray()) {
    EXPECT_TRUE(r["datastore_active"].GetBool());
    std::string id = r["id"].GetString();
    EXPECT_EQ(job_status(http, id), "complete");
    EXPECT_EQ(http.action("datastore_info", R"({"id":")" + id + R"("})").status, 200);
  }
}

TEST(Attach, AMissingDatasetOrAFileThatFailsExitsNonZeroWithTheReason) {
  TestServer server;
  make_dataset(server);
  server.stop();
  CliResult missing = run_datamap({"attach", "--data", server.data_dir(), "nope", kParking});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.errors.find("no dataset"), std::string::npos) << missing.errors;
  TempDir dir;
  std::string broken = dir.file("broken.csv");
  {
    std::ofstream out(broken, std::ios::binary);
    out << "a,b\n1,2\n" << std::string("\0\xff\xfe\0", 4) << "\n";
  }
  CliResult failed = run_datamap({"attach", "--data", server.data_dir(), "parking", broken});
  EXPECT_NE(failed.exit_code, 0);
  EXPECT_NE(failed.output.find("load failed"), std::string::npos) << failed.output;
}

TEST(LoadRecovery, AJobLeftRunningIsMarkedInterruptedAndLoadedAgainOnStart) {
  TestServer server;
  std::string admin = make_dataset(server);
  server.stop();
  ASSERT_EQ(run_datamap({"attach", "--data", server.data_dir(), "parking", kParking}).exit_code, 0);
  // As if the process had died mid-load: its job is still `running`.
  std::string resource_id, stuck_id;
  {
    auto jobs = datastore::open_sqlite_load_jobs(jobs_db(server));
    auto done = jobs->with_status("complete");
    ASSERT_EQ(done.size(), 1u);
    datastore::LoadJob stuck = done.front();
    stuck.status = "running";
    stuck.finished.clear();
    stuck.rows_done = 1000;
    jobs->put(stuck);
    resource_id = stuck.resource_id;
    stuck_id = stuck.id;
  }
  server.start();
  auto http = server.client();
  ASSERT_TRUE(wait_complete(http, resource_id)) << server.log();
  auto job =
      http.action("datastore_job_status", R"({"resource_id":")" + resource_id + R"("})").json();
  EXPECT_STRNE(job["result"]["job_id"].GetString(), stuck_id.c_str());
  EXPECT_EQ(job["result"]["rows_done"].GetInt64(), 14851);
  auto jobs = datastore::open_sqlite_load_jobs(jobs_db(server));
  auto old = jobs->job(stuck_id);
  ASSERT_TRUE(old);
  EXPECT_EQ(old->status, "error");
  EXPECT_NE(old->error.find("interrupted"), std::string::npos) << old->error;
}

TEST(ProfileColumns, TheDatasetColumnsFollowTheProfileAndKeepWhatTheAgencyWrote) {
  std::vector<catalog::Column> columns = {{"위도", "text", "설치 위치의 위도", ""},
                                          {"비고", "text", "agency's own column", ""}};
  catalog::ColumnProfile lat;
  lat.name = "위도";
  lat.type = "numeric";
  lat.standard_term = "위도";
  catalog::ColumnProfile phone;
  phone.name = "전화번호";
  phone.type = "text";
  datastore::merge_dataset_columns(columns, {lat, phone});
  ASSERT_EQ(columns.size(), 3u);
  EXPECT_EQ(columns[0].type, "numeric");
  EXPECT_EQ(columns[0].description, "설치 위치의 위도");
  EXPECT_EQ(columns[0].standard_term, "위도");
  EXPECT_EQ(columns[1].name, "비고");
  EXPECT_EQ(columns[2].name, "전화번호");
  EXPECT_EQ(columns[2].type, "text");
}

}  // namespace
}  // namespace datamap::testing

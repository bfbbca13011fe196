// Two `datamap serve` nodes on one PostgreSQL catalog, the DataStore's side (issue 20 item 3):
// a file uploaded to one node is downloaded and loaded on the other (the files are the
// cluster's, each node's files/ a cache), a load is run once across the nodes (one queue,
// claimed with FOR UPDATE SKIP LOCKED), and a node killed mid-load has its load finished by the
// other after its (short) lease lapsed. Real HTTP, real PostgreSQL, the real data.go.kr files.
#include <gtest/gtest.h>
#include <openssl/sha.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "catalog/postgres/pg_connection.h"
#include "tests/support/eventually.h"
#include "tests/support/multipart_form.h"
#include "tests/support/pg_cluster.h"
#include "tests/support/test_server.h"

namespace datamap::testing {
namespace {

using catalog::postgres::Connection;

const std::string kParking =
    std::string(DATAMAP_SOURCE_DIR) + "/data/sample/datafiles/datago-std-parking-15012896.csv";
const std::string kParks =
    std::string(DATAMAP_SOURCE_DIR) + "/data/sample/datafiles/datago-std-citypark-15012890.csv";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string sha256_hex(const std::string& bytes) {
  unsigned char d[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), d);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : d) {
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  return out;
}

// Sets an environment variable for the servers this test starts (fork + exec inherit it), and
// removes it when the test ends.
struct ScopedEnv {
  ScopedEnv(const char* name, const char* value) : name(name) { ::setenv(name, value, 1); }
  ~ScopedEnv() { ::unsetenv(name); }
  const char* name;
};

TestServer::Options node(const std::string& url, int lease_seconds = 60) {
  TestServer::Options o;
  o.config_toml = "[datastore]\nload_lease_seconds = " + std::to_string(lease_seconds) + "\n";
  o.catalog = url;
  return o;
}

// An agency and its dataset `parking`, made on `s`; returns a sysadmin's token.
std::string make_dataset(TestServer& s) {
  const std::string admin = s.add_user("admin", {"--sysadmin"});
  EXPECT_EQ(s.client().action("organization_create", R"({"name":"agency"})", admin).status, 200);
  EXPECT_EQ(s.client()
                .action("package_create",
                        R"({"name":"parking","title":"주차장","owner_org":"agency"})", admin)
                .status,
            200);
  return admin;
}

// resource_create (or resource_update with `resource_id`) with the file as its upload.
HttpReply upload(const TestServer& s, const std::string& token, const std::string& filename,
                 const std::string& bytes, const std::string& resource_id = "") {
  MultipartForm f{
      {{"package_id", "parking"}, {"name", filename}, {"format", "CSV"}}, filename, bytes};
  if (!resource_id.empty()) f.fields.push_back({"id", resource_id});
  return s.client().post(
      std::string("/api/3/action/") + (resource_id.empty() ? "resource_create" : "resource_update"),
      f.body(), MultipartForm::headers(token));
}

std::string job_status(const TestServer& s, const std::string& resource_id) {
  auto r = s.client().action("datastore_job_status", R"({"resource_id":")" + resource_id + R"("})");
  if (r.status != 200) return "(" + std::to_string(r.status) + ")";
  return r.json()["result"]["status"].GetString();
}

std::int64_t search_total(const TestServer& s, const std::string& resource_id) {
  auto r = s.client().action("datastore_search",
                             R"({"resource_id":")" + resource_id + R"(","limit":1})");
  if (r.status != 200) return -1;
  return r.json()["result"]["total"].GetInt64();
}

// How many loads of the resource a node's log reports as run to their end (complete or failed).
// The resource's load once it runs: its job and whether node a (else b) claimed it (claimed_by
// names the runner's pid). An empty job id when none ran within 30 s or another process runs it.
struct RunningLoad {
  std::string job_id;
  bool on_a = false;
};
RunningLoad running_load(Connection& pg, const std::string& rid, const TestServer& a,
                         const TestServer& b) {
  RunningLoad out;
  std::string runner;
  const bool seen = eventually(
      [&] {
        auto r = pg.exec(
            "SELECT id, claimed_by FROM datastore_load_jobs WHERE resource_id = $1 AND "
            "status = 'running'",
            rid);
        if (r.empty()) return false;
        out.job_id = r.text(0, 0);
        runner = r.text(0, 1);
        return true;
      },
      30);
  auto claimed_by = [&](const TestServer& s) {
    return runner.find(":" + std::to_string(s.pid()) + ":") != std::string::npos;
  };
  if (!seen || !(claimed_by(a) || claimed_by(b))) return {};
  out.on_a = claimed_by(a);
  return out;
}

int loads_logged(const TestServer& s, const std::string& resource_id) {
  const std::string log = s.log();
  int n = 0;
  for (const std::string& needle :
       {"load of resource " + resource_id + ": ", "load of resource " + resource_id + " failed"})
    for (auto at = log.find(needle); at != std::string::npos; at = log.find(needle, at + 1)) ++n;
  return n;
}

TEST(PostgresDataStoreNodes, AFileUploadedOnOneNodeIsDownloadedLoadedAndSearchedOnTheOther) {
  const std::string url = PgCluster::shared().new_database();
  TestServer a(node(url));
  TestServer b(node(url));
  const std::string admin = make_dataset(a);
  const std::string bytes = read_file(kParking);
  ASSERT_GT(bytes.size(), 1000000u);
  auto created = upload(a, admin, "parking.csv", bytes);
  ASSERT_EQ(created.status, 200) << created.body << a.log();
  auto doc = created.json();
  const std::string rid = doc["result"]["id"].GetString();
  const std::string download = doc["result"]["url"].GetString();
  const std::string path = download.substr(download.find("/dataset/"));

  // Node b never received the bytes: its download comes from the cluster, into b's cache.
  const std::string hash = sha256_hex(bytes);
  const auto cached = std::filesystem::path(b.data_dir()) / "files" / hash.substr(0, 2) / hash;
  EXPECT_FALSE(std::filesystem::exists(cached));
  auto got = b.client().get(path);
  ASSERT_EQ(got.status, 200) << path << "\n" << b.log();
  EXPECT_EQ(got.body.size(), bytes.size());
  EXPECT_EQ(sha256_hex(got.body), hash);
  EXPECT_TRUE(std::filesystem::exists(cached));

  // Loaded by one node or the other, once, and searched on b.
  ASSERT_TRUE(eventually([&] { return job_status(b, rid) == "complete"; }, 60))
      << job_status(b, rid) << a.log() << b.log();
  EXPECT_EQ(search_total(b, rid), 14851);
  EXPECT_EQ(search_total(a, rid), 14851);
  EXPECT_EQ(loads_logged(a, rid) + loads_logged(b, rid), 1) << a.log() << b.log();

  // datastore_submit on b loads the file again (whichever node's worker claims it), once more.
  auto submitted =
      b.client().action("datastore_submit", R"({"resource_id":")" + rid + R"("})", admin);
  ASSERT_EQ(submitted.status, 200) << submitted.body;
  const std::string second = submitted.json()["result"]["job_id"].GetString();
  ASSERT_TRUE(eventually(
      [&] {
        auto r = a.client().action("datastore_job_status", R"({"resource_id":")" + rid + R"("})");
        auto j = r.json();
        return r.status == 200 && second == j["result"]["job_id"].GetString() &&
               std::string(j["result"]["status"].GetString()) == "complete";
      },
      60))
      << a.log() << b.log();
  EXPECT_EQ(loads_logged(a, rid) + loads_logged(b, rid), 2) << a.log() << b.log();
  Connection pg(url);
  auto rows = pg.exec(
      "SELECT count(*), count(*) FILTER (WHERE status = 'complete') FROM datastore_load_jobs "
      "WHERE resource_id = $1",
      rid);
  EXPECT_EQ(rows.integer(0, 0), 2);
  EXPECT_EQ(rows.integer(0, 1), 2);
  EXPECT_EQ(
      pg.exec("SELECT count(*) FROM datastore_file_refs WHERE sha256 = $1", hash).integer(0, 0), 1);

  // Deleted on b: the file's last reference goes, and with it the cluster's copy.
  ASSERT_EQ(b.client().action("resource_delete", R"({"id":")" + rid + R"("})", admin).status, 200);
  EXPECT_EQ(pg.exec("SELECT count(*) FROM datastore_files WHERE sha256 = $1", hash).integer(0, 0),
            0);
}

// Several uploads on both nodes at once: both workers claim from one queue, and every load runs
// exactly once.
TEST(PostgresDataStoreNodes, LoadsQueuedOnBothNodesRunOnceEach) {
  const std::string url = PgCluster::shared().new_database();
  TestServer a(node(url));
  TestServer b(node(url));
  const std::string admin = make_dataset(a);
  // Distinct prefixes of the real file (its header and 1000 + i rows, one line each): distinct
  // bytes, each a valid CSV.
  const std::string bytes = read_file(kParking);
  std::vector<std::string> ids;
  for (int i = 0; i < 6; ++i) {
    std::size_t cut = 0;
    for (int line = 0; line <= 1000 + i; ++line) cut = bytes.find('\n', cut + 1);
    const TestServer& to = i % 2 ? a : b;
    auto r = upload(to, admin, "part-" + std::to_string(i) + ".csv", bytes.substr(0, cut + 1));
    ASSERT_EQ(r.status, 200) << r.body;
    ids.push_back(r.json()["result"]["id"].GetString());
  }
  for (const std::string& rid : ids)
    ASSERT_TRUE(eventually([&] { return job_status(a, rid) == "complete"; }, 60))
        << rid << ": " << job_status(a, rid) << a.log() << b.log();
  Connection pg(url);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const std::string& rid = ids[i];
    EXPECT_EQ(loads_logged(a, rid) + loads_logged(b, rid), 1) << rid;
    EXPECT_EQ(pg.exec("SELECT count(*) FROM datastore_load_jobs WHERE resource_id = $1", rid)
                  .integer(0, 0),
              1)
        << rid;
    EXPECT_EQ(search_total(b, rid), static_cast<std::int64_t>(1000 + i)) << rid;
  }
}

// The node running a load is killed (SIGKILL: no shutdown, its job stays `running`); after its
// lease lapsed the other node marks the job interrupted, queues it again and loads it.
TEST(PostgresDataStoreNodes, ALoadOfAKilledNodeIsFinishedByTheOtherAfterItsLease) {
  const std::string url = PgCluster::shared().new_database();
  // The load must still run when the test sees it running and kills its node, however fast the
  // machine: 300 ms at each of its progress reports (about ten for this file).
  ScopedEnv slow("DATAMAP_LOAD_STEP_DELAY_MS", "300");
  TestServer a(node(url, 2));
  TestServer b(node(url, 2));
  const std::string admin = make_dataset(a);
  auto created = upload(a, admin, "parks.csv", read_file(kParks));
  ASSERT_EQ(created.status, 200) << created.body;
  const std::string rid = created.json()["result"]["id"].GetString();

  Connection pg(url);
  RunningLoad running = running_load(pg, rid, a, b);
  ASSERT_FALSE(running.job_id.empty()) << a.log() << b.log();
  const std::string job_id = running.job_id;
  const bool a_runs = running.on_a;
  TestServer& victim = a_runs ? a : b;
  TestServer& survivor = a_runs ? b : a;
  victim.kill_hard();
  // Killed mid-load: the job was still running (not finished) when it died.
  auto left = pg.exec("SELECT status FROM datastore_load_jobs WHERE id = $1", job_id);
  ASSERT_EQ(left.text(0, 0), "running") << "the load ended before the kill; " << victim.log();

  ASSERT_TRUE(eventually([&] { return job_status(survivor, rid) == "complete"; }, 60))
      << job_status(survivor, rid) << survivor.log();
  EXPECT_EQ(search_total(survivor, rid), 18481);
  auto old = pg.exec("SELECT status, error FROM datastore_load_jobs WHERE id = $1", job_id);
  ASSERT_FALSE(old.empty());
  EXPECT_EQ(old.text(0, 0), "error");
  EXPECT_NE(old.text(0, 1).find("interrupted"), std::string::npos) << old.text(0, 1);
  auto again = pg.exec(
      "SELECT claimed_by FROM datastore_load_jobs WHERE resource_id = $1 AND status = "
      "'complete'",
      rid);
  ASSERT_EQ(again.rows(), 1);
  EXPECT_NE(again.text(0, 0).find(":" + std::to_string(survivor.pid()) + ":"), std::string::npos)
      << again.text(0, 0);
}

// A new upload on the node that does not run the resource's load replaces that load: the runner
// learns it from the job's row (at its next progress report) and stops; the new bytes are loaded.
TEST(PostgresDataStoreNodes, AnUploadOnOneNodeStopsTheLoadItReplacesOnTheOther) {
  const std::string url = PgCluster::shared().new_database();
  // The first load must still run when its replacement is uploaded (see the test above).
  ScopedEnv slow("DATAMAP_LOAD_STEP_DELAY_MS", "300");
  TestServer a(node(url, 3));
  TestServer b(node(url, 3));
  const std::string admin = make_dataset(a);
  auto created = upload(a, admin, "parks.csv", read_file(kParks));
  ASSERT_EQ(created.status, 200) << created.body;
  const std::string rid = created.json()["result"]["id"].GetString();
  Connection pg(url);
  RunningLoad running = running_load(pg, rid, a, b);
  ASSERT_FALSE(running.job_id.empty()) << a.log() << b.log();
  const std::string job_id = running.job_id;
  const bool a_runs = running.on_a;
  const TestServer& other = a_runs ? b : a;
  auto replaced = upload(other, admin, "parking.csv", read_file(kParking), rid);
  ASSERT_EQ(replaced.status, 200) << replaced.body;

  ASSERT_TRUE(eventually(
      [&] {
        auto r = pg.exec(
            "SELECT status FROM datastore_load_jobs WHERE resource_id = $1 ORDER BY seq DESC "
            "LIMIT 1",
            rid);
        return !r.empty() && r.text(0, 0) == "complete";
      },
      60))
      << a.log() << b.log();
  EXPECT_EQ(search_total(a, rid), 14851);  // the parking file's rows, not the parks'
  auto first = pg.exec("SELECT status, error FROM datastore_load_jobs WHERE id = $1", job_id);
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(first.text(0, 0), "error") << "the replaced load ran to its end";
  EXPECT_NE(first.text(0, 1).find("replaced"), std::string::npos) << first.text(0, 1);
  // The replaced load was cut off: its runner logged no completed load of the resource.
  const TestServer& ran = a_runs ? a : b;
  EXPECT_EQ(ran.log().find("load of resource " + rid + ": 18481 rows"), std::string::npos);
}

}  // namespace
}  // namespace datamap::testing

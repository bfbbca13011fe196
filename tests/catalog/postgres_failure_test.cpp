// What a cluster of `datamap serve` nodes on one PostgreSQL does when a part of it fails, over
// HTTP with real servers (docs/DEPLOY.md, "When the database fails", "When a node fails"):
//  - the database stopped: requests answer 503 with Retry-After (never 500), the nodes live on,
//    and serve again, writes included, as soon as it is back;
//  - a deadlock between a write and another session: the write is run again and succeeds;
//  - a harvest job aborted on one node stops where another node runs it;
//  - a node killed mid-harvest: another node takes its job over once the lease lapses.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "catalog/postgres/pg_connection.h"
#include "tests/support/ckan_fixture.h"
#include "tests/support/eventually.h"
#include "tests/support/fixture_http_server.h"
#include "tests/support/pg_cluster.h"
#include "tests/support/test_server.h"

namespace datamap::testing {
namespace {

using std::chrono::milliseconds;

TestServer::Options node(const std::string& url, const std::string& harvest_toml = "") {
  TestServer::Options o;
  o.config_toml =
      "[quota]\nper_second = 0\nper_day = 0\n[harvest]\nallow_hosts = "
      "[\"127.0.0.1\"]\n" +
      harvest_toml;
  o.catalog = url;
  return o;
}

std::string job_status(const TestServer& s, const std::string& job_id) {
  auto r = s.client().action("harvest_job_show", R"({"id":")" + job_id + R"("})");
  if (r.status != 200) return "(" + std::to_string(r.status) + ")";
  return r.json()["result"]["status"].GetString();
}

// Active datasets in the shared catalog, as package_list reads it (the catalog, not an index).
int dataset_count(const TestServer& s) {
  auto r = s.client().action("package_list", "{}");
  if (r.status != 200) return -1;
  return static_cast<int>(r.json()["result"].Size());
}

int search_count(const TestServer& s, const std::string& q) {
  auto r = s.client().action("package_search", R"({"q":")" + q + R"(","rows":0})");
  if (r.status != 200) return -1;
  return static_cast<int>(r.json()["result"]["count"].GetInt64());
}

// A CKAN remote with `n` datasets served one per slow page, so a job runs for n * delay.
void slow_remote(CkanFixture& ckan, int n, milliseconds delay) {
  std::vector<std::string> packages;
  for (int i = 0; i < n; ++i) {
    const std::string id = "remote-" + std::string(i < 10 ? "0" : "") + std::to_string(i);
    packages.push_back(R"({"id":")" + id + R"(","name":")" + id + R"(","title":"Remote )" + id +
                       R"(","metadata_modified":"2024-01-01T00:00:)" +
                       std::string(i < 10 ? "0" : "") + std::to_string(i) + R"(.000000"})");
  }
  ckan.set_packages(packages);
  ckan.set_delay(delay);
}

std::string make_source(const TestServer& s, const std::string& admin, const CkanFixture& ckan) {
  EXPECT_EQ(s.client().action("organization_create", R"({"name":"agency"})", admin).status, 200);
  auto r = s.client().action("harvest_source_create",
                             R"({"name":"slow","url":")" + ckan.site_url() +
                                 R"(","source_type":"ckan","owner_org":"agency",)"
                                 R"("config":{"rows":1}})",
                             admin);
  EXPECT_EQ(r.status, 200) << r.body;
  return r.status == 200 ? r.json()["result"]["id"].GetString() : "";
}

TEST(PostgresFailure, TheDatabaseStoppedAnswers503AndTheNodesServeAgainWhenItIsBack) {
  const std::string url = PgCluster::shared().new_database();
  TestServer a(node(url));
  TestServer b(node(url));
  const std::string admin = a.add_user("admin", {"--sysadmin"});
  ASSERT_EQ(a.client().action("organization_create", R"({"name":"agency"})", admin).status, 200);
  ASSERT_EQ(a.client()
                .action("package_create",
                        R"({"name":"before","title":"Before","owner_org":"agency"})", admin)
                .status,
            200);
  // Both nodes have used their pooled connections, which the stop will break.
  ASSERT_EQ(b.client().action("package_show", R"({"id":"before"})").status, 200);

  PgCluster::shared().stop();
  for (const TestServer* s : {&a, &b}) {
    auto read = s->client().action("package_show", R"({"id":"before"})");
    EXPECT_EQ(read.status, 503) << read.body << s->log();
    EXPECT_FALSE(read.header("retry-after").empty());
    EXPECT_NE(read.body.find("The catalog database is unavailable"), std::string::npos)
        << read.body;
    auto write = s->client().action(
        "package_create", R"({"name":"lost","title":"Lost","owner_org":"agency"})", admin);
    EXPECT_EQ(write.status, 503) << write.body;
    EXPECT_EQ(s->client().get("/dataset/before").status, 503);
    EXPECT_EQ(s->client().action("status_show", "{}").status, 503);
  }

  PgCluster::shared().start();
  // The same processes answer (none crashed), the first request already: broken pooled
  // connections are dropped, not handed out.
  for (const TestServer* s : {&a, &b}) {
    auto read = s->client().action("package_show", R"({"id":"before"})");
    EXPECT_EQ(read.status, 200) << read.body << s->log();
  }
  auto write = b.client().action(
      "package_create",
      R"({"name":"after","title":"Written after the restart","owner_org":"agency"})", admin);
  ASSERT_EQ(write.status, 200) << write.body << b.log();
  // Nothing of the refused write was kept; the new one is searchable on both nodes (their
  // change-log followers came back with the database).
  EXPECT_EQ(a.client().action("package_show", R"({"id":"lost"})").status, 404);
  for (const TestServer* s : {&a, &b})
    EXPECT_TRUE(eventually([&] { return search_count(*s, "name:after") == 1; }))
        << search_count(*s, "name:after") << s->log();
}

// A write that deadlocks with another session is rolled back by PostgreSQL (40P01) on one side;
// the store runs it again, and the caller sees 200, not 500.
TEST(PostgresFailure, AWriteThatDeadlocksIsRunAgainAndSucceeds) {
  const std::string url = PgCluster::shared().new_database();
  TestServer a(node(url));
  const std::string admin = a.add_user("admin", {"--sysadmin"});
  ASSERT_EQ(a.client().action("organization_create", R"({"name":"agency"})", admin).status, 200);
  ASSERT_EQ(a.client()
                .action("package_create",
                        R"({"name":"contested","title":"Old","owner_org":"agency"})", admin)
                .status,
            200);

  // The other session holds the dataset's row, then (once the node's write waits for that row
  // under the catalog's write lock) asks for the write lock: a cycle. Its own deadlock check
  // is put off, so the node's side is the one PostgreSQL rolls back.
  catalog::postgres::Connection other(url);
  other.script("SET deadlock_timeout = '20s'");
  other.script("BEGIN");
  ASSERT_FALSE(other.exec("SELECT 1 FROM datasets WHERE name = 'contested' FOR UPDATE").empty());
  catalog::postgres::Connection watcher(url);
  HttpReply patched;
  std::thread writer([&] {
    patched = a.client().action("package_patch", R"({"id":"contested","title":"New"})", admin);
  });
  const bool waiting = eventually([&] {
    return watcher
               .exec(
                   "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                   "AND wait_event_type = 'Lock'")
               .integer(0, 0) > 0;
  });
  if (waiting) {
    other.script("SELECT pg_advisory_xact_lock(1684895602)");  // the catalog's write lock
    other.script("COMMIT");
  } else {
    other.script("ROLLBACK");
  }
  writer.join();
  ASSERT_TRUE(waiting) << "the node's write never waited for the row";
  EXPECT_EQ(patched.status, 200) << patched.body << a.log();
  // The cycle was real and the node's side was the one rolled back (the other session's
  // statement went through): the 200 came from the write run again.
  EXPECT_TRUE(eventually([&] {
    return watcher
               .exec("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
               .integer(0, 0) >= 1;
  }));
  auto shown = a.client().action("package_show", R"({"id":"contested"})");
  EXPECT_STREQ(shown.json()["result"]["title"].GetString(), "New");
}

// Node a runs a slow job; node b, asked to abort it, marks the row Aborted, and a notices it at
// its next look at the row and stops: no dataset is written after.
TEST(PostgresFailure, AJobAbortedOnOneNodeStopsWhereAnotherNodeRunsIt) {
  FixtureHttpServer remote;
  CkanFixture ckan(remote);
  constexpr int kRemote = 40;
  slow_remote(ckan, kRemote, milliseconds(100));
  const std::string url = PgCluster::shared().new_database();
  const std::string harvest = "batch_size = 1\nmax_attempts = 1\n";
  TestServer a(node(url, harvest));
  // b's harvester has looked for jobs at its start and sleeps (30 s) through this test.
  TestServer b(node(url, harvest));
  const std::string admin = a.add_user("admin", {"--sysadmin"});
  const std::string source = make_source(a, admin, ckan);
  ASSERT_FALSE(source.empty());
  auto job = a.client().action("harvest_job_create", R"({"source_id":"slow"})", admin);
  ASSERT_EQ(job.status, 200) << job.body;
  const std::string job_id = job.json()["result"]["id"].GetString();
  // a's harvester is woken by the job it queued and runs it.
  ASSERT_TRUE(eventually([&] { return dataset_count(a) >= 3; })) << a.log();

  auto aborted = b.client().action("harvest_job_abort", R"({"id":")" + job_id + R"("})", admin);
  ASSERT_EQ(aborted.status, 200) << aborted.body << b.log();
  EXPECT_STREQ(aborted.json()["result"]["status"].GetString(), "Aborted");
  // a reads the job row every second; then its page in flight ends the run.
  std::this_thread::sleep_for(milliseconds(2000));
  const int stopped_at = dataset_count(b);
  ASSERT_GT(stopped_at, 0);
  // Ten more pages' time: a run that went on would have written more.
  std::this_thread::sleep_for(milliseconds(1000));
  EXPECT_EQ(dataset_count(b), stopped_at) << a.log();
  EXPECT_LT(stopped_at, kRemote);
  EXPECT_EQ(job_status(a, job_id), "Aborted");
  EXPECT_EQ(job_status(b, job_id), "Aborted");
}

// Node a is killed (SIGKILL) mid-harvest; b, with a lease of two seconds, fails the job as
// interrupted once the lease lapses, queues the source again and harvests all of it.
TEST(PostgresFailure, ANodeKilledMidHarvestLeavesItsJobToTheOtherNode) {
  FixtureHttpServer remote;
  CkanFixture ckan(remote);
  constexpr int kRemote = 60;
  slow_remote(ckan, kRemote, milliseconds(100));
  const std::string url = PgCluster::shared().new_database();
  const std::string harvest = "batch_size = 1\nmax_attempts = 1\njob_lease_s = 2\n";
  TestServer a(node(url, harvest));
  const std::string admin = a.add_user("admin", {"--sysadmin"});
  ASSERT_FALSE(make_source(a, admin, ckan).empty());
  auto job = a.client().action("harvest_job_create", R"({"source_id":"slow"})", admin);
  ASSERT_EQ(job.status, 200) << job.body;
  const std::string job_id = job.json()["result"]["id"].GetString();
  ASSERT_TRUE(eventually([&] { return dataset_count(a) >= 3; })) << a.log();
  // Started after a claimed the job (b, polling every lease, could otherwise take it first).
  TestServer b(node(url, harvest));
  a.kill_hard();
  ASSERT_LT(dataset_count(b), kRemote) << "the job ended before the kill";

  EXPECT_TRUE(eventually([&] { return job_status(b, job_id) == "Failed"; }))
      << job_status(b, job_id) << b.log();
  auto show = b.client().action("harvest_job_show", R"({"id":")" + job_id + R"("})");
  EXPECT_NE(show.body.find("interrupted"), std::string::npos) << show.body;
  // The source's next job, queued by b, is run by b (a is gone) to the end.
  EXPECT_TRUE(eventually([&] {
    auto list = b.client().action("harvest_job_list", R"({"source_id":"slow"})");
    if (list.status != 200) return false;
    auto doc = list.json();
    for (const auto& j : doc["result"].GetArray())
      if (std::string(j["id"].GetString()) != job_id &&
          std::string(j["status"].GetString()) == "Finished")
        return true;
    return false;
  })) << b.log();
  EXPECT_EQ(dataset_count(b), kRemote);
}

}  // namespace
}  // namespace datamap::testing

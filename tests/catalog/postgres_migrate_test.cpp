// `datamap migrate --to postgresql://…`: a SQLite catalog a real server filled — a dataset, users
// and their tokens, a data request with a vote and a comment, an error report, a harvest source
// with its job, a link check, a quality snapshot — copied into a new PostgreSQL catalog, the
// counts printed per table; a server on the copy answers for all of it with the same tokens and
// takes new writes; a second migrate into the same database is refused.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <sstream>
#include <string>
#include <thread>

#include "tests/support/eventually.h"
#include "tests/support/fixture_http_server.h"
#include "tests/support/pg_cluster.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace datamap::testing {
namespace {

// The row count `migrate` printed for `table`; -1 when it printed none.
std::int64_t printed_rows(const std::string& output, const std::string& table) {
  std::istringstream in(output);
  std::string name;
  std::int64_t rows = 0;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    if (fields >> name >> rows && name == table) return rows;
  }
  return -1;
}

std::string id_of(const HttpReply& r) {
  return r.json()["result"]["id"].GetString();
}

TEST(PostgresMigrate, ASqliteCatalogWithItsRecordsIsCopiedAndServedFromPostgres) {
  FixtureHttpServer remote;
  remote.route("/data.json", [](const FixtureRequest&, FixtureResponse& res) {
    res.send(200, "application/json",
             R"({"dataset": [{"identifier": "harvested-1", "title": "Harvested"}]})");
  });
  remote.route("/good.csv", [](const FixtureRequest&, FixtureResponse& res) {
    res.send(200, "text/csv", "a,b\n1,2\n");
  });
  TempDir data;
  const std::string toml =
      "[harvest]\nallow_hosts = [\"127.0.0.1\"]\n"
      "[links]\nenabled = true\ntimeout_s = 2\nper_host_rate = 100.0\n";
  std::string admin, citizen, request_id, resource_id, job_id;
  {
    TestServer lite({data.path(), toml, {}, ""});
    admin = lite.add_user("admin", {"--sysadmin"});
    citizen = lite.add_user("citizen");
    auto c = lite.client();
    ASSERT_EQ(c.action("organization_create", R"({"name":"agency"})", admin).status, 200);
    auto created = c.action("package_create",
                            R"({"name":"parking","title":"Parking","owner_org":"agency",)"
                            R"("resources":[{"url":")" +
                                remote.url("/good.csv") + R"("}]})",
                            admin);
    ASSERT_EQ(created.status, 200) << created.body;
    resource_id = created.json()["result"]["resources"][0]["id"].GetString();
    auto request = c.action("datarequest_create", R"({"title":"주차장 실시간 현황"})", citizen);
    ASSERT_EQ(request.status, 200) << request.body;
    request_id = id_of(request);
    ASSERT_EQ(c.action("datarequest_vote", R"({"id":")" + request_id + R"("})", admin).status, 200);
    ASSERT_EQ(c.action("datarequest_comment",
                       R"({"id":")" + request_id + R"(","comment":"저도 필요합니다"})", admin)
                  .status,
              200);
    ASSERT_EQ(
        c.action("issue_report_create",
                 R"({"package_id":"parking","kind":"wrong_values","description":"x"})", citizen)
            .status,
        200);
    ASSERT_EQ(c.action("harvest_source_create",
                       R"({"name":"feed","url":")" + remote.url("/data.json") +
                           R"(","source_type":"datajson"})",
                       admin)
                  .status,
              200);
    auto job = c.action("harvest_job_create", R"({"source_id":"feed"})", admin);
    ASSERT_EQ(job.status, 200) << job.body;
    job_id = id_of(job);
    ASSERT_TRUE(eventually([&] {
      auto r = c.action("harvest_job_show", R"({"id":")" + job_id + R"("})");
      return r.status == 200 && std::string(r.json()["result"]["status"].GetString()) == "Finished";
    })) << lite.log();
    ASSERT_TRUE(eventually([&] {
      auto r = c.action("link_check_show", R"({"id":")" + resource_id + R"("})");
      return r.status == 200 && r.json()["result"]["latest"].IsObject();
    })) << lite.log();
    ASSERT_EQ(c.action("quality_snapshot", "{}", admin).status, 200);
  }

  const std::string url = PgCluster::shared().new_database();
  CliResult migrated = run_datamap({"migrate", "--to", url, "--data", data.path()});
  ASSERT_EQ(migrated.exit_code, 0) << migrated.output << migrated.errors;
  EXPECT_EQ(printed_rows(migrated.output, "datasets"), 2);  // parking, harvested-1
  EXPECT_EQ(printed_rows(migrated.output, "users"), 2);
  EXPECT_EQ(printed_rows(migrated.output, "data_requests"), 1);
  EXPECT_EQ(printed_rows(migrated.output, "data_request_votes"), 1);
  EXPECT_EQ(printed_rows(migrated.output, "data_request_comments"), 1);
  EXPECT_EQ(printed_rows(migrated.output, "issue_reports"), 1);
  EXPECT_EQ(printed_rows(migrated.output, "harvest_sources"), 1);
  EXPECT_EQ(printed_rows(migrated.output, "harvest_jobs"), 1);
  EXPECT_EQ(printed_rows(migrated.output, "harvest_provenances"), 1);
  EXPECT_GE(printed_rows(migrated.output, "link_urls"), 1);
  EXPECT_GE(printed_rows(migrated.output, "link_history"), 1);
  EXPECT_GE(printed_rows(migrated.output, "quality_history"), 1);
  EXPECT_GE(printed_rows(migrated.output, "changes"), 1);

  // Into a catalog that holds rows: refused, and nothing is written twice.
  CliResult again = run_datamap({"migrate", "--to", url, "--data", data.path()});
  EXPECT_NE(again.exit_code, 0);
  EXPECT_NE(again.errors.find("not empty"), std::string::npos) << again.errors;
  CliResult not_pg = run_datamap({"migrate", "--to", "/tmp/x.db", "--data", data.path()});
  EXPECT_NE(not_pg.exit_code, 0);

  TestServer pg({"", toml, {}, url});
  auto c = pg.client();
  EXPECT_EQ(c.action("package_show", R"({"id":"parking"})").status, 200);
  EXPECT_EQ(c.action("package_show", R"({"id":"harvested-1"})").status, 200);
  auto request = c.action("datarequest_show", R"({"id":")" + request_id + R"("})");
  ASSERT_EQ(request.status, 200) << request.body;
  EXPECT_EQ(request.json()["result"]["votes"].GetInt64(), 1) << request.body;
  // The tokens are the catalog's: the admin made on SQLite is the admin here.
  auto revote = c.action("datarequest_vote", R"({"id":")" + request_id + R"("})", admin);
  ASSERT_EQ(revote.status, 200) << revote.body;
  EXPECT_FALSE(revote.json()["result"]["counted"].GetBool()) << revote.body;  // voted on SQLite
  auto job = c.action("harvest_job_show", R"({"id":")" + job_id + R"("})");
  ASSERT_EQ(job.status, 200) << job.body;
  EXPECT_STREQ(job.json()["result"]["status"].GetString(), "Finished");
  auto link = c.action("link_check_show", R"({"id":")" + resource_id + R"("})");
  ASSERT_EQ(link.status, 200) << link.body;
  EXPECT_STREQ(link.json()["result"]["answer"].GetString(), "yes") << link.body;
  auto overview = c.action("quality_overview", "{}");
  ASSERT_EQ(overview.status, 200) << overview.body;
  EXPECT_EQ(overview.json()["result"]["history"].Size(), 1u) << overview.body;
  // New rows number on after the copied ones.
  EXPECT_EQ(
      c.action("package_create", R"({"name":"after","title":"After","owner_org":"agency"})", admin)
          .status,
      200);
  auto second = c.action("harvest_job_create", R"({"source_id":"feed"})", admin);
  ASSERT_EQ(second.status, 200) << second.body;
  auto list = c.action("harvest_job_list", R"({"source_id":"feed"})");
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_GE(list.json()["result"].Size(), 2u) << list.body;
  EXPECT_EQ(std::string(list.json()["result"][0]["id"].GetString()), id_of(second));  // newest
}

}  // namespace
}  // namespace datamap::testing

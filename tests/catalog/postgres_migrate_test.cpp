// `datamap migrate --to postgresql://…`: a SQLite catalog a real server filled — a dataset, users
// and their tokens, a data request with a vote and a comment, an error report, a harvest source
// with its job, a link check, a quality snapshot — copied into a new PostgreSQL catalog, the
// counts printed per table; a server on the copy answers for all of it with the same tokens and
// takes new writes; a second migrate into the same database is refused. The DataStore goes too:
// the real CP949 parking file loaded on SQLite answers datastore_search and datastore_search_sql
// the same on PostgreSQL, also after a migration killed half-way and run again; a row the copy
// changed is caught by the checksum and nothing is committed.
#include <gtest/gtest.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>

#include "catalog/postgres/pg_connection.h"
#include "catalog/postgres/pg_migrations.h"
#include "tests/datastore/load_job_util.h"
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

const std::string kParking =
    std::string(DATAMAP_SOURCE_DIR) + "/data/sample/datafiles/datago-std-parking-15012896.csv";

std::string file_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string json_text(const rapidjson::Value& v) {
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> w(out);
  v.Accept(w);
  return out.GetString();
}

// What a reader of the DataStore sees: each query's fields, records and total, as JSON text.
std::vector<std::string> datastore_answers(const HttpClient& c, const std::string& parking,
                                           const std::string& small) {
  const std::vector<std::pair<std::string, std::string>> queries = {
      {"datastore_search", R"({"resource_id":")" + parking + R"(","limit":5})"},
      {"datastore_search", R"({"resource_id":")" + parking +
                               R"(","filters":{"주차장구분":"공영"},"sort":"주차구획수 desc, _id",)"
                               R"("limit":10,"offset":3})"},
      {"datastore_search",
       R"({"resource_id":")" + parking + R"(","q":"부평구","sort":"_id","limit":20})"},
      {"datastore_search", R"({"resource_id":")" + parking +
                               R"(","fields":"제공기관코드","distinct":true,"sort":"제공기관코드",)"
                               R"("limit":50})"},
      {"datastore_search", R"({"resource_id":")" + small + R"("})"},
      {"datastore_search_sql",
       R"({"sql":"SELECT \"제공기관명\", count(*) AS n, max(\"주차구획수\") )"
       R"(AS m FROM \")" +
           parking + R"(\" GROUP BY 1 ORDER BY n DESC, 1 LIMIT 10"})"},
      {"datastore_search_sql", R"({"sql":"SELECT _id, \"주차장명\", \"위도\", \"경도\" FROM \")" +
                                   parking + R"(\" WHERE \"위도\" > 37.5 ORDER BY _id LIMIT 20"})"},
      {"datastore_search_sql", R"({"sql":"SELECT * FROM \")" + small + R"(\" ORDER BY _id"})"},
  };
  std::vector<std::string> out;
  for (const auto& [action, body] : queries) {
    auto r = c.action(action, body);
    EXPECT_EQ(r.status, 200) << action << " " << body << " -> " << r.body;
    auto doc = r.json();
    if (r.status != 200 || !doc.HasMember("result")) {
      out.push_back("failed: " + r.body);
      continue;
    }
    auto& result = doc["result"];
    std::string answer = json_text(result["fields"]) + "\n" + json_text(result["records"]);
    if (result.HasMember("total")) answer += "\ntotal " + json_text(result["total"]);
    out.push_back(answer);
  }
  return out;
}

// A SQLite data directory with the real parking file loaded (14,851 rows, CP949) and a small
// table made by datastore_create with a data dictionary, a primary key and a deleted row (its
// _ids have a gap).
struct LoadedSqlite {
  TempDir data;
  std::string parking, small;
  std::vector<std::string> answers;

  LoadedSqlite() {
    TestServer lite({data.path(), "", {}, ""});
    const std::string admin = lite.add_user("admin", {"--sysadmin"});
    auto c = lite.client();
    EXPECT_EQ(c.action("organization_create", R"({"name":"agency","title":"기관"})", admin).status,
              200);
    EXPECT_EQ(c.action("package_create",
                       R"({"name":"parking","title":"주차장","owner_org":"agency"})", admin)
                  .status,
              200);
    HttpReply up = upload(c, "resource_create",
                          {{"package_id", "parking"}, {"name", "주차장 CSV"}, {"format", "CSV"}},
                          "parking.csv", file_text(kParking), admin);
    EXPECT_EQ(up.status, 200) << up.body;
    parking = up.json()["result"]["id"].GetString();
    auto job = wait_for_job(c, parking, admin);
    EXPECT_STREQ(job["result"]["status"].GetString(), "complete") << lite.log();
    auto created = c.action("datastore_create", R"({
        "resource": {"package_id": "parking", "name": "구획", "format": "CSV"},
        "fields": [{"id": "코드", "type": "text", "info": {"label": "구획 코드"}},
                   {"id": "면적", "type": "numeric"}, {"id": "유료", "type": "bool"},
                   {"id": "개설일", "type": "date"}],
        "primary_key": ["코드"],
        "records": [{"코드": "A-1", "면적": 12.5, "유료": true, "개설일": "2021-01-04"},
                    {"코드": "A-2", "면적": 0.1, "유료": false},
                    {"코드": "B\t1", "면적": 1e-7, "유료": true, "개설일": "2020-02-29"}]})",
                            admin);
    EXPECT_EQ(created.status, 200) << created.body;
    small = created.json()["result"]["resource_id"].GetString();
    EXPECT_EQ(c.action("datastore_delete",
                       R"({"resource_id":")" + small + R"(","filters":{"코드":"A-2"}})", admin)
                  .status,
              200);
    answers = datastore_answers(c, parking, small);
  }
};

TEST(PostgresMigrate, TheDataStoreAnswersTheSameAfterAKilledMigrationIsRunAgain) {
  LoadedSqlite lite;
  ASSERT_EQ(lite.answers.size(), 8u);
  const std::string url = PgCluster::shared().new_database();
  // The catalog copy is held at harvest_jobs (a lock the test holds) and the process killed
  // there: the DataStore tables are committed by then, the catalog's transaction is not.
  catalog::postgres::Connection holder(url);
  catalog::postgres::migrate(holder);
  holder.script("BEGIN; LOCK TABLE harvest_jobs IN SHARE MODE");
  TempDir logs;
  pid_t pid = start_datamap({"migrate", "--to", url, "--data", lite.data.path()}, logs.file("out"),
                            logs.file("err"));
  const bool held = eventually([&] {
    return file_text(logs.file("err")).find("catalog harvest_sources:") != std::string::npos;
  });
  kill(pid, SIGKILL);
  EXPECT_EQ(wait_datamap(pid), 128 + SIGKILL);
  holder.script("COMMIT");
  ASSERT_TRUE(held) << file_text(logs.file("err"));
  const std::string first = file_text(logs.file("err"));
  EXPECT_NE(first.find("datastore " + lite.parking + ": 14851 / 14851 rows copied"),
            std::string::npos)
      << first;
  EXPECT_EQ(holder.exec("SELECT count(*) FROM datasets").integer(0, 0), 0);  // rolled back
  // A row of the copied small table changed behind the migration's back: the rerun's checksum
  // sees it and copies that table again; the parking table it finds whole and keeps.
  holder.script("UPDATE datastore.\"" + lite.small + "\" SET \"면적\" = 13 WHERE _id = 1");

  CliResult again = run_datamap({"migrate", "--to", url, "--data", lite.data.path()});
  ASSERT_EQ(again.exit_code, 0) << again.output << again.errors;
  EXPECT_NE(again.errors.find("datastore " + lite.parking +
                              ": 14851 / 14851 rows already there, checksums equal"),
            std::string::npos)
      << again.errors;
  EXPECT_NE(again.errors.find("datastore " + lite.small + ": 2 / 2 rows copied"), std::string::npos)
      << again.errors;
  EXPECT_NE(again.errors.find("catalog datasets: 1 / 1 rows copied, checksums equal"),
            std::string::npos)
      << again.errors;
  EXPECT_NE(again.output.find("2 DataStore tables"), std::string::npos) << again.output;

  TestServer pg({"", "", {}, url});
  const std::vector<std::string> after = datastore_answers(pg.client(), lite.parking, lite.small);
  ASSERT_EQ(after.size(), lite.answers.size());
  for (std::size_t i = 0; i < after.size(); ++i)
    EXPECT_EQ(after[i], lite.answers[i]) << "query " << i;
  // Finished: a third run is refused.
  CliResult third = run_datamap({"migrate", "--to", url, "--data", lite.data.path()});
  EXPECT_NE(third.exit_code, 0);
  EXPECT_NE(third.errors.find("not empty"), std::string::npos) << third.errors;
}

TEST(PostgresMigrate, ARowChangedOnTheWayIsCaughtByTheChecksumAndNothingIsCommitted) {
  TempDir data;
  {
    TestServer lite({data.path(), "", {}, ""});
    const std::string admin = lite.add_user("admin", {"--sysadmin"});
    ASSERT_EQ(lite.client()
                  .action("organization_create", R"({"name":"agency","title":"기관"})", admin)
                  .status,
              200);
  }
  const std::string url = PgCluster::shared().new_database();
  catalog::postgres::Connection pg(url);
  catalog::postgres::migrate(pg);
  // What a lossy conversion would do: the same number of rows, one value not the same.
  pg.script(
      "CREATE FUNCTION bend_title() RETURNS trigger LANGUAGE plpgsql AS "
      "$$ BEGIN NEW.title := NEW.title || '?'; RETURN NEW; END $$;"
      "CREATE TRIGGER bend BEFORE INSERT ON organizations FOR EACH ROW EXECUTE FUNCTION "
      "bend_title()");
  CliResult bent = run_datamap({"migrate", "--to", url, "--data", data.path()});
  EXPECT_NE(bent.exit_code, 0);
  EXPECT_NE(bent.errors.find("table organizations: checksums differ"), std::string::npos)
      << bent.errors;
  EXPECT_EQ(pg.exec("SELECT count(*) FROM organizations").integer(0, 0), 0);
  EXPECT_EQ(pg.exec("SELECT count(*) FROM users").integer(0, 0), 0);

  pg.script("DROP TRIGGER bend ON organizations");
  CliResult fixed = run_datamap({"migrate", "--to", url, "--data", data.path()});
  EXPECT_EQ(fixed.exit_code, 0) << fixed.errors;
  EXPECT_EQ(pg.exec("SELECT title FROM organizations").text(0, 0), "기관");
}

}  // namespace
}  // namespace datamap::testing

// Upload → load → profile, end to end over HTTP against a real server: the real CP949 parking
// file goes in through resource_create (multipart, as ckanapi sends it), a background job loads
// it, and the rows, the column profile in the catalog and search all follow. Counts are checked
// against Python's csv module over the same file.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "datastore/table_store.h"
#include "tests/datastore/load_job_util.h"
#include "tests/support/test_server.h"

namespace datamap::testing {
namespace {

const std::string kParking =
    std::string(DATAMAP_SOURCE_DIR) + "/data/sample/datafiles/datago-std-parking-15012896.csv";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// What Python's csv module counts over the CP949 file: rows, and rows per 제공기관코드.
struct PythonCounts {
  long rows = 0;
  std::map<std::string, long> by_org_code;
};

PythonCounts python_counts(const std::string& path) {
  std::string script =
      "import csv,sys,collections\n"
      "r=csv.reader(open(sys.argv[1],encoding='cp949',newline=''))\n"
      "h=next(r);i=h.index('제공기관코드');c=collections.Counter(row[i] for row in r)\n"
      "print(sum(c.values()))\n"
      "for k,v in sorted(c.items()): print(k,v)\n";
  std::string command = "python3 -c \"$(cat <<'EOF'\n" + script + "EOF\n)\" '" + path + "'";
  FILE* p = popen(command.c_str(), "r");
  if (!p) throw std::runtime_error("python3 did not start");
  std::string out;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  EXPECT_EQ(pclose(p), 0) << out;
  PythonCounts counts;
  std::istringstream lines(out);
  lines >> counts.rows;
  std::string code;
  long n = 0;
  while (lines >> code >> n) counts.by_org_code[code] = n;
  return counts;
}

class LoadWorld : public ::testing::Test {
 public:
  void SetUp() override {
    admin = server.add_user("admin", {"--sysadmin"});
    // The agency that provides rows of the parking file under 제공기관코드 5670000 (창원시).
    ok("organization_create", R"({"name":"changwon","title":"경상남도 창원시","code":"5670000"})");
    ok("organization_create", R"({"name":"parking-agency","title":"주차 담당 기관"})");
    ok("package_create",
       R"({"name":"parking","title":"전국주차장정보표준데이터","owner_org":"parking-agency"})");
  }

  rapidjson::Document ok(const std::string& action, const std::string& body) {
    HttpReply reply = http.action(action, body, admin);
    EXPECT_EQ(reply.status, 200) << action << ": " << reply.body;
    return reply.json();
  }

  // Uploads the parking file as a new resource of `parking`; returns the resource id.
  std::string upload_parking() {
    HttpReply reply = upload(http, "resource_create",
                             {{"package_id", "parking"}, {"name", "주차장 CSV"}, {"format", "CSV"}},
                             "parking.csv", read_file(kParking), admin);
    EXPECT_EQ(reply.status, 200) << reply.body;
    auto doc = reply.json();
    return doc["result"]["id"].GetString();
  }

  TestServer server;
  HttpClient http = server.client();
  std::string admin;
};

const rapidjson::Value* find_column(const rapidjson::Value& columns, const std::string& name) {
  for (const auto& c : columns.GetArray())
    if (c["name"].GetString() == name) return &c;
  return nullptr;
}

TEST_F(LoadWorld, TheRealParkingFileUploadedBecomesRowsAndAProfileInTheCatalog) {
  auto started = std::chrono::steady_clock::now();
  std::string id = upload_parking();
  auto job = wait_for_job(http, id, admin);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  ASSERT_STREQ(job["result"]["status"].GetString(), "complete") << job["result"]["error"].IsNull();
  std::printf("[ figure ] parking file upload -> load -> profile in catalog: %.2f s\n", seconds);
  EXPECT_EQ(job["result"]["rows_done"].GetInt64(), 14851);
  EXPECT_EQ(job["result"]["total_rows"].GetInt64(), 14851);
  EXPECT_TRUE(job["result"]["error"].IsNull());
  EXPECT_FALSE(std::string(job["result"]["finished"].GetString()).empty());

  // The rows: 14,851 × 33 fields, plus CKAN's _id.
  auto info = ok("datastore_info", R"({"id":")" + id + R"("})");
  EXPECT_EQ(info["result"]["meta"]["count"].GetInt64(), 14851);
  std::size_t fields = 0;
  for (const auto& f : info["result"]["fields"].GetArray())
    fields += std::string(f["id"].GetString()) != "_id";
  EXPECT_EQ(fields, 33u);

  // The profile, in package_show: types and semantic types, and 제공기관코드 matched to the
  // catalog's organization with that code.
  auto pkg = ok("package_show", R"({"id":"parking"})");
  const auto& resource = pkg["result"]["resources"][0];
  EXPECT_TRUE(resource["datastore_active"].GetBool());
  const auto& columns = resource["columns"];
  ASSERT_EQ(columns.Size(), 33u);
  auto lat = find_column(columns, "위도");
  auto lon = find_column(columns, "경도");
  auto phone = find_column(columns, "전화번호");
  auto org = find_column(columns, "제공기관코드");
  ASSERT_TRUE(lat && lon && phone && org);
  EXPECT_STREQ((*lat)["type"].GetString(), "numeric");
  EXPECT_STREQ((*lat)["semantic_type"].GetString(), "latitude");
  EXPECT_STREQ((*lon)["semantic_type"].GetString(), "longitude");
  EXPECT_STREQ((*phone)["semantic_type"].GetString(), "phone");
  EXPECT_STREQ((*phone)["type"].GetString(), "text");
  auto changwon = ok("organization_show", R"({"id":"changwon"})");
  bool matched = false;
  for (const auto& o : (*org)["organizations"].GetArray())
    matched |= o.GetString() == std::string(changwon["result"]["id"].GetString());
  EXPECT_TRUE(matched) << "제공기관코드 5670000 is not matched to organization changwon";
  // The dataset-level columns follow from the resource's profile.
  auto dataset_lat = find_column(pkg["result"]["columns"], "위도");
  ASSERT_TRUE(dataset_lat);
  EXPECT_STREQ((*dataset_lat)["type"].GetString(), "numeric");

  // SQL counts equal Python's csv module's over the same file.
  PythonCounts expected = python_counts(kParking);
  ASSERT_EQ(expected.rows, 14851);
  auto count =
      ok("datastore_search_sql", R"({"sql":"SELECT COUNT(*) AS n FROM \")" + id + R"(\""})");
  EXPECT_EQ(count["result"]["records"][0]["n"].GetInt64(), expected.rows);
  auto grouped = ok("datastore_search_sql",
                    R"({"sql":"SELECT \"제공기관코드\" AS code, COUNT(*) AS n FROM \")" + id +
                        R"(\" GROUP BY \"제공기관코드\""})");
  std::map<std::string, long> by_code;
  for (const auto& r : grouped["result"]["records"].GetArray()) {
    std::string code =
        r["code"].IsString() ? r["code"].GetString() : std::to_string(r["code"].GetInt64());
    by_code[code] = r["n"].GetInt64();
  }
  EXPECT_EQ(by_code, expected.by_org_code);

  // Search finds the dataset by a column once the index has caught up with the change.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  long found = 0;
  while (found == 0 && std::chrono::steady_clock::now() < deadline) {
    auto reply = http.get("/api/3/action/package_search?fq=" + url_encode("columns:위도"));
    found = reply.json()["result"]["count"].GetInt64();
    if (found == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(found, 1);
}

// Over HTTP: a finished job shows no phase; a table whose full text is still being built (the
// state between a load's rows and its full-text phase, made here directly in the stopped
// server's store) answers filters but refuses q with a 409 naming q; a total past
// total_estimation_threshold is estimated and says so, as in CKAN.
TEST_F(LoadWorld, QWaitsForTheFullTextPhaseAndTotalsMayBeEstimated) {
  std::string id = upload_parking();
  auto job = wait_for_job(http, id, admin);
  ASSERT_STREQ(job["result"]["status"].GetString(), "complete");
  EXPECT_TRUE(job["result"]["phase"].IsNull());

  const std::string search = R"({"resource_id":")" + id + R"(","q":"주차장","limit":1)";
  auto exact = ok("datastore_search", search + "}");
  const auto total = exact["result"]["total"].GetInt64();
  EXPECT_GT(total, 5000);  // 8,231 of the 14,851 rows
  EXPECT_FALSE(exact["result"]["total_was_estimated"].GetBool());
  EXPECT_TRUE(exact["result"]["total_estimation_threshold"].IsNull());
  auto estimated = ok("datastore_search", search + R"(,"total_estimation_threshold":1000})");
  EXPECT_TRUE(estimated["result"]["total_was_estimated"].GetBool());
  EXPECT_EQ(estimated["result"]["total_estimation_threshold"].GetInt64(), 1000);
  EXPECT_NEAR(static_cast<double>(estimated["result"]["total"].GetInt64()),
              static_cast<double>(total), total * 0.2);
  EXPECT_EQ(http.action("datastore_search", search + R"(,"total_estimation_threshold":-1})", admin)
                .status,
            409);

  server.stop();
  {
    auto tables = datastore::open_sqlite_table_store(server.data_dir() + "/datastore.db");
    auto info = tables->info(id);
    ASSERT_TRUE(info);
    auto w = tables->replace_table(id, info->fields, info->options);
    w->append(datastore::Row(info->fields.size()));
    w->commit_rows();
  }
  server.start();
  http = server.client();
  auto refused = http.action("datastore_search", search + "}", admin);
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_NE(refused.body.find("full-text index is being built"), std::string::npos)
      << refused.body;
  auto rows = ok("datastore_search", R"({"resource_id":")" + id + R"("})");
  EXPECT_EQ(rows["result"]["total"].GetInt64(), 1);
  auto alive = http.action("status_show", "{}", admin);
  EXPECT_EQ(alive.status, 200);
}

TEST_F(LoadWorld, UploadingTheSameBytesAgainDoesNoNewWork) {
  std::string id = upload_parking();
  auto first = wait_for_job(http, id, admin);
  ASSERT_STREQ(first["result"]["status"].GetString(), "complete");
  HttpReply again =
      upload(http, "resource_update", {{"id", id}}, "parking.csv", read_file(kParking), admin);
  ASSERT_EQ(again.status, 200) << again.body;
  auto second = wait_for_job(http, id, admin);
  EXPECT_STREQ(second["result"]["job_id"].GetString(), first["result"]["job_id"].GetString());
  EXPECT_STREQ(second["result"]["finished"].GetString(), first["result"]["finished"].GetString());
  // datastore_submit loads it again on request: a new job.
  auto resubmitted = ok("datastore_submit", R"({"resource_id":")" + id + R"("})");
  EXPECT_STRNE(resubmitted["result"]["job_id"].GetString(), first["result"]["job_id"].GetString());
  auto third = wait_for_job(http, id, admin);
  EXPECT_STREQ(third["result"]["status"].GetString(), "complete");
}

// Uploads `bytes` as a CSV resource of `parking` and waits for its job, which must fail.
rapidjson::Document failed_job(LoadWorld& w, const std::string& bytes, std::string& id) {
  HttpReply reply = upload(w.http, "resource_create",
                           {{"package_id", "parking"}, {"name", "broken"}, {"format", "CSV"}},
                           "broken.csv", bytes, w.admin);
  EXPECT_EQ(reply.status, 200) << reply.body;
  id = reply.json()["result"]["id"].GetString();
  auto job = wait_for_job(w.http, id, w.admin);
  EXPECT_STREQ(job["result"]["status"].GetString(), "error");
  EXPECT_TRUE(job["result"]["error"].IsObject());
  return job;
}

TEST_F(LoadWorld, FilesThatAreNotTablesFailNamingWhereAndLeaveTheCatalogAlone) {
  auto before = ok("package_show", R"({"id":"parking"})");
  std::string ragged_id, binary_id;
  // A ragged CSV whose third line has 5,001 fields: the job names line 3.
  auto ragged = failed_job(*this, "a,b\n1,2\n" + std::string(5000, ',') + "\n4,5\n", ragged_id);
  EXPECT_EQ(ragged["result"]["error"]["line"].GetInt64(), 3);
  EXPECT_NE(std::string(ragged["result"]["error"]["message"].GetString()).find("line 3"),
            std::string::npos)
      << ragged["result"]["error"]["message"].GetString();
  // Binary bytes uploaded as CSV: the job says what the file is.
  std::string binary("a,b\n1,2\n\x01\x02\x00\xff\xfe,,\n", 16);
  auto bin = failed_job(*this, binary, binary_id);
  EXPECT_NE(std::string(bin["result"]["error"]["message"].GetString()).find("binary"),
            std::string::npos)
      << bin["result"]["error"]["message"].GetString();

  // No tables, no profile, the dataset's columns as they were; the server still answers.
  for (const auto& id : {ragged_id, binary_id})
    EXPECT_EQ(http.action("datastore_info", R"({"id":")" + id + R"("})", admin).status, 404);
  auto after = ok("package_show", R"({"id":"parking"})");
  ASSERT_EQ(after["result"]["resources"].Size(), 2u);
  for (const auto& r : after["result"]["resources"].GetArray()) {
    EXPECT_FALSE(r["datastore_active"].GetBool());
    EXPECT_EQ(r["columns"].Size(), 0u);
  }
  EXPECT_EQ(after["result"]["columns"].Size(), before["result"]["columns"].Size());
  EXPECT_EQ(http.action("status_show").status, 200);
}

TEST_F(LoadWorld, DeletingTheResourceDropsItsTableAndItsJobs) {
  std::string id = upload_parking();
  ASSERT_STREQ(wait_for_job(http, id, admin)["result"]["status"].GetString(), "complete");
  ok("resource_delete", R"({"id":")" + id + R"("})");
  EXPECT_EQ(http.action("datastore_info", R"({"id":")" + id + R"("})", admin).status, 404);
  // The table is gone for SQL too: a query naming it is refused, not answered from stale rows.
  long sql_status = http.action("datastore_search_sql",
                                R"({"sql":"SELECT COUNT(*) FROM \")" + id + R"(\""})", admin)
                        .status;
  EXPECT_TRUE(sql_status == 400 || sql_status == 404) << sql_status;
  EXPECT_EQ(http.action("datastore_job_status", R"({"resource_id":")" + id + R"("})", admin).status,
            404);
}

// dataset_purge (CKAN: sysadmins only) removes the dataset for good, and with it every table and
// stored file of its resources; package_delete only marks it deleted, so the table stays for its
// editors (and is 404 to everyone else) until the dataset is purged.
TEST_F(LoadWorld, PurgingTheDatasetDropsItsTablesAndFilesButDeletingOnlyHidesThem) {
  std::string id = upload_parking();
  ASSERT_STREQ(wait_for_job(http, id, admin)["result"]["status"].GetString(), "complete");
  std::string editor =
      server.add_user("editor", {"--org", "parking-agency", "--role", "editor"});
  std::string info = R"({"id":")" + id + R"("})";

  ok("package_delete", R"({"id":"parking"})");
  EXPECT_EQ(http.action("datastore_info", info).status, 404);  // anonymous
  EXPECT_EQ(http.action("datastore_info", info, editor).status, 200);

  // Only a sysadmin purges; an editor of the agency is refused and nothing is lost.
  EXPECT_EQ(http.action("dataset_purge", R"({"id":"parking"})", editor).status, 403);
  EXPECT_EQ(http.action("datastore_info", info, editor).status, 200);
  EXPECT_EQ(http.action("dataset_purge", R"({"id":"no-such-dataset"})", admin).status, 404);

  ok("dataset_purge", R"({"id":"parking"})");
  EXPECT_EQ(http.action("package_show", R"({"id":"parking"})", admin).status, 404);
  EXPECT_EQ(http.action("datastore_info", info, admin).status, 404);
  long sql_status = http.action("datastore_search_sql",
                                R"({"sql":"SELECT COUNT(*) FROM \")" + id + R"(\""})", admin)
                        .status;
  EXPECT_TRUE(sql_status == 400 || sql_status == 404) << sql_status;
  int files = 0;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(server.data_dir() + "/files", ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); ++it)
    files += it->is_regular_file();
  EXPECT_EQ(files, 0) << "the uploaded file outlived its only dataset";
  // The name is free again.
  ok("package_create",
     R"({"name":"parking","title":"전국주차장정보표준데이터","owner_org":"parking-agency"})");
}

TEST_F(LoadWorld, JobStatusNeedsAResourceTheCallerMaySeeAndSubmitNeedsAnEditor) {
  std::string id = upload_parking();
  wait_for_job(http, id, admin);
  EXPECT_EQ(http.action("datastore_job_status", R"({"resource_id":"no-such-resource"})").status,
            404);
  EXPECT_EQ(http.action("datastore_job_status", "{}").status, 409);
  // Anyone may read a public resource's job; only an editor may queue one.
  EXPECT_EQ(http.action("xloader_status", R"({"resource_id":")" + id + R"("})").status, 200);
  EXPECT_EQ(http.action("datastore_submit", R"({"resource_id":")" + id + R"("})").status, 403);
  std::string member = server.add_user("reader", {"--org", "parking-agency", "--role", "member"});
  EXPECT_EQ(http.action("datastore_submit", R"({"resource_id":")" + id + R"("})", member).status,
            403);
}

}  // namespace
}  // namespace datamap::testing

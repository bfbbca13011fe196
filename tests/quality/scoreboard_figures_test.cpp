// The agency scoreboard's broken links and error rates over real HTTP (issue 15 item 4,
// docs/QUALITY.md): a server checking links against fixture remotes (one landing page and one
// resource URL broken), the real parking file and a small file with known errors uploaded and
// loaded; organization_quality_show, quality_overview (sorted by each figure) and the pages
// give what the test counts itself: broken links by construction, the parking file's invalid
// coordinates counted by Python's csv module, the small file's errors as written.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>

#include "tests/support/fixture_http_server.h"
#include "tests/support/multipart_form.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace datamap::quality {
namespace {

using datamap::testing::FixtureHttpServer;
using datamap::testing::FixtureRequest;
using datamap::testing::FixtureResponse;
using datamap::testing::HttpReply;
using datamap::testing::MultipartForm;
using datamap::testing::TestServer;

const std::string kParking =
    DATAMAP_SOURCE_DIR "/data/sample/datafiles/datago-std-parking-15012896.csv";

// Ten places, four wrong values of thirty checked: three phones, one latitude north of Korea.
const char* kSmallCsv =
    "이름,위도,경도,전화번호\n"
    "가,37.51,127.01,02-1234-5678\n"
    "나,37.52,127.02,02-1234-5679\n"
    "다,37.53,127.03,12-34\n"
    "라,37.54,127.04,031-123-4567\n"
    "마,37.55,127.05,전화없음\n"
    "바,37.56,127.06,02-1234-5680\n"
    "사,37.57,127.07,0\n"
    "아,37.58,127.08,02-1234-5681\n"
    "자,45.00,127.09,02-1234-5682\n"
    "차,37.59,127.10,02-1234-5683\n";

// Python's csv module over the parking file: non-empty coordinates that are no number or lie
// outside Korea's extent (33–39°N, 124–132°E), the file's only invalid values.
std::int64_t python_bad_coordinates() {
  datamap::testing::TempDir dir;
  const std::string script = dir.path() + "/count.py", out = dir.path() + "/count.txt";
  std::ofstream(script) << R"PY(
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding='cp949', newline='')))
header, rows = rows[0], rows[1:]
lat, lon = header.index('위도'), header.index('경도')
def bad(v, lo, hi):
    v = v.strip()
    if not v: return 0
    try: return 0 if lo <= float(v) <= hi else 1
    except ValueError: return 1
print(sum(bad(r[lat], 33, 39) + bad(r[lon], 124, 132) for r in rows if len(r) > lon))
)PY";
  const std::string cmd = "python3 '" + script + "' '" + kParking + "' > '" + out + "'";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
  std::int64_t n = -1;
  std::ifstream(out) >> n;
  return n;
}

std::string read_whole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Polls `done` (a hang guard, not a timing assertion).
bool wait_until(const std::function<bool()>& done, int seconds = 120) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return done();
}

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

  World() {
    remote.route("/ok.csv", [](const FixtureRequest&, FixtureResponse& res) {
      res.send(200, "text/csv", "a,b\n1,2\n");
    });
    for (const char* gone : {"/gone.csv", "/gone-page"})
      remote.route(gone, [](const FixtureRequest&, FixtureResponse& res) {
        res.send(404, "text/plain", "gone");
      });
    admin = server.add_user("admin", {"--sysadmin"});
  }

  rapidjson::Document ok(const std::string& action, const std::string& body) {
    HttpReply r = server.client().action(action, body, admin);
    EXPECT_EQ(r.status, 200) << action << " " << body.substr(0, 300) << " -> " << r.body;
    return r.json();
  }

  // Uploads `bytes` as a new resource of `dataset`; returns its id.
  std::string upload(const std::string& dataset, const std::string& filename,
                     const std::string& bytes) {
    MultipartForm f{{{"package_id", dataset}, {"name", filename}}, filename, bytes};
    HttpReply r = server.client().post("/api/3/action/resource_create", f.body(),
                                       MultipartForm::headers(admin));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json()["result"]["id"].GetString();
  }

  // The resource's validation report once the load has recorded it.
  rapidjson::Document validated(const std::string& rid) {
    rapidjson::Document doc;
    EXPECT_TRUE(wait_until([&] {
      doc = ok("datastore_validation_show", R"({"id":")" + rid + "\"}");
      return doc["result"]["validation"].IsObject();
    })) << "resource "
        << rid << " was never validated";
    return doc;
  }

  // link_check_show's answer once the URL has been checked.
  std::string answer(const std::string& params) {
    std::string a;
    EXPECT_TRUE(wait_until([&] {
      HttpReply r = server.client().action("link_check_show", params);
      if (r.status != 200) return false;
      auto doc = r.json();
      if (!doc["result"]["latest"].IsObject()) return false;
      a = doc["result"]["answer"].GetString();
      return true;
    })) << params
        << " was never checked";
    return a;
  }
};

const rapidjson::Value* agency(const rapidjson::Value& overview, const std::string& name) {
  for (const auto& a : overview["agencies"].GetArray())
    if (name == a["name"].GetString()) return &a;
  return nullptr;
}

TEST(ScoreboardFigures, BrokenLinksAndErrorRatesEqualWhatTheTestCounts) {
  World w;
  w.ok("organization_create", R"({"name":"agency-a","title":"가 기관"})");
  w.ok("organization_create", R"({"name":"agency-b","title":"나 기관"})");
  auto parking = w.ok("package_create", R"({"name":"parking","title":"전국주차장정보",
      "owner_org":"agency-a","url":")" + w.remote.url("/gone-page") +
                                            R"(","resources":[{"name":"old copy","url":")" +
                                            w.remote.url("/gone.csv") + R"("}]})");
  const std::string gone_a = parking["result"]["resources"][0]["id"].GetString();
  auto other = w.ok("package_create", R"({"name":"other","title":"다른 데이터",
      "owner_org":"agency-a","resources":[{"name":"ok","url":")" +
                                          w.remote.url("/ok.csv") + R"("}]})");
  const std::string ok_a = other["result"]["resources"][0]["id"].GetString();
  auto small = w.ok("package_create", R"({"name":"small","title":"작은 데이터",
      "owner_org":"agency-b","resources":[{"name":"old copy","url":")" +
                                          w.remote.url("/gone.csv") + R"("}]})");
  const std::string gone_b = small["result"]["resources"][0]["id"].GetString();

  const std::string parking_rid = w.upload("parking", "parking.csv", read_whole(kParking));
  const std::string small_rid = w.upload("small", "small.csv", kSmallCsv);
  auto parking_report = w.validated(parking_rid);
  auto small_report = w.validated(small_rid);

  // Every URL checked; the test knows which answer.
  EXPECT_EQ(w.answer(R"({"id":")" + gone_a + "\"}"), "no");
  EXPECT_EQ(w.answer(R"({"id":")" + gone_b + "\"}"), "no");
  EXPECT_EQ(w.answer(R"({"url":")" + w.remote.url("/gone-page") + "\"}"), "no");
  EXPECT_EQ(w.answer(R"({"id":")" + ok_a + "\"}"), "yes");
  EXPECT_EQ(w.answer(R"({"id":")" + parking_rid + "\"}"), "yes");
  EXPECT_EQ(w.answer(R"({"id":")" + small_rid + "\"}"), "yes");

  // The parking file: invalid values as Python counts them; checked values as the report's
  // columns add them up.
  const std::int64_t parking_invalid = python_bad_coordinates();
  ASSERT_GT(parking_invalid, 0);
  std::int64_t parking_checked = 0;
  for (const auto& c : parking_report["result"]["columns"].GetArray())
    if (c["validation"].IsObject() && !std::string(c["validation"]["rule"].GetString()).empty())
      parking_checked +=
          c["validation"]["invalid"].GetInt64() + c["validation"]["valid"].GetInt64();
  EXPECT_EQ(parking_report["result"]["validation"]["invalid_values"].GetInt64(), parking_invalid);

  auto a = w.ok("organization_quality_show", R"({"id":"agency-a"})");
  const auto& ra = a["result"];
  EXPECT_EQ(ra["broken_links"].GetInt(), 2);  // the landing page and "old copy"
  EXPECT_EQ(ra["datasets_with_broken_links"].GetInt(), 1);
  EXPECT_EQ(ra["validated_resources"].GetInt(), 1);
  EXPECT_EQ(ra["invalid_values"].GetInt64(), parking_invalid);
  EXPECT_EQ(ra["checked_values"].GetInt64(), parking_checked);
  EXPECT_DOUBLE_EQ(ra["error_rate"].GetDouble(),
                   static_cast<double>(parking_invalid) / static_cast<double>(parking_checked));
  // What to fix: the dataset with broken links, each link named; the resource with errors.
  ASSERT_EQ(ra["broken"].Size(), 1u);
  EXPECT_STREQ(ra["broken"][0]["name"].GetString(), "parking");
  ASSERT_EQ(ra["broken"][0]["links"].Size(), 2u);
  std::set<std::string> named;
  for (const auto& l : ra["broken"][0]["links"].GetArray())
    named.insert(std::string(l["resource_id"].GetString()) + " " + l["url"].GetString());
  EXPECT_EQ(named, (std::set<std::string>{" " + w.remote.url("/gone-page"),
                                          gone_a + " " + w.remote.url("/gone.csv")}));
  ASSERT_EQ(ra["error_rates"].Size(), 1u);
  EXPECT_STREQ(ra["error_rates"][0]["resource_id"].GetString(), parking_rid.c_str());

  auto b = w.ok("organization_quality_show", R"({"id":"agency-b"})");
  const auto& rb = b["result"];
  EXPECT_EQ(rb["broken_links"].GetInt(), 1);
  EXPECT_EQ(rb["checked_values"].GetInt(), 30);
  EXPECT_EQ(rb["invalid_values"].GetInt(), 4);
  EXPECT_EQ(rb["resources_over_limit"].GetInt(), 1);
  ASSERT_EQ(rb["error_rates"].Size(), 1u);
  EXPECT_EQ(rb["error_rates"][0]["failing_rows"].GetInt(), 4);
  EXPECT_EQ(small_report["result"]["validation"]["invalid_values"].GetInt(), 4);

  // The nation adds them up; sorted by each figure, the worst agency comes first.
  auto overview = w.ok("quality_overview", "{}");
  EXPECT_EQ(overview["result"]["broken_links"].GetInt(), 3);
  EXPECT_EQ(overview["result"]["invalid_values"].GetInt64(), parking_invalid + 4);
  EXPECT_EQ(overview["result"]["checked_values"].GetInt64(), parking_checked + 30);
  ASSERT_TRUE(agency(overview["result"], "agency-a") && agency(overview["result"], "agency-b"));
  EXPECT_EQ((*agency(overview["result"], "agency-b"))["invalid_values"].GetInt(), 4);
  auto by_errors = w.ok("quality_overview", R"({"sort":"error_rate"})");
  EXPECT_STREQ(by_errors["result"]["agencies"][0]["name"].GetString(), "agency-b");
  auto by_links = w.ok("quality_overview", R"({"sort":"broken_links"})");
  EXPECT_STREQ(by_links["result"]["agencies"][0]["name"].GetString(), "agency-a");
  // Each keeps its rank by score whatever the order listed.
  for (const auto* sorted : {&by_errors, &by_links})
    for (const auto& ag : (*sorted)["result"]["agencies"].GetArray())
      EXPECT_EQ(ag["rank"].GetInt(),
                (*agency(overview["result"], ag["name"].GetString()))["rank"].GetInt());

  // The pages say the same, in words and tables.
  HttpReply page = w.server.client().get("/organization/agency-a/quality");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<h2 id=\"broken\">끊긴 링크</h2>"), std::string::npos);
  EXPECT_NE(page.body.find(w.remote.url("/gone-page")), std::string::npos);
  EXPECT_NE(page.body.find("<h2 id=\"error-rates\">오류율이 높은 데이터</h2>"), std::string::npos);
  EXPECT_NE(page.body.find("/datastore/validation/" + parking_rid), std::string::npos);
  HttpReply ranking = w.server.client().get("/quality?sort=error_rate");
  ASSERT_EQ(ranking.status, 200);
  EXPECT_LT(ranking.body.find(">나 기관</a>"), ranking.body.find(">가 기관</a>"));
  EXPECT_NE(ranking.body.find("13.333%"), std::string::npos);  // agency-b: 4 of 30
}

}  // namespace
}  // namespace datamap::quality

// Ragged rows survive re-validation (issue 15, datastore/validator.h): the load reports rows with
// too few or too many values, and the table it writes keeps them padded or widened, so a later
// datastore_validate, which reads the table and not the file, could not see them. The load's
// findings are kept with the table and merged into every later report and failing-rows CSV;
// a write to the table (its rows no longer the file's) or a new file replaces them.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/multipart_form.h"
#include "tests/support/test_server.h"

namespace datamap::testing {
namespace {

const char* kRagged =
    "이름,위도,경도,전화번호\n"
    "가,37.51,127.01,02-1234-5678\n"
    "나,37.52,127.02\n"
    "다,37.53,127.03,02-1234-5679\n"
    "라,37.54,127.04,02-1234-5680,덧붙인 값\n"
    "마,37.55,127.05,02-1234-5681\n"
    "바,37.56,127.06,02-1234-5682\n"
    "사,37.57\n"
    "아,37.58,127.08,02-1234-5683\n";

// The test's own count: data rows (1-based, the header not counted) whose number of values
// differs from the header's, with what is wrong.
std::vector<std::pair<std::int64_t, std::string>> ragged_rows_of(const std::string& csv) {
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);
  const auto width = [](const std::string& l) { return std::count(l.begin(), l.end(), ',') + 1; };
  const auto header = width(line);
  std::vector<std::pair<std::int64_t, std::string>> out;
  for (std::int64_t row = 1; std::getline(in, line); ++row)
    if (width(line) != header)
      out.emplace_back(row, width(line) < header ? "too_few_values" : "too_many_values");
  return out;
}

bool wait_until(const std::function<bool()>& done, int seconds = 60) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return done();
}

struct World {
  TestServer server;
  std::string admin = server.add_user("admin", {"--sysadmin"});

  rapidjson::Document ok(const std::string& action, const std::string& body) {
    HttpReply r = server.client().action(action, body, admin);
    EXPECT_EQ(r.status, 200) << action << " -> " << r.body.substr(0, 1000);
    return r.json();
  }
  HttpReply upload(const std::string& action, const MultipartForm& f) {
    return server.client().post("/api/3/action/" + action, f.body(), MultipartForm::headers(admin));
  }
  // The report once a load (newer than `after`) has recorded it.
  rapidjson::Document report(const std::string& rid, const std::string& after = "") {
    rapidjson::Document doc;
    EXPECT_TRUE(wait_until([&] {
      doc = ok("datastore_validation_show", R"({"id":")" + rid + "\"}");
      const auto& v = doc["result"]["validation"];
      return v.IsObject() && std::string(v["validated_at"].GetString()) > after;
    }));
    return doc;
  }
};

std::vector<std::int64_t> examples(const rapidjson::Value& v) {
  std::vector<std::int64_t> out;
  for (const auto& e : v["ragged_examples"].GetArray()) out.push_back(e.GetInt64());
  return out;
}

TEST(RaggedRows, StayReportedWithTheirRowsWhenTheTableIsValidatedAgain) {
  World w;
  w.ok("organization_create", R"({"name":"agency"})");
  w.ok("package_create", R"({"name":"places","title":"장소","owner_org":"agency"})");
  HttpReply made = w.upload("resource_create", {{{"package_id", "places"}}, "places.csv", kRagged});
  ASSERT_EQ(made.status, 200) << made.body;
  const std::string rid = made.json()["result"]["id"].GetString();

  const auto expected = ragged_rows_of(kRagged);
  ASSERT_EQ(expected.size(), 3u);
  std::vector<std::int64_t> expected_rows;
  for (const auto& e : expected) expected_rows.push_back(e.first);

  auto loaded = w.report(rid);
  const auto& at_load = loaded["result"]["validation"];
  EXPECT_EQ(at_load["ragged_rows"].GetInt64(), 3);
  EXPECT_EQ(examples(at_load), expected_rows);

  // Validated again from the table: the same ragged rows, the same failing rows.
  auto again = w.ok("datastore_validate", R"({"id":")" + rid + "\"}");
  const auto& v = again["result"]["validation"];
  EXPECT_EQ(v["ragged_rows"].GetInt64(), 3);
  EXPECT_EQ(examples(v), expected_rows);
  EXPECT_EQ(v["failing_rows"].GetInt64(), at_load["failing_rows"].GetInt64());
  EXPECT_EQ(v["rows"].GetInt64(), 8);
  // And recorded so: datastore_validation_show and a third validation say the same.
  auto shown = w.ok("datastore_validation_show", R"({"id":")" + rid + "\"}");
  EXPECT_EQ(examples(shown["result"]["validation"]), expected_rows);
  auto third = w.ok("datastore_validate", R"({"id":")" + rid + "\"}");
  EXPECT_EQ(third["result"]["validation"]["ragged_rows"].GetInt64(), 3);

  // The failing-rows CSV names each ragged row with what is wrong with it.
  HttpReply csv = w.server.client().get("/datastore/validation/" + rid);
  ASSERT_EQ(csv.status, 200);
  for (const auto& [row, kind] : expected) {
    std::string line(1, '\n');  // appended, not `"\n" + ...`: g++ 12 warns on that (-Wrestrict)
    line.append(std::to_string(row)).append(",row: ").append(kind);
    EXPECT_NE(csv.body.find(line), std::string::npos) << line << " in:\n" << csv.body;
  }

  // A write to the table: its rows are no longer the file's, and the load's findings go.
  w.ok("datastore_upsert", R"({"resource_id":")" + rid + R"(","method":"insert",
       "records":[{"이름":"자","위도":"37.59","경도":"127.09","전화번호":"02-1234-5684"}]})");
  auto after_write = w.ok("datastore_validate", R"({"id":")" + rid + "\"}");
  EXPECT_EQ(after_write["result"]["validation"]["ragged_rows"].GetInt64(), 0);
  EXPECT_EQ(after_write["result"]["validation"]["rows"].GetInt64(), 9);

  // A new file replaces them with its own.
  const std::string before = after_write["result"]["validation"]["validated_at"].GetString();
  const std::string next = "이름,위도,경도,전화번호\n가,37.51,127.01,02-1234-5678\n나,37.52\n";
  HttpReply replaced =
      w.upload("resource_update", {{{"id", rid}, {"name", "places v2"}}, "places2.csv", next});
  ASSERT_EQ(replaced.status, 200) << replaced.body;
  auto reloaded = w.report(rid, before);
  auto revalidated = w.ok("datastore_validate", R"({"id":")" + rid + "\"}");
  EXPECT_EQ(examples(revalidated["result"]["validation"]), std::vector<std::int64_t>{2});
}

TEST(RaggedRows, AFileWithoutRaggedRowsHasNoneAfterRevalidation) {
  World w;
  w.ok("organization_create", R"({"name":"agency"})");
  w.ok("package_create", R"({"name":"even","title":"장소","owner_org":"agency"})");
  HttpReply made = w.upload(
      "resource_create", {{{"package_id", "even"}}, "even.csv", "이름,위도\n가,37.5\n나,37.6\n"});
  ASSERT_EQ(made.status, 200) << made.body;
  const std::string rid = made.json()["result"]["id"].GetString();
  w.report(rid);
  auto again = w.ok("datastore_validate", R"({"id":")" + rid + "\"}");
  EXPECT_EQ(again["result"]["validation"]["ragged_rows"].GetInt64(), 0);
  EXPECT_EQ(again["result"]["validation"]["failing_rows"].GetInt64(), 0);
}

}  // namespace
}  // namespace datamap::testing

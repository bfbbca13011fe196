// Data validation against the common standard (datastore/validator.h) on the real parking file
// (data.go.kr 15012896, CP949, 14,851 × 33): the counts of coordinates outside Korea, date and
// phone format problems, code problems and duplicate rows equal an independent count made by
// Python's csv module over the same file. Then over real HTTP: datastore_validate records the
// report in the catalog, datastore_validation_show and package_show show it, the quality score's
// data_error_rate reads it, the failing rows download as CSV, and a private dataset's report is
// 404 to outsiders.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

#include "catalog/standard_terms.h"
#include "datastore/loader.h"
#include "datastore/validator.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

using namespace datamap;

namespace {

const std::string kParking =
    DATAMAP_SOURCE_DIR "/data/sample/datafiles/datago-std-parking-15012896.csv";

const catalog::StandardTermIndex& terms() {
  static auto t = catalog::StandardTermIndex::load(DATAMAP_SOURCE_DIR "/data/standard/terms.csv");
  return *t;
}

// The independent count: Python's csv module over the file decoded as CP949, with the rules as
// docs/QUALITY.md states them, written from the documentation rather than from the C++. Prints
// {"counts": {...}, "fields": [...], "chunks": [[record, ...], ...]} (the records for the HTTP
// test, in datastore_create-sized chunks).
const char* kPython = R"PY(
import csv, json, re, sys
with open(sys.argv[1], encoding='cp949', newline='') as f:
    rows = list(csv.reader(f))
header, rows = rows[0], rows[1:]
col = {name: i for i, name in enumerate(header)}
date = re.compile(r'^(\d{4})([-./]?)(\d{2})\2(\d{2})([ T].*)?$')

def phone(v):
    n = v.replace(' ', '').replace('(', '').replace(')', '-').replace('.', '-')
    if not re.fullmatch(r'\d+(-\d+){0,2}', n): return False
    digits = sum(c.isdigit() for c in n)
    if n[0] == '0': return 9 <= digits <= 11
    return digits == 8 and (n.count('-') == 1 or n[0] == '1')

def count(rows):
    def cells(name):
        return [r[col[name]].strip(' \t\r\n') for r in rows]
    counts = {}
    for name, lo, hi in (('위도', 33.0, 39.0), ('경도', 124.0, 132.0)):
        out = nan = missing = 0
        for v in cells(name):
            if not v: missing += 1; continue
            try: x = float(v)
            except ValueError: nan += 1; continue
            if not lo <= x <= hi: out += 1
        counts[name] = {'out_of_korea': out, 'not_a_number': nan, 'missing': missing}
    bad = missing = 0
    for v in cells('데이터기준일자'):
        if not v: missing += 1; continue
        m = date.match(v)
        bad += not (m and 1000 <= int(m.group(1)) <= 2999 and 1 <= int(m.group(3)) <= 12
                    and 1 <= int(m.group(4)) <= 31)
    counts['데이터기준일자'] = {'date_format': bad, 'missing': missing}
    bad = missing = 0
    for v in cells('전화번호'):
        if not v: missing += 1; continue
        bad += not phone(v)
    counts['전화번호'] = {'phone_format': bad, 'missing': missing}
    bad = missing = 0
    for v in cells('제공기관코드'):
        if not v: missing += 1; continue
        bad += not re.fullmatch(r'[0-9A-Z]{7}', v)
    counts['제공기관코드'] = {'code_format': bad, 'missing': missing}
    # One code, one spelling: the same code with and without leading zeros, hyphens or spaces.
    for name in ('주차장구분', '급지구분', '부제시행구분', '제공기관코드'):
        first, inconsistent = {}, 0
        for v in cells(name):
            if not v: continue
            ident = v.replace('-', '').replace(' ', '').lstrip('0') or '0'
            if first.setdefault(ident, v) != v: inconsistent += 1
        counts.setdefault(name, {})['inconsistent_code'] = inconsistent
    seen, dup = set(), 0
    for r in rows:
        key = tuple(c.strip(' \t\r\n') for c in r)
        dup += key in seen
        seen.add(key)
    counts['duplicate_rows'] = dup
    counts['rows'] = len(rows)
    return counts

# The same file with damage a user would find: every 50th row's phone cut short, every 70th
# date in month 13, every 90th 제공기관코드 one digit short, every 110th row's coordinates
# swapped, every 130th 급지구분 "1" written "01".
damaged = []
for i, r in enumerate(rows):
    r = list(r)
    if i % 50 == 7: r[col['전화번호']] = '12-345'
    if i % 70 == 3: r[col['데이터기준일자']] = '2021.13.01'
    if i % 90 == 5: r[col['제공기관코드']] = r[col['제공기관코드']][:6]
    if i % 110 == 9: r[col['위도']], r[col['경도']] = r[col['경도']], r[col['위도']]
    if i % 130 == 11 and r[col['급지구분']] == '1': r[col['급지구분']] = '01'
    damaged.append(r)
with open(sys.argv[2], 'w', encoding='cp949', newline='') as f:
    w = csv.writer(f, lineterminator='\r\n')
    w.writerow(header)
    w.writerows(damaged)
chunks = [[dict(zip(header, r)) for r in damaged[i:i + 3000]] for i in range(0, len(damaged), 3000)]
json.dump({'real': count(rows), 'damaged': count(damaged), 'fields': header, 'chunks': chunks},
          sys.stdout, ensure_ascii=False)
)PY";

struct PythonCount {
  std::unique_ptr<datamap::testing::TempDir> dir;
  std::string damaged_path;  // the damaged copy of the parking file (CP949)
  rapidjson::Document doc;
  // `set`: "real" (the file as published) or "damaged".
  const rapidjson::Value& counts(const char* set) const { return doc[set]; }
  std::int64_t of(const char* set, const char* column, const char* what) const {
    const auto& c = counts(set)[column];
    return c.HasMember(what) ? c[what].GetInt64() : 0;
  }
};

const PythonCount& python_count() {
  static PythonCount p = [] {
    PythonCount p;
    p.dir = std::make_unique<datamap::testing::TempDir>();
    std::string script = p.dir->path() + "/count.py", out = p.dir->path() + "/count.json";
    p.damaged_path = p.dir->path() + "/parking-damaged.csv";
    std::ofstream(script) << kPython;
    std::string cmd =
        "python3 '" + script + "' '" + kParking + "' '" + p.damaged_path + "' > '" + out + "'";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
    std::stringstream text;
    text << std::ifstream(out).rdbuf();
    p.doc.Parse(text.str().c_str());
    EXPECT_FALSE(p.doc.HasParseError());
    return p;
  }();
  return p;
}

std::int64_t problem(const catalog::ColumnValidation& v, const std::string& kind) {
  for (const auto& p : v.problems)
    if (p.kind == kind) return p.count;
  return 0;
}

const catalog::ColumnProfile& column(const std::vector<catalog::ColumnProfile>& columns,
                                     const std::string& name) {
  for (const auto& c : columns)
    if (c.name == name) return c;
  throw std::runtime_error("no column " + name);
}

std::string to_json(const rapidjson::Value& v) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  v.Accept(w);
  return sb.GetString();
}

}  // namespace

// The file as published and a copy with damage (python above): the validator's counts equal
// Python's for both.
TEST(Validation, ParkingFileCountsEqualAnIndependentPythonCount) {
  const PythonCount& py = python_count();
  datastore::LoadOptions o;
  o.standard_terms = &terms();
  for (const char* set : {"real", "damaged"}) {
    SCOPED_TRACE(set);
    const std::string path = set == std::string("real") ? kParking : py.damaged_path;
    auto t0 = std::chrono::steady_clock::now();
    auto r = datastore::profile_file(path, "CSV", o);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf(
        "parking file (%s): read, profiled and validated %lld rows x %zu columns in "
        "%.3f s\n",
        set, static_cast<long long>(r.rows), r.columns.size(), seconds);
    RecordProperty(std::string("validate_seconds_") + set, std::to_string(seconds));

    ASSERT_EQ(r.rows, py.counts(set)["rows"].GetInt64());
    ASSERT_TRUE(r.validation.done);
    for (const char* c : {"위도", "경도"}) {
      const auto& v = column(r.columns, c).validation;
      EXPECT_EQ(v.rule, c == std::string("위도") ? "latitude" : "longitude");
      EXPECT_EQ(problem(v, "out_of_korea"), py.of(set, c, "out_of_korea")) << c;
      EXPECT_EQ(problem(v, "not_a_number"), py.of(set, c, "not_a_number")) << c;
      EXPECT_EQ(v.missing, py.of(set, c, "missing")) << c;
      EXPECT_EQ(v.missing + v.invalid + v.valid, r.rows) << c;
    }
    // The published file has coordinates outside Korea: the check is not vacuous.
    EXPECT_GT(problem(column(r.columns, "위도").validation, "out_of_korea"), 0);
    const auto& date = column(r.columns, "데이터기준일자").validation;
    EXPECT_EQ(date.rule, "date");
    EXPECT_EQ(problem(date, "date_format"), py.of(set, "데이터기준일자", "date_format"));
    EXPECT_EQ(date.missing, py.of(set, "데이터기준일자", "missing"));
    const auto& phone = column(r.columns, "전화번호").validation;
    EXPECT_EQ(phone.rule, "phone");
    EXPECT_EQ(problem(phone, "phone_format"), py.of(set, "전화번호", "phone_format"));
    EXPECT_EQ(phone.missing, py.of(set, "전화번호", "missing"));
    const auto& org = column(r.columns, "제공기관코드").validation;
    EXPECT_EQ(org.rule, "org_code");
    EXPECT_EQ(problem(org, "code_format"), py.of(set, "제공기관코드", "code_format"));
    for (const char* c : {"주차장구분", "급지구분", "부제시행구분", "제공기관코드"})
      EXPECT_EQ(problem(column(r.columns, c).validation, "inconsistent_code"),
                py.of(set, c, "inconsistent_code"))
          << c;
    EXPECT_EQ(r.validation.duplicate_rows, py.counts(set)["duplicate_rows"].GetInt64());
    EXPECT_GT(r.validation.duplicate_rows, 0);
    EXPECT_EQ(r.validation.ragged_rows, 0);
    if (set == std::string("damaged")) {  // the damage is found, with its rows
      EXPECT_GT(problem(phone, "phone_format"), 200);
      EXPECT_GT(problem(date, "date_format"), 200);
      EXPECT_GT(problem(org, "code_format"), 100);
      EXPECT_GT(problem(column(r.columns, "급지구분").validation, "inconsistent_code"), 10);
      ASSERT_FALSE(phone.problems.empty());
      EXPECT_EQ(phone.problems[0].examples.size(), 5u);
      EXPECT_EQ(phone.problems[0].examples[0].first, 8);  // python's row i = 7, 1-based 8
      EXPECT_EQ(phone.problems[0].examples[0].second, "12-345");
    }
    std::printf(
        "parking file (%s): error rate %.4f (%lld of %lld checked values), %lld failing "
        "rows, %lld duplicate rows\n",
        set, r.validation.error_rate(), static_cast<long long>(r.validation.invalid_values),
        static_cast<long long>(r.validation.checked_values),
        static_cast<long long>(r.validation.failing_rows),
        static_cast<long long>(r.validation.duplicate_rows));
  }
}

TEST(Validation, AllowedValuesCheckDigitsRaggedRowsAndInconsistentCodes) {
  datamap::testing::TempDir dir;
  std::string path = dir.path() + "/small.csv";
  // 사용여부 is 여부C1 (Y/N); 사업자등록번호 has a check digit (1248100998 is valid);
  // 시군구코드 holds 2 and 02, one code written two ways; the 5th data row is ragged and the
  // 6th repeats the 1st.
  std::ofstream(path) << "사용여부,사업자등록번호,시군구코드,이름\n"
                         "Y,124-81-00998,2,가\n"
                         "N,1248100999,02,나\n"
                         "예,12481,3,다\n"
                         "Y,,3,라\n"
                         "N,1248100998,3\n"
                         "Y,124-81-00998,2,가\n";
  datastore::LoadOptions o;
  o.standard_terms = &terms();
  auto r = datastore::profile_file(path, "CSV", o);
  const auto& yn = column(r.columns, "사용여부").validation;
  EXPECT_EQ(yn.rule, "allowed_values");
  EXPECT_EQ(problem(yn, "not_allowed"), 1);
  ASSERT_EQ(yn.problems[0].examples.size(), 1u);
  EXPECT_EQ(yn.problems[0].examples[0].first, 3);
  EXPECT_EQ(yn.problems[0].examples[0].second, "예");
  const auto& brn = column(r.columns, "사업자등록번호").validation;
  EXPECT_EQ(brn.rule, "business_reg_no");
  EXPECT_EQ(problem(brn, "check_digit"), 1);
  EXPECT_EQ(problem(brn, "code_format"), 1);
  EXPECT_EQ(brn.missing, 1);
  EXPECT_EQ(problem(column(r.columns, "시군구코드").validation, "inconsistent_code"), 1);
  EXPECT_EQ(r.validation.ragged_rows, 1);
  EXPECT_EQ(r.validation.ragged_examples, std::vector<std::int64_t>{5});
  EXPECT_EQ(r.validation.duplicate_rows, 1);
  EXPECT_EQ(r.validation.duplicate_examples, std::vector<std::int64_t>{6});
  EXPECT_EQ(r.validation.failing_rows, 4);  // rows 2 (two problems), 3 (two), 5 and 6
}

TEST(Validation, ReportOverHttpRecordedInTheCatalogWithFailingRowsAndPermissions) {
  const PythonCount& py = python_count();
  datamap::testing::TestServer server;
  std::string admin = server.add_user("admin", {"--sysadmin"});
  std::string outsider = server.add_user("outsider");
  auto ok = [&](const std::string& action, const std::string& body) {
    auto reply = server.client().action(action, body, admin);
    EXPECT_EQ(reply.status, 200) << action << ": " << reply.body.substr(0, 2000);
    return reply.json();
  };
  ok("organization_create", R"({"name": "agency", "title": "기관"})");
  auto made = ok("package_create", R"({"name": "parking", "title": "전국주차장정보표준데이터",
      "owner_org": "agency", "private": true,
      "resources": [{"name": "parking.csv", "format": "CSV", "url": "http://example.kr/p.csv"}]})");
  std::string rid = made["result"]["resources"][0]["id"].GetString();

  // The rows, as text, through datastore_create / datastore_upsert in chunks under the body cap.
  const auto& doc = py.doc;
  rapidjson::Document body(rapidjson::kObjectType);
  auto& a = body.GetAllocator();
  rapidjson::Value fields(rapidjson::kArrayType);
  for (const auto& f : doc["fields"].GetArray()) {
    rapidjson::Value field(rapidjson::kObjectType);
    field.AddMember("id", rapidjson::Value(f, a), a);
    field.AddMember("type", "text", a);
    fields.PushBack(field, a);
  }
  bool first = true;
  for (const auto& chunk : doc["chunks"].GetArray()) {
    rapidjson::Document req(rapidjson::kObjectType);
    auto& ra = req.GetAllocator();
    req.AddMember("resource_id", rapidjson::Value(rid.c_str(), ra), ra);
    if (first) req.AddMember("fields", rapidjson::Value(fields, ra), ra);
    if (!first) req.AddMember("method", "insert", ra);
    req.AddMember("records", rapidjson::Value(chunk, ra), ra);
    ok(first ? "datastore_create" : "datastore_upsert", to_json(req));
    first = false;
  }

  // Not validated yet: the report is null and the indicator pending.
  auto before = ok("datastore_validation_show", R"({"id": ")" + rid + R"("})");
  EXPECT_TRUE(before["result"]["validation"].IsNull());
  // An outsider sees neither the report nor the failing rows of a private dataset; an outsider
  // cannot validate.
  auto hidden =
      server.client().action("datastore_validation_show", R"({"id": ")" + rid + R"("})", outsider);
  EXPECT_EQ(hidden.status, 404) << hidden.body;
  EXPECT_EQ(server.client().get("/datastore/validation/" + rid).status, 404);
  EXPECT_EQ(
      server.client().get("/datastore/validation/" + rid, {{"Authorization", outsider}}).status,
      404);
  auto refused =
      server.client().action("datastore_validate", R"({"id": ")" + rid + R"("})", outsider);
  EXPECT_EQ(refused.status, 404) << refused.body;
  auto missing = server.client().action("datastore_validation_show", R"({"id": "nope"})", admin);
  EXPECT_EQ(missing.status, 404);
  auto no_id = server.client().action("datastore_validation_show", R"({})", admin);
  EXPECT_EQ(no_id.status, 409);

  auto t0 = std::chrono::steady_clock::now();
  auto validated = ok("datastore_validate", R"({"id": ")" + rid + R"("})");
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("datastore_validate over HTTP (SQLite table, 14,851 rows): %.3f s\n", seconds);

  auto shown = ok("datastore_validation_show", R"({"id": ")" + rid + R"("})");
  EXPECT_EQ(to_json(shown["result"]), to_json(validated["result"]));
  const auto& report = shown["result"];
  EXPECT_EQ(report["validation"]["rows"].GetInt64(), py.counts("damaged")["rows"].GetInt64());
  EXPECT_EQ(report["validation"]["duplicate_rows"].GetInt64(),
            py.counts("damaged")["duplicate_rows"].GetInt64());
  auto count_of = [&](const char* name, const char* kind) -> std::int64_t {
    for (const auto& c : report["columns"].GetArray()) {
      if (std::string(c["name"].GetString()) != name) continue;
      for (const auto& p : c["validation"]["problems"].GetArray())
        if (std::string(p["kind"].GetString()) == kind) return p["count"].GetInt64();
      return 0;
    }
    ADD_FAILURE() << "no column " << name;
    return -1;
  };
  EXPECT_EQ(count_of("위도", "out_of_korea"), py.of("damaged", "위도", "out_of_korea"));
  EXPECT_EQ(count_of("경도", "out_of_korea"), py.of("damaged", "경도", "out_of_korea"));
  EXPECT_EQ(count_of("데이터기준일자", "date_format"),
            py.of("damaged", "데이터기준일자", "date_format"));
  EXPECT_EQ(count_of("전화번호", "phone_format"), py.of("damaged", "전화번호", "phone_format"));
  EXPECT_EQ(count_of("제공기관코드", "code_format"),
            py.of("damaged", "제공기관코드", "code_format"));

  // In the catalog: package_show carries it, and the quality score reads the error rate.
  auto pkg = ok("package_show", R"({"id": "parking"})");
  const auto& res = pkg["result"]["resources"][0];
  ASSERT_TRUE(res.HasMember("validation")) << to_json(res).substr(0, 500);
  EXPECT_EQ(res["validation"]["invalid_values"].GetInt64(),
            report["validation"]["invalid_values"].GetInt64());
  double rate = report["validation"]["error_rate"].GetDouble();
  auto quality = ok("quality_show", R"({"id": "parking"})");
  bool found = false;
  for (const auto& i : quality["result"]["indicators"].GetArray())
    if (std::string(i["id"].GetString()) == "data_error_rate") {
      found = true;
      EXPECT_STREQ(i["outcome"].GetString(), rate <= 0.01 ? "passed" : "failed");
    }
  EXPECT_TRUE(found) << to_json(quality["result"]).substr(0, 1000);

  // The failing rows, for the agency: one line per row with a problem, with its row number.
  auto csv = server.client().get("/datastore/validation/" + rid, {{"Authorization", admin}});
  ASSERT_EQ(csv.status, 200) << csv.body.substr(0, 500);
  EXPECT_NE(csv.headers["content-type"].find("text/csv"), std::string::npos);
  EXPECT_EQ(csv.headers["x-datamap-rows"],
            std::to_string(report["validation"]["failing_rows"].GetInt64()));
  EXPECT_NE(csv.body.find("_row,_problems,주차장관리번호"), std::string::npos);
  EXPECT_NE(csv.body.find("전화번호: phone_format"), std::string::npos);
  EXPECT_NE(csv.body.find("row: duplicate_row"), std::string::npos);
  EXPECT_TRUE(server.running());
}

// The load path: `datamap attach` (the load queue's code) records the loader's validation with
// the profile, so the report is there without datastore_validate; a public dataset's report is
// open to anyone.
TEST(Validation, TheLoadRecordsTheReportInTheCatalog) {
  const PythonCount& py = python_count();
  datamap::testing::TestServer server;
  std::string admin = server.add_user("admin", {"--sysadmin"});
  auto http = server.client();
  ASSERT_EQ(http.action("organization_create", R"({"name":"agency"})", admin).status, 200);
  ASSERT_EQ(http.action("package_create",
                        R"({"name":"parking","title":"주차장","owner_org":"agency"})", admin)
                .status,
            200);
  server.stop();
  auto attached = datamap::testing::run_datamap({"attach", "--data", server.data_dir(), "parking",
                                                 py.damaged_path, "--name", "parking-damaged.csv"});
  ASSERT_EQ(attached.exit_code, 0) << attached.output << attached.errors;
  server.start();
  http = server.client();
  auto pkg = http.action("package_show", R"({"id":"parking"})").json();
  ASSERT_EQ(pkg["result"]["resources"].Size(), 1u);
  std::string rid = pkg["result"]["resources"][0]["id"].GetString();
  auto shown = http.action("datastore_validation_show", R"({"id":")" + rid + R"("})");
  ASSERT_EQ(shown.status, 200) << shown.body.substr(0, 500);
  auto report = shown.json();
  const auto& v = report["result"]["validation"];
  ASSERT_TRUE(v.IsObject()) << shown.body.substr(0, 500);
  EXPECT_EQ(v["rows"].GetInt64(), 14851);
  EXPECT_EQ(v["duplicate_rows"].GetInt64(), py.counts("damaged")["duplicate_rows"].GetInt64());
  EXPECT_FALSE(std::string(v["validated_at"].GetString()).empty());
  for (const auto& c : report["result"]["columns"].GetArray()) {
    if (std::string(c["name"].GetString()) != "전화번호") continue;
    ASSERT_TRUE(c["validation"].IsObject());
    EXPECT_EQ(c["validation"]["problems"][0]["count"].GetInt64(),
              py.of("damaged", "전화번호", "phone_format"));
  }
  // The dataset page shows the report and links the failing rows.
  auto page = http.get("/dataset/parking");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("데이터 검증"), std::string::npos);
  EXPECT_NE(page.body.find("전화번호 형식 오류"), std::string::npos);
  EXPECT_NE(page.body.find("/datastore/validation/" + rid), std::string::npos);
  auto csv = http.get("/datastore/validation/" + rid);
  EXPECT_EQ(csv.status, 200);
  EXPECT_EQ(csv.headers["x-datamap-rows"], std::to_string(v["failing_rows"].GetInt64()));
}

// datastore_join and GET /openapi/join over real HTTP, on the real parking (14,851 rows) and
// city-park (18,481 rows) files uploaded with resource_create and loaded by the load job. The
// expected pairs are brute-forced by Python's csv module over the CP949 files (its own
// normalisation and haversine), on samples small enough to compare pair by pair.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <utility>

#include "tests/datastore/load_job_util.h"
#include "tests/formats/node_tool.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace datamap {
namespace {

using testing::TempDir;
using testing::TestServer;
using testing::url_encode;
using Pairs = std::set<std::pair<std::int64_t, std::int64_t>>;

const std::string kDir = DATAMAP_SOURCE_DIR "/data/sample/datafiles/";
const std::string kParks = kDir + "datago-std-citypark-15012890.csv";
const std::string kLots = kDir + "datago-std-parking-15012896.csv";
// Small enough for Python to brute-force, large enough to mean something: four agencies' parks
// by code (478 pairs), and 인천 부평구's 78 parks against every parking lot within 300 m.
const char* kCodes[] = {"4730000", "4900000", "4960000", "4740000"};
const char* kNearCode = "3540000";

// Brute force: rows are numbered from 1 in file order (the table's _id).
const char* kPython = R"PY(
import csv, json, math, sys
parks = list(csv.DictReader(open(sys.argv[1], encoding='cp949', newline='')))
lots = list(csv.DictReader(open(sys.argv[2], encoding='cp949', newline='')))
codes = set(sys.argv[4].split(','))
def key(v):
    if v is None or not v.strip(): return ''
    out = ''
    for c in v:
        if c in ' \t-\r\n': continue
        if not out and c == '0': continue
        out += c.upper() if 'a' <= c <= 'z' else c
    return out or '0'
by_key = {}
for j, l in enumerate(lots, 1):
    k = key(l['제공기관코드'])
    if k: by_key.setdefault(k, []).append(j)
eq = [[i, j] for i, p in enumerate(parks, 1) if p['제공기관코드'] in codes
      for j in by_key.get(key(p['제공기관코드']), [])]
def num(v):
    try:
        x = float(v)
        return x if math.isfinite(x) else None
    except ValueError:
        return None
def dist(a, b, c, d):
    r = math.pi / 180
    h = math.sin((c - a) * r / 2) ** 2 + math.cos(a * r) * math.cos(c * r) * math.sin((d - b) * r / 2) ** 2
    return 2 * 6371008.8 * math.asin(min(1, math.sqrt(h)))
pts = [(j, num(l['위도']), num(l['경도'])) for j, l in enumerate(lots, 1)]
pts = [p for p in pts if p[1] is not None and p[2] is not None and abs(p[1]) <= 90 and abs(p[2]) <= 180]
near = []
for i, p in enumerate(parks, 1):
    if p['제공기관코드'] != sys.argv[3]: continue
    a, b = num(p['위도']), num(p['경도'])
    if a is None or b is None: continue
    near += [[i, j] for j, c, d in pts if dist(a, b, c, d) <= 300]
print(json.dumps({'eq': eq, 'near': near, 'eq_all': sum(len(by_key.get(key(p['제공기관코드']), [])) for p in parks)}))
)PY";

std::string run(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  pclose(p);
  return out;
}

Pairs pairs_of(const rapidjson::Value& list) {
  Pairs out;
  for (const auto& p : list.GetArray()) out.emplace(p[0].GetInt64(), p[1].GetInt64());
  return out;
}

class Join : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    TestServer::Options o;
    // A budget the sample joins fit in and the whole 1.6M-pair code join does not.
    o.config_toml = "[limits]\ndatastore_join_max_rows = 1000000\n";
    server_ = new TestServer(o);
    admin_ = server_->add_user("admin", {"--sysadmin"});
    action("organization_create", R"({"name":"molit","title":"국토교통부"})");
    outsider_ = server_->add_user("outsider");
    // Loaded as a user loads them: uploaded, then the background load job (with the profile
    // that marks 위도/경도 as latitude/longitude).
    parks_ = make_resource("citypark", false, kParks);
    lots_ = make_resource("parking", false, kLots);
    secret_ = make_resource("secret-parking", true, kLots);

    TempDir dir;
    std::string script = dir.file("brute.py");
    std::ofstream(script) << kPython;
    std::string codes;
    for (const char* c : kCodes) codes += (codes.empty() ? "" : ",") + std::string(c);
    expected_.Parse(
        run("python3 " + script + " " + kParks + " " + kLots + " " + kNearCode + " " + codes)
            .c_str());
    ASSERT_TRUE(expected_.IsObject()) << "python brute force failed";
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static rapidjson::Document action(const std::string& name, const std::string& body,
                                    int status = 200, const std::string& token = admin_) {
    auto r = server_->client().action(name, body, token);
    EXPECT_EQ(r.status, status) << name << ": " << r.body;
    return r.json();
  }
  static std::string make_resource(const std::string& name, bool is_private,
                                   const std::string& file) {
    action("package_create", R"({"name":")" + name +
                                 R"(","title":"표준데이터","owner_org":"molit","private":)" +
                                 (is_private ? "true" : "false") + "}");
    std::ifstream in(file, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto reply =
        testing::upload(server_->client(), "resource_create",
                        {{"package_id", name}, {"format", "CSV"}}, name + ".csv", bytes, admin_);
    EXPECT_EQ(reply.status, 200) << reply.body;
    std::string rid = reply.json()["result"]["id"].GetString();
    auto job = testing::wait_for_job(server_->client(), rid, admin_);
    EXPECT_STREQ(job["result"]["status"].GetString(), "complete");
    return rid;
  }
  // The (left._id, right._id) pairs of a join's records.
  static Pairs ids(const rapidjson::Value& result) {
    Pairs out;
    for (const auto& r : result["records"].GetArray())
      out.emplace(r["left._id"].GetInt64(), r["right._id"].GetInt64());
    return out;
  }

  static TestServer* server_;
  static std::string admin_, outsider_, parks_, lots_, secret_;
  static rapidjson::Document expected_;
};
TestServer* Join::server_ = nullptr;
std::string Join::admin_, Join::outsider_, Join::parks_, Join::lots_, Join::secret_;
rapidjson::Document Join::expected_;

TEST_F(Join, ByCodeReturnsExactlyTheBruteForcePairs) {
  std::string codes;
  for (const char* c : kCodes) codes += std::string(codes.empty() ? "" : ",") + "\"" + c + "\"";
  auto r = action("datastore_join",
                  R"({"left":")" + parks_ + R"(","right":")" + lots_ +
                      R"(","on":{"left":"제공기관코드","right":"제공기관코드"},)"
                      R"("fields":["left._id","right._id","left.공원명","right.주차장명"],)"
                      R"("filters":{"left.제공기관코드":[)" +
                      codes + R"(]},"limit":32000})");
  Pairs want = pairs_of(expected_["eq"]);
  ASSERT_EQ(want.size(), 478u) << "the sample is what the comment says";
  EXPECT_EQ(r["result"]["total"].GetInt64(), static_cast<std::int64_t>(want.size()));
  EXPECT_EQ(ids(r["result"]), want);
  const auto& fields = r["result"]["fields"];
  ASSERT_EQ(fields.Size(), 4u);
  EXPECT_STREQ(fields[2]["id"].GetString(), "left.공원명");
  EXPECT_STREQ(fields[3]["id"].GetString(), "right.주차장명");
  const auto& first = r["result"]["records"][0];
  EXPECT_TRUE(first["left.공원명"].IsString() && first["right.주차장명"].IsString());
}

TEST_F(Join, ByDistanceReturnsExactlyTheBruteForcePairs) {
  auto r =
      action("datastore_join", R"({"left":")" + parks_ + R"(","right":")" + lots_ +
                                   R"(","within_meters":300,"fields":["left._id","right._id"],)"
                                   R"("filters":{"left.제공기관코드":")" +
                                   std::string(kNearCode) + R"("},"limit":32000})");
  Pairs want = pairs_of(expected_["near"]);
  ASSERT_GT(want.size(), 100u);
  EXPECT_EQ(r["result"]["total"].GetInt64(), static_cast<std::int64_t>(want.size()));
  EXPECT_EQ(ids(r["result"]), want);
  for (const auto& rec : r["result"]["records"].GetArray())
    EXPECT_LE(rec["distance_m"].GetDouble(), 300.05);
  // Paging walks the same pairs, none twice.
  Pairs paged;
  for (int offset = 0; offset < static_cast<int>(want.size()); offset += 50) {
    auto page =
        action("datastore_join", R"({"left":")" + parks_ + R"(","right":")" + lots_ +
                                     R"(","within_meters":"300","fields":"left._id,right._id",)"
                                     R"("filters":{"left.제공기관코드":")" +
                                     std::string(kNearCode) +
                                     R"("},"include_total":false,"limit":50,"offset":)" +
                                     std::to_string(offset) + "}");
    for (const auto& p : ids(page["result"])) EXPECT_TRUE(paged.insert(p).second);
  }
  EXPECT_EQ(paged, want);
}

TEST_F(Join, SortAndRecordsFormat) {
  auto r = action("datastore_join",
                  R"({"left":")" + parks_ + R"(","right":")" + lots_ +
                      R"(","on":"제공기관코드","fields":["left.공원명","right.주차구획수"],)"
                      R"("filters":{"left.제공기관코드":"4730000"},"sort":"right.주차구획수 desc",)"
                      R"("records_format":"lists"})");
  const auto& rows = r["result"]["records"];
  ASSERT_EQ(rows.Size(), 54u);
  ASSERT_TRUE(rows[0][1].IsNumber()) << "주차구획수 is loaded as a number";
  for (rapidjson::SizeType i = 1; i < rows.Size(); ++i) {
    if (rows[i][1].IsNumber()) {
      EXPECT_LE(rows[i][1].GetDouble(), rows[i - 1][1].GetDouble());
    }
  }
}

TEST_F(Join, OverBudgetIs400WithAMessage) {
  // The whole code join: 1.6M pairs, past this server's budget of 1M rows and pairs.
  auto r =
      action("datastore_join",
             R"({"left":")" + parks_ + R"(","right":")" + lots_ + R"(","on":"제공기관코드"})", 400);
  EXPECT_NE(std::string(r["error"]["message"].GetString()).find("budget"), std::string::npos);
  // Every park against every lot within 100 km: far past the budget too.
  auto wide = action(
      "datastore_join",
      R"({"left":")" + parks_ + R"(","right":")" + lots_ + R"(","within_meters":100000})", 400);
  EXPECT_NE(std::string(wide["error"]["message"].GetString()).find("budget"), std::string::npos);
  // Latitude and longitude swapped: no lot has a latitude within ±90, so nothing pairs.
  auto swapped =
      action("datastore_join", R"({"left":")" + parks_ + R"(","right":")" + lots_ +
                                   R"(","within_meters":300,"right_point":["경도","위도"]})");
  EXPECT_EQ(swapped["result"]["total"].GetInt(), 0);
  EXPECT_EQ(server_->client().get("/api/3/action/status_show").status, 200) << "alive";
}

TEST_F(Join, PrivateResourceIs404ToOutsiders) {
  std::string body = R"({"left":")" + parks_ + R"(","right":")" + secret_ +
                     R"(","on":"제공기관코드","limit":1,"include_total":false})";
  action("datastore_join", body, 404, outsider_);
  action("datastore_join", body, 404, "");
  action("datastore_join", body, 200, admin_);
  action("datastore_join",
         R"({"left":"no-such-resource","right":")" + lots_ + R"(","on":"제공기관코드"})", 404);
}

TEST_F(Join, UnknownColumnsAre409NamingThem) {
  auto r =
      action("datastore_join",
             R"({"left":")" + parks_ + R"(","right":")" + lots_ +
                 R"(","on":{"left":"제공기관코드","right":"없는코드"},)"
                 R"("fields":["left.공원명","right.없는이름"],"filters":{"left.없는필터":"1"}})",
             409);
  const auto& e = r["error"];
  ASSERT_TRUE(e.HasMember("on") && e.HasMember("fields") && e.HasMember("filters")) << "all named";
  EXPECT_NE(std::string(e["on"][0].GetString()).find("right.없는코드"), std::string::npos);
  EXPECT_NE(std::string(e["fields"][0].GetString()).find("right.없는이름"), std::string::npos);
  EXPECT_NE(std::string(e["filters"][0].GetString()).find("left.없는필터"), std::string::npos);
  action("datastore_join",
         R"({"left":")" + parks_ + R"(","right":")" + lots_ + R"(","fields":["공원명"],"on":"x"})",
         409);
  action("datastore_join", R"({"left":")" + parks_ + R"(","right":")" + lots_ + R"("})", 409);
  action("datastore_join",
         R"({"left":")" + parks_ + R"(","right":")" + lots_ + R"(","within_meters":-1})", 409);
}

TEST_F(Join, OpenApiJoinInTheDatagoEnvelope) {
  std::string base =
      "/openapi/join?serviceKey=" + url_encode(admin_) + "&left=" + parks_ + "&right=" + lots_;
  auto r = server_->client().get(
      base + "&within_meters=300&perPage=5&filters=" +
      url_encode(R"({"left.제공기관코드":")" + std::string(kNearCode) + "\"}"));
  ASSERT_EQ(r.status, 200) << r.body;
  auto d = r.json();
  EXPECT_EQ(d["matchCount"].GetInt64(), static_cast<std::int64_t>(expected_["near"].Size()));
  EXPECT_EQ(d["currentCount"].GetInt(), 5);
  EXPECT_TRUE(d["data"][0].HasMember("left.공원명") && d["data"][0].HasMember("distance_m"));
  auto xml = server_->client().get(
      base + "&on=" + url_encode("제공기관코드") +
      "&returnType=xml&perPage=1&filters=" + url_encode(R"({"left.제공기관코드":"4730000"})"));
  ASSERT_EQ(xml.status, 200) << xml.body;
  EXPECT_NE(xml.body.find("<matchCount>54</matchCount>"), std::string::npos) << xml.body;
  auto bad = server_->client().get(base + "&on=" + url_encode("없는코드"));
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("없는코드"), std::string::npos);
  EXPECT_EQ(
      server_->client().get("/openapi/join?left=" + parks_ + "&right=" + lots_ + "&on=x").status,
      401);
  auto hidden = server_->client().get("/openapi/join?serviceKey=" + url_encode(outsider_) +
                                      "&left=" + parks_ + "&right=" + secret_ + "&on=x");
  EXPECT_EQ(hidden.status, 404) << hidden.body;
}

}  // namespace
}  // namespace datamap

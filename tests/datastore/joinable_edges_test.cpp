// Joinable edges on the map, measured on values (issue 14 items 1 and 3), over real HTTP: the real
// parking and city-park files profiled by the loader (datastore/loader.h profile_file), their
// profiles written into the catalog with the datasets, then datamap_related shows the joinable
// edge on 제공기관코드 first, with figures Python's csv module recomputes from the files; a dataset
// with no loaded resource keeps only word-guessed relations, labelled so. And the sketch's error
// against exact counts on the same files.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "catalog/column_profile_json.h"
#include "catalog/standard_terms.h"
#include "datastore/loader.h"
#include "graph/joinable.h"
#include "tests/datastore/load_job_util.h"
#include "tests/support/map_wait.h"
#include "tests/support/test_server.h"

using namespace datamap;
using datamap::testing::json_text;
using datamap::testing::related_when;
using datamap::testing::TestServer;

namespace {

const std::string kDir = DATAMAP_SOURCE_DIR "/data/sample/datafiles/";
const std::string kParking = kDir + "datago-std-parking-15012896.csv";
const std::string kParks = kDir + "datago-std-citypark-15012890.csv";

const catalog::StandardTermIndex& terms() {
  static auto t = catalog::StandardTermIndex::load(DATAMAP_SOURCE_DIR "/data/standard/terms.csv");
  return *t;
}

const datastore::LoadResult& profiled(const std::string& path) {
  static std::map<std::string, datastore::LoadResult> cache;
  auto it = cache.find(path);
  if (it == cache.end()) {
    datastore::LoadOptions o;
    o.standard_terms = &terms();
    it = cache.emplace(path, datastore::profile_file(path, "csv", o)).first;
  }
  return it->second;
}

const catalog::ColumnProfile& column(const datastore::LoadResult& r, const std::string& name) {
  for (const auto& c : r.columns)
    if (c.name == name) return c;
  throw std::runtime_error("no column " + name);
}

// A package dict whose one resource carries the file's column profile.
std::string dataset_json(const std::string& name, const std::string& title, const std::string& org,
                         const std::string& notes, const datastore::LoadResult* profile) {
  rapidjson::Document d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  auto s = [&](const std::string& v) { return rapidjson::Value(v.c_str(), a); };
  d.AddMember("name", s(name), a);
  d.AddMember("title", s(title), a);
  d.AddMember("owner_org", s(org), a);
  d.AddMember("notes", s(notes), a);
  rapidjson::Value res(rapidjson::kObjectType), cols(rapidjson::kArrayType);
  res.AddMember("name", "data.csv", a);
  res.AddMember("format", "CSV", a);
  res.AddMember("url", "http://example.kr/data.csv", a);
  if (profile)
    for (const auto& c : profile->columns) cols.PushBack(catalog::column_profile_to_json(c, a), a);
  res.AddMember("columns", cols, a);
  rapidjson::Value list(rapidjson::kArrayType);
  list.PushBack(res, a);
  d.AddMember("resources", list, a);
  return json_text(d);
}

// The figures from the files themselves, by Python's csv module: rows, distinct normalised codes
// per file, shared codes, and each file's share of rows whose code the other file has.
struct Expected {
  long shared = 0;
  double share_parking = 0, share_parks = 0;
};
Expected recompute_with_python() {
  const std::string script = R"(
import csv, sys
def codes(path):
    with open(path, encoding='cp949', errors='replace', newline='') as f:
        rows = list(csv.DictReader(f))
    def norm(v):
        v = ''.join(c for c in v.strip() if c not in ' \t-\r\n').lstrip('0').upper()
        return v
    return len(rows), [norm(r['제공기관코드']) for r in rows if r['제공기관코드'].strip()]
na, a = codes(sys.argv[1]); nb, b = codes(sys.argv[2])
sa, sb = set(a), set(b)
print(len(sa & sb), sum(x in sb for x in a) / na, sum(x in sa for x in b) / nb)
)";
  std::string cmd =
      "python3 -c \"$(cat <<'PY'\n" + script + "\nPY\n)\" '" + kParking + "' '" + kParks + "'";
  std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), pclose);
  Expected e;
  if (!p || std::fscanf(p.get(), "%ld %lf %lf", &e.shared, &e.share_parking, &e.share_parks) != 3)
    ADD_FAILURE() << "python3 did not answer";
  return e;
}

rapidjson::Document ok(TestServer& s, const std::string& action, const std::string& body,
                       const std::string& token = "") {
  auto reply = s.client().action(action, body, token);
  EXPECT_EQ(reply.status, 200) << action << ": " << reply.body.substr(0, 500);
  return reply.json();
}

const rapidjson::Value* joinable_reason(const rapidjson::Value& item) {
  for (const auto& r : item["reasons"].GetArray())
    if (std::string(r["kind"].GetString()) == "joinable") return &r;
  return nullptr;
}

// datamap_related of "parking" once the map shows its joinable edge: the city parks first, joined
// on 제공기관코드 with exactly the figures `want` has.
rapidjson::Document expect_org_code_join(TestServer& server, const Expected& want) {
  auto rel = related_when(server, "parking", [](const rapidjson::Value& list) {
    for (const auto& item : list.GetArray())
      if (joinable_reason(item)) return true;
    return false;
  });
  const auto& list = rel["result"];
  EXPECT_GE(list.Size(), 1u) << json_text(list);
  if (list.Empty()) return rel;
  // The measured join ranks first.
  EXPECT_STREQ(list[0]["name"].GetString(), "city-parks") << json_text(list);
  const rapidjson::Value* j = joinable_reason(list[0]);
  EXPECT_NE(j, nullptr) << json_text(list[0]);
  if (!j) return rel;
  EXPECT_STREQ(list[0]["reasons"][0]["kind"].GetString(), "joinable");

  const auto& m = (*j)["join"];
  EXPECT_STREQ(m["on"].GetString(), "제공기관코드");
  EXPECT_STREQ(m["column"].GetString(), "제공기관코드");
  EXPECT_STREQ(m["method"].GetString(), "exact");  // 263 and 238 distinct: exact value sets
  EXPECT_EQ(m["shared_values"].GetInt64(), want.shared);
  EXPECT_NEAR(m["rows_matched"].GetDouble(), want.share_parking, 0.0001);
  EXPECT_NEAR(m["other_rows_matched"].GetDouble(), want.share_parks, 0.0001);
  std::string text = (*j)["value"].GetString();
  EXPECT_EQ(text, "joinable on 제공기관코드: " + std::to_string(want.shared) + " shared codes; " +
                      std::to_string(std::lround(want.share_parking * 100)) + "% of A's rows and " +
                      std::to_string(std::lround(want.share_parks * 100)) +
                      "% of B's rows match (exact value sets)");
  return rel;
}

}  // namespace

TEST(JoinableEdges, RealFilesJoinOnOrgCodeWithFiguresPythonRecomputes) {
  TestServer server;
  std::string token = server.add_user("admin", {"--sysadmin"});
  ok(server, "organization_create", R"({"name": "mois", "title": "행정안전부"})", token);
  ok(server, "organization_create", R"({"name": "molit", "title": "국토교통부"})", token);
  // Two agencies, different categories: nothing but the rows relates the two loaded datasets.
  ok(server, "package_create",
     dataset_json("parking", "전국주차장정보표준데이터", "mois",
                  "주차장명, 위도, 경도, 기관코드와 요금", &profiled(kParking)),
     token);
  ok(server, "package_create",
     dataset_json("city-parks", "전국도시공원정보표준데이터", "molit",
                  "공원명, 위도, 경도, 기관코드", &profiled(kParks)),
     token);
  // No loaded resource: only words relate it (its notes name standard terms the others carry).
  ok(server, "package_create",
     dataset_json("parking-notes", "주차장 안내", "molit",
                  "주차장명, 위도, 경도, 기관코드를 담은 주차장 목록", nullptr),
     token);

  Expected want = recompute_with_python();
  auto rel = expect_org_code_join(server, want);
  const auto& list = rel["result"];
  // Guessed standard terms give way to the measured relation between the same two datasets.
  for (const auto& r : list[0]["reasons"].GetArray())
    EXPECT_STRNE(r["kind"].GetString(), "term") << json_text(list[0]);

  // Read from the other side, A and B swap.
  auto back = related_when(server, "city-parks", [](const rapidjson::Value& l) {
    return l.Size() > 0 && joinable_reason(l[0]);
  });
  const auto& mb = (*joinable_reason(back["result"][0]))["join"];
  EXPECT_NEAR(mb["rows_matched"].GetDouble(), want.share_parks, 0.0001);
  EXPECT_NEAR(mb["other_rows_matched"].GetDouble(), want.share_parking, 0.0001);

  // The dataset with no loaded resource: related by words only, every term labelled a guess.
  // The map may have caught up with the first two datasets and not yet with this one.
  auto guessed = related_when(server, "parking-notes", [](const rapidjson::Value& l) {
    for (const auto& item : l.GetArray())
      for (const auto& r : item["reasons"].GetArray())
        if (std::string(r["kind"].GetString()) == "term") return true;
    return false;
  });
  bool any_term = false;
  for (const auto& item : guessed["result"].GetArray())
    for (const auto& r : item["reasons"].GetArray()) {
      std::string kind = r["kind"].GetString();
      // Nothing measured: no loaded rows, so neither joinable nor near.
      EXPECT_NE(kind, "joinable") << json_text(item);
      EXPECT_NE(kind, "near") << json_text(item);
      if (kind == "term") {
        any_term = true;
        ASSERT_TRUE(r.HasMember("guessed")) << json_text(r);
        EXPECT_TRUE(r["guessed"].GetBool());
      }
    }
  EXPECT_TRUE(any_term) << json_text(guessed);

  // Neighbours and paths see the same edge, strongest first.
  auto nb = ok(server, "datamap_neighbors", R"({"id": "parking", "edge_types": "related"})");
  ASSERT_GE(nb["result"]["nodes"].Size(), 2u);
  EXPECT_STREQ(nb["result"]["nodes"][1]["name"].GetString(), "city-parks")
      << json_text(nb["result"]);
  auto path = ok(server, "datamap_path", R"({"from": "parking", "to": "city-parks"})");
  ASSERT_TRUE(path["result"]["found"].GetBool());
  EXPECT_EQ(path["result"]["length"].GetInt(), 1);
  EXPECT_STREQ(path["result"]["hops"][0]["reasons"][0]["kind"].GetString(), "joinable");

  // A reload with the values gone (no profile): the joinable edge goes with it.
  ok(server, "package_update",
     dataset_json("city-parks", "전국도시공원정보표준데이터", "molit",
                  "공원명, 위도, 경도, 기관코드", nullptr),
     token);
  related_when(server, "parking", [](const rapidjson::Value& l) {
    for (const auto& item : l.GetArray())
      if (joinable_reason(item)) return false;
    return true;
  });
}

// The MinHash estimate against the exact counts on the real files: the shared 제공기관코드
// values, and the exact row shares, from sketches alone (value_counts dropped).
TEST(JoinableEdges, SketchErrorAgainstExactCountsOnRealFiles) {
  auto col = [](const std::string& path) {
    const auto& c = column(profiled(path), "제공기관코드");
    graph::JoinColumn j{"제공기관코드", c.name, "", c.rows, c.distinct, c.sketch, c.value_counts};
    return j;
  };
  graph::JoinColumn p = col(kParking), k = col(kParks);
  ASSERT_FALSE(p.value_counts.empty());
  ASSERT_EQ(p.sketch.size(), std::min<std::size_t>(256, p.value_counts.size()));
  auto exact = graph::measure_join(p, k);
  ASSERT_TRUE(exact && exact->exact);
  p.value_counts.clear();
  k.value_counts.clear();
  auto estimate = graph::measure_join(p, k);
  ASSERT_TRUE(estimate && !estimate->exact);
  double error = std::abs(double(estimate->shared - exact->shared)) / double(exact->shared);
  std::printf(
      "제공기관코드: exact %lld shared (%.4f / %.4f of rows), MinHash %lld (error %.2f%%)\n",
      static_cast<long long>(exact->shared), exact->share_a, exact->share_b,
      static_cast<long long>(estimate->shared), error * 100);
  EXPECT_LE(error, 0.02);
}

// The same edge through the server's own path: both files uploaded with resource_create
// (multipart), loaded and profiled by the load queue, the profiles written into the catalog.
TEST(JoinableEdges, UploadedAndLoadedFilesJoinOnOrgCode) {
  TestServer server;
  std::string token = server.add_user("admin", {"--sysadmin"});
  auto http = server.client();
  ok(server, "organization_create", R"({"name": "mois", "title": "행정안전부"})", token);
  ok(server, "organization_create", R"({"name": "molit", "title": "국토교통부"})", token);
  ok(server, "package_create",
     R"({"name": "parking", "title": "전국주차장정보표준데이터", "owner_org": "mois"})", token);
  ok(server, "package_create",
     R"({"name": "city-parks", "title": "전국도시공원정보표준데이터", "owner_org": "molit"})",
     token);
  auto read = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  };
  for (auto [dataset, path] : {std::pair{"parking", kParking}, std::pair{"city-parks", kParks}}) {
    auto reply = datamap::testing::upload(
        http, "resource_create", {{"package_id", dataset}, {"name", "data.csv"}, {"format", "CSV"}},
        "data.csv", read(path), token);
    ASSERT_EQ(reply.status, 200) << reply.body;
    auto job =
        datamap::testing::wait_for_job(http, reply.json()["result"]["id"].GetString(), token);
    ASSERT_STREQ(job["result"]["status"].GetString(), "complete") << json_text(job);
  }
  expect_org_code_join(server, recompute_with_python());
}

// The data map over real HTTP on the real 2022 data.go.kr list (61,359 datasets, 992 agencies),
// imported once for the whole suite. Every reason the map gives is checked against the datasets
// themselves, as package_show returns them: a term must really occur in both (as written or as
// one of its synonyms), an agency must really publish both.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "graph/standard_terms.h"
#include "tests/graph/map_http.h"

namespace datamap::graph::testing {
namespace {

using datamap::testing::TempDir;
using datamap::testing::TestServer;
using datamap::testing::url_encode;

class RealListMap : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    auto imported =
        datamap::testing::run_datamap({"import", "--data", dir_->path(),
                                       DATAMAP_SOURCE_DIR "/data/sample/datago-list-2022.csv.xz"});
    ASSERT_EQ(imported.exit_code, 0) << imported.errors;
    TestServer::Options options;
    options.data_dir = dir_->path();
    server_ = new TestServer(options);
    http_ = new HttpClient(server_->url());
    ASSERT_TRUE(map_caught_up(*http_, std::chrono::seconds(300))) << server_->log();
    terms_ = StandardTerms::load(DATAMAP_SOURCE_DIR "/data/standard/terms.csv");
  }
  static void TearDownTestSuite() {
    delete http_;
    delete server_;
    delete dir_;
    terms_.reset();
  }

  struct Shown {
    std::string id, name, owner_org, text;  // text: title and notes
    std::set<std::string> groups;
  };
  static const Shown& show(const std::string& id) {
    auto it = shown_.find(id);
    if (it != shown_.end()) return it->second;
    auto doc = ok(*http_, "package_show", R"({"id":")" + id + R"("})");
    const auto& r = doc["result"];
    Shown s{str(r["id"]),
            str(r["name"]),
            r["owner_org"].IsString() ? str(r["owner_org"]) : "",
            str(r["title"]) + "\n" + (r["notes"].IsString() ? str(r["notes"]) : ""),
            {}};
    for (const auto& g : r["groups"].GetArray()) s.groups.insert(str(g["name"]));
    return shown_.emplace(id, std::move(s)).first->second;
  }
  // Whether `reason` is true of both datasets; explains itself in `why` when not.
  static bool reason_holds(const rapidjson::Value& reason, const Shown& a, const Shown& b,
                           std::string& why) {
    std::string kind = str(reason["kind"]), value = str(reason["value"]);
    if (kind == "term") {
      auto id = terms_->find(value);
      if (id < 0) return why = "not a standard term: " + value, false;
      std::string in_a = terms_->occurrence(std::uint32_t(id), a.text);
      std::string in_b = terms_->occurrence(std::uint32_t(id), b.text);
      if (in_a.empty() || in_b.empty())
        return why = value + " missing from " + (in_a.empty() ? a.name : b.name), false;
      return true;
    }
    if (kind == "agency") {
      if (a.owner_org != b.owner_org || a.owner_org.empty())
        return why = "different agencies", false;
      return true;
    }
    if (kind == "category") {
      for (const auto& g : a.groups)
        if (b.groups.count(g)) return true;
      return why = "no shared category for " + value, false;
    }
    why = "unexpected reason kind " + kind + " in the 2022 list";
    return false;
  }
  static rapidjson::Document related(const std::string& id, int limit = 100) {
    return parse(http_->get("/api/3/action/datamap_related?limit=" + std::to_string(limit) +
                            "&id=" + url_encode(id)));
  }
  // Datasets carrying the `count` most central terms (a few each).
  static std::vector<std::string> datasets_of_top_terms(int count, int per_term) {
    auto hubs =
        parse(http_->get("/api/3/action/datamap_hubs?type=term&limit=" + std::to_string(count)));
    std::vector<std::string> out;
    for (const auto& h : hubs["result"].GetArray()) {
      auto nb = parse(http_->get(
          "/api/3/action/datamap_neighbors?node_types=dataset,term&edge_types=has_term&limit=" +
          std::to_string(per_term + 1) + "&id=" + url_encode(str(h["id"]))));
      for (const auto& n : nb["result"]["nodes"].GetArray())
        if (str(n["type"]) == "dataset") out.push_back(str(n["id"]));
    }
    return out;
  }

  static TempDir* dir_;
  static TestServer* server_;
  static HttpClient* http_;
  static std::shared_ptr<const StandardTerms> terms_;
  static std::map<std::string, Shown> shown_;
};
TempDir* RealListMap::dir_ = nullptr;
TestServer* RealListMap::server_ = nullptr;
HttpClient* RealListMap::http_ = nullptr;
std::shared_ptr<const StandardTerms> RealListMap::terms_;
std::map<std::string, RealListMap::Shown> RealListMap::shown_;

TEST_F(RealListMap, DatasetsOfDifferentAgenciesThatCarryATermAreRelatedByIt) {
  std::size_t cross_agency_term_pairs = 0, reasons_checked = 0;
  std::set<std::string> terms_seen;
  for (const auto& id : datasets_of_top_terms(25, 3)) {
    auto doc = related(id);
    ASSERT_TRUE(doc["success"].IsTrue());
    const Shown& a = show(id);
    for (const auto& item : doc["result"].GetArray()) {
      const Shown& b = show(str(item["id"]));
      bool has_term = false;
      for (const auto& reason : item["reasons"].GetArray()) {
        std::string why;
        EXPECT_TRUE(reason_holds(reason, a, b, why)) << a.name << " ~ " << b.name << ": " << why;
        ++reasons_checked;
        if (str(reason["kind"]) == "term") {
          has_term = true;
          terms_seen.insert(str(reason["value"]));
        }
      }
      if (has_term && a.owner_org != b.owner_org) ++cross_agency_term_pairs;
    }
  }
  EXPECT_GE(cross_agency_term_pairs, 20u)
      << "joinable datasets across agencies are the map's point";
  EXPECT_GE(terms_seen.size(), 10u);
  RecordProperty("reasons_checked", std::to_string(reasons_checked));
}

TEST_F(RealListMap, PathExplanationsNameRealSharedTerms) {
  // Two hops apart through two different terms: a -> b (term x) and b -> c (term y).
  std::size_t paths = 0, term_hops = 0;
  for (const auto& id : datasets_of_top_terms(12, 2)) {
    auto first = related(id, 20);
    for (const auto& item : first["result"].GetArray()) {
      auto second = related(str(item["id"]), 20);
      for (const auto& far : second["result"].GetArray()) {
        if (str(far["id"]) == id) continue;
        auto p =
            parse(http_->get("/api/3/action/datamap_path?from=" + id + "&to=" + str(far["id"])));
        ASSERT_TRUE(p["success"].IsTrue());
        ASSERT_TRUE(p["result"]["found"].IsTrue()) << "b relates both, so a path exists";
        EXPECT_LE(p["result"]["length"].GetUint64(), 2u)
            << "the path is at most as long as the one we know";
        for (const auto& hop : p["result"]["hops"].GetArray()) {
          const Shown& a = show(str(hop["from"]));
          const Shown& b = show(str(hop["to"]));
          ASSERT_GE(hop["reasons"].Size(), 1u);
          for (const auto& reason : hop["reasons"].GetArray()) {
            std::string why;
            EXPECT_TRUE(reason_holds(reason, a, b, why))
                << a.name << " -> " << b.name << ": " << why;
            term_hops += str(reason["kind"]) == "term";
          }
        }
        ++paths;
        break;
      }
      break;
    }
  }
  EXPECT_GE(paths, 10u);
  EXPECT_GE(term_hops, paths) << "most hops between term-related datasets name the term";
}

TEST_F(RealListMap, OverviewCountsEqualTheCatalogsCounts) {
  auto overview = parse(http_->get("/api/3/action/datamap_overview?agency_limit=5000"));
  ASSERT_TRUE(overview["success"].IsTrue());
  std::map<std::string, std::int64_t> map_counts;
  for (const auto& n : overview["result"]["nodes"].GetArray())
    map_counts[str(n["id"])] = n["count"].GetInt64();
  EXPECT_EQ(overview["result"]["datasets"].GetInt64(), 61359);

  auto orgs = ok(*http_, "organization_list", R"({"all_fields":true,"limit":1000})");
  std::size_t agencies = 0;
  for (const auto& o : orgs["result"].GetArray()) {
    if (o["package_count"].GetInt64() == 0) continue;
    ++agencies;
    EXPECT_EQ(map_counts["agency:" + str(o["name"])], o["package_count"].GetInt64())
        << str(o["name"]);
  }
  EXPECT_EQ(agencies, overview["result"]["agencies_total"].GetUint64());
  auto groups = ok(*http_, "group_list", R"({"all_fields":true})");
  std::int64_t in_categories = 0;
  for (const auto& g : groups["result"].GetArray()) {
    EXPECT_EQ(map_counts["category:" + str(g["name"])], g["package_count"].GetInt64())
        << str(g["name"]);
    in_categories += g["package_count"].GetInt64();
  }
  EXPECT_EQ(groups["result"].Size(), 16u);
  EXPECT_EQ(in_categories, 61359) << "every dataset of the list has one category";
  EXPECT_GT(overview["result"]["edges"].Size(), 0u);
}

TEST_F(RealListMap, ANewDatasetJoinsTheRealMapWithinSeconds) {
  std::string token = server_->add_user("map-admin", {"--sysadmin"});
  // A small agency, so that its whole neighbourhood fits in one answer.
  auto orgs = ok(*http_, "organization_list",
                 R"({"all_fields":true,"sort":"package_count asc","limit":50})");
  std::string org;
  for (const auto& o : orgs["result"].GetArray())
    if (org.empty() && o["package_count"].GetInt64() > 0) org = str(o["name"]);
  ASSERT_FALSE(org.empty());
  auto created = ok(
      *http_, "package_create",
      R"({"name":"map-fresh-parking","title":"신규 공영주차장 법정동코드 현황","notes":"법정동코드와 도로명주소로 연결 가능한 주차장 목록","owner_org":")" +
          org + R"("})",
      token);
  std::string id = str(created["result"]["id"]);
  auto t0 = std::chrono::steady_clock::now();
  rapidjson::Document rel;
  bool on_map = eventually(
      [&] {
        rel = related(id, 20);
        return rel["success"].IsTrue() && rel["result"].Size() > 0;
      },
      std::chrono::seconds(60));
  ASSERT_TRUE(on_map);
  RecordProperty(
      "seconds_until_related",
      std::to_string(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()));
  const Shown& a = show(id);
  bool named_term = false;
  for (const auto& item : rel["result"].GetArray())
    for (const auto& reason : item["reasons"].GetArray()) {
      std::string why;
      EXPECT_TRUE(reason_holds(reason, a, show(str(item["id"])), why)) << why;
      named_term |= str(reason["kind"]) == "term";
    }
  EXPECT_TRUE(named_term);

  // Its neighbourhood: its agency, the term it carries, and its strongest related dataset
  // joined to it by a related edge that gives the same reasons.
  auto nb = parse(http_->get("/api/3/action/datamap_neighbors?depth=1&limit=1000&id=map-fresh-parking"));
  ASSERT_TRUE(nb["success"].IsTrue());
  const auto& res = nb["result"];
  EXPECT_EQ(str(res["center"]["id"]), id);
  EXPECT_EQ(str(res["center"]["title"]), "신규 공영주차장 법정동코드 현황");
  std::set<std::string> listed;
  for (const auto& n : res["nodes"].GetArray()) listed.insert(str(n["id"]));
  EXPECT_TRUE(listed.count("agency:" + org)) << "published by " << org;
  EXPECT_TRUE(listed.count("term:법정동코드"));
  std::string strongest = str(rel["result"][0]["id"]);
  EXPECT_TRUE(listed.count(strongest));
  bool edge_explained = false;
  for (const auto& e : res["edges"].GetArray()) {
    std::set<std::string> ends{str(e["source"]), str(e["target"])};
    if (str(e["type"]) != "related" || !ends.count(id) || !ends.count(strongest)) continue;
    EXPECT_EQ(e["reasons"].Size(), rel["result"][0]["reasons"].Size());
    edge_explained = e["reasons"].Size() > 0;
  }
  EXPECT_TRUE(edge_explained) << "a related edge between the new dataset and " << strongest;

  // And from the other side: the agency's neighbourhood lists its new dataset.
  auto of_agency = parse(http_->get(
      "/api/3/action/datamap_neighbors?edge_types=published_by&node_types=agency,dataset&limit=1000&id=" +
      url_encode("agency:" + org)));
  ASSERT_TRUE(of_agency["success"].IsTrue());
  bool among_agency = false;
  for (const auto& n : of_agency["result"]["nodes"].GetArray()) among_agency |= str(n["id"]) == id;
  EXPECT_FALSE(of_agency["result"]["truncated"].IsTrue());
  EXPECT_TRUE(among_agency) << org;
}

TEST_F(RealListMap, NeighbourhoodGraphmlParsesWithARealXmlParser) {
  TempDir dir;
  auto doc = parse(http_->get("/api/3/action/datamap_export?format=graphml&depth=2&limit=500&id=" +
                              url_encode("term:법정동코드")));
  ASSERT_TRUE(doc["success"].IsTrue());
  EXPECT_EQ(parse_graphml_with_python(str(doc["result"]["graphml"]), dir.path()),
            std::to_string(doc["result"]["node_count"].GetUint64()) + " " +
                std::to_string(doc["result"]["edge_count"].GetUint64()));
  EXPECT_GT(doc["result"]["node_count"].GetUint64(), 100u);
}

TEST_F(RealListMap, EveryMapActionTakesTheListKeyAsPackageShowDoes) {
  // The README's walk-through: 15000000 is a 목록키, which package_show resolves.
  auto shown = parse(http_->get("/api/3/action/package_show?id=15000000"));
  ASSERT_TRUE(shown["success"].IsTrue());
  const std::string id = str(shown["result"]["id"]);
  auto by_key = related("15000000", 5);
  ASSERT_TRUE(by_key["success"].IsTrue()) << str(by_key["error"]["message"]);
  auto by_id = related(id, 5);
  ASSERT_TRUE(by_id["success"].IsTrue());
  EXPECT_TRUE(by_key["result"] == by_id["result"]);
  auto nb = parse(http_->get("/api/3/action/datamap_neighbors?limit=5&id=15000000"));
  ASSERT_TRUE(nb["success"].IsTrue());
  EXPECT_EQ(str(nb["result"]["center"]["id"]), id);
  // A key that names nothing is still a 404.
  auto none = parse(http_->get("/api/3/action/datamap_related?id=99999999999"));
  EXPECT_FALSE(none["success"].IsTrue());
}

}  // namespace
}  // namespace datamap::graph::testing

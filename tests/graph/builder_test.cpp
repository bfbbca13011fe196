// The builder and the queries over small hand-made catalogs, where every expected relation is
// known in advance.
#include "graph/builder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "graph/export.h"
#include "graph/queries.h"

namespace datamap::graph {
namespace {

std::shared_ptr<const StandardTerms> test_terms() {
  return StandardTerms::from_terms({
      {"법정동코드", "STDG_CD", {}, ""},
      {"측정소명", "MSRSTN_NM", {"측정소이름"}, ""},
      {"위도", "LAT", {}, ""},
      {"경도", "LOT", {}, ""},
      {"사업자등록번호", "BRNO", {}, ""},
      {"노선번호", "ROUTE_NO", {}, ""},
  });
}

struct Catalog {
  std::shared_ptr<const StandardTerms> terms = test_terms();
  MapInput input;

  Catalog() { input.terms = terms; }
  catalog::Dataset& add(const std::string& name, const std::string& org,
                        const std::string& category, const std::string& title,
                        const std::string& notes = "", std::vector<std::string> tags = {}) {
    datasets.push_back({});
    auto& d = datasets.back();
    d.id = "id-" + name;
    d.name = name;
    d.owner_org = org;
    if (!category.empty()) d.groups = {category};
    d.title = title;
    d.notes = notes;
    d.tags = std::move(tags);
    return d;
  }
  void relate(const std::string& subject, const std::string& type, const std::string& object) {
    input.relationships.push_back({"id-" + subject, "id-" + object, type, ""});
  }
  std::shared_ptr<const DataMap> build(BuildOptions options = {}) {
    MapInput in = input;
    for (const auto& d : datasets)
      in.datasets.push_back(std::make_shared<DatasetRecord>(extract_record(d, *terms)));
    for (const auto& org : {"org-a", "org-b", "org-c"}) {
      catalog::Organization o;
      o.id = o.name = org;
      o.title = std::string("기관 ") + org;
      in.organizations.push_back(o);
    }
    return build_map(std::move(in), options);
  }
  std::deque<catalog::Dataset> datasets;
};

// Appends a number (GCC 12 misreports "literal" + std::to_string(i) under -Werror=restrict).
std::string nm(const char* prefix, int i) {
  std::string s(prefix);
  s += std::to_string(i);
  return s;
}

Node node(const DataMap& m, const std::string& ref) {
  auto n = m.find(ref);
  if (!n) throw std::runtime_error("no node " + ref);
  return *n;
}

const RelatedDataset* find_related(const std::vector<RelatedDataset>& list, Node n) {
  for (const auto& r : list)
    if (r.node == n) return &r;
  return nullptr;
}

bool has_reason(const std::vector<Reason>& reasons, ReasonKind kind, const std::string& value) {
  return std::any_of(reasons.begin(), reasons.end(),
                     [&](const Reason& r) { return r.kind == kind && r.value == value; });
}

TEST(Builder, RelatesDatasetsOfDifferentAgenciesThatCarryTheSameTerm) {
  Catalog c;
  c.add("parking", "org-a", "교통물류", "주차장 현황", "법정동코드별 주차장 위치");
  c.add("population", "org-b", "공공행정", "인구 통계", "법정동코드 기준 인구");
  c.add("weather", "org-c", "환경기상", "대기 측정", "측정소명과 측정값");
  auto map = c.build();
  auto rel = related(*map, node(*map, "parking"), 10);
  const auto* pop = find_related(rel, node(*map, "population"));
  ASSERT_NE(pop, nullptr);
  EXPECT_TRUE(has_reason(pop->reasons, ReasonKind::term, "법정동코드"));
  EXPECT_EQ(find_related(rel, node(*map, "weather")), nullptr) << "nothing shared, no relation";
  // The relation is symmetric and explained the same way from both ends.
  auto back = related(*map, node(*map, "population"), 10);
  ASSERT_NE(find_related(back, node(*map, "parking")), nullptr);
  EXPECT_FLOAT_EQ(find_related(back, node(*map, "parking"))->weight, pop->weight);
}

TEST(Builder, SynonymsRelateAsTheirTerm) {
  Catalog c;
  c.add("a", "org-a", "환경기상", "대기질", "측정소이름 목록");
  c.add("b", "org-b", "보건의료", "미세먼지", "측정소명 기준");
  auto map = c.build();
  auto reasons = map->explain(node(*map, "a"), node(*map, "b"));
  EXPECT_TRUE(has_reason(reasons, ReasonKind::term, "측정소명"));
}

TEST(Builder, SharedTermsOutweighSharedAgencyAndCategory) {
  Catalog c;
  c.add("base", "org-a", "교통물류", "버스 노선", "노선번호 정보");
  c.add("same-org", "org-a", "교통물류", "택시 현황", "택시 대수");
  c.add("same-term", "org-b", "문화관광", "관광 버스", "노선번호 안내");
  auto map = c.build();
  auto rel = related(*map, node(*map, "base"), 10);
  ASSERT_EQ(rel.size(), 2u);
  EXPECT_EQ(rel[0].node, node(*map, "same-term"));
  EXPECT_TRUE(has_reason(rel[1].reasons, ReasonKind::agency, "기관 org-a"));
  EXPECT_TRUE(has_reason(rel[1].reasons, ReasonKind::category, "교통물류"));
  EXPECT_GT(rel[0].weight, rel[1].weight);
}

TEST(Builder, RareKeywordsWeighMoreThanCommonOnes) {
  Catalog c;
  for (int i = 0; i < 30; ++i) c.add(nm("common", i), "org-c", "", nm("자료 ", i), "", {"공공"});
  c.add("x", "org-a", "", "가", "", {"미세먼지", "공공"});
  c.add("y", "org-b", "", "나", "", {"미세먼지", "공공"});
  auto map = c.build();
  auto reasons = map->explain(node(*map, "x"), node(*map, "y"));
  ASSERT_EQ(reasons.size(), 2u);
  EXPECT_EQ(reasons[0].value, "미세먼지");
  EXPECT_EQ(reasons[0].kind, ReasonKind::keyword);
  EXPECT_GT(reasons[0].weight, reasons[1].weight);
}

TEST(Builder, ExplicitRelationshipsAndTheirInverses) {
  Catalog c;
  c.add("raw", "org-a", "", "원자료");
  c.add("derived", "org-b", "", "가공자료");
  c.relate("derived", "derives_from", "raw");
  auto map = c.build();
  auto from_derived = map->explain(node(*map, "derived"), node(*map, "raw"));
  EXPECT_TRUE(has_reason(from_derived, ReasonKind::explicit_relation, "derives_from"));
  auto from_raw = map->explain(node(*map, "raw"), node(*map, "derived"));
  EXPECT_TRUE(has_reason(from_raw, ReasonKind::explicit_relation, "has_derivation"));
  EXPECT_EQ(map->edge_count(EdgeType::explicit_relation), 1u);
}

TEST(Builder, KeepsTheMapSparse) {
  // Sixty datasets all carrying one term would be 1,770 pairs; each keeps only its top k.
  Catalog c;
  for (int i = 0; i < 60; ++i)
    c.add(nm("d", i), i % 2 ? "org-a" : "org-b", "", nm("법정동코드 ", i));
  BuildOptions options;
  options.related_per_dataset = 5;
  auto map = c.build(options);
  EXPECT_LE(map->edge_count(EdgeType::related), 60u * 5u);
  EXPECT_GE(map->edge_count(EdgeType::related), 60u * 5u / 2u);
  for (Node d = 0; d < map->dataset_count(); ++d) EXPECT_FALSE(related(*map, d, 10).empty());
}

TEST(Builder, SamplesLongPostingListsInsteadOfEnumeratingThem) {
  Catalog c;
  for (int i = 0; i < 300; ++i) c.add(nm("d", i), "org-a", "", nm("위도 ", i));
  BuildOptions options;
  options.full_posting_max = 50;
  options.posting_window = 4;
  auto map = c.build(options);
  for (Node d = 0; d < map->dataset_count(); ++d) {
    auto rel = related(*map, d, 100);
    EXPECT_FALSE(rel.empty());
    EXPECT_LE(rel.size(), 2u * 8u + 8u);  // own top k plus others' picks, all from nearby windows
  }
}

TEST(Builder, PathExplainsEveryHop) {
  Catalog c;
  c.add("a", "org-a", "교통물류", "정류장", "위도 정보");
  c.add("b", "org-b", "환경기상", "측정소", "위도와 측정소명");
  c.add("z", "org-c", "보건의료", "측정 결과", "측정소명 기준");
  c.add("lonely", "org-c", "법률", "판례", "");
  auto map = c.build();
  auto p = path(*map, node(*map, "a"), node(*map, "z"));
  ASSERT_TRUE(p.found) << p.reason_if_none;
  ASSERT_EQ(p.hops.size(), 2u);
  EXPECT_EQ(p.hops[0].from, node(*map, "a"));
  EXPECT_EQ(p.hops[0].to, node(*map, "b"));
  EXPECT_TRUE(has_reason(p.hops[0].reasons, ReasonKind::term, "위도"));
  EXPECT_TRUE(has_reason(p.hops[1].reasons, ReasonKind::term, "측정소명"));
  EXPECT_GT(p.weight, 0);

  auto none = path(*map, node(*map, "a"), node(*map, "lonely"));
  EXPECT_FALSE(none.found);
  EXPECT_NE(none.reason_if_none.find("no path"), std::string::npos);
}

TEST(Builder, NeighborsFollowFiltersAndLimits) {
  Catalog c;
  for (int i = 0; i < 20; ++i) c.add(nm("d", i), "org-a", "교통물류", nm("노선번호 ", i));
  auto map = c.build();
  Node agency = node(*map, "agency:org-a");
  EXPECT_EQ(map->type(agency), NodeType::agency);
  EXPECT_EQ(map->count(agency), 20u);

  NeighborQuery q;
  q.depth = 1;
  q.limit = 8;
  auto s = neighbors(*map, agency, q);
  EXPECT_EQ(s.nodes.size(), 8u);
  EXPECT_TRUE(s.truncated);
  for (std::size_t i = 1; i < s.nodes.size(); ++i)
    EXPECT_EQ(map->type(s.nodes[i]), NodeType::dataset);

  NeighborQuery terms_only;
  terms_only.node_types = (1u << int(NodeType::dataset)) | (1u << int(NodeType::term));
  terms_only.edge_types = 1u << int(EdgeType::has_term);
  auto t = neighbors(*map, node(*map, "d3"), terms_only);
  ASSERT_EQ(t.nodes.size(), 2u);
  EXPECT_EQ(map->key(t.nodes[1]), "term:노선번호");
  ASSERT_EQ(t.edges.size(), 1u);
  EXPECT_EQ(t.edges[0].type, EdgeType::has_term);
}

TEST(Builder, OverviewCountsAreDatasetCounts) {
  Catalog c;
  c.add("a1", "org-a", "교통물류", "위도 1");
  c.add("a2", "org-a", "교통물류", "위도 2");
  c.add("b1", "org-b", "환경기상", "위도 3");
  auto map = c.build();
  auto o = overview(*map, 10);
  ASSERT_EQ(o.categories.size(), 2u);
  EXPECT_EQ(map->label(o.categories[0].node), "교통물류");
  EXPECT_EQ(o.categories[0].count, 2u);
  EXPECT_EQ(o.categories[1].count, 1u);
  ASSERT_EQ(o.agencies.size(), 2u);
  EXPECT_EQ(o.agencies[0].count, 2u);
  ASSERT_FALSE(o.edges.empty()) << "위도 relates org-b's dataset to org-a's: a crossing";
  std::size_t agency_crossing = 0;
  for (const auto& e : o.edges)
    if (map->type(e.a) == NodeType::agency) agency_crossing += e.count;
  EXPECT_GE(agency_crossing, 1u);
}

TEST(Builder, CommunitiesAreLabelledByTheirDominantTerms) {
  Catalog c;
  for (int i = 0; i < 6; ++i)
    c.add(nm("bus", i), i % 2 ? "org-a" : "org-b", "", nm("버스 ", i), "노선번호 안내");
  for (int i = 0; i < 6; ++i)
    c.add(nm("air", i), i % 2 ? "org-a" : "org-c", "", nm("대기 ", i), "측정소명 목록");
  BuildOptions options;
  options.weights.agency = 0;  // keep the two groups apart despite shared agencies
  options.min_related_weight = 0.3f;
  auto map = c.build(options);
  auto bus = map->community(node(*map, "bus0"));
  auto air = map->community(node(*map, "air0"));
  ASSERT_NE(bus, 0xFFFFFFFFu);
  EXPECT_NE(bus, air);
  for (int i = 1; i < 6; ++i) EXPECT_EQ(map->community(node(*map, nm("bus", i))), bus);
  const auto& communities = map->communities();
  EXPECT_EQ(communities[bus].label, "노선번호");
  EXPECT_EQ(communities[air].label, "측정소명");
}

TEST(Builder, EachNodesEdgesComeStrongestFirst) {
  Catalog c;
  for (int i = 0; i < 30; ++i)
    c.add(nm("d", i), i % 2 ? "org-a" : "org-b", "교통물류", nm(i % 3 ? "위도 " : "노선번호 ", i),
          "", {"버스"});
  c.relate("d1", "links_to", "d2");
  auto map = c.build();
  const Graph& g = map->graph();
  for (Node v = 0; v < map->node_count(); ++v) {
    bool seen_structural = false;
    float last_related = 1e9f;
    for (auto e : boost::make_iterator_range(boost::out_edges(v, g))) {
      EdgeType t = g[e].type;
      bool dataset_link = t == EdgeType::related || t == EdgeType::explicit_relation;
      EXPECT_FALSE(dataset_link && seen_structural)
          << "node " << v << ": relations come before structure";
      seen_structural |= !dataset_link;
      if (t == EdgeType::related) {
        EXPECT_LE(g[e].weight, last_related) << "node " << v;
        last_related = g[e].weight;
      }
    }
  }
}

TEST(Builder, FindsNodesByIdNameAndKey) {
  Catalog c;
  c.add("parking", "org-a", "교통물류", "법정동코드 주차장");
  auto map = c.build();
  EXPECT_EQ(map->find("id-parking"), map->find("parking"));
  EXPECT_TRUE(map->find("term:법정동코드"));
  EXPECT_TRUE(map->find("category:교통물류"));
  EXPECT_FALSE(map->find("nope"));
  EXPECT_FALSE(map->find(""));
  EXPECT_EQ(map->label(*map->find("agency:org-a")), "기관 org-a");
}

TEST(Builder, IsDeterministic) {
  Catalog c;
  for (int i = 0; i < 200; ++i)
    c.add(nm("d", i), i % 3 ? "org-a" : "org-b", i % 2 ? "교통물류" : "환경기상",
          nm(i % 5 ? "위도 " : "노선번호 ", i), i % 7 ? "" : "측정소명");
  auto m1 = c.build(), m2 = c.build();
  ASSERT_EQ(m1->edge_count(EdgeType::related), m2->edge_count(EdgeType::related));
  for (Node d = 0; d < m1->dataset_count(); ++d) {
    auto r1 = related(*m1, d, 50), r2 = related(*m2, d, 50);
    ASSERT_EQ(r1.size(), r2.size());
    for (std::size_t i = 0; i < r1.size(); ++i) EXPECT_EQ(r1[i].node, r2[i].node);
    EXPECT_EQ(m1->community(d), m2->community(d));
  }
}

TEST(Export, GraphmlHasEveryNodeAndEdgeWithAttributes) {
  Catalog c;
  c.add("a", "org-a", "교통물류", "정류장 <위도> & \"경도\"");
  c.add("b", "org-b", "교통물류", "위도 경도");
  auto map = c.build();
  auto all = whole_map(*map);
  std::string xml = to_graphml(*map, all);
  auto count = [&](const std::string& needle) {
    std::size_t n = 0;
    for (auto p = xml.find(needle); p != std::string::npos; p = xml.find(needle, p + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("<node "), map->node_count());
  EXPECT_EQ(count("<edge "), all.edges.size());
  EXPECT_NE(xml.find("&lt;위도&gt; &amp;"), std::string::npos) << "labels are escaped";
  EXPECT_NE(xml.find("term:위도"), std::string::npos);
}

TEST(Export, JsonUsesTheSameReasonObjects) {
  Catalog c;
  c.add("a", "org-a", "교통물류", "위도");
  c.add("b", "org-b", "환경기상", "위도");
  auto map = c.build();
  rapidjson::Document doc;
  write_subgraph(*map, neighbors(*map, node(*map, "a"), {}), true, doc, doc.GetAllocator());
  bool saw_related = false;
  for (const auto& e : doc["edges"].GetArray()) {
    if (std::string(e["type"].GetString()) != "related") continue;
    saw_related = true;
    ASSERT_TRUE(e["reasons"].IsArray());
    const auto& r = e["reasons"][0];
    EXPECT_STREQ(r["kind"].GetString(), "term");
    EXPECT_STREQ(r["value"].GetString(), "위도");
    EXPECT_TRUE(r["weight"].IsNumber());
  }
  EXPECT_TRUE(saw_related);
}

}  // namespace
}  // namespace datamap::graph

// The bidirectional path search agrees with Boost.Graph's one-sided Dijkstra on every pair
// (graph/reference_path.h).
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "graph/builder.h"
#include "graph/map_algorithms.h"
#include "graph/queries.h"
#include "graph/reference_path.h"

namespace datamap::graph {
namespace {

// Appends a number (GCC 12 misreports nm("literal", i) under -Werror=restrict).
std::string nm(std::string prefix, int i) {
  prefix += std::to_string(i);
  return prefix;
}

TEST(Path, FindsTheSameCostAsBoostDijkstra) {
  std::vector<StandardTerm> terms;
  for (int i = 0; i < 40; ++i)
    terms.push_back({nm("용어" + std::string(1, char('A' + i % 26)), i), "", {}, ""});
  auto st = StandardTerms::from_terms(terms);
  std::mt19937 rng(7);
  MapInput input;
  input.terms = st;
  for (int i = 0; i < 400; ++i) {
    auto r = std::make_shared<DatasetRecord>();
    r->id = nm("d", 1000 + i);
    r->name = r->id;
    r->title = r->id;
    r->organization_id = nm("org", rng() % 12);
    r->categories = {nm("c", rng() % 5)};
    for (int k = 0, n = int(rng() % 3); k < n; ++k) r->terms.push_back(std::uint32_t(rng() % 40));
    std::sort(r->terms.begin(), r->terms.end());
    r->terms.erase(std::unique(r->terms.begin(), r->terms.end()), r->terms.end());
    input.datasets.push_back(r);
  }
  BuildOptions options;
  options.related_per_dataset = 3;
  auto map = build_map(input, options);
  std::size_t compared = 0, unreachable = 0;
  for (Node from = 0; from < 40; ++from) {
    for (Node to = 0; to < map->dataset_count(); to += 7) {
      if (to == from) continue;
      auto p = path(*map, from, to);
      float reference = reference_path_cost(*map, from, to);
      bool reachable = reference >= 0;
      ASSERT_EQ(p.found, reachable) << from << " -> " << to << ": " << p.reason_if_none;
      if (!reachable) {
        ++unreachable;
        continue;
      }
      EXPECT_NEAR(p.cost, reference, 1e-3 * reference) << from << " -> " << to;
      // The hops chain from one end to the other and each is a real relation with reasons.
      ASSERT_FALSE(p.hops.empty());
      EXPECT_EQ(p.hops.front().from, from);
      EXPECT_EQ(p.hops.back().to, to);
      for (std::size_t i = 0; i < p.hops.size(); ++i) {
        if (i) {
          EXPECT_EQ(p.hops[i].from, p.hops[i - 1].to);
        }
        EXPECT_FALSE(p.hops[i].reasons.empty());
      }
      ++compared;
    }
  }
  EXPECT_GT(compared, 100u);
  EXPECT_GT(unreachable + compared, compared) << "the sample should include unconnected pairs too";
}

TEST(Path, RespectsTheExplorationLimit) {
  auto st = StandardTerms::from_terms({{"위도", "", {}, ""}});
  MapInput input;
  input.terms = st;
  for (int i = 0; i < 200; ++i) {
    auto r = std::make_shared<DatasetRecord>();
    r->id = nm("d", 1000 + i);
    r->name = r->id;
    r->organization_id = nm("org", i / 2);  // pairs: a long chain through the term
    r->terms = {0};
    input.datasets.push_back(r);
  }
  BuildOptions options;
  options.related_per_dataset = 2;
  options.full_posting_max = 1;
  options.posting_window = 1;
  auto map = build_map(input, options);
  auto far = path(*map, 0, 199, 5);
  EXPECT_FALSE(far.found);
  EXPECT_NE(far.reason_if_none.find("search limit"), std::string::npos);
  EXPECT_TRUE(path(*map, 0, 199).found);
}

}  // namespace
}  // namespace datamap::graph

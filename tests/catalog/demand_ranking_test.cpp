// The demand ranking (catalog/demand.h) against a hand-computed example (docs/DEMAND.md):
// counts chosen so every ln(1 + x) / ln(1 + max) is 0, 0.5 or 1 (ln 10 / ln 100 = 0.5).
#include <gtest/gtest.h>

#include <cmath>

#include "catalog/demand_ranking.h"

namespace datamap::catalog {
namespace {

TEST(DemandRanking, MatchesTheHandComputedExample) {
  const std::vector<DemandCounts> counts = {
      // id,  votes, downloads, views, requests, error_reports
      {"a", 9, 99, 9, 0, 0},
      {"b", 99, 9, 99, 9, 1},
      {"d", 0, 0, 0, 0, 0},
      {"c", 0, 0, 0, 0, 0},
  };
  auto ranked = rank_demand(counts);
  ASSERT_EQ(ranked.size(), 4u);
  // b: 100 * (0.30 * 1 + 0.25 * 1 + 0.20 * 0.5 + 0.15 * 1 + 0.10 * 1) = 90
  EXPECT_EQ(ranked[0].dataset_id, "b");
  EXPECT_NEAR(ranked[0].score, 90.0, 1e-9);
  EXPECT_NEAR(ranked[0].downloads, 0.5, 1e-12);
  // a: 100 * (0.30 * 0.5 + 0.25 * 0 + 0.20 * 1 + 0.15 * 0.5 + 0.10 * 0) = 42.5
  EXPECT_EQ(ranked[1].dataset_id, "a");
  EXPECT_NEAR(ranked[1].score, 42.5, 1e-9);
  // Ties are broken by id, so the list is the same on every run.
  EXPECT_EQ(ranked[2].dataset_id, "c");
  EXPECT_EQ(ranked[3].dataset_id, "d");
  EXPECT_EQ(ranked[3].score, 0.0);
}

TEST(DemandRanking, ASignalNobodyHasCountsZeroNotNaN) {
  const std::vector<DemandCounts> counts = {{"only", 0, 0, 5, 0, 0}};
  auto ranked = rank_demand(counts);
  ASSERT_EQ(ranked.size(), 1u);
  EXPECT_FALSE(std::isnan(ranked[0].score));
  EXPECT_NEAR(ranked[0].score, 15.0, 1e-9);  // views alone, at the maximum: 100 * 0.15
  EXPECT_TRUE(rank_demand({}).empty());
}

TEST(DemandRanking, CustomWeightsAreApplied) {
  DemandWeights only_votes{1, 0, 0, 0, 0};
  const std::vector<DemandCounts> counts = {{"x", 9, 0, 0, 0, 0}, {"y", 99, 0, 0, 0, 0}};
  auto ranked = rank_demand(counts, only_votes);
  EXPECT_EQ(ranked[0].dataset_id, "y");
  EXPECT_NEAR(ranked[1].score, 50.0, 1e-9);
}

}  // namespace
}  // namespace datamap::catalog

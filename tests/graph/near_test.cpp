// graph/near.h: the map's near pairs from the figures the load job stored. A figure about a
// resource that was reloaded since (other fingerprint) is stale and left out; one pair per two
// datasets, the strongest; read from either side with A and B swapped.
#include "graph/near.h"

#include <gtest/gtest.h>

using namespace datamap;
using graph::NearIndex;
using graph::NearSide;

namespace {

catalog::NearPair figure(const std::string& other, std::uint64_t fingerprint, std::int64_t near,
                         std::int64_t other_points, std::int64_t other_near) {
  catalog::NearPair p;
  p.resource_id = other;
  p.package_id = "ds-" + other;
  p.fingerprint = fingerprint;
  p.within_m = 300;
  p.points_near = near;
  p.other_points = other_points;
  p.other_points_near = other_near;
  return p;
}

}  // namespace

TEST(NearIndex, FiguresAboutTheCurrentPointsMakeOneEdgeReadFromEitherSide) {
  NearIndex index;
  index.update("a", {NearSide{"ra", 11, 100, {figure("rb", 22, 62, 50, 24)}}});
  index.update("b", {NearSide{"rb", 22, 50, {}}});
  auto edges = index.edges();
  ASSERT_EQ(edges.size(), 1u);
  EXPECT_EQ(edges[0]->a, "a");
  EXPECT_EQ(edges[0]->b, "b");
  EXPECT_EQ(edges[0]->measure.text(), "near: 62% of A's points and 48% of B's points within 300 m");
  EXPECT_EQ(edges[0]->measure.swapped().text(),
            "near: 48% of A's points and 62% of B's points within 300 m");
}

TEST(NearIndex, AFigureAboutReloadedPointsIsStaleAndTheNewOneWins) {
  NearIndex index;
  index.update("a", {NearSide{"ra", 11, 100, {figure("rb", 22, 62, 50, 24)}}});
  // b reloaded: new points (fingerprint 23) and its own figure about a.
  index.update("b", {NearSide{"rb", 23, 40, {figure("ra", 11, 10, 100, 20)}}});
  auto edges = index.edges();
  ASSERT_EQ(edges.size(), 1u);
  // Read from a's side: 20 of a's 100 points, 10 of b's 40.
  EXPECT_EQ(edges[0]->measure.near_a, 20);
  EXPECT_EQ(edges[0]->measure.points_b, 40);
  EXPECT_EQ(edges[0]->measure.text(), "near: 20% of A's points and 25% of B's points within 300 m");
  // b loses its points: no edge, whatever a's list still says.
  index.update("b", {});
  EXPECT_TRUE(index.edges().empty());
}

TEST(NearIndex, NoEdgeWithinOneDatasetNorToAnUnknownResource) {
  NearIndex index;
  index.update("a", {NearSide{"ra1", 1, 10, {figure("ra2", 2, 5, 10, 5), figure("zz", 3, 1, 1, 1)}},
                     NearSide{"ra2", 2, 10, {}}});
  EXPECT_TRUE(index.edges().empty());
}

// datastore/near.h's spatial index against brute force: on random points around Seoul (and a
// few far away), the grid finds exactly the points brute-force haversine finds within the
// distance, for several distances; the summary's fingerprint ignores the points' order.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "datastore/near.h"

using namespace datamap::datastore;

namespace {

std::vector<LatLon> random_points(std::mt19937_64& rng, std::size_t n) {
  std::uniform_real_distribution<double> lat(37.45, 37.65), lon(126.85, 127.15), far(0, 1);
  std::vector<LatLon> out;
  for (std::size_t i = 0; i < n; ++i)
    out.push_back(far(rng) < 0.02 ? LatLon{35.1, 129.0} : LatLon{lat(rng), lon(rng)});
  return out;
}

std::int64_t brute_force(const std::vector<LatLon>& probes, const std::vector<LatLon>& points,
                         double meters) {
  std::int64_t n = 0;
  for (const auto& p : probes)
    n += std::any_of(points.begin(), points.end(), [&](const LatLon& q) {
      return haversine_m(p.lat, p.lon, q.lat, q.lon) <= meters;
    });
  return n;
}

}  // namespace

TEST(PointGrid, CountsExactlyWhatBruteForceCounts) {
  std::mt19937_64 rng(2);
  auto a = random_points(rng, 1500), b = random_points(rng, 900);
  for (double meters : {50.0, 300.0, 1000.0}) {
    PointGrid grid(b, meters);
    EXPECT_EQ(grid.count_near(a), brute_force(a, b, meters)) << meters;
    auto pair = measure_pair(PointGrid(a, meters), b, meters);
    EXPECT_EQ(pair.points_near, brute_force(a, b, meters));
    EXPECT_EQ(pair.other_points_near, brute_force(b, a, meters));
  }
}

// The grid settles most comparisons without haversine_m; at the very threshold it must still
// agree with it. Points placed at every bearing around probes at several latitudes, the distance
// set to exactly what haversine_m measures to one of them: that one is within, and not within a
// distance one representable step shorter.
TEST(PointGrid, AgreesWithHaversineAtTheExactThreshold) {
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> bearing(0, 2 * 3.14159265358979), scale(0.99, 1.01);
  int checked = 0;
  for (double lat : {-60.0, 0.0, 33.2, 37.56, 38.9, 70.0})
    for (double meters : {1.0, 300.0, 5000.0})
      for (int k = 0; k < 40; ++k) {
        LatLon p{lat, 126.97};
        double b = bearing(rng), deg = meters * scale(rng) / 111194.9;
        LatLon q{lat + deg * std::cos(b),
                 126.97 + deg * std::sin(b) / std::cos(lat * 3.14159265358979 / 180)};
        double exact = haversine_m(p.lat, p.lon, q.lat, q.lon);
        EXPECT_TRUE(PointGrid({q}, exact).has_point_within(p)) << lat << " " << meters << " " << k;
        EXPECT_FALSE(PointGrid({q}, std::nextafter(exact, 0.0)).has_point_within(p))
            << lat << " " << meters << " " << k;
        ++checked;
      }
  EXPECT_EQ(checked, 6 * 3 * 40);
}

TEST(PointSummary, FingerprintIgnoresOrderAndCellsCountEveryPoint) {
  std::mt19937_64 rng(3);
  auto a = random_points(rng, 500);
  auto shuffled = a;
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  auto s = summarize_points(a);
  EXPECT_EQ(s.fingerprint, summarize_points(shuffled).fingerprint);
  a[0].lat += 1e-7;
  EXPECT_NE(s.fingerprint, summarize_points(a).fingerprint);
  std::int64_t total = 0;
  for (const auto& [cell, n] : s.cells) total += n;
  EXPECT_EQ(total, 500);
  EXPECT_TRUE(std::is_sorted(s.cells.begin(), s.cells.end()));
}

TEST(NearCandidates, EachOtherResourceOnceBestOverlapFirstNoneOfTheSameDataset) {
  std::vector<std::pair<std::uint32_t, std::int64_t>> mine{{1, 10}, {2, 10}, {3, 10}};
  NearCandidates c;
  c.update("same-dataset", "d1", mine);
  c.update("all-cells", "d2", {{1, 5}, {2, 5}, {3, 5}});
  c.update("one-cell", "d3", {{3, 50}, {9, 50}});
  c.update("elsewhere", "d4", {{7, 5}});
  EXPECT_EQ(c.best("me", "d1", mine, 16), (std::vector<std::string>{"all-cells", "one-cell"}));
  EXPECT_EQ(c.best("me", "d1", mine, 1), (std::vector<std::string>{"all-cells"}));
  c.remove("all-cells");
  EXPECT_EQ(c.best("me", "d1", mine, 16), (std::vector<std::string>{"one-cell"}));
}

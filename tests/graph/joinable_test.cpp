// JoinIndex: exact measures and their text, and that a reload re-measures only the reloaded
// dataset's candidates (those sharing a key), dropping its old pairs.
#include "graph/joinable.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace datamap::graph;

namespace {

// Values 1..n as hashes with `rows` rows each (hash order = value order: fine for a test).
JoinColumn codes(const std::string& key, std::uint64_t from, std::uint64_t to, std::int64_t rows) {
  JoinColumn c{key, key, "", 0, std::int64_t(to - from + 1), {}, {}};
  for (std::uint64_t v = from; v <= to; ++v) {
    c.value_counts.emplace_back(v * 0x9E3779B97F4A7C15ULL, rows);
    c.rows += rows;
  }
  std::sort(c.value_counts.begin(), c.value_counts.end());
  for (std::size_t i = 0; i < c.value_counts.size() && i < 256; ++i)
    c.sketch.push_back(c.value_counts[i].first);
  return c;
}

}  // namespace

TEST(JoinIndex, ExactSharesAndTheirText) {
  auto m = measure_join(codes("제공기관코드", 1, 100, 2), codes("제공기관코드", 51, 250, 1));
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->exact);
  EXPECT_EQ(m->shared, 50);
  EXPECT_DOUBLE_EQ(m->share_a, 0.5);
  EXPECT_DOUBLE_EQ(m->share_b, 0.25);
  EXPECT_EQ(m->text(),
            "joinable on 제공기관코드: 50 shared codes; 50% of A's rows and 25% of B's rows match "
            "(exact value sets)");
  EXPECT_FALSE(measure_join(codes("제공기관코드", 1, 10, 1), codes("법정동코드", 1, 10, 1)));
  EXPECT_FALSE(measure_join(codes("제공기관코드", 1, 10, 1), codes("제공기관코드", 11, 20, 1)));
}

TEST(JoinIndex, ReloadMeasuresOnlyItsCandidates) {
  JoinIndex index;
  EXPECT_EQ(index.update("a", {codes("제공기관코드", 1, 100, 1)}), 0u);
  EXPECT_EQ(index.update("b", {codes("제공기관코드", 50, 150, 1)}), 1u);
  EXPECT_EQ(index.update("c", {codes("법정동코드", 1, 100, 1)}), 0u);    // no candidate shares it
  EXPECT_EQ(index.update("d", {codes("제공기관코드", 90, 95, 1)}), 2u);  // a and b
  EXPECT_EQ(index.edges(0).size(), 3u);                                  // ab, ad, bd
  // b reloaded with values nobody has: its pairs go, a-d stays; only a and d were measured.
  EXPECT_EQ(index.update("b", {codes("제공기관코드", 1000, 1100, 1)}), 2u);
  auto e = index.edges(0);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0]->a, "a");
  EXPECT_EQ(e[0]->b, "d");
  EXPECT_EQ(e[0]->measures[0].shared, 6);
  index.remove("d");
  EXPECT_TRUE(index.edges(0).empty());
  // Per dataset, the strongest pairs only.
  for (std::string id : {"x0", "x1", "x2", "x3", "x4"})
    index.update(id, {codes("제공기관코드", 1, 10 + std::uint64_t(id[1] - '0') * 10, 1)});
  EXPECT_LT(index.edges(1).size(), index.edges(0).size());
}

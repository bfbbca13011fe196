// The map at a glance (datamap_overview with levels, issue 19): where the catalog's data lives,
// as category → agency cells with measures, and how categories and agencies relate through the
// standard terms their datasets carry, measured joins and declared relationships.
//
// Computed once per (map snapshot, catalog revision, day) by compute_glance(): one pass over the
// store for what the map does not keep (type, views, downloads, 국가중점, dates, the quality
// rating scored by catalog::quality::score_dataset) and one over the snapshot (categories,
// agency, terms, joins). The result is aggregated: its size grows with categories × agencies and
// terms, never with datasets (datasets are read one cell at a time through `facts`), so the 1M
// catalog answers like the 61k one. Read-only after it is built; safe to share between threads.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catalog/store.h"
#include "graph/map.h"

namespace datamap::graph {

// What each measure slot counts, in Measures::values order (the API lists these names once).
enum class Measure : std::uint8_t {
  datasets,
  downloads,
  views,
  national_priority,
  type_file,
  type_api,
  type_standard,
  type_other,
  rating_excellent,
  rating_good,
  rating_sufficient,
  rating_bad,
  fresh_year,         // modified within a year of the day computed
  fresh_three_years,  // within three years
  fresh_older,
  fresh_unknown,  // no date that parses
};
inline constexpr std::size_t kMeasureCount = 16;
const char* measure_name(Measure m);

struct Measures {
  std::array<std::int64_t, kMeasureCount> values{};
  std::int64_t operator[](Measure m) const { return values[std::size_t(m)]; }
  void add(const Measures& o) {
    for (std::size_t i = 0; i < kMeasureCount; ++i) values[i] += o.values[i];
  }
};

// One dataset's measures, packed (the store pass fills it; datasets not read stay `known` false).
struct DatasetFacts {
  std::int64_t downloads = 0, views = 0;
  std::uint8_t type = 3, rating = 3, freshness = 3;  // offsets from type_file, rating_*, fresh_*
  bool national_priority = false;
  bool known = false;
  Measures measures() const;
};

// kNoNode stands for "no category" / "no agency" wherever a node is expected.
struct GlanceCell {
  Node category, agency;
  Measures measures;
};

struct GlanceEdge {
  Node a, b;                         // both categories or both agencies, a < b
  std::uint64_t term_pairs = 0;      // sum over shared terms of carriers(a) × carriers(b)
  std::uint32_t joinable_pairs = 0;  // dataset pairs with a measured join across a and b
  std::uint32_t explicit_pairs = 0;  // declared relationships across a and b
  // The terms with the most pairs (term id, pairs), at most kEdgeTerms, most first.
  std::vector<std::pair<std::uint32_t, std::uint64_t>> terms;
  std::vector<std::pair<std::string, std::uint32_t>> joins;  // join keys (e.g. 제공기관코드), pairs
};
inline constexpr std::size_t kEdgeTerms = 5;

struct GlanceTerm {
  std::uint32_t id;  // StandardTerms id
  std::uint32_t datasets = 0;
  std::vector<std::pair<Node, std::uint32_t>> categories, agencies;  // carriers, most first
};

struct Glance {
  std::shared_ptr<const DataMap> map;  // the snapshot the nodes below belong to
  std::int64_t revision = 0;           // the store's head_revision() when computed
  std::string today;
  Measures total;
  std::vector<std::pair<Node, Measures>> categories, agencies;  // largest first
  std::vector<GlanceCell> cells;                                // by category, then largest
  std::vector<DatasetFacts> facts;                              // by dataset node
  std::vector<GlanceTerm> terms;                                // carried terms, most first
  std::vector<GlanceEdge> category_edges, agency_edges;         // most pairs first
  std::size_t not_on_map = 0;  // public datasets the snapshot does not hold yet
  double seconds = 0;          // how long compute_glance took

  const GlanceTerm* term(std::uint32_t id) const;
};

// `today` is YYYY-MM-DD. `agency_edge_limit` bounds agency_edges (the heaviest are kept).
Glance compute_glance(std::shared_ptr<const DataMap> map, catalog::Store& store,
                      std::string_view today, std::size_t agency_edge_limit = 5000);

}  // namespace datamap::graph

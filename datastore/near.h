// Near relations between loaded resources whose rows carry coordinates (issue 14, item 2): the
// share of A's points with a point of B within a distance (300 m by default), and B's the other
// way, measured exactly on the points at load time. This file holds the geometry (distance,
// summaries, the spatial index, candidate ranking); near_measurer.h measures a loaded resource
// with them, point_grid_cache.h keeps prepared point sets between measures.
//
// Why here and not in graph/: the figures need the points, and the points live in the
// DataStore. The load job (load_queue.cpp) therefore measures a freshly loaded resource against
// its candidates and writes the figures into the catalog with its profile
// (catalog::PointSummary); graph/ reads only those figures and never the DataStore.
//
// Incremental: a (re)load measures only its own pairs. Candidates come from a coarse summary
// (points per 0.1° grid cell, stored in the catalog with the resource): the resources of other
// datasets sharing the most cells, at most `candidates` of them. Each figure names the other
// resource's point fingerprint, so a figure measured before the other was reloaded is known
// to be stale (graph/near.h drops it) without touching the other resource's record.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "catalog/model.h"
#include "datastore/table_store.h"

namespace datamap::datastore {

// Great-circle distance in metres (haversine, WGS84 mean radius): what datastore_join's distance
// join and the near figures both measure with.
double haversine_m(double lat1, double lon1, double lat2, double lon2);

struct LatLon {
  double lat, lon;
};

// The coarse cell (0.1° × 0.1°) a point falls in; the ids PointSummary::cells holds.
std::uint32_t coarse_cell(double lat, double lon);
// Cells, count and fingerprint of a point set (the near list left empty). The fingerprint does
// not depend on the points' order.
catalog::PointSummary summarize_points(const std::vector<LatLon>& points);
// The fingerprint alone (summarize_points(points).fingerprint, without the cells).
std::uint64_t point_fingerprint(const std::vector<LatLon>& points);

// A spatial index over a point set: a grid whose cells are `meters` on a side, so every point
// within `meters` of a probe lies in the probe's cell or one of its 8 neighbours. The cells are
// one sorted array (no allocation per cell), and each point carries the haversine terms that
// depend on it alone, so comparing a probe with a point costs a few multiplications and no sine:
// only a distance within a hair (1e-7 relative) of `meters` is settled by haversine_m itself,
// so the answer is always the one haversine_m gives.
class PointGrid {
 public:
  PointGrid(const std::vector<LatLon>& points, double meters);
  bool has_point_within(const LatLon& p) const;
  // How many of `points` have a point of this grid within the distance.
  std::int64_t count_near(const std::vector<LatLon>& points) const;
  // The same for the points of another grid (their terms are already computed).
  std::int64_t count_near(const PointGrid& points) const;
  std::size_t size() const { return points_.size(); }  // every point given, none dropped
  std::size_t bytes() const;                           // the memory it holds

 private:
  struct Prepared {
    double lat, lon, cos_lat, sin_half_lat, cos_half_lat, sin_half_lon, cos_half_lon;
  };
  static Prepared prepare(const LatLon& p);
  bool has_point_within(const Prepared& p) const;
  bool within(const Prepared& p, const Prepared& q) const;
  std::uint64_t key(std::int64_t row, std::int64_t col) const;
  // The cell's index in starts_, or -1: an open-addressing table (a probe looks up 9 cells).
  std::int64_t find_cell(std::uint64_t key) const;
  double meters_, dlat_, dlon_;
  double max_dlat_deg_;          // farther apart in latitude alone: not within
  double a_within_, a_outside_;  // haversine's `a` below the first: within; above the second: not
  std::vector<std::uint64_t> slot_keys_;   // kNoCell or a cell's key; size a power of two
  std::vector<std::uint32_t> slot_cells_;  // that cell's index
  std::vector<std::uint32_t> starts_;  // cell i holds points_[starts_[i], starts_[i + 1])
  std::vector<Prepared> points_;       // grouped by cell
};

// The figures between two point sets (mine indexed in `my_grid`, built with `within_m`); the
// other's identity and fingerprint are the caller's to fill in.
catalog::NearPair measure_pair(const PointGrid& my_grid, const std::vector<LatLon>& theirs,
                               double within_m);
// The same with theirs already indexed (both grids built with `within_m`).
catalog::NearPair measure_pair(const PointGrid& my_grid, const PointGrid& their_grid,
                               double within_m);
// How strongly a pair relates: the product of both sides' shares (what ranks pairs).
double near_strength(const catalog::NearPair& p, std::int64_t my_points);

// The resources of other datasets whose coarse cells overlap a resource's most: the sum over
// shared cells of the smaller of the two sides' shares of points in that cell.
class NearCandidates {
 public:
  void update(const std::string& resource_id, const std::string& package_id,
              const std::vector<std::pair<std::uint32_t, std::int64_t>>& cells);
  void remove(const std::string& resource_id);
  std::vector<std::string> best(const std::string& resource_id, const std::string& package_id,
                                const std::vector<std::pair<std::uint32_t, std::int64_t>>& cells,
                                std::size_t k) const;
  std::size_t size() const { return resources_.size(); }

 private:
  struct Entry {
    std::string package_id;
    std::vector<std::pair<std::uint32_t, std::int64_t>> cells;
    std::int64_t points = 0;
  };
  using Resources = std::unordered_map<std::string, Entry>;
  // A resource in a cell with its points there. Points at resources_'s own element, which stays
  // put while others come and go (node-based map), so best() reads no map and hashes no id.
  struct Posting {
    const Resources::value_type* resource;
    std::int64_t points;
  };
  Resources resources_;
  std::unordered_map<std::uint32_t, std::vector<Posting>> postings_;  // cell -> resources
};

}  // namespace datamap::datastore

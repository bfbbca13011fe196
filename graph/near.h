// Near relations read from the catalog (issue 14, item 2): two datasets are near when the
// points of their loaded resources lie in the same places. The DataStore's load job measured
// the figures (datastore/near.h) and stored them with each resource (catalog::PointSummary);
// graph/ only reads them, so it needs nothing of the DataStore.
//
// A figure is current when the other resource's points are still the ones it was measured on
// (same fingerprint): a figure a resource holds about one that was reloaded since is stale and
// left out; the reloaded one measured its own figures afresh. Per pair of datasets, the best
// pair of resources (share_a * share_b) is kept.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "catalog/model.h"

namespace datamap::graph {

// The points of one loaded resource of a dataset and the figures measured from it.
struct NearSide {
  std::string resource_id;
  std::uint64_t fingerprint = 0;
  std::int64_t points = 0;
  std::vector<catalog::NearPair> near;
};
std::vector<NearSide> near_sides(const catalog::Dataset& d);

// What lies near what, read from A's side (A = the first dataset).
struct NearMeasure {
  std::string resource_a, resource_b;
  double within_m = 0;
  std::int64_t points_a = 0, near_a = 0;  // A's points, and those with a point of B within
  std::int64_t points_b = 0, near_b = 0;
  double share_a() const { return points_a ? double(near_a) / double(points_a) : 0; }
  double share_b() const { return points_b ? double(near_b) / double(points_b) : 0; }
  NearMeasure swapped() const;
  // "near: 62% of A's points and 48% of B's points within 300 m"
  std::string text() const;
};

struct NearEdge {
  std::string a, b;  // dataset ids, a < b; the measure is read from a's side
  NearMeasure measure;
};

class NearIndex {
 public:
  // Replaces a dataset's sides (empty: it has none).
  void update(const std::string& dataset_id, std::vector<NearSide> sides);
  void remove(const std::string& dataset_id) { update(dataset_id, {}); }
  void clear();
  // The current pairs, one per pair of datasets.
  std::vector<std::shared_ptr<const NearEdge>> edges() const;
  std::size_t datasets() const { return sides_.size(); }

 private:
  struct Owner {
    std::string dataset_id;
    std::uint64_t fingerprint;
    std::int64_t points;
  };
  std::unordered_map<std::string, std::vector<NearSide>> sides_;  // dataset -> its resources
  std::unordered_map<std::string, Owner> resources_;              // resource -> its dataset
};

}  // namespace datamap::graph

#include "datastore/near.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <unordered_set>

#include "catalog/errors.h"

namespace datamap::datastore {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kMetresPerDegree = 111194.9;  // of latitude, on the mean radius
constexpr double kEarth = 6371008.8, kRad = kPi / 180;  // mean radius (m); radians per degree
// How far (relative) a fast comparison stays from the threshold before haversine_m decides: the
// fast `a` differs from haversine_m's by ~1e-11 relative (rounding of differences of products).
constexpr double kBand = 1e-7;
// No cell has this key (a key's low half is a column offset below 2^32 - 1).
constexpr std::uint64_t kNoCell = ~std::uint64_t{0};

std::uint64_t mix(std::uint64_t x) {  // splitmix64's finaliser
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::int64_t total(const std::vector<std::pair<std::uint32_t, std::int64_t>>& cells) {
  std::int64_t n = 0;
  for (const auto& [c, k] : cells) n += k;
  return n;
}

}  // namespace

double haversine_m(double lat1, double lon1, double lat2, double lon2) {
  double dlat = (lat2 - lat1) * kRad, dlon = (lon2 - lon1) * kRad;
  double a = std::sin(dlat / 2) * std::sin(dlat / 2) + std::cos(lat1 * kRad) *
                                                           std::cos(lat2 * kRad) *
                                                           std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarth * std::asin(std::min(1.0, std::sqrt(a)));
}

std::uint32_t coarse_cell(double lat, double lon) {
  auto row = static_cast<std::uint32_t>(std::clamp(std::floor((lat + 90) * 10), 0.0, 1799.0));
  auto col = static_cast<std::uint32_t>(std::clamp(std::floor((lon + 180) * 10), 0.0, 3599.0));
  return row * 3600 + col;
}

catalog::PointSummary summarize_points(const std::vector<LatLon>& points) {
  catalog::PointSummary s;
  s.points = static_cast<std::int64_t>(points.size());
  std::map<std::uint32_t, std::int64_t> cells;
  for (const auto& p : points) ++cells[coarse_cell(p.lat, p.lon)];
  s.fingerprint = point_fingerprint(points);
  s.cells.assign(cells.begin(), cells.end());
  return s;
}

std::uint64_t point_fingerprint(const std::vector<LatLon>& points) {
  // A sum of per-point hashes: the same set in any order gives the same fingerprint.
  std::uint64_t sum = 0;
  for (const auto& p : points)
    sum += mix(std::bit_cast<std::uint64_t>(p.lat) ^ mix(std::bit_cast<std::uint64_t>(p.lon)));
  return mix(sum ^ mix(points.size()));
}

PointGrid::PointGrid(const std::vector<LatLon>& points, double meters) : meters_(meters) {
  double max_abs_lat = 0;
  for (const auto& p : points) max_abs_lat = std::max(max_abs_lat, std::abs(p.lat));
  // Slack on both sides so that a point exactly `meters` away is never one cell too far.
  dlat_ = meters / kMetresPerDegree * 1.001 + 1e-9;
  double coslat = std::cos(std::min(89.0, max_abs_lat + 2 * dlat_) * kPi / 180);
  dlon_ = std::min(360.0, dlat_ / std::max(coslat, 1e-6));
  // A great circle is never shorter than its latitude difference along a meridian.
  max_dlat_deg_ = meters / (kEarth * kRad) * (1 + kBand) + 1e-12;
  // d = 2R asin(sqrt(a)) grows with a, so d <= meters exactly when a <= sin²(meters / 2R) (while
  // meters / 2R < pi / 2); beyond that, every comparison goes to haversine_m (band of zero width).
  double half = meters / (2 * kEarth);
  double threshold = std::sin(half) * std::sin(half);
  a_within_ = half < 1.5 ? threshold * (1 - kBand) : -1;
  a_outside_ = half < 1.5 ? threshold * (1 + kBand) : std::numeric_limits<double>::infinity();

  std::vector<std::pair<std::uint64_t, std::uint32_t>> order;
  order.reserve(points.size());
  for (std::size_t i = 0; i < points.size(); ++i)
    order.emplace_back(key(std::int64_t(std::floor(points[i].lat / dlat_)),
                           std::int64_t(std::floor(points[i].lon / dlon_))),
                       static_cast<std::uint32_t>(i));
  std::sort(order.begin(), order.end());
  points_.reserve(points.size());
  std::vector<std::uint64_t> keys;  // the occupied cells, ascending
  for (const auto& [k, i] : order) {
    if (keys.empty() || keys.back() != k) {
      keys.push_back(k);
      starts_.push_back(static_cast<std::uint32_t>(points_.size()));
    }
    points_.push_back(prepare(points[i]));
  }
  starts_.push_back(static_cast<std::uint32_t>(points_.size()));
  // At most half full, so a lookup of an empty cell ends after a slot or two.
  std::size_t slots = std::bit_ceil(std::max<std::size_t>(2 * keys.size(), 16));
  slot_keys_.assign(slots, kNoCell);
  slot_cells_.assign(slots, 0);
  for (std::size_t c = 0; c < keys.size(); ++c) {
    std::size_t at = mix(keys[c]) & (slots - 1);
    while (slot_keys_[at] != kNoCell) at = (at + 1) & (slots - 1);
    slot_keys_[at] = keys[c];
    slot_cells_[at] = static_cast<std::uint32_t>(c);
  }
}

std::int64_t PointGrid::find_cell(std::uint64_t key) const {
  const std::size_t mask = slot_keys_.size() - 1;
  for (std::size_t at = mix(key) & mask;; at = (at + 1) & mask) {
    if (slot_keys_[at] == key) return slot_cells_[at];
    if (slot_keys_[at] == kNoCell) return -1;
  }
}

PointGrid::Prepared PointGrid::prepare(const LatLon& p) {
  double half_lat = p.lat * kRad / 2, half_lon = p.lon * kRad / 2;
  // cos_lat exactly as haversine_m computes it, so its product is the same.
  return {p.lat,
          p.lon,
          std::cos(p.lat * kRad),
          std::sin(half_lat),
          std::cos(half_lat),
          std::sin(half_lon),
          std::cos(half_lon)};
}

bool PointGrid::within(const Prepared& p, const Prepared& q) const {
  if (std::abs(p.lat - q.lat) > max_dlat_deg_) return false;
  // sin((y - x) / 2) = sin(y/2) cos(x/2) - cos(y/2) sin(x/2): haversine_m's `a` without a sine.
  double s_lat = q.sin_half_lat * p.cos_half_lat - q.cos_half_lat * p.sin_half_lat;
  double s_lon = q.sin_half_lon * p.cos_half_lon - q.cos_half_lon * p.sin_half_lon;
  double a = s_lat * s_lat + p.cos_lat * q.cos_lat * s_lon * s_lon;
  if (a < a_within_) return true;
  if (a > a_outside_) return false;
  return haversine_m(p.lat, p.lon, q.lat, q.lon) <= meters_;  // too close to call
}

std::uint64_t PointGrid::key(std::int64_t row, std::int64_t col) const {
  // Clamped, so that row ± 1 and col ± 1 stay distinct keys, and the column offset to be
  // non-negative, so no key is kNoCell. (A clamped far-off point only shares its cell with more
  // points, each still compared exactly.)
  constexpr std::int64_t kLimit = (std::int64_t{1} << 31) - 2;
  row = std::clamp(row, -kLimit, kLimit);
  col = std::clamp(col, -kLimit, kLimit);
  return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(row)) << 32) |
         static_cast<std::uint64_t>(col + (std::int64_t{1} << 31));
}

bool PointGrid::has_point_within(const LatLon& p) const {
  return has_point_within(prepare(p));
}

bool PointGrid::has_point_within(const Prepared& probe) const {
  // The probe's own cell first: most points that have a neighbour have it there.
  static constexpr int kOrder[9][2] = {{0, 0}, {-1, -1}, {-1, 0}, {-1, 1}, {0, -1},
                                       {0, 1}, {1, -1},  {1, 0},  {1, 1}};
  auto row = std::int64_t(std::floor(probe.lat / dlat_));
  auto col = std::int64_t(std::floor(probe.lon / dlon_));
  for (const auto& o : kOrder) {
    std::int64_t cell = find_cell(key(row + o[0], col + o[1]));
    if (cell < 0) continue;
    for (std::uint32_t i = starts_[std::size_t(cell)]; i < starts_[std::size_t(cell) + 1]; ++i)
      if (within(probe, points_[i])) return true;
  }
  return false;
}

std::int64_t PointGrid::count_near(const std::vector<LatLon>& points) const {
  std::int64_t n = 0;
  for (const auto& p : points) n += has_point_within(p);
  return n;
}

std::int64_t PointGrid::count_near(const PointGrid& points) const {
  std::int64_t n = 0;
  for (const auto& p : points.points_) n += has_point_within(p);
  return n;
}

std::size_t PointGrid::bytes() const {
  return sizeof(*this) + slot_keys_.capacity() * sizeof(std::uint64_t) +
         slot_cells_.capacity() * sizeof(std::uint32_t) +
         starts_.capacity() * sizeof(std::uint32_t) + points_.capacity() * sizeof(Prepared);
}

catalog::NearPair measure_pair(const PointGrid& my_grid, const std::vector<LatLon>& theirs,
                               double within_m) {
  return measure_pair(my_grid, PointGrid(theirs, within_m), within_m);
}

catalog::NearPair measure_pair(const PointGrid& my_grid, const PointGrid& their_grid,
                               double within_m) {
  catalog::NearPair pair;
  pair.within_m = within_m;
  pair.points_near = their_grid.count_near(my_grid);
  pair.other_points = static_cast<std::int64_t>(their_grid.size());
  pair.other_points_near = my_grid.count_near(their_grid);
  return pair;
}

double near_strength(const catalog::NearPair& p, std::int64_t my_points) {
  return double(p.points_near) / double(std::max<std::int64_t>(my_points, 1)) *
         double(p.other_points_near) / double(std::max<std::int64_t>(p.other_points, 1));
}

void NearCandidates::update(const std::string& resource_id, const std::string& package_id,
                            const std::vector<std::pair<std::uint32_t, std::int64_t>>& cells) {
  remove(resource_id);
  if (cells.empty()) return;
  auto it = resources_.emplace(resource_id, Entry{package_id, cells, total(cells)}).first;
  for (const auto& [cell, n] : cells) postings_[cell].push_back({&*it, n});
}

void NearCandidates::remove(const std::string& resource_id) {
  auto it = resources_.find(resource_id);
  if (it == resources_.end()) return;
  for (const auto& [cell, n] : it->second.cells) {
    auto& list = postings_[cell];
    std::erase_if(list, [&](const Posting& p) { return p.resource == &*it; });
    if (list.empty()) postings_.erase(cell);
  }
  resources_.erase(it);
}

std::vector<std::string> NearCandidates::best(
    const std::string& resource_id, const std::string& package_id,
    const std::vector<std::pair<std::uint32_t, std::int64_t>>& cells, std::size_t k) const {
  const double mine = double(std::max<std::int64_t>(total(cells), 1));
  std::unordered_map<const std::string*, double> score;
  for (const auto& [cell, n] : cells) {
    auto p = postings_.find(cell);
    if (p == postings_.end()) continue;
    for (const auto& posting : p->second) {
      const auto& [other, e] = *posting.resource;
      if (other == resource_id || e.package_id == package_id) continue;
      double theirs = double(posting.points) / double(std::max<std::int64_t>(e.points, 1));
      // Keyed by the index's own copy of the id: one score per resource, whatever the cell.
      score[&other] += std::min(double(n) / mine, theirs);
    }
  }
  std::vector<std::pair<double, const std::string*>> ranked;
  for (const auto& [id, s] : score) ranked.emplace_back(s, id);
  std::size_t n = std::min(k, ranked.size());
  std::partial_sort(ranked.begin(), ranked.begin() + std::ptrdiff_t(n), ranked.end(),
                    [](const auto& x, const auto& y) {
                      return x.first != y.first ? x.first > y.first : *x.second < *y.second;
                    });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(*ranked[i].second);
  return out;
}

}  // namespace datamap::datastore

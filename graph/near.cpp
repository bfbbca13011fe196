#include "graph/near.h"

#include <cmath>
#include <map>
#include <utility>

namespace datamap::graph {
namespace {

std::string percent(double share) {
  return std::to_string(static_cast<int>(std::lround(share * 100))) + "%";
}

std::string metres(double m) {
  if (m == std::floor(m)) return std::to_string(static_cast<long long>(m)) + " m";
  std::string s = std::to_string(m);
  s.erase(s.find_last_not_of('0') + 1);
  return s + " m";
}

}  // namespace

std::vector<NearSide> near_sides(const catalog::Dataset& d) {
  std::vector<NearSide> out;
  for (const auto& r : d.resources)
    if (r.datastore_active && r.points.points > 0)
      out.push_back({r.id, r.points.fingerprint, r.points.points, r.points.near});
  return out;
}

NearMeasure NearMeasure::swapped() const {
  return {resource_b, resource_a, within_m, points_b, near_b, points_a, near_a};
}

std::string NearMeasure::text() const {
  return "near: " + percent(share_a()) + " of A's points and " + percent(share_b()) +
         " of B's points within " + metres(within_m);
}

void NearIndex::update(const std::string& dataset_id, std::vector<NearSide> sides) {
  if (auto old = sides_.find(dataset_id); old != sides_.end()) {
    for (const auto& s : old->second) resources_.erase(s.resource_id);
    sides_.erase(old);
  }
  if (sides.empty()) return;
  for (const auto& s : sides) resources_[s.resource_id] = {dataset_id, s.fingerprint, s.points};
  sides_[dataset_id] = std::move(sides);
}

void NearIndex::clear() {
  sides_.clear();
  resources_.clear();
}

std::vector<std::shared_ptr<const NearEdge>> NearIndex::edges() const {
  std::map<std::pair<std::string, std::string>, NearEdge> best;
  for (const auto& [dataset, sides] : sides_)
    for (const auto& side : sides)
      for (const auto& p : side.near) {
        auto other = resources_.find(p.resource_id);
        // Stale (the other was reloaded since), gone, or of the same dataset: left out.
        if (other == resources_.end() || other->second.fingerprint != p.fingerprint ||
            other->second.dataset_id == dataset)
          continue;
        NearMeasure m{side.resource_id, p.resource_id,  p.within_m,         side.points,
                      p.points_near,    p.other_points, p.other_points_near};
        const std::string& od = other->second.dataset_id;
        bool mine_first = dataset < od;
        NearEdge e{mine_first ? dataset : od, mine_first ? od : dataset,
                   mine_first ? m : m.swapped()};
        auto [it, fresh] = best.try_emplace(std::make_pair(e.a, e.b), e);
        const NearMeasure& kept = it->second.measure;
        if (!fresh && m.share_a() * m.share_b() > kept.share_a() * kept.share_b())
          it->second = std::move(e);
      }
  std::vector<std::shared_ptr<const NearEdge>> out;
  out.reserve(best.size());
  for (auto& [ids, e] : best) out.push_back(std::make_shared<const NearEdge>(std::move(e)));
  return out;
}

}  // namespace datamap::graph

#include "catalog/demand_ranking.h"

#include <algorithm>
#include <cmath>

namespace datamap::catalog {
namespace {

// Logarithmic: a dataset downloaded 100,000 times is not 1,000 times as wanted as one
// downloaded 100 times, and one outlier must not flatten every other score to zero.
double scaled(std::int64_t x, std::int64_t max) {
  if (x <= 0 || max <= 0) return 0;
  return std::log1p(static_cast<double>(x)) / std::log1p(static_cast<double>(max));
}

}  // namespace

std::vector<DemandScore> rank_demand(std::span<const DemandCounts> counts, const DemandWeights& w) {
  DemandCounts max;
  for (const auto& c : counts) {
    max.votes = std::max(max.votes, c.votes);
    max.downloads = std::max(max.downloads, c.downloads);
    max.views = std::max(max.views, c.views);
    max.requests = std::max(max.requests, c.requests);
    max.error_reports = std::max(max.error_reports, c.error_reports);
  }
  std::vector<DemandScore> out;
  out.reserve(counts.size());
  for (const auto& c : counts) {
    DemandScore s;
    s.dataset_id = c.dataset_id;
    s.votes = scaled(c.votes, max.votes);
    s.requests = scaled(c.requests, max.requests);
    s.downloads = scaled(c.downloads, max.downloads);
    s.views = scaled(c.views, max.views);
    s.error_reports = scaled(c.error_reports, max.error_reports);
    s.score = 100 * (w.votes * s.votes + w.requests * s.requests + w.downloads * s.downloads +
                     w.views * s.views + w.error_reports * s.error_reports);
    out.push_back(std::move(s));
  }
  std::sort(out.begin(), out.end(), [](const DemandScore& a, const DemandScore& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.dataset_id < b.dataset_id;
  });
  return out;
}

}  // namespace datamap::catalog

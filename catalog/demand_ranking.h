// The demand ranking (issue 16 item 5): which datasets people ask for most, as candidates for
// 국가중점데이터. A pure function over counts it is given (docs/DEMAND.md has the formula and a
// worked example); where the counts come from is the caller's business (Store::demand_signals
// for requests, votes and error reports; the datasets' own views and downloads).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace datamap::catalog {

// The signals of one dataset. requests: data requests (제공신청) that name the dataset; votes:
// the votes on those requests; error_reports: 오류신고 filed on it.
struct DemandCounts {
  std::string dataset_id;
  std::int64_t votes = 0;
  std::int64_t downloads = 0;
  std::int64_t views = 0;
  std::int64_t requests = 0;
  std::int64_t error_reports = 0;
};

// What each signal weighs; they sum to 1 so a score is 0-100.
struct DemandWeights {
  double votes = 0.30;
  double requests = 0.25;
  double downloads = 0.20;
  double views = 0.15;
  double error_reports = 0.10;
};

struct DemandScore {
  std::string dataset_id;
  double score = 0;  // 0-100
  // Each signal's share after scaling, 0-1: ln(1 + x) / ln(1 + the largest x among the given).
  double votes = 0, requests = 0, downloads = 0, views = 0, error_reports = 0;
};

// Scores every dataset given: 100 * sum(weight * ln(1 + x) / ln(1 + max x)) over the five
// signals (a signal nobody has counts 0). Highest score first; ties by dataset_id.
std::vector<DemandScore> rank_demand(std::span<const DemandCounts> counts,
                                     const DemandWeights& weights = {});

}  // namespace datamap::catalog

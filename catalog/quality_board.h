// The agency scoreboard (issue 15 item 4): every public dataset scored once (score_stored) and
// summed up per organization and for the whole catalog. A pure reading of the store on one day:
// the api caches it per (catalog revision, day) and the pages and actions read that.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/quality_score.h"
#include "catalog/store.h"

namespace datamap::catalog::quality {

struct BoardDataset {
  std::string id, name, title;
  int points = 0, max = 0;
  Rating rating = Rating::bad;
  bool overdue = false;
  double ratio() const { return max > 0 ? static_cast<double>(points) / max : 1.0; }
};

struct AgencyBoard {
  std::string organization_id;  // "" for datasets without one (national totals only)
  std::int64_t datasets = 0;
  std::array<std::int64_t, 4> by_rating{};  // indexed by Rating
  double ratio_sum = 0;                     // sum of every dataset's ratio()
  std::int64_t overdue = 0;
  std::vector<std::int64_t> failing;  // per indicators() entry: datasets failing it
  std::vector<BoardDataset> worst;    // lowest ratio first, at most the board's limit

  // The mean of the datasets' points/max, 0–100 (0 with no datasets): what agencies rank by.
  double mean_percent() const { return datasets > 0 ? 100.0 * ratio_sum / datasets : 0; }
};

struct Board {
  std::string today;
  std::int64_t revision = 0;  // the store's head_revision() it was computed at
  AgencyBoard national;
  std::vector<AgencyBoard> agencies;  // best mean first, ties by more datasets then id

  const AgencyBoard* agency(std::string_view organization_id) const;
};

// Scores every active public dataset (private ones are their organization's business, not the
// public ranking's). `worst_per_agency` bounds each list of worst datasets.
Board compute_board(Store& store, std::string_view today, std::size_t worst_per_agency = 50);

}  // namespace datamap::catalog::quality

// The agency scoreboard (issue 15 item 4): every public dataset scored once (score_stored) and
// summed up per organization and for the whole catalog, with the two figures data.go.kr's yearly
// evaluation also asks for: broken links (the link checker's last answers, catalog/link_checks.h)
// and the error rate (오류율) of the loaded resources (their validation reports, as
// datastore_validation_show answers them). A pure reading of the store on one day: the api caches
// it per (catalog revision, day) and the pages, actions and daily snapshots read that.
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

// A validated resource of the board, for the worst-first list of error rates.
struct BoardResource {
  std::string dataset_id, dataset_name, dataset_title, resource_id, resource_name;
  std::int64_t checked = 0, invalid = 0, failing_rows = 0;
  double error_rate() const { return checked > 0 ? static_cast<double>(invalid) / checked : 0; }
};

// A URL of a dataset whose last link check failed. resource_id "" = the landing page.
struct BoardLink {
  std::string resource_id, url;
};

// A dataset with broken links, for the worst-first list of broken links.
struct BoardBrokenDataset {
  std::string id, name, title;
  std::vector<BoardLink> links;
};

struct AgencyBoard {
  std::string organization_id;  // "" for datasets without one (national totals only)
  std::int64_t datasets = 0;
  std::array<std::int64_t, 4> by_rating{};  // indexed by Rating
  double ratio_sum = 0;                     // sum of every dataset's ratio()
  std::int64_t overdue = 0;
  std::vector<std::int64_t> failing;  // per indicators() entry: datasets failing it
  std::vector<BoardDataset> worst;    // lowest ratio first, at most the board's limit

  // Links: landing pages and resource URLs whose last check failed (a URL named twice counts
  // twice, as organization_link_report lists it), and the datasets with at least one.
  std::int64_t broken_links = 0;
  std::int64_t datasets_with_broken_links = 0;
  std::vector<BoardBrokenDataset> broken;  // most broken links first, at most the limit

  // Validation of loaded resources: the values checked and found invalid over every validated
  // resource (so a big file weighs as much as its values), and the resources past the
  // data_error_rate indicator's limit.
  std::int64_t validated_resources = 0;
  std::int64_t checked_values = 0, invalid_values = 0;
  std::int64_t resources_over_limit = 0;
  std::vector<BoardResource> worst_resources;  // highest error rate first, at most the limit

  // The mean of the datasets' points/max, 0–100 (0 with no datasets): what agencies rank by.
  double mean_percent() const { return datasets > 0 ? 100.0 * ratio_sum / datasets : 0; }
  // invalid ÷ checked values, 0–1 (0 when nothing was validated).
  double error_rate() const {
    return checked_values > 0 ? static_cast<double>(invalid_values) / checked_values : 0;
  }
};

struct Board {
  std::string today;
  std::int64_t revision = 0;  // the store's head_revision() it was computed at
  AgencyBoard national;
  std::vector<AgencyBoard> agencies;  // best mean first, ties by more datasets then id

  const AgencyBoard* agency(std::string_view organization_id) const;
};

// Scores every active public dataset (private ones are their organization's business, not the
// public ranking's). `worst_per_agency` bounds each worst-first list (datasets, resources by
// error rate, datasets by broken links).
Board compute_board(Store& store, std::string_view today, std::size_t worst_per_agency = 50);

}  // namespace datamap::catalog::quality

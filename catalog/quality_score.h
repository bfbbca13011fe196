// The metadata quality score of a dataset (issue 15, docs/QUALITY.md): data.europa.eu's MQA
// indicators in five dimensions (findability, accessibility, interoperability, reusability,
// contextuality) plus three that Korean users need (a description that says more than the title,
// 차기 등록 예정일 not in the past, common standard terms used).
//
// A pure function of what the catalog stores: the dataset, its organization and the link-check
// answers of its URLs, plus the day it is scored on (the update-schedule indicator compares
// dates). search/ (facet, sort), api/ (package_show, quality_show) and the scoreboard all call
// score_dataset(), so they cannot disagree.
//
// Link checks not made yet are "pending": such an indicator earns nothing and its points are
// left out of `max` as well, so an unchecked dataset is neither rewarded nor punished; the
// rating compares points to max. A URL that failed its last check fails the indicator.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catalog/link_checks.h"
#include "catalog/model.h"

namespace datamap::catalog::quality {

// What the link checker last found for one URL (catalog/link_checks.h).
using LinkAnswer = catalog::LinkAnswer;

// The link-check answers of one dataset's URLs. A resource not listed is unknown.
struct LinkResults {
  LinkAnswer landing_page = LinkAnswer::kUnknown;             // Dataset::url
  std::vector<std::pair<std::string, LinkAnswer>> resources;  // resource id → answer
  LinkAnswer of(std::string_view resource_id) const;
};

enum class Dimension { findability, accessibility, interoperability, reusability, contextuality };
inline constexpr std::size_t kDimensions = 5;
std::string_view dimension_name(Dimension d);  // "findability", ...

enum class Rating { excellent, good, sufficient, bad };
std::string_view rating_name(Rating r);      // "excellent", ...
std::string_view rating_label_ko(Rating r);  // "우수", "양호", "보통", "미흡"
bool parse_rating(std::string_view name, Rating& out);

enum class Outcome { passed, failed, pending };
std::string_view outcome_name(Outcome o);  // "passed" | "failed" | "pending"

// One indicator as documented in docs/QUALITY.md.
struct IndicatorInfo {
  const char* id;  // "keywords", ...
  Dimension dimension;
  int points;
  const char* label_ko;
  const char* label_en;
  const char* fix_ko;  // what to do when it fails
  const char* fix_en;
};
// Every indicator, in dimension order; the points sum to kMaxPoints.
const std::vector<IndicatorInfo>& indicators();
inline constexpr int kMaxPoints = 495;
// The data_error_rate indicator passes when every validated resource's error rate is at most this.
inline constexpr double kMaxErrorRate = 0.01;

struct IndicatorResult {
  const IndicatorInfo* info;
  Outcome outcome;
  int points;    // earned
  int possible;  // info->points, or 0 while pending
};

struct DimensionScore {
  int points = 0;
  int max = 0;
};

struct Score {
  int points = 0;
  int max = 0;  // kMaxPoints minus the pending indicators' points
  Rating rating = Rating::bad;
  std::array<DimensionScore, kDimensions> dimensions{};
  std::vector<IndicatorResult> results;  // in indicators() order
  // 차기 등록 예정일 (next_update) is before the day scored: the agency's update is overdue.
  bool overdue = false;

  // points / max in [0, 1] (1 when max is 0); what sort=quality orders by.
  double ratio() const;
  // The failed indicators, most points lost first (ties in indicators() order): what to fix first.
  std::vector<const IndicatorResult*> to_fix() const;
};

// `today` is YYYY-MM-DD (UTC); `organization` may be null (no publisher).
Score score_dataset(const Dataset& d, const Organization* organization, const LinkResults& links,
                    std::string_view today);

// The rating of points out of max: MQA's bands (excellent 351–405, good 221–350, sufficient
// 121–220, bad below) scaled to max.
Rating rating_of(int points, int max);

// Today's date in UTC as YYYY-MM-DD.
std::string today_utc();

}  // namespace datamap::catalog::quality

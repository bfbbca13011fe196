// catalog::quality::score_dataset as a function: the table adds up to the documented total, the
// bands fall where docs/QUALITY.md says, and link-check answers decide the accessibility
// indicators (yes: earned; no: failed; not checked yet: left out of both points and max). The
// indicator-by-indicator points are tested over HTTP in tests/api/quality_test.cpp.
#include "catalog/quality_score.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <tuple>

namespace datamap::catalog::quality {
namespace {

const IndicatorResult& result(const Score& s, std::string_view id) {
  for (const auto& r : s.results)
    if (r.info->id == id) return r;
  throw std::runtime_error("no indicator " + std::string(id));
}

Dataset with_two_resources() {
  Dataset d;
  d.title = "버스 정류장";
  d.url = "https://example.org/stops";
  for (const auto& [id, url, format] : {std::tuple{"r1", "https://example.org/a.csv", "CSV"},
                                        std::tuple{"r2", "https://example.org/b.json", "JSON"}}) {
    Resource r;
    r.id = id;
    r.url = url;
    r.format = format;
    d.resources.push_back(r);
  }
  return d;
}

TEST(QualityScore, IndicatorsAddUpToTheDocumentedTotalPerDimension) {
  int total = 0;
  std::array<int, kDimensions> dims{};
  for (const auto& i : indicators()) {
    total += i.points;
    dims[static_cast<std::size_t>(i.dimension)] += i.points;
    EXPECT_NE(std::string_view(i.fix_ko), "") << i.id;
    EXPECT_NE(std::string_view(i.fix_en), "") << i.id;
  }
  EXPECT_EQ(total, kMaxPoints);
  EXPECT_EQ(dims, (std::array<int, kDimensions>{120, 100, 130, 105, 40}));
}

// The description earns its points with 10 letters or digits beyond the title's own text (spaces
// and punctuation do not count, Hangul and ASCII alike), whether the title is inside it or not.
TEST(QualityScore, DescriptionCountsLettersBeyondTheTitle) {
  auto outcome = [](const std::string& notes) {
    Dataset d = with_two_resources();  // title "버스 정류장": 5 letters
    d.notes = notes;
    return result(score_dataset(d, nullptr, {}, "2026-01-01"), "description").outcome;
  };
  EXPECT_EQ(outcome(""), Outcome::failed);
  EXPECT_EQ(outcome("버스 정류장."), Outcome::failed);
  EXPECT_EQ(outcome("버스정류장 위치 12345 ab"), Outcome::failed);          // 9 beyond the title
  EXPECT_EQ(outcome("버스정류장 위치 123456 ab"), Outcome::passed);         // 10 beyond the title
  EXPECT_EQ(outcome("서울 버스 정류장 위치, 노선 번호"), Outcome::failed);  // 8 beyond
  EXPECT_EQ(outcome("서울 버스 정류장 위치, 노선 번호와 이름"), Outcome::passed);  // 11
  EXPECT_EQ(outcome("stops 12345 ab"), Outcome::passed);  // title absent: 12 letters
  EXPECT_EQ(outcome("stops 1234"), Outcome::failed);      // title absent: 9 letters
  EXPECT_EQ(outcome("... ,,, !!! ??? ### ---"), Outcome::failed);
}

TEST(QualityScore, DataErrorRateIsPendingUntilValidatedAndFailsAboveOnePercent) {
  Dataset d = with_two_resources();
  EXPECT_EQ(result(score_dataset(d, nullptr, {}, "2024-01-01"), "data_error_rate").outcome,
            Outcome::pending);
  d.resources[0].validation.done = true;
  d.resources[0].validation.checked_values = 1000;
  d.resources[0].validation.invalid_values = 10;  // exactly 1%
  EXPECT_EQ(result(score_dataset(d, nullptr, {}, "2024-01-01"), "data_error_rate").points, 30);
  d.resources[0].validation.invalid_values = 11;
  EXPECT_EQ(result(score_dataset(d, nullptr, {}, "2024-01-01"), "data_error_rate").outcome,
            Outcome::failed);
}

TEST(QualityScore, RatingBandsAreMqasScaledToThePointsPossible) {
  EXPECT_EQ(rating_of(405, 405), Rating::excellent);
  EXPECT_EQ(rating_of(351, 405), Rating::excellent);
  EXPECT_EQ(rating_of(350, 405), Rating::good);
  EXPECT_EQ(rating_of(221, 405), Rating::good);
  EXPECT_EQ(rating_of(220, 405), Rating::sufficient);
  EXPECT_EQ(rating_of(121, 405), Rating::sufficient);
  EXPECT_EQ(rating_of(120, 405), Rating::bad);
  EXPECT_EQ(rating_of(0, 0), Rating::bad);
  // Scaled: 351/405 of 465 is 402.99...
  EXPECT_EQ(rating_of(403, 465), Rating::excellent);
  EXPECT_EQ(rating_of(402, 465), Rating::good);
}

TEST(QualityScore, LinkAnswersDecideAccessibilityAndUnknownIsLeftOut) {
  const Dataset d = with_two_resources();
  const Score unknown = score_dataset(d, nullptr, {}, "2024-01-01");
  EXPECT_EQ(result(unknown, "access_url").outcome, Outcome::pending);
  EXPECT_EQ(result(unknown, "download_url_answers").outcome, Outcome::pending);
  // Neither resource validated: data_error_rate (30) is pending too.
  EXPECT_EQ(unknown.max, kMaxPoints - 80 - 30);

  LinkResults all_yes{LinkAnswer::kYes, {{"r1", LinkAnswer::kYes}, {"r2", LinkAnswer::kYes}}};
  const Score yes = score_dataset(d, nullptr, all_yes, "2024-01-01");
  EXPECT_EQ(result(yes, "access_url").points, 50);
  EXPECT_EQ(result(yes, "download_url_answers").points, 30);
  EXPECT_EQ(yes.max, kMaxPoints - 30);
  EXPECT_EQ(yes.points, unknown.points + 80);

  // One broken resource fails both; a broken landing page fails only access_url.
  LinkResults one_broken{LinkAnswer::kYes, {{"r1", LinkAnswer::kYes}, {"r2", LinkAnswer::kNo}}};
  const Score broken = score_dataset(d, nullptr, one_broken, "2024-01-01");
  EXPECT_EQ(result(broken, "access_url").outcome, Outcome::failed);
  EXPECT_EQ(result(broken, "download_url_answers").outcome, Outcome::failed);
  LinkResults landing_broken{LinkAnswer::kNo, {{"r1", LinkAnswer::kYes}, {"r2", LinkAnswer::kYes}}};
  const Score lb = score_dataset(d, nullptr, landing_broken, "2024-01-01");
  EXPECT_EQ(result(lb, "access_url").outcome, Outcome::failed);
  EXPECT_EQ(result(lb, "download_url_answers").outcome, Outcome::passed);
  // A failure is known even while another URL waits: failed, not pending.
  LinkResults partly{LinkAnswer::kUnknown, {{"r1", LinkAnswer::kNo}}};
  EXPECT_EQ(result(score_dataset(d, nullptr, partly, "2024-01-01"), "access_url").outcome,
            Outcome::failed);
}

TEST(QualityScore, OverdueComparesTheNextUpdateWithTheDayScored) {
  Dataset d = with_two_resources();
  d.frequency = "월간";
  d.next_update = "2024-03-01";
  EXPECT_FALSE(score_dataset(d, nullptr, {}, "2024-03-01").overdue);
  EXPECT_TRUE(score_dataset(d, nullptr, {}, "2024-03-02").overdue);
  EXPECT_EQ(result(score_dataset(d, nullptr, {}, "2024-03-02"), "update_schedule").outcome,
            Outcome::failed);
  d.next_update = "2024-03-01T00:00:00";  // a time does not make it later than the day
  EXPECT_FALSE(score_dataset(d, nullptr, {}, "2024-03-01").overdue);
}

TEST(QualityScore, ToFixIsOrderedByPointsLostThenTableOrder) {
  Dataset d = with_two_resources();
  const Score s = score_dataset(d, nullptr, {}, "2024-01-01");
  auto fix = s.to_fix();
  ASSERT_FALSE(fix.empty());
  for (std::size_t i = 1; i < fix.size(); ++i)
    EXPECT_GE(fix[i - 1]->possible - fix[i - 1]->points, fix[i]->possible - fix[i]->points);
  EXPECT_STREQ(fix[0]->info->id, "keywords");  // 30, first of the 30s in the table
}

}  // namespace
}  // namespace datamap::catalog::quality

// Term detection: the Aho–Corasick matcher and the standard-term rules built on it.
#include <gtest/gtest.h>

#include <algorithm>

#include "graph/aho_corasick.h"
#include "graph/standard_terms.h"

namespace datamap::graph {
namespace {

std::vector<std::string> names(const StandardTerms& st, const std::vector<std::uint32_t>& ids) {
  std::vector<std::string> out;
  for (auto id : ids) out.push_back(st.term(id).name);
  std::sort(out.begin(), out.end());
  return out;
}

const StandardTerms& real_terms() {
  static auto terms = StandardTerms::load(DATAMAP_SOURCE_DIR "/data/standard/terms.csv");
  return *terms;
}

TEST(AhoCorasick, FindsEveryOverlappingOccurrence) {
  AhoCorasick ac;
  ac.add("he", 0);
  ac.add("she", 1);
  ac.add("his", 2);
  ac.add("hers", 3);
  ac.build();
  auto m = ac.matches("ushers");
  std::vector<std::tuple<std::size_t, std::size_t, std::uint32_t>> got;
  for (auto& x : m) got.emplace_back(x.begin, x.end, x.id);
  std::sort(got.begin(), got.end());
  std::vector<std::tuple<std::size_t, std::size_t, std::uint32_t>> want{
      {1, 4, 1}, {2, 4, 0}, {2, 6, 3}};
  EXPECT_EQ(got, want);
  EXPECT_TRUE(ac.matches("xyz").empty());
}

TEST(AhoCorasick, MatchesKoreanAndRepeatedPatternsWithAllTheirIds) {
  AhoCorasick ac;
  ac.add("법정동코드", 7);
  ac.add("동코드", 8);
  ac.add("동코드", 9);
  ac.build();
  auto m = ac.matches("시군구 법정동코드 목록");
  ASSERT_EQ(m.size(), 3u);
  std::string text = "시군구 법정동코드 목록";
  EXPECT_EQ(text.substr(m[0].begin, m[0].end - m[0].begin), "법정동코드");
  EXPECT_EQ(text.substr(m[1].begin, m[1].end - m[1].begin), "동코드");
}

TEST(AhoCorasick, AgreesWithNaiveSearchOnManyPatterns) {
  // Every occurrence a brute-force scan finds, the automaton finds, and nothing else.
  std::vector<std::string> patterns{"가",     "가나", "나다",   "가나다라",
                                    "다라마", "라",   "마바사", "바"};
  AhoCorasick ac;
  for (std::uint32_t i = 0; i < patterns.size(); ++i) ac.add(patterns[i], i);
  ac.build();
  std::string text = "가나다라마바사가나다 가나나다라마바";
  std::vector<std::tuple<std::size_t, std::size_t, std::uint32_t>> naive, fast;
  for (std::uint32_t i = 0; i < patterns.size(); ++i)
    for (auto pos = text.find(patterns[i]); pos != std::string::npos;
         pos = text.find(patterns[i], pos + 1))
      naive.emplace_back(pos, pos + patterns[i].size(), i);
  for (auto& m : ac.matches(text)) fast.emplace_back(m.begin, m.end, m.id);
  std::sort(naive.begin(), naive.end());
  std::sort(fast.begin(), fast.end());
  EXPECT_EQ(fast, naive);
}

TEST(StandardTerms, LoadsTheRealListWithSynonymsAndAbbreviations) {
  const auto& st = real_terms();
  EXPECT_GT(st.size(), 9000u);
  auto id = st.find("법정동코드");
  ASSERT_GE(id, 0);
  EXPECT_EQ(st.term(std::uint32_t(id)).abbreviation, "STDG_CD");
  EXPECT_EQ(st.find("stdg_cd"), id) << "abbreviations match case-insensitively";
  auto by_synonym = st.find("측정소이름");
  ASSERT_GE(by_synonym, 0);
  EXPECT_EQ(st.term(std::uint32_t(by_synonym)).name, "측정소명");
  EXPECT_EQ(st.find("없는용어가나다"), -1);
}

TEST(StandardTerms, DetectsMaximalTermsInText) {
  const auto& st = real_terms();
  // 도로명주소 hides 도로명 inside it; 법정동코드 is found within a longer word.
  auto found = names(st, st.detect_in_text("시군구별 법정동코드와 도로명주소 목록"));
  EXPECT_NE(std::find(found.begin(), found.end(), "법정동코드"), found.end());
  EXPECT_NE(std::find(found.begin(), found.end(), "도로명주소"), found.end());
  EXPECT_EQ(std::find(found.begin(), found.end(), "도로명"), found.end());
}

TEST(StandardTerms, DetectsSynonymsAsTheirTerm) {
  const auto& st = real_terms();
  auto found = names(st, st.detect_in_text("대기오염 측정소이름 및 주소"));
  EXPECT_NE(std::find(found.begin(), found.end(), "측정소명"), found.end());
  EXPECT_EQ(st.occurrence(std::uint32_t(st.find("측정소명")), "대기오염 측정소이름 및 주소"),
            "측정소이름");
}

TEST(StandardTerms, ShortTermsOnlyWhereAWordStarts) {
  const auto& st = real_terms();
  auto found = names(st, st.detect_in_text("정류장 위도와 경도"));
  EXPECT_NE(std::find(found.begin(), found.end(), "위도"), found.end());
  EXPECT_NE(std::find(found.begin(), found.end(), "경도"), found.end());
  // 경도 inside 전경도로 is not longitude.
  auto inside = names(st, st.detect_in_text("전경도로 공사"));
  EXPECT_EQ(std::find(inside.begin(), inside.end(), "경도"), inside.end());
}

TEST(StandardTerms, ColumnsCarryTheirDeclaredTermOrAbbreviation) {
  const auto& st = real_terms();
  catalog::Dataset d;
  d.title = "주차장 현황";
  d.columns.push_back({"STDG_CD", "string", "", ""});
  d.columns.push_back({"col2", "string", "", "사업자등록번호"});
  auto found = names(st, st.detect(d));
  EXPECT_NE(std::find(found.begin(), found.end(), "법정동코드"), found.end());
  EXPECT_NE(std::find(found.begin(), found.end(), "사업자등록번호"), found.end());
}

TEST(StandardTerms, HostileTextIsHarmless) {
  const auto& st = real_terms();
  EXPECT_TRUE(st.detect_in_text("").empty());
  std::string binary("\xFF\xFE\x00\x80\xC0", 5);
  EXPECT_NO_THROW(st.detect_in_text(binary));
  std::string huge(1 << 20, 'a');
  EXPECT_NO_THROW(st.detect_in_text(huge));
}

}  // namespace
}  // namespace datamap::graph

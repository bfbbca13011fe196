#include "search/analysis.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "search/highlight.h"
#include "search/lexicon.h"
#include "search/synonyms.h"

using namespace datamap::search;

namespace {
std::vector<std::string> stems(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& t : tokenize(text)) out.push_back(t.stem);
  return out;
}
bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}
}  // namespace

TEST(Analysis, ParticlesAreStrippedSoInflectedFormsShareAStem) {
  for (const char* w : {"주차장", "주차장을", "주차장은", "주차장이", "주차장의", "주차장에서",
                        "주차장으로", "주차장과", "주차장도", "주차장만", "주차장에서는", "주차장입니다"}) {
    EXPECT_EQ(strip_korean_ending(w), "주차장") << w;
  }
  EXPECT_EQ(strip_korean_ending("버스를"), "버스");
  EXPECT_EQ(strip_korean_ending("공공데이터를"), "공공데이터");
  EXPECT_EQ(strip_korean_ending("운영하는"), "운영");
}

TEST(Analysis, ShortWordsKeepTheirLastSyllable) {
  // 국가 (nation) ends in 가 but is not 국 + particle; 버스 ends like nothing.
  EXPECT_EQ(strip_korean_ending("국가"), "국가");
  EXPECT_EQ(strip_korean_ending("평가"), "평가");
  EXPECT_EQ(strip_korean_ending("버스"), "버스");
  EXPECT_EQ(strip_korean_ending("도로"), "도로");
}

TEST(Analysis, HangulBigramsCoverCompounds) {
  auto b = hangul_bigrams("공공자전거");
  EXPECT_EQ(b, (std::vector<std::string>{"공공", "공자", "자전", "전거"}));
  EXPECT_TRUE(hangul_bigrams("버스").empty());
}

TEST(Analysis, SentenceWithParticlesYieldsTheNouns) {
  auto s = stems("서울시 주차장을 찾고 싶어요");
  EXPECT_TRUE(contains(s, "주차장"));
  EXPECT_TRUE(contains(s, "서울시"));
  std::size_t stop = 0;
  for (const auto& t : tokenize("서울시 주차장을 찾고 싶어요")) stop += is_query_stopword(t);
  EXPECT_EQ(stop, 2u);  // 찾고, 싶어요
}

TEST(Analysis, EnglishIsFoldedAndStemmed) {
  auto toks = tokenize("Parking LOTS in Seoul");
  ASSERT_EQ(toks.size(), 4u);
  EXPECT_EQ(toks[0].text, "parking");
  EXPECT_EQ(toks[0].stem, "park");
  EXPECT_EQ(toks[1].stem, "lot");
  EXPECT_EQ(toks[3].stem, "seoul");
}

TEST(Analysis, NumbersAndCodesStayWhole) {
  auto toks = tokenize("PM2.5 기관코드 B552895 COVID-19 2022년 3.14");
  std::vector<std::string> texts;
  for (const auto& t : toks) texts.push_back(t.text);
  EXPECT_TRUE(contains(texts, "pm2.5"));
  EXPECT_TRUE(contains(texts, "b552895"));
  EXPECT_TRUE(contains(texts, "covid-19"));
  EXPECT_TRUE(contains(texts, "covid"));  // a part, for people who type only that
  EXPECT_TRUE(contains(texts, "2022"));
  EXPECT_TRUE(contains(texts, "년"));
  EXPECT_TRUE(contains(texts, "3.14"));
  EXPECT_FALSE(contains(texts, "14"));  // a decimal number is not split
}

TEST(Analysis, UnderscoreAndPunctuationSeparateWords) {
  auto s = stems("서울특별시_버스정류소위치정보(2022)");
  EXPECT_EQ(s, (std::vector<std::string>{"서울특별시", "버스정류소위치정보", "2022"}));
}

TEST(Analysis, OffsetsPointIntoTheOriginalText) {
  std::string text = "대전 공영주차장을 안내";
  auto toks = tokenize(text);
  ASSERT_EQ(toks.size(), 3u);
  EXPECT_EQ(text.substr(toks[1].begin, toks[1].end - toks[1].begin), "공영주차장을");
}

TEST(Highlight, MarksMatchesAndEscapesHtml) {
  std::string h = highlight("<b>서울</b> 공영주차장을 안내합니다", {"주차장"});
  EXPECT_NE(h.find("<em>공영주차장을</em>"), std::string::npos) << h;
  EXPECT_NE(h.find("&lt;b&gt;"), std::string::npos) << h;
  EXPECT_TRUE(highlight("아무것도 없음", {"주차장"}).empty());
}

TEST(Synonyms, CuratedGroupsExpandBothWays) {
  SynonymTable table;
  table.add_group({"자전거", "bike", "bicycle"});
  table.add_group({"미세먼지", "fine dust", "PM10"});
  auto e = table.expansions("bike");
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0], std::vector<std::string>{"자전거"});
  // phrases are analysed: "Fine Dust" is the key "fine dust"
  auto fd = table.expansions("fine dust");
  EXPECT_EQ(fd.size(), 2u);
  EXPECT_EQ(table.max_phrase_tokens(), 2u);
  EXPECT_TRUE(table.expansions("버스").empty());
}

TEST(Synonyms, ShippedFilesLoad) {
  SynonymTable table;
  table.load_curated(std::string(DATAMAP_SOURCE_DIR) + "/data/search/synonyms.txt");
  const auto curated = table.group_count();
  EXPECT_GT(curated, 80u);
  table.load_standard_terms(std::string(DATAMAP_SOURCE_DIR) + "/data/standard/terms.csv");
  EXPECT_GT(table.group_count(), curated + 500);
  EXPECT_FALSE(table.expansions("주차장").empty());
  // 이음동의어 of the common standard terms: 누리집주소 = 홈페이지주소
  auto e = table.expansions("누리집주소");
  bool found = false;
  for (const auto& p : e) found |= p == std::vector<std::string>{"홈페이지주소"};
  EXPECT_TRUE(found);
}

TEST(Synonyms, TheEnglishDictionaryLeadsOneWayAndSkipsMalformedLines) {
  const std::string path = ::testing::TempDir() + "/english.txt";
  {
    std::ofstream out(path);
    out << "# comment\n자전거: bicycle, Bike Rental\nno colon here\n: orphan\n대여:\n"
           "\xff\xfe: broken\n";
  }
  SynonymTable table;
  table.load_english(path);
  EXPECT_EQ(table.expansions("bicycl"), std::vector<std::vector<std::string>>{{"자전거"}});
  EXPECT_EQ(table.expansions("bike rental").size(), 1u);  // phrases are analysed too
  EXPECT_TRUE(table.expansions("자전거").empty());        // one way
  EXPECT_TRUE(table.expansions("orphan").empty());
  EXPECT_TRUE(table.expansions("broken").empty());
  EXPECT_THROW(table.load_english(path + ".missing"), std::runtime_error);
  // The shipped dictionary loads, and reaches words the standard words do not name.
  SynonymTable shipped;
  shipped.load_english(std::string(DATAMAP_SOURCE_DIR) + "/data/search/english.txt");
  EXPECT_GT(shipped.group_count(), 400u);
  EXPECT_FALSE(shipped.expansions("bus").empty());
}

TEST(Lexicon, CompoundsSplitIntoEveryWordOfTheBestSplits) {
  Lexicon l;
  for (const char* w : {"전국", "자전거", "대여소", "대여", "표준데이터", "표준", "데이터", "도시",
                        "공원", "도시공원", "정보", "시공"}) {
    l.add(w);
  }
  auto words = l.nested_words("전국자전거대여소표준데이터");
  for (const char* w : {"전국", "자전거", "대여소", "표준데이터", "표준", "데이터"}) {
    EXPECT_TRUE(contains(words, w)) << w;
  }
  EXPECT_FALSE(contains(words, "전국자전거대여소표준데이터"));
  // 도시+공원, 도시공원: all splits that leave nothing unknown. 시공 would leave 도 and 원.
  words = l.nested_words("도시공원정보");
  EXPECT_TRUE(contains(words, "도시공원"));
  EXPECT_TRUE(contains(words, "공원"));
  EXPECT_FALSE(contains(words, "시공"));
  // What the vocabulary does not know stays a piece of its own.
  EXPECT_EQ(l.split("전국야영"), (std::vector<std::string>{"전국", "야영"}));
  EXPECT_TRUE(l.split("야영캠프").empty());
  EXPECT_TRUE(l.nested_words("버스").empty());
}

TEST(Lexicon, ShippedVocabularyLoads) {
  const Lexicon& l = default_lexicon();
  EXPECT_GT(l.size(), 5000u);
  EXPECT_TRUE(l.contains("자전거"));
  EXPECT_TRUE(l.contains("어린이집"));
}

TEST(Analysis, BracketedAlternativesAreReadBothWays) {
  EXPECT_EQ(bracket_readings("전국야영(캠핑)장표준데이터"),
            (std::vector<std::string>{"전국야영장표준데이터", "캠핑장표준데이터"}));
  EXPECT_EQ(bracket_readings("경기도_부천시_노인(요양)복지시설"),
            (std::vector<std::string>{"노인복지시설", "요양복지시설"}));
  EXPECT_TRUE(bracket_readings("미세먼지(PM10) 측정").empty());
  EXPECT_TRUE(bracket_readings("야영 (캠핑)장").empty());
  EXPECT_TRUE(bracket_readings("((()").empty());
}

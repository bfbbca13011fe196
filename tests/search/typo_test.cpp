// Jamo-level typo correction (search/typo.h) and romanised Hangul (search/romanization.h).
#include "search/typo.h"

#include <gtest/gtest.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <memory>

#include "search/lexicon.h"
#include "search/romanization.h"

using namespace datamap::search;

TEST(Typo, HangulDecomposesIntoJamoAndOnlyHangul) {
  EXPECT_EQ(hangul_jamo("병원").size(), 6u);  // ㅂㅕㅇ ㅇㅝㄴ
  EXPECT_EQ(hangul_jamo("가").size(), 2u);    // no final consonant
  EXPECT_TRUE(hangul_jamo("bus").empty());
  EXPECT_TRUE(hangul_jamo("2022년").empty());
  EXPECT_TRUE(hangul_jamo("\xea\xb0").empty());  // a cut syllable
}

TEST(Typo, OneWrongMissingOrSwappedJamoIsOneEdit) {
  EXPECT_EQ(osa_distance(hangul_jamo("병윈"), hangul_jamo("병원")), 1u);      // wrong vowel
  EXPECT_EQ(osa_distance(hangul_jamo("겨찰서"), hangul_jamo("경찰서")), 1u);  // missing final
  EXPECT_EQ(osa_distance(hangul_jamo("도서간"), hangul_jamo("도서관")), 1u);  // ㅏ for ㅘ
  EXPECT_GT(osa_distance(hangul_jamo("병원"), hangul_jamo("도서관")), 2u);
}

TEST(Typo, CorrectionsComeFromTheVocabulary) {
  const TypoCorrector c(
      {"병원", "경찰서", "도서관", "주차장", "어린이보호구역", "병원", "b", "병"});
  EXPECT_EQ(c.size(), 5u);  // each word once; a syllable alone and Latin are not corrected to
  EXPECT_EQ(c.corrections("병윈"), std::vector<std::string>{"병원"});
  EXPECT_EQ(c.corrections("겨찰서"), std::vector<std::string>{"경찰서"});
  EXPECT_EQ(c.corrections("도서간"), std::vector<std::string>{"도서관"});
  EXPECT_EQ(c.corrections("어린이보호구억"), std::vector<std::string>{"어린이보호구역"});
  EXPECT_EQ(c.corrections("주차쟝"), std::vector<std::string>{"주차장"});
  EXPECT_TRUE(c.corrections("병원").empty());    // a known word is not corrected
  EXPECT_TRUE(c.corrections("자전거").empty());  // nothing within one jamo
  EXPECT_TRUE(c.corrections("병").empty());      // one syllable: too short to guess
  EXPECT_TRUE(c.corrections("hospital").empty());
}

TEST(Typo, TheDefaultCorrectorKnowsCatalogWords) {
  EXPECT_GT(default_typo_corrector().size(), 5000u);
  auto c = default_typo_corrector().corrections("도서간");
  EXPECT_NE(std::find(c.begin(), c.end(), "도서관"), c.end());
}

TEST(Romanization, TheKeyForgivesSpellingVariants) {
  EXPECT_EQ(romanization_key("Busan"), romanization_key("busan"));
  EXPECT_EQ(romanization_key("gyeong-gi"), romanization_key("Gyeonggi"));
  EXPECT_EQ(romanization_key("chungcheongbukdo"), romanization_key("chungcheongbugdo"));
  EXPECT_TRUE(romanization_key("pm2.5").empty());
  EXPECT_TRUE(romanization_key("부산").empty());
}

TEST(Romanization, PlaceNamesSpelledInLatinFindTheirHangul) {
  const auto& r = default_romanized_lexicon();
  for (auto [latin, hangul] :
       {std::pair{"Busan", "부산"}, {"incheon", "인천"}, {"Gyeonggi", "경기"}, {"jeju", "제주"}}) {
    const auto* words = r.hangul_of(latin);
    ASSERT_NE(words, nullptr) << latin;
    EXPECT_NE(std::find(words->begin(), words->end(), hangul), words->end()) << latin;
  }
  EXPECT_EQ(r.hangul_of("bus"), nullptr);  // too short to be read as romanised Korean
}

TEST(Romanization, PlaceNamesAreFoundWithoutTheirAdministrativeUnit) {
  // Titles write 옥천군, 계양구, 세종특별자치시; people abroad write Okcheon, Gyeyang, Sejong.
  const auto& r = default_romanized_lexicon();
  for (auto [latin, hangul] :
       {std::pair{"Okcheon", "옥천군"}, {"gyeyang", "계양구"}, {"Sejong", "세종특별자치시"}}) {
    const auto* words = r.hangul_of(latin);
    ASSERT_NE(words, nullptr) << latin;
    EXPECT_NE(std::find(words->begin(), words->end(), hangul), words->end()) << latin;
  }
}

TEST(Romanization, ProvincesAreFoundByTheirShortName) {
  // Titles write 충청북도 (read as the stem 충청북) and 경상남도; English writes Chungbuk,
  // Gyeongnam.
  const auto& r = default_romanized_lexicon();
  for (auto [latin, hangul] : {std::pair{"Chungbuk", "충청북"}, {"gyeongnam", "경상남"}}) {
    const auto* words = r.hangul_of(latin);
    ASSERT_NE(words, nullptr) << latin;
    EXPECT_NE(std::find(words->begin(), words->end(), hangul), words->end()) << latin;
  }
}

TEST(Romanization, SyllableBySyllableSpellsWhatIcuSpellsForTheWholeWord) {
  // romanize_hangul() reads each syllable from a table; ICU's Hangul-Latin of a whole word
  // differs only by the separators it puts between ambiguous syllables (gung-eulga), which the
  // key drops. Checked over every vocabulary word.
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> icu_latin(
      icu::Transliterator::createInstance("Hangul-Latin", UTRANS_FORWARD, status));
  ASSERT_TRUE(U_SUCCESS(status) && icu_latin);
  std::size_t checked = 0;
  for (const auto& w : default_lexicon().words()) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(w);
    icu_latin->transliterate(u);
    std::string whole;
    u.toUTF8String(whole);
    ASSERT_EQ(romanization_key(romanize_hangul(w)), romanization_key(whole)) << w;
    ++checked;
  }
  EXPECT_GT(checked, 5000u);
  EXPECT_EQ(romanize_hangul("부산"), "busan");
  EXPECT_TRUE(romanize_hangul("2022년").empty());    // Hangul syllables only
  EXPECT_TRUE(romanize_hangul("\xea\xb0").empty());  // a cut syllable
}

TEST(Romanization, AWordIsIndexedUnderItsKeyAndItsNameWithoutTheUnit) {
  const auto keys = romanized_keys("해운대구");
  EXPECT_NE(std::find(keys.begin(), keys.end(), romanization_key("Haeundae-gu")), keys.end());
  EXPECT_NE(std::find(keys.begin(), keys.end(), romanization_key("Haeundae")), keys.end());
  EXPECT_EQ(romanized_keys("궁을가"), std::vector<std::string>{romanization_key("Gungeulga")});
  EXPECT_TRUE(romanized_keys("구").empty());   // too short a key to tell from English
  EXPECT_TRUE(romanized_keys("bus").empty());  // no Hangul
}

TEST(Romanization, EnglishWordsNameTheUnitOfAPlace) {
  EXPECT_TRUE(names_administrative_unit("district", "강남구"));
  EXPECT_TRUE(names_administrative_unit("office", "강남구"));
  EXPECT_TRUE(names_administrative_unit("city", "구미시"));
  EXPECT_TRUE(names_administrative_unit("metropolitan", "부산광역시"));
  EXPECT_TRUE(names_administrative_unit("province", "제주특별자치도"));
  EXPECT_FALSE(names_administrative_unit("city", "서대문구"));  // city park is a topic there
  EXPECT_FALSE(names_administrative_unit("county", "구미시"));
  EXPECT_FALSE(names_administrative_unit("district", "부산"));  // no unit
}

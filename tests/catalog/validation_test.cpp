#include "catalog/validation.h"

#include <gtest/gtest.h>

#include "catalog/text.h"

namespace datamap::catalog {
namespace {

Dataset valid_dataset() {
  Dataset d;
  d.name = "seoul-parking-lots";
  d.title = "서울시 공영주차장 정보";
  return d;
}

TEST(Validation, AValidDatasetHasNoErrors) {
  FieldErrors errors;
  validate_dataset(valid_dataset(), errors);
  EXPECT_TRUE(errors.empty());
}

TEST(Validation, TitleIsRequired) {
  Dataset d = valid_dataset();
  d.title = "   ";
  FieldErrors errors;
  validate_dataset(d, errors);
  ASSERT_EQ(errors.count("title"), 1u);
}

TEST(Validation, NameMustBeTwoToHundredOfLowercaseAsciiDigitsDashUnderscore) {
  EXPECT_TRUE(is_valid_name("ab"));
  EXPECT_TRUE(is_valid_name("datago-15000000_x"));
  EXPECT_FALSE(is_valid_name("a"));
  EXPECT_FALSE(is_valid_name(std::string(101, 'a')));
  EXPECT_TRUE(is_valid_name(std::string(100, 'a')));
  EXPECT_FALSE(is_valid_name("Upper"));
  EXPECT_FALSE(is_valid_name("주차장"));
  EXPECT_FALSE(is_valid_name("a b"));
}

// A real data.go.kr keyword: 47 Hangul characters, 141 bytes. The limit counts characters.
TEST(Validation, TagsAreLimitedTo100CharactersNotBytes) {
  Dataset d = valid_dataset();
  d.tags = {"살처분이동통제범위등에대한오리닭등품목별현국가예찰및방역시스템의평가와개선방안연구"};
  FieldErrors errors;
  validate_dataset(d, errors);
  EXPECT_TRUE(errors.empty());
  std::string long_tag;
  for (int i = 0; i < 101; ++i) long_tag += "가";
  d.tags = {long_tag};
  validate_dataset(d, errors);
  EXPECT_EQ(errors.count("tags"), 1u);
}

TEST(Validation, EveryBrokenFieldIsNamed) {
  Dataset d = valid_dataset();
  d.name = "Bad Name";
  d.url = "ftp//nowhere";
  d.issued = "2020-13-01";
  d.type = "spreadsheet";
  d.license_id = "my-own-license";
  d.resources.push_back(Resource{});
  d.resources[0].url = "not a url";
  FieldErrors errors;
  validate_dataset(d, errors);
  for (const char* field : {"name", "url", "issued", "type", "license_id", "resources[0].url"})
    EXPECT_EQ(errors.count(field), 1u) << field;
}

TEST(Validation, Iso8601Dates) {
  for (const char* ok : {"2022", "2022-06", "2022-06-30", "2022-06-30T12:00:00",
                         "2022-06-30 12:00", "2022-06-30T12:00:00.123456", "2022-06-30T12:00:00Z",
                         "2022-06-30T12:00:00+09:00"})
    EXPECT_TRUE(is_iso8601(ok)) << ok;
  for (const char* bad : {"", "22-06-30", "2022/06/30", "2022-00-10", "2022-06-32",
                          "2022-06-30T25:00", "2022-06-30Tnoon", "2022-06-30T12:00:00+9"})
    EXPECT_FALSE(is_iso8601(bad)) << bad;
}

TEST(Validation, Urls) {
  EXPECT_TRUE(is_valid_url("https://www.data.go.kr/data/15000000/fileData.do"));
  EXPECT_TRUE(is_valid_url("http://example.org"));
  EXPECT_FALSE(is_valid_url("javascript:alert(1)"));
  EXPECT_FALSE(is_valid_url("https://"));
  EXPECT_FALSE(is_valid_url("https://a b.org"));
}

TEST(Validation, SlugifyKeepsAsciiAndFoldsTheRest) {
  EXPECT_EQ(slugify("Seoul Parking 2024"), "seoul-parking-2024");
  EXPECT_EQ(slugify("서울시 주차장"), "");
  EXPECT_EQ(slugify("서울 CCTV 현황"), "cctv");
}

TEST(Text, Utf8ValidityRejectsOverlongsSurrogatesAndTruncation) {
  EXPECT_TRUE(is_valid_utf8("주차장 parking"));
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xEC\xA3"));          // truncated 주
  EXPECT_FALSE(is_valid_utf8("\xFF"));
}

TEST(Text, DecomposedHangulFromMacOsIsComposed) {
  // 주 as conjoining jamo (U+110C U+116E) must become the precomposed syllable U+C8FC.
  EXPECT_EQ(to_nfc("\xE1\x84\x8C\xE1\x85\xAE"), "\xEC\xA3\xBC");
}

TEST(Text, Cp949ConvertsToUtf8) {
  // "주차장" in CP949.
  EXPECT_EQ(cp949_to_utf8("\xC1\xD6\xC2\xF7\xC0\xE5"), "주차장");
}

}  // namespace
}  // namespace datamap::catalog

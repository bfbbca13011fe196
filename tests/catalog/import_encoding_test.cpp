#include <gtest/gtest.h>

#include "catalog/import/encoding.h"
#include "tests/catalog/import_fixtures.h"

namespace datamap::catalog::importer {
namespace {

using testing::datago_2022_head;
using testing::to_cp949;

TEST(ImportEncoding, PlainUtf8PassesThrough) {
  std::string text = datago_2022_head(50);
  Encoding e;
  EXPECT_EQ(to_utf8_text(text, e), text);
  EXPECT_EQ(e, Encoding::utf8);
}

TEST(ImportEncoding, Utf8BomIsDetectedAndRemoved) {
  std::string text = datago_2022_head(5);
  Encoding e;
  EXPECT_EQ(to_utf8_text("\xEF\xBB\xBF" + text, e), text);
  EXPECT_EQ(e, Encoding::utf8_bom);
}

TEST(ImportEncoding, Cp949IsDetectedAndConvertedBackToTheSameText) {
  std::string text = testing::datago_2022_cp949_safe_head(300);
  std::string cp949 = to_cp949(text);
  ASSERT_NE(cp949, text);
  Encoding e;
  EXPECT_EQ(to_utf8_text(cp949, e), text);
  EXPECT_EQ(e, Encoding::cp949);
}

TEST(ImportEncoding, AUtf8FileWithOneBrokenByteStaysUtf8) {
  // One damaged row must not turn the whole file into mojibake by being read as CP949.
  std::string text = datago_2022_head(100);
  std::size_t row = text.find("\n15000014,");
  ASSERT_NE(row, std::string::npos);
  text.insert(row + 12, "\xFF\xFE");
  Encoding e;
  std::string out = to_utf8_text(text, e);
  EXPECT_EQ(e, Encoding::utf8);
  EXPECT_EQ(out, text);
}

TEST(ImportEncoding, AsciiOnlyHeaderWithCp949BodyIsCp949) {
  std::string text = "key,title\n1,서울시 공영주차장\n2,부산광역시 버스정류장\n";
  Encoding e;
  EXPECT_EQ(to_utf8_text(to_cp949(text), e), text);
  EXPECT_EQ(e, Encoding::cp949);
}

}  // namespace
}  // namespace datamap::catalog::importer

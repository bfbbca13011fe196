// catalog::url_encode: the one percent-encoder that the portal, the harvesters, the standard
// outputs and the tests share.
#include <gtest/gtest.h>

#include "catalog/text.h"

using datamap::catalog::url_encode;

TEST(UrlEncode, KeepsUnreservedCharactersAndEncodesEverythingElse) {
  EXPECT_EQ(url_encode("AZaz09-_.~"), "AZaz09-_.~");
  EXPECT_EQ(url_encode("a b&c=d/e?f#g+h%"), "a%20b%26c%3Dd%2Fe%3Ff%23g%2Bh%25");
  EXPECT_EQ(url_encode(""), "");
}

TEST(UrlEncode, EncodesKoreanByteByByteInUpperCaseHex) {
  // 주차장 in UTF-8 is EC A3 BC EC B0 A8 EC 9E A5.
  EXPECT_EQ(url_encode("주차장"), "%EC%A3%BC%EC%B0%A8%EC%9E%A5");
}

TEST(UrlEncode, EncodesControlAndNulBytes) {
  EXPECT_EQ(url_encode(std::string("a\0b\n", 4)), "a%00b%0A");
}

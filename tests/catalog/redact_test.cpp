// redact_secrets: credentials out of the text harvest errors quote (URLs, headers, JSON), the
// rest of the text kept as it was.
#include "catalog/redact.h"

#include <gtest/gtest.h>

namespace datamap::catalog {
namespace {

TEST(RedactSecrets, QueryParametersNamedLikeCredentials) {
  EXPECT_EQ(redact_secrets("HTTP 500 from https://api.odcloud.kr/api/15062804/v1/"
                           "list?page=2&serviceKey=abc%2Bdef%3D%3D&perPage=10 (3 attempts)"),
            "HTTP 500 from https://api.odcloud.kr/api/15062804/v1/list?page=2&serviceKey=***"
            "&perPage=10 (3 attempts)");
  EXPECT_EQ(redact_secrets("x?ServiceKey=a+b/c==#top"), "x?ServiceKey=***#top");
  for (const char* name : {"api_key", "apikey", "APIKEY", "key", "token", "access_token",
                           "password", "client_secret"}) {
    std::string in = std::string("https://h/p?a=1&") + name + "=s3cr3t";
    EXPECT_EQ(redact_secrets(in), std::string("https://h/p?a=1&") + name + "=***") << name;
  }
  // Names that merely end like one are not credentials.
  EXPECT_EQ(redact_secrets("https://h/p?monkey=1&tokens=2&keyword=3"),
            "https://h/p?monkey=1&tokens=2&keyword=3");
}

TEST(RedactSecrets, PercentEncodedInsideAnotherUrl) {
  EXPECT_EQ(
      redact_secrets(
          "redirect to https://h/login?next=%2Flist%3Fpage%3D1%26serviceKey%3DSECRET%26x%3D1"),
      "redirect to https://h/login?next=%2Flist%3Fpage%3D1%26serviceKey%3D***%26x%3D1");
}

TEST(RedactSecrets, PasswordsInUrls) {
  EXPECT_EQ(redact_secrets("cannot connect: ftp://alice:pa55@files.example.org/x.csv"),
            "cannot connect: ftp://alice:***@files.example.org/x.csv");
  EXPECT_EQ(redact_secrets("https://ghp_TOKEN@github.com/x"), "https://***@github.com/x");
  EXPECT_EQ(redact_secrets("https://example.org/a@b"), "https://example.org/a@b");  // path '@'
}

TEST(RedactSecrets, HeadersAndJsonMembers) {
  EXPECT_EQ(redact_secrets("sent Authorization: Bearer abc.def\nnext line"),
            "sent Authorization: ***\nnext line");
  EXPECT_EQ(redact_secrets("X-CKAN-API-Key:abc"), "X-CKAN-API-Key:***");
  EXPECT_EQ(redact_secrets(R"({"serviceKey": "abc\"def", "perPage": 10, "token": 123})"),
            R"({"serviceKey": "***", "perPage": 10, "token": ***})");
  // Plain prose that names a credential is kept.
  EXPECT_EQ(redact_secrets("missing key: identifier"), "missing key: identifier");
}

TEST(RedactSecrets, RedactingTwiceChangesNothingMore) {
  for (const char* s : {"https://u:p@h/x?serviceKey=k&token=t",
                        "Authorization: Basic eA==", R"({"password":"x"})", "no secrets here"}) {
    std::string once = redact_secrets(s);
    EXPECT_EQ(redact_secrets(once), once) << s;
  }
}

TEST(RedactSecrets, ARedactedValueNeverLetsALaterPassReadALongerAuthority) {
  // Found by fuzz_url: the value swallowed the '/' that ended the authority, and a second pass
  // then took "h:Key=***&y" for a userinfo.
  const std::string once = redact_secrets("s://h:Key=v/?x&y@z");
  EXPECT_EQ(once, "s://h:Key=***&y@z");
  EXPECT_EQ(redact_secrets(once), once);
}

}  // namespace
}  // namespace datamap::catalog

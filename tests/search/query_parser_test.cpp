#include <gtest/gtest.h>

#include "catalog/errors.h"
#include "search/query_builder.h"
#include "search/query_parser.h"

using namespace datamap::search;
using K = QueryNode::Kind;

namespace {
QueryNode fq(const std::string& s) { return parse_query(s, &is_query_field, false); }
QueryNode q(const std::string& s) { return parse_query(s, &is_query_field, true); }

void expect_query_error(const std::string& s, bool as_fq) {
  try {
    as_fq ? fq(s) : q(s);
    FAIL() << "accepted: " << s;
  } catch (const datamap::BadRequest& e) {
    EXPECT_EQ(e.type(), "Search Query Error");
    EXPECT_FALSE(std::string(e.what()).empty());
  }
}
}  // namespace

TEST(QueryParser, EmptyAndMatchAll) {
  EXPECT_EQ(q("").kind, K::All);
  EXPECT_EQ(q("   ").kind, K::All);
  EXPECT_EQ(q("*:*").kind, K::All);
}

TEST(QueryParser, WordsMergeIntoOneText) {
  auto n = q("서울 버스 정류장");
  ASSERT_EQ(n.kind, K::Text);
  EXPECT_EQ(n.value, "서울 버스 정류장");
}

TEST(QueryParser, FieldValuesQuotesAndNegation) {
  auto n = fq("organization:seoul tags:\"public transport\" -res_format:PDF");
  ASSERT_EQ(n.kind, K::And);
  ASSERT_EQ(n.children.size(), 3u);
  EXPECT_EQ(n.children[0].field, "organization");
  EXPECT_EQ(n.children[0].value, "seoul");
  EXPECT_EQ(n.children[1].value, "public transport");
  EXPECT_TRUE(n.children[1].quoted);
  EXPECT_EQ(n.children[2].kind, K::Not);
  EXPECT_EQ(n.children[2].children[0].value, "PDF");
}

TEST(QueryParser, OrBindsLooserThanAnd) {
  auto n = fq("tags:a AND tags:b OR tags:c");
  ASSERT_EQ(n.kind, K::Or);
  EXPECT_EQ(n.children[0].kind, K::And);
}

TEST(QueryParser, FieldGroupDistributes) {
  auto n = fq("res_format:(CSV OR JSON)");
  ASSERT_EQ(n.kind, K::Or);
  EXPECT_EQ(n.children[0].field, "res_format");
  EXPECT_EQ(n.children[1].value, "JSON");
}

TEST(QueryParser, Ranges) {
  auto n = fq("metadata_modified:[2020-01-01T00:00:00Z TO *]");
  ASSERT_EQ(n.kind, K::Range);
  EXPECT_EQ(n.lo, "2020-01-01T00:00:00Z");
  EXPECT_EQ(n.hi, "*");
  auto m = fq("views:{10 TO 100]");
  EXPECT_FALSE(m.lo_inclusive);
  EXPECT_TRUE(m.hi_inclusive);
}

TEST(QueryParser, UnknownFieldIsTextInQButAnErrorInFq) {
  EXPECT_EQ(q("http://example.org").kind, K::Text);
  expect_query_error("colour:red", true);
}

TEST(QueryParser, HostileSyntaxIsAQueryError) {
  for (const char* s : {"\"unbalanced", "(a OR b", "a OR b)", "tags:[a TO", "views:[1 2]",
                        "tags:", "AND", "NOT", "((((((((((((((((((((((((((((((((((a))))))))))))))))))))))))))))))))))"}) {
    expect_query_error(s, true);
  }
  expect_query_error("\"주차장", false);
  expect_query_error(std::string(5000, 'a'), false);
}

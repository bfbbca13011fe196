// The lexical scan datastore_search_sql's PostgreSQL checks rely on (datastore/pg_sql_scan.h).
#include "datastore/pg_sql_scan.h"

#include <gtest/gtest.h>

namespace datamap::datastore {
namespace {

std::vector<std::string> calls(std::string_view sql) {
  return called_names(scan_pg_sql(sql));
}

TEST(PgSqlScan, CallsAreNamesBeforeAParenthesisInAnyCaseQuotingOrSchema) {
  EXPECT_EQ(calls("SELECT Query_To_XML('x'), pg_catalog.ts_stat /* c */ ('y') FROM t"),
            (std::vector<std::string>{"query_to_xml", "ts_stat"}));
  EXPECT_EQ(calls("SELECT \"Odd\"\"Name\"(1)"), (std::vector<std::string>{"Odd\"Name"}));
  EXPECT_EQ(calls("SELECT count(*)\n-- set_config(\n FROM t"), (std::vector<std::string>{"count"}));
}

TEST(PgSqlScan, LiteralsAndCommentsHideWhatIsInsideThem) {
  EXPECT_TRUE(calls("SELECT 'set_config(' , E'\\' pg_sleep(', $$lo_get($$, $q$ a(b) $q$").empty());
  EXPECT_TRUE(calls("SELECT 'it''s f(' /* a /* nested f( */ g( */").empty());
  EXPECT_EQ(calls("SELECT $1, x FROM f(2)"), (std::vector<std::string>{"f"}));
  // Unterminated literals and comments end the text; nothing after them is a call.
  EXPECT_TRUE(calls("SELECT 'open f(").empty());
  EXPECT_TRUE(calls("SELECT /* open f(").empty());
}

TEST(PgSqlScan, WordsAreLowerCasedAndQuotedWordsKept) {
  auto t = scan_pg_sql("  (SeLeCt \"MiXed\" FROM x)");
  ASSERT_EQ(t.size(), 6u);
  EXPECT_EQ(t[1].text, "select");
  EXPECT_EQ(t[1].kind, SqlToken::Kind::word);
  EXPECT_EQ(t[2].text, "MiXed");
  EXPECT_EQ(t[2].kind, SqlToken::Kind::quoted_word);
  EXPECT_EQ(t[5].text, ")");
}

}  // namespace
}  // namespace datamap::datastore

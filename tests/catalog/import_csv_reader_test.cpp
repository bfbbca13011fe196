#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "catalog/import/csv_reader.h"

namespace datamap::catalog::importer {
namespace {

std::vector<CsvRecord> read_all(std::string_view text, std::size_t max_record = 1 << 20) {
  CsvReader reader(text, max_record);
  std::vector<CsvRecord> out;
  CsvRecord r;
  while (reader.next(r)) out.push_back(r);
  return out;
}

using Fields = std::vector<std::string>;

TEST(ImportCsvReader, SplitsPlainRecordsAndNumbersLines) {
  auto rows = read_all("a,b,c\n1,2,3\n4,,6\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].fields, (Fields{"a", "b", "c"}));
  EXPECT_EQ(rows[2].fields, (Fields{"4", "", "6"}));
  EXPECT_EQ(rows[2].line, 3u);
  EXPECT_TRUE(rows[2].error.empty());
}

TEST(ImportCsvReader, QuotedFieldsKeepCommasDoubledQuotesAndLineBreaks) {
  auto rows = read_all(
      "key,notes,n\r\n"
      "1,\"서울, 부산\",x\r\n"
      "2,\"He said \"\"hi\"\"\",y\r\n"
      "3,\"first line\r\nsecond line\nthird\",z\r\n"
      "4,after,w\r\n");
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[1].fields, (Fields{"1", "서울, 부산", "x"}));
  EXPECT_EQ(rows[2].fields[1], "He said \"hi\"");
  EXPECT_EQ(rows[3].fields[1], "first line\r\nsecond line\nthird");
  EXPECT_EQ(rows[3].line, 4u);
  EXPECT_EQ(rows[4].line, 7u);  // the multi-line record used lines 4-6
  EXPECT_EQ(rows[4].fields, (Fields{"4", "after", "w"}));
}

TEST(ImportCsvReader, EmptyLinesAreSkippedAndLastLineNeedsNoNewline) {
  auto rows = read_all("a,b\n\n\r\n1,2");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].fields, (Fields{"1", "2"}));
  EXPECT_EQ(rows[1].line, 4u);
}

TEST(ImportCsvReader, OldMacLineEndsWork) {
  auto rows = read_all("a,b\r1,2\r3,4\r");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[2].fields, (Fields{"3", "4"}));
  EXPECT_EQ(rows[2].line, 3u);
}

TEST(ImportCsvReader, EmptyQuotedFieldAndTrailingEmptyField) {
  auto rows = read_all("\"\",b,\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].fields, (Fields{"", "b", ""}));
}

TEST(ImportCsvReader, UnterminatedQuoteIsReportedAndTheRestIsStillRead) {
  auto rows = read_all(
      "k,v\n"
      "1,\"never closed\n"
      "2,two\n"
      "3,three\n");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[1].line, 2u);
  EXPECT_NE(rows[1].error.find("unterminated"), std::string::npos) << rows[1].error;
  EXPECT_TRUE(rows[2].error.empty());
  EXPECT_EQ(rows[2].fields, (Fields{"2", "two"}));
  EXPECT_EQ(rows[2].line, 3u);
  EXPECT_EQ(rows[3].fields, (Fields{"3", "three"}));
}

TEST(ImportCsvReader, TextAfterAClosingQuoteIsAnError) {
  auto rows = read_all("k,v\n1,\"a\"b\n2,ok\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_FALSE(rows[1].error.empty());
  EXPECT_EQ(rows[2].fields, (Fields{"2", "ok"}));
}

TEST(ImportCsvReader, AQuoteThatSwallowsLaterRowsIsCutOffAndReadingResumes) {
  // The stray quote on line 2 pairs with the opening quote on line 4: without resync the
  // records on lines 3 and 4 would vanish into one field.
  auto rows = read_all(
      "k,v\n"
      "1,\"broken\n"
      "2,fine\n"
      "3,\"quoted\"\n");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_FALSE(rows[1].error.empty());
  EXPECT_EQ(rows[2].fields, (Fields{"2", "fine"}));
  EXPECT_EQ(rows[3].fields, (Fields{"3", "quoted"}));
}

TEST(ImportCsvReader, ARecordLargerThanTheLimitIsBroken) {
  std::string text = "k,v\n1,\"" + std::string(200, 'x') + "\"\n2,ok\n";
  auto rows = read_all(text, 64);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_NE(rows[1].error.find("runs past"), std::string::npos) << rows[1].error;
  EXPECT_EQ(rows[2].fields, (Fields{"2", "ok"}));
}

TEST(ImportCsvReader, QuoteInsideAnUnquotedFieldIsKeptLiterally) {
  auto rows = read_all("a,12\"inch,c\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].fields, (Fields{"a", "12\"inch", "c"}));
}

TEST(ImportCsvReader, EndOffsetsAdvanceToTheEnd) {
  std::string text = "a,b\n1,\"x\ny\"\n";
  auto rows = read_all(text);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].end_offset, 4u);
  EXPECT_EQ(rows[1].end_offset, text.size());
}

}  // namespace
}  // namespace datamap::catalog::importer

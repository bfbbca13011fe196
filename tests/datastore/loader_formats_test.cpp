// The loader's formats, encodings, delimiters and header detection, and the profiler's types.
#include <gtest/gtest.h>

#include <algorithm>

#include "datastore/cell_types.h"
#include "datastore/loader.h"
#include "loader_test_util.h"
#include "memory_table_store.h"
#include "tests/support/temp_dir.h"
#include "zip_writer.h"

using namespace datamap;
using datamap::testing::column_of;
using datamap::testing::load_error;
using datamap::testing::write_file;

namespace {

struct Loaded {
  datastore::LoadResult result;
  datamap::testing::MemoryTableStore store;
  const std::vector<datastore::Row>& rows() const { return store.tables.at("t").rows; }
};

std::unique_ptr<Loaded> load(const std::string& bytes, const std::string& hint,
                             const std::string& name = "f") {
  datamap::testing::TempDir dir;
  write_file(dir.file(name), bytes);
  auto out = std::make_unique<Loaded>();
  out->result = datastore::load_file(dir.file(name), hint, out->store, "t");
  return out;
}

}  // namespace

TEST(LoaderFormats, DelimitersAreDetected) {
  EXPECT_EQ(load("a;b;c\n1;2,5;3\n4;5;6\n", "csv")->result.delimiter, ";");
  EXPECT_EQ(load("a|b\n1|2\n", "")->result.delimiter, "|");
  auto tsv = load("이름\t주소\n가\t서울시 중구, 세종대로 110\n", "tsv");
  EXPECT_EQ(tsv->result.delimiter, "\t");
  EXPECT_EQ(tsv->result.format, "TSV");
  EXPECT_EQ(std::get<std::string>(tsv->rows()[0][1]), "서울시 중구, 세종대로 110");
}

TEST(LoaderFormats, QuotedFieldsSpanLinesAndLineNumbersFollow) {
  auto l = load("a,b\n1,\"two\nlines\"\n2,\"x\"\"y\"\n", "csv");
  EXPECT_EQ(l->result.rows, 2);
  EXPECT_EQ(std::get<std::string>(l->rows()[0][1]), "two\nlines");
  EXPECT_EQ(std::get<std::string>(l->rows()[1][1]), "x\"y");
}

// Spaces and tabs around and inside values are kept as written, quoted or not, in CSV and TSV
// (the CSV reader hides them from libcsv while it parses: csv_reader.cpp), and a text column's
// profile counts the values as written, trimmed.
TEST(LoaderFormats, SpacesAndTabsAreKeptAsWritten) {
  auto csv = load("a,b,c\n  x , \ty\t,\" q \"\n x,\"\t y z\",w  \n", "csv");
  ASSERT_EQ(csv->result.rows, 2);
  EXPECT_EQ(std::get<std::string>(csv->rows()[0][0]), "  x ");
  EXPECT_EQ(std::get<std::string>(csv->rows()[0][1]), " \ty\t");
  EXPECT_EQ(std::get<std::string>(csv->rows()[0][2]), " q ");
  EXPECT_EQ(std::get<std::string>(csv->rows()[1][0]), " x");
  EXPECT_EQ(std::get<std::string>(csv->rows()[1][1]), "\t y z");
  EXPECT_EQ(std::get<std::string>(csv->rows()[1][2]), "w  ");
  EXPECT_EQ(column_of(csv->result, "a").distinct, 1);  // "  x " and " x" trim to one value
  EXPECT_EQ(column_of(csv->result, "a").top_values.at(0).first, "x");
  // Tabs delimit; spaces, and tabs inside quotes, stay.
  auto tsv = load("a\tb\n 1 \t\" two\tthree \"\n", "tsv");
  ASSERT_EQ(tsv->result.delimiter, "\t");
  EXPECT_EQ(std::get<std::int64_t>(tsv->rows()[0][0]), 1);
  EXPECT_EQ(std::get<std::string>(tsv->rows()[0][1]), " two\tthree ");
  // A header name with spaces around it is trimmed; inside, kept.
  EXPECT_EQ(load(" 주차장 명 ,b\n1,2\n", "csv")->result.columns[0].name, "주차장 명");
}

TEST(LoaderFormats, EncodingsUtf8BomAndUtf16) {
  auto bom = load("\xEF\xBB\xBF이름,값\n가,1\n", "csv");
  EXPECT_EQ(bom->result.encoding, "UTF-8 (BOM)");
  EXPECT_EQ(bom->result.columns[0].name, "이름");
  // UTF-16LE with BOM: "이름,값\n가,1\n"
  std::u16string text = u"이름,값\n가,1\n";
  std::string bytes = "\xFF\xFE";
  for (char16_t c : text) bytes += static_cast<char>(c & 0xFF), bytes += static_cast<char>(c >> 8);
  auto u16 = load(bytes, "csv");
  EXPECT_EQ(u16->result.encoding, "UTF-16LE");
  EXPECT_EQ(u16->result.columns[0].name, "이름");
  EXPECT_EQ(std::get<std::string>(u16->rows()[0][0]), "가");
  EXPECT_EQ(std::get<std::int64_t>(u16->rows()[0][1]), 1);
}

TEST(LoaderFormats, DecomposedKoreanIsStoredNfc) {
  // 가 as jamo (U+1100 U+1161), as macOS writes it.
  auto l = load("이름\n\xE1\x84\x80\xE1\x85\xA1\n", "csv");
  EXPECT_EQ(std::get<std::string>(l->rows()[0][0]), "가");
}

// The CSV reader skips the per-value NFC check until it has read a byte that may start a
// decomposed character: one first met at the end of the third chunk it reads (256 KiB each) is
// still composed.
TEST(LoaderFormats, DecomposedKoreanLateInALargeFileIsStoredNfc) {
  std::string csv = "이름,값\n";
  while (csv.size() < (std::size_t{1} << 18) * 3 - 2) csv += "나,1\n";
  csv.resize((std::size_t{1} << 18) * 3 - 2);
  while (csv.back() != '\n') csv.pop_back();
  csv += "\xE1\x84\x80\xE1\x85\xA1,2\n";
  auto l = load(csv, "csv");
  EXPECT_EQ(std::get<std::string>(l->rows().back()[0]), "가");
  EXPECT_EQ(std::get<std::string>(l->rows().front()[0]), "나");
}

TEST(LoaderFormats, AFirstRowOfDataIsNotTakenForNames) {
  auto l = load("1,2020-01-02,3.5\n2,2020-01-03,4.5\n", "csv");
  EXPECT_FALSE(l->result.header_row);
  EXPECT_EQ(l->result.rows, 2);
  EXPECT_EQ(l->result.columns[0].name, "column_1");
  EXPECT_EQ(l->result.columns[1].type, "date");
}

TEST(LoaderFormats, EmptyAndDuplicateNames) {
  auto l = load("a,,a\n1,2,3\n", "csv");
  EXPECT_EQ(l->result.columns[1].name, "column_2");
  EXPECT_EQ(l->result.columns[2].name, "a_2");
}

TEST(LoaderFormats, TypesFitEveryValueAndLoseNothing) {
  auto l = load(
      "code,zero,neg,flag,day,at,mixed,big\n"
      "0164A,01234,-3.5,true,2021-01-04,2021-01-04 09:30:00,1,123456789012345678901\n"
      "12,00,-2,FALSE,2021-12-31,2021-01-04T10:00:00Z,2.5,1\n"
      ",,7,,,,x,\n",
      "csv");
  const auto& r = l->result;
  EXPECT_EQ(column_of(r, "code").type, "text");  // "0164A"
  EXPECT_EQ(column_of(r, "zero").type, "text");  // leading zeros are a code's
  EXPECT_EQ(column_of(r, "neg").type, "numeric");
  EXPECT_EQ(column_of(r, "neg").min, "-3.5");
  EXPECT_EQ(column_of(r, "neg").max, "7");
  EXPECT_EQ(column_of(r, "flag").type, "bool");
  EXPECT_EQ(column_of(r, "day").type, "date");
  EXPECT_EQ(column_of(r, "day").nulls, 1);
  EXPECT_EQ(column_of(r, "at").type, "timestamp");
  EXPECT_EQ(column_of(r, "mixed").type, "text");
  EXPECT_EQ(column_of(r, "big").type, "text");  // past int64 and double's exact digits
  EXPECT_EQ(std::get<std::string>(l->rows()[0][1]), "01234");
  EXPECT_EQ(std::get<std::string>(l->rows()[1][1]), "00");
  EXPECT_EQ(std::get<bool>(l->rows()[1][3]), false);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(l->rows()[2][0]));
}

TEST(LoaderFormats, SemanticTypesFromValuesAndHeaders) {
  std::string csv = "법정동코드,사업자등록번호,우편번호,연락처,이메일,홈페이지,행정동코드\n";
  // 124-81-00998 is a valid 사업자등록번호 (check digit 8).
  for (int i = 0; i < 20; ++i)
    csv += "1168010100,124-81-00998,0" + std::to_string(6000 + i) + ",02-" +
           std::to_string(100 + i) + "-1234,a" + std::to_string(i) +
           "@example.kr,https://example.kr/" + std::to_string(i) + ",1168051000\n";
  auto l = load(csv, "csv");
  const auto& r = l->result;
  EXPECT_EQ(column_of(r, "법정동코드").semantic_type, "legal_dong_code");
  EXPECT_EQ(column_of(r, "법정동코드").type, "int");
  EXPECT_FALSE(column_of(r, "법정동코드").sketch.empty());
  EXPECT_EQ(column_of(r, "사업자등록번호").semantic_type, "business_reg_no");
  EXPECT_EQ(column_of(r, "사업자등록번호").invalid, 0);
  EXPECT_EQ(column_of(r, "우편번호").semantic_type, "postal_code");
  EXPECT_EQ(column_of(r, "우편번호").type, "text");  // "06000": the leading zero stays
  EXPECT_EQ(column_of(r, "연락처").semantic_type, "phone");
  EXPECT_EQ(column_of(r, "이메일").semantic_type, "email");
  EXPECT_EQ(column_of(r, "홈페이지").semantic_type, "url");
  EXPECT_EQ(column_of(r, "행정동코드").semantic_type, "admin_dong_code");
}

TEST(LoaderFormats, AWrongCheckDigitIsCountedInvalid) {
  auto l = load("사업자등록번호\n124-81-00998\n124-81-00997\n", "csv");
  EXPECT_EQ(l->result.columns[0].semantic_type, "business_reg_no");
  EXPECT_EQ(l->result.columns[0].invalid, 1);
}

TEST(LoaderFormats, JsonArrayOfObjects) {
  auto l = load(R"([{"id": "007", "n": 1.50, "ok": true, "tags": ["a", {"b": 1}]},
                   {"n": -2, "extra": null, "id": "008"}])",
                "json");
  const auto& r = l->result;
  EXPECT_EQ(r.format, "JSON");
  EXPECT_EQ(r.rows, 2);
  ASSERT_EQ(r.columns.size(), 5u);
  EXPECT_EQ(column_of(r, "id").type, "text");
  EXPECT_EQ(column_of(r, "n").type, "numeric");
  EXPECT_EQ(column_of(r, "ok").type, "bool");
  EXPECT_EQ(std::get<std::string>(l->rows()[0][3]), R"(["a",{"b":1}])");
  EXPECT_EQ(std::get<std::string>(l->rows()[1][0]), "008");
  EXPECT_TRUE(std::holds_alternative<std::monostate>(l->rows()[1][4]));
}

TEST(LoaderFormats, JsonThatIsNotAnArrayOfObjects) {
  datamap::testing::TempDir dir;
  datamap::testing::MemoryTableStore store;
  write_file(dir.file("o.json"), R"({"a": 1})");
  auto e = load_error([&] { datastore::load_file(dir.file("o.json"), "json", store, "t"); });
  EXPECT_NE(std::string(e.what()).find("JSON data must be an array of objects"), std::string::npos);
  write_file(dir.file("s.json"), R"([{"a": 1}, 2])");
  e = load_error([&] { datastore::load_file(dir.file("s.json"), "json", store, "t"); });
  EXPECT_STREQ(e.what(), "element 2 of the array is not an object");
  EXPECT_EQ(e.line, 2);
  write_file(dir.file("b.json"), "[{\"a\": 1}, {\"a\": tru}]");
  e = load_error([&] { datastore::load_file(dir.file("b.json"), "json", store, "t"); });
  EXPECT_EQ(std::string(e.what()).rfind("invalid JSON: ", 0), 0u) << e.what();
  EXPECT_TRUE(store.tables.empty());
}

TEST(LoaderFormats, AZipHoldingOneCsv) {
  datamap::testing::TempDir dir;
  {
    datamap::testing::ZipWriter zip(dir.file("d.zip"));
    zip.add("readme.md", "not a table");
    zip.add("data/parking.csv", "a,b\n1,x\n2,y\n");
  }
  datamap::testing::MemoryTableStore store;
  auto r = datastore::load_file(dir.file("d.zip"), "zip", store, "t");
  EXPECT_EQ(r.format, "ZIP/CSV");
  EXPECT_EQ(r.rows, 2);
  {
    datamap::testing::ZipWriter zip(dir.file("two.zip"));
    zip.add("a.csv", "a\n1\n");
    zip.add("b.csv", "a\n1\n");
  }
  auto e = load_error([&] { datastore::load_file(dir.file("two.zip"), "zip", store, "u"); });
  EXPECT_STREQ(e.what(), "the zip holds 2 tabular files (a.csv, b.csv); one is expected");
}

TEST(LoaderFormats, DistinctCountingPastItsBudgetBecomesAnEstimate) {
  std::string csv = "v\n";
  for (int i = 0; i < 50000; ++i) csv += "value-" + std::to_string(i) + "\n";
  datamap::testing::TempDir dir;
  write_file(dir.file("d.csv"), csv);
  datamap::testing::MemoryTableStore store;
  datastore::LoadOptions o;
  o.limits.distinct_bytes_per_column = 100 << 10;
  auto r = datastore::load_file(dir.file("d.csv"), "csv", store, "t", o);
  EXPECT_TRUE(r.columns[0].distinct_estimated);
  EXPECT_NEAR(static_cast<double>(r.columns[0].distinct), 50000, 50000 * 0.05);
  EXPECT_EQ(r.rows, 50000);
  bool warned = false;
  for (const auto& w : r.warnings)
    warned |= w.find("the distinct count is an estimate") != std::string::npos;
  EXPECT_TRUE(warned);
}

TEST(LoaderFormats, CodeSketchesIgnoreLeadingZerosHyphensAndSpaces) {
  // Fewer distinct values than the sketch keeps (64): every one is in it.
  std::string a = "기관코드,이름\n", b = "기관코드,이름\n";
  for (int i = 0; i < 50; ++i) {
    std::string n = std::to_string(10000 + i);
    a.append("0").append(n).append(",x\n");              // "010000": a leading zero
    b.append("1-").append(n.substr(1)).append(" ,y\n");  // "1-0000 ": hyphen and space
  }
  auto la = load(a, "csv");
  auto lb = load(b, "csv");
  EXPECT_EQ(la->result.columns[0].sketch.size(), 50u);
  EXPECT_TRUE(la->result.columns[1].sketch.empty());  // not code-like
  // 10000..10049 both ways: the same values once normalised, so the same sketch.
  EXPECT_EQ(la->result.columns[0].sketch, lb->result.columns[0].sketch);
}

// The spellings of a date Korean files use become YYYY-MM-DD (written digit by digit since the
// load-speed work: the same text snprintf gave, zero-padded).
TEST(LoaderFormats, DatesAreNormalisedToIsoSpelling) {
  std::string why;
  auto date = [&](std::string_view raw, std::string_view type = "date") {
    auto c = datastore::convert_cell(datastore::Cell(std::string(raw)), type, &why);
    return c ? std::get<std::string>(*c) : "invalid";
  };
  EXPECT_EQ(date("2020-01-02"), "2020-01-02");
  EXPECT_EQ(date("2020.01.02"), "2020-01-02");
  EXPECT_EQ(date("2020/12/31"), "2020-12-31");
  EXPECT_EQ(date("20240229"), "2024-02-29");
  EXPECT_EQ(date(" 0001-01-01 "), "0001-01-01");
  EXPECT_EQ(date("9999-09-09"), "9999-09-09");
  EXPECT_EQ(date("1900-02-29"), "invalid");
  EXPECT_EQ(date("2020-13-01"), "invalid");
  EXPECT_EQ(date("2020.01.02 13:45", "timestamp"), "2020-01-02T13:45");
  EXPECT_EQ(date("20200102", "timestamp"), "2020-01-02T00:00:00");
}

// The loader validates rows a batch at a time, after the batch is profiled: a row is still
// validated against the columns there were when it was read, not those a later long row of
// the same batch added (its duplicate-row hash and the new column's missing count).
TEST(LoaderFormats, ARowIsValidatedWithTheColumnsOfItsTime) {
  auto l = load("a,b\n1,2\n1,2\n1,2,3\n1,2\n1,2,\n", "csv");
  ASSERT_EQ(l->result.rows, 5);
  ASSERT_EQ(l->result.columns.size(), 3u);
  // Row 2 repeats row 1; rows 4 and 5 ("1,2" and "1,2," with three columns) repeat each other
  // but not row 1, which had two.
  EXPECT_EQ(l->result.validation.duplicate_rows, 2);
  EXPECT_EQ(l->result.columns[2].validation.missing, 2);  // rows 4 and 5, not 1 and 2
  EXPECT_EQ(l->result.columns[2].validation.valid, 1);
  EXPECT_EQ(l->result.columns[0].validation.valid, 5);
}

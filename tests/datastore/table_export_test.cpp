// Downloads written by datastore/table_export.h, read back by independent readers: Python's csv
// module for CSV/TSV, iconv for CP949, RapidJSON for JSON and GDAL/OGR (the XLSX reader the
// loader uses) for XLSX. Values with Korean text, the delimiter, quotes, line breaks and nulls.
#include "datastore/table_export.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "tests/datastore/gdal_sheets.h"
#include "tests/formats/node_tool.h"
#include "tests/support/temp_dir.h"

namespace datamap::datastore {
namespace {

using testing::TempDir;

const std::vector<Field> kFields = {
    {"공원명", "text", {}}, {"면적", "numeric", {}}, {"개수", "int", {}}, {"개방", "bool", {}}};

std::vector<Row> rows() {
  return {{std::string("율하체육공원"), 1500.5, std::int64_t{3}, true},
          {std::string("쉼표, \"따옴표\"\n줄바꿈"), -2.25, std::int64_t{-7}, false},
          {std::string("Central Park"), std::monostate{}, std::monostate{}, std::monostate{}}};
}

// What each cell looks like in a text download.
std::vector<std::vector<std::string>> expected_text() {
  return {{"공원명", "면적", "개수", "개방"},
          {"율하체육공원", "1500.5", "3", "true"},
          {"쉼표, \"따옴표\"\n줄바꿈", "-2.25", "-7", "false"},
          {"Central Park", "", "", ""}};
}

ExportStats write(const std::string& path, ExportOptions options, const std::vector<Row>& data) {
  auto e = make_table_exporter(path, options);
  e->begin(kFields);
  for (const auto& r : data) e->row(r);
  return e->finish();
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string run(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  pclose(p);
  return out;
}

// The file parsed by Python's csv module, as JSON rows (utf-8-sig drops the BOM).
std::vector<std::vector<std::string>> python_csv(const std::string& path, const char* delimiter,
                                                 const char* encoding = "utf-8-sig") {
  std::string script =
      std::string(
          "import csv,json,sys; print(json.dumps(list(csv.reader(open(sys.argv[1], "
          "encoding='") +
      encoding + "', newline=''), delimiter='" + delimiter + "'))))";
  std::string json = run("python3 -c " + datamap::testing::shell_quote(script) + " " +
                         datamap::testing::shell_quote(path));
  rapidjson::Document d;
  d.Parse(json.c_str());
  std::vector<std::vector<std::string>> out;
  if (!d.IsArray()) return out;
  for (const auto& r : d.GetArray()) {
    out.emplace_back();
    for (const auto& c : r.GetArray()) out.back().emplace_back(c.GetString());
  }
  return out;
}

TEST(TableExport, CsvIsUtf8WithBomAndParsesBackToTheRows) {
  TempDir dir;
  std::string path = dir.file("t.csv");
  auto stats = write(path, {}, rows());
  EXPECT_EQ(stats.rows, 3);
  std::string bytes = slurp(path);
  ASSERT_GE(bytes.size(), 3u);
  EXPECT_EQ(bytes.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_EQ(python_csv(path, ","), expected_text());
}

TEST(TableExport, CsvWithoutBomStartsWithTheHeader) {
  TempDir dir;
  std::string path = dir.file("t.csv");
  ExportOptions o;
  o.bom = false;
  write(path, o, rows());
  EXPECT_EQ(slurp(path).rfind("공원명,", 0), 0u);
}

TEST(TableExport, TsvParsesBackToTheRows) {
  TempDir dir;
  std::string path = dir.file("t.tsv");
  ExportOptions o;
  o.format = ExportFormat::tsv;
  write(path, o, rows());
  EXPECT_EQ(python_csv(path, "\\t"), expected_text());
}

TEST(TableExport, Cp949DecodesToTheSameTextAndCountsWhatItCannotCarry) {
  TempDir dir;
  std::string path = dir.file("t.csv");
  ExportOptions o;
  o.cp949 = true;
  auto data = rows();
  data.push_back({std::string("웃는 얼굴 🙂 끝"), 1.0, std::int64_t{1}, true});
  auto stats = write(path, o, data);
  EXPECT_EQ(stats.replaced, 1);
  std::string bytes = slurp(path);
  EXPECT_NE(bytes.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_EQ(bytes.find("율하"), std::string::npos) << "UTF-8 bytes in a CP949 file";
  // iconv's CP949 is an independent decoder.
  std::string utf8 = run("iconv -f CP949 -t UTF-8 " + datamap::testing::shell_quote(path));
  EXPECT_NE(utf8.find("율하체육공원"), std::string::npos);
  EXPECT_NE(utf8.find("웃는 얼굴 ? 끝"), std::string::npos);
  auto parsed = python_csv(path, ",", "cp949");
  auto expected = expected_text();
  expected.push_back({"웃는 얼굴 ? 끝", "1", "1", "true"});
  EXPECT_EQ(parsed, expected);
}

TEST(TableExport, JsonIsCkansDumpShapeWithTypedValues) {
  TempDir dir;
  std::string path = dir.file("t.json");
  ExportOptions o;
  o.format = ExportFormat::json;
  write(path, o, rows());
  rapidjson::Document d;
  d.Parse(slurp(path).c_str());
  ASSERT_FALSE(d.HasParseError());
  ASSERT_EQ(d["fields"].Size(), 4u);
  EXPECT_STREQ(d["fields"][0]["id"].GetString(), "공원명");
  EXPECT_STREQ(d["fields"][2]["type"].GetString(), "int");
  const auto& r = d["records"];
  ASSERT_EQ(r.Size(), 3u);
  EXPECT_STREQ(r[1][0].GetString(), "쉼표, \"따옴표\"\n줄바꿈");
  EXPECT_EQ(r[0][1].GetDouble(), 1500.5);
  EXPECT_EQ(r[1][2].GetInt64(), -7);
  EXPECT_TRUE(r[0][3].GetBool());
  EXPECT_TRUE(r[2][1].IsNull());
}

TEST(TableExport, XlsxOpensInGdalWithTheSameRows) {
  TempDir dir;
  std::string path = dir.file("t.xlsx");
  ExportOptions o;
  o.format = ExportFormat::xlsx;
  o.temp_dir = dir.path();
  auto stats = write(path, o, rows());
  EXPECT_EQ(stats.sheets, 1);
  auto sheets = testing::gdal_sheets(path);
  ASSERT_EQ(sheets.size(), 1u);
  auto expected = expected_text();
  expected[1][3] = "1";  // Excel's booleans read back as 1 / 0
  expected[2][3] = "0";
  EXPECT_EQ(sheets[0], expected);
}

TEST(TableExport, XlsxContinuesOnANewSheetPastTheRowLimit) {
  TempDir dir;
  std::string path = dir.file("t.xlsx");
  ExportOptions o;
  o.format = ExportFormat::xlsx;
  o.xlsx_rows_per_sheet = 2;
  std::vector<Row> data;
  for (int i = 0; i < 5; ++i)
    data.push_back({std::string("행") + std::to_string(i), 1.0 * i, std::int64_t{i}, true});
  auto stats = write(path, o, data);
  EXPECT_EQ(stats.sheets, 3);
  EXPECT_EQ(stats.rows, 5);
  auto sheets = testing::gdal_sheets(path);
  ASSERT_EQ(sheets.size(), 3u);
  EXPECT_EQ(sheets[0].size(), 3u);  // header + 2
  EXPECT_EQ(sheets[2].size(), 2u);  // header + 1
  EXPECT_EQ(sheets[2][0][0], "공원명");
  EXPECT_EQ(sheets[2][1][0], "행4");
}

TEST(TableExport, FormatNames) {
  EXPECT_EQ(export_format_named("XLSX"), ExportFormat::xlsx);
  EXPECT_EQ(export_format_named("csv"), ExportFormat::csv);
  EXPECT_FALSE(export_format_named("xls"));
  EXPECT_FALSE(export_format_named(""));
}

}  // namespace
}  // namespace datamap::datastore

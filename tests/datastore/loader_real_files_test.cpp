// The loader on the real data.go.kr files as published (CP949, messy): every row kept, the
// expected types, semantic types and standard terms.
#include <gtest/gtest.h>

#include <chrono>

#include "catalog/standard_terms.h"
#include "datastore/loader.h"
#include "memory_table_store.h"

using namespace datamap;
using datastore::LoadOptions;

namespace {

const std::string kDir = DATAMAP_SOURCE_DIR "/data/sample/datafiles/";

const catalog::StandardTermIndex& terms() {
  static auto t = catalog::StandardTermIndex::load(DATAMAP_SOURCE_DIR "/data/standard/terms.csv");
  return *t;
}

const catalog::ColumnProfile& column(const datastore::LoadResult& r, const std::string& name) {
  for (const auto& c : r.columns)
    if (c.name == name) return c;
  throw std::runtime_error("no column " + name);
}

LoadOptions options() {
  LoadOptions o;
  o.standard_terms = &terms();
  // Two of the catalog's organizations, by their 기관코드.
  o.organization_by_code = [](std::string_view code) -> std::string {
    if (code == "3540000") return "incheon-bupyeong-gu";
    if (code == "6270000") return "daegu";
    return "";
  };
  return o;
}

}  // namespace

TEST(LoaderRealFiles, ParkingFileCp949KeepsEveryRowWithTypesAndSemanticTypes) {
  datamap::testing::MemoryTableStore store;
  auto t0 = std::chrono::steady_clock::now();
  auto r = datastore::load_file(kDir + "datago-std-parking-15012896.csv", "CSV", store, "parking",
                                options());
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  RecordProperty("load_seconds", std::to_string(seconds));
  std::printf("parking file: %lld rows in %.3f s\n", static_cast<long long>(r.rows), seconds);
  EXPECT_EQ(r.rows, 14851);
  ASSERT_EQ(r.columns.size(), 33u);
  EXPECT_EQ(r.encoding, "CP949");
  EXPECT_EQ(r.delimiter, ",");
  EXPECT_EQ(r.format, "CSV");
  EXPECT_TRUE(r.header_row);
  const auto& table = store.tables.at("parking");
  EXPECT_EQ(table.rows.size(), 14851u);
  ASSERT_EQ(table.fields.size(), 33u);
  EXPECT_EQ(table.fields[0].id, "주차장관리번호");

  const auto& lat = column(r, "위도");
  EXPECT_EQ(lat.type, "numeric");
  EXPECT_EQ(lat.semantic_type, "latitude");
  EXPECT_EQ(lat.standard_term, "위도");
  EXPECT_EQ(lat.nulls, 14851 - 12644);
  EXPECT_GT(lat.invalid, 0);  // coordinates outside Korea are counted, not dropped
  const auto& lon = column(r, "경도");
  EXPECT_EQ(lon.type, "numeric");
  EXPECT_EQ(lon.semantic_type, "longitude");
  ASSERT_TRUE(table.options.point.has_value());
  EXPECT_EQ(table.options.point->first, "위도");
  EXPECT_EQ(table.options.point->second, "경도");

  const auto& phone = column(r, "전화번호");
  EXPECT_EQ(phone.type, "text");
  EXPECT_EQ(phone.semantic_type, "phone");
  EXPECT_EQ(phone.nulls, 14851 - 12671);

  const auto& org = column(r, "제공기관코드");
  EXPECT_EQ(org.type, "text");  // "B552584"-like codes beside "3540000"
  EXPECT_EQ(org.semantic_type, "org_code");
  EXPECT_EQ(org.distinct, 263);
  EXPECT_FALSE(org.distinct_estimated);
  // Both organizations the lookup knows supply rows to the national file.
  EXPECT_EQ(org.organizations, (std::vector<std::string>{"daegu", "incheon-bupyeong-gu"}));
  EXPECT_FALSE(org.sketch.empty());
  EXPECT_LE(org.top_values.size(), 10u);

  EXPECT_EQ(column(r, "주차구획수").type, "int");
  EXPECT_EQ(column(r, "데이터기준일자").type, "date");
  EXPECT_EQ(column(r, "데이터기준일자").semantic_type, "date");
  EXPECT_EQ(column(r, "소재지도로명주소").semantic_type, "road_address");
  EXPECT_EQ(column(r, "소재지지번주소").semantic_type, "lot_address");
  EXPECT_EQ(column(r, "주차장구분").distinct, 2);
  EXPECT_EQ(column(r, "주차장구분").top_values.size(), 2u);

  // The typed cells: the first data row as the file has it.
  const auto& row = table.rows[0];
  EXPECT_EQ(std::get<std::string>(row[0]), "166-2-000032");
  EXPECT_EQ(std::get<std::int64_t>(row[6]), 5);
  EXPECT_DOUBLE_EQ(std::get<double>(row[28]), 37.48903538);
  EXPECT_EQ(std::get<std::string>(row[31]), "3540000");
}

TEST(LoaderRealFiles, CityParkFile) {
  datamap::testing::MemoryTableStore store;
  auto r = datastore::load_file(kDir + "datago-std-citypark-15012890.csv", "csv", store, "park",
                                options());
  EXPECT_EQ(r.rows, 18481);
  EXPECT_EQ(r.columns.size(), 19u);
  EXPECT_EQ(r.encoding, "CP949");
  EXPECT_EQ(column(r, "위도").semantic_type, "latitude");
  EXPECT_EQ(column(r, "지정고시일").type, "date");
  EXPECT_EQ(column(r, "공원면적").type, "numeric");
  EXPECT_EQ(column(r, "제공기관코드").semantic_type, "org_code");
  EXPECT_FALSE(column(r, "제공기관코드").organizations.empty());
  EXPECT_EQ(store.tables.at("park").rows.size(), 18481u);
}

TEST(LoaderRealFiles, SeoulCctvXlsxWithFormulaCells) {
  datamap::testing::MemoryTableStore store;
  auto r = datastore::load_file(kDir + "seoul-cctv-by-purpose.xlsx", "", store, "cctv", options());
  EXPECT_EQ(r.format, "XLSX");
  EXPECT_EQ(r.rows, 25);
  ASSERT_EQ(r.columns.size(), 7u);
  EXPECT_TRUE(r.header_row);
  EXPECT_EQ(r.columns[0].name, "기관명");
  EXPECT_EQ(r.columns[0].type, "text");
  // 소계 is a formula: its cached values are there, as integers.
  EXPECT_EQ(r.columns[1].name, "소계");
  EXPECT_EQ(r.columns[1].type, "int");
  EXPECT_EQ(r.columns[1].nulls, 0);
  EXPECT_EQ(r.columns[1].max, "4758");
  const auto& row = store.tables.at("cctv").rows[0];
  EXPECT_EQ(std::get<std::string>(row[0]), "강남구");
  EXPECT_EQ(std::get<std::int64_t>(row[1]), 4758);
}

// The B-tree indexes a load gives its table (loader.cpp index_columns): every column a user would
// filter on gets one — codes, categories, numbers, dates, names, addresses, phone numbers — but
// not the coordinates (the R*Tree has them) nor a column of one value; and a one-column filter
// on each is answered from its index (SQLite's plan, through the store), with the same rows and
// total as the scan that answered it while the indexes were still being built.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "datastore/loader.h"
#include "datastore/table_store.h"
#include "loader_test_util.h"
#include "tests/support/temp_dir.h"

using namespace datamap;
using datamap::testing::write_file;

namespace {

// One filter per column, on the value of row 42 (as the API passes it: text).
std::map<std::string, datastore::SearchQuery> filters_on_row_42(
    const std::vector<std::string>& columns, const std::vector<std::string>& row) {
  std::map<std::string, datastore::SearchQuery> out;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    datastore::SearchQuery q;
    q.resource_id = "t";
    q.limit = 5;
    q.conditions.push_back({columns[i], datastore::Op::eq, {row[i]}});
    out[columns[i]] = q;
  }
  return out;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

}  // namespace

TEST(LoaderIndexes, EveryColumnAUserFiltersOnIsIndexedAndItsFilterUsesTheIndex) {
  datamap::testing::TempDir dir;
  const std::vector<std::string> columns = {
      "주차장명", "주차장구분",     "주차구획수",   "요금", "소재지도로명주소", "전화번호", "위도",
      "경도",     "데이터기준일자", "제공기관코드", "비고"};
  std::string csv;
  for (const auto& c : columns) csv += (csv.empty() ? "" : ",") + c;
  csv += "\n";
  std::vector<std::string> row_42;
  for (int i = 0; i < 3000; ++i) {
    std::vector<std::string> row = {"주차장 " + std::to_string(i),
                                    i % 3 ? "공영" : "민영",
                                    std::to_string(i % 300),
                                    std::to_string(i % 40) + ".5",
                                    "대구광역시 수성구 달구벌대로 " + std::to_string(i),
                                    "053-810-" + std::to_string(1000 + i),
                                    "35." + std::to_string(100000 + i),
                                    "128." + std::to_string(500000 + i),
                                    "2021-01-" + std::to_string(10 + i % 20),
                                    std::to_string(3000000 + (i % 25) * 10000),
                                    "없음"};
    if (i == 42) row_42 = row;
    std::string line;
    for (const auto& v : row) line += (line.empty() ? "" : ",") + v;
    csv += line + "\n";
  }
  write_file(dir.file("parking.csv"), csv);
  auto store = datastore::open_sqlite_table_store(dir.file("ds.db"));
  auto queries = filters_on_row_42(columns, row_42);

  // While the indexes are being built (rows queryable), each filter is answered by a scan.
  std::map<std::string, datastore::SearchResult> scanned;
  datastore::LoadOptions o;
  o.rows_ready = [&](const datastore::LoadResult&) {
    for (const auto& [column, q] : queries) {
      const std::string name = column;
      EXPECT_EQ(joined(store->explain_search(q)).find("INDEX"), std::string::npos)
          << name << ": " << joined(store->explain_search(q));
      scanned[name] = store->search(q);
    }
  };
  datastore::load_file(dir.file("parking.csv"), "csv", *store, "t", o);
  ASSERT_EQ(scanned.size(), columns.size());

  auto info = store->info("t");
  ASSERT_TRUE(info.has_value());
  const auto& indexes = info->options.indexes;
  ASSERT_FALSE(indexes.empty());
  EXPECT_EQ(indexes.front(), "제공기관코드");  // codes first: they get the join-key index
  for (const auto& column : columns) {
    const bool want = column != "위도" && column != "경도" && column != "비고";
    const bool has = std::find(indexes.begin(), indexes.end(), column) != indexes.end();
    EXPECT_EQ(has, want) << column;
    const auto& q = queries.at(column);
    auto plan = joined(store->explain_search(q));
    if (want) {  // both the page and the total come from the column's index, no table scan
      EXPECT_EQ(plan.find("SCAN"), std::string::npos) << column << ":\n" << plan;
      EXPECT_NE(plan.find("INDEX"), std::string::npos) << column << ":\n" << plan;
    }
    auto indexed = store->search(q);
    EXPECT_EQ(indexed.records, scanned.at(column).records) << column;
    EXPECT_EQ(indexed.total, scanned.at(column).total) << column;
    EXPECT_GE(indexed.total.value_or(0), 1) << column;  // row 42 itself
  }
  // The category's common value: the page is the first rows in load order either way.
  EXPECT_EQ(scanned.at("주차장구분").total, 1000);
}

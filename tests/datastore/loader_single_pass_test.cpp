// The loader's single pass (loader/table_feed.h): rows are written while they are profiled, with
// the types of the first rows; a later value that widens a type, or a ragged row that adds a
// column, sends the load to a second pass. Either way the table and the profile must be exactly
// those of a file typed from its whole profile: each file here is loaded twice, with a sample
// of the whole file and with one of a few rows, and the two results compared.
#include <gtest/gtest.h>

#include <atomic>
#include <string>

#include "datastore/loader.h"
#include "datastore/table_store.h"
#include "loader_test_util.h"
#include "memory_table_store.h"
#include "tests/support/temp_dir.h"

using namespace datamap;
using datamap::testing::column_of;
using datamap::testing::write_file;

namespace {

struct Loaded {
  datastore::LoadResult result;
  datamap::testing::MemoryTableStore store;
  const datamap::testing::MemoryTableStore::Table& table() const { return store.tables.at("t"); }
};

std::unique_ptr<Loaded> load(const std::string& path, std::size_t sample_bytes,
                             bool write_thread = true) {
  auto out = std::make_unique<Loaded>();
  datastore::LoadOptions o;
  o.type_sample_bytes = sample_bytes;
  o.write_thread = write_thread;
  out->result = datastore::load_file(path, "csv", out->store, "t", o);
  return out;
}

// Fields, options, every row and every column's profile equal.
void expect_same(const Loaded& a, const Loaded& b) {
  ASSERT_EQ(a.table().fields.size(), b.table().fields.size());
  for (std::size_t i = 0; i < a.table().fields.size(); ++i) {
    EXPECT_EQ(a.table().fields[i].id, b.table().fields[i].id);
    EXPECT_EQ(a.table().fields[i].type, b.table().fields[i].type) << a.table().fields[i].id;
  }
  EXPECT_EQ(a.table().options.point, b.table().options.point);
  EXPECT_EQ(a.table().options.indexes, b.table().options.indexes);
  EXPECT_EQ(a.table().rows, b.table().rows);
  ASSERT_EQ(a.result.columns.size(), b.result.columns.size());
  for (std::size_t i = 0; i < a.result.columns.size(); ++i) {
    const auto& x = a.result.columns[i];
    const auto& y = b.result.columns[i];
    EXPECT_EQ(x.type, y.type);
    EXPECT_EQ(x.nulls, y.nulls);
    EXPECT_EQ(x.distinct, y.distinct);
    EXPECT_EQ(x.min, y.min);
    EXPECT_EQ(x.max, y.max);
    EXPECT_EQ(x.semantic_type, y.semantic_type);
    EXPECT_EQ(x.top_values, y.top_values);
  }
  EXPECT_EQ(a.result.warnings, b.result.warnings);
}

}  // namespace

// Values that change a column's type after the first rows: "0164A" in integers (int → text),
// "2.5" in integers (int → numeric), a first value in a column empty until then, and a last row
// with one value more than the header (a new column).
TEST(LoaderSinglePass, ATypeWidenedAfterTheSampleGivesTheWholeFilesTypes) {
  datamap::testing::TempDir dir;
  std::string csv = "code,amount,late,name,위도,경도,kind\n";
  for (int i = 0; i < 3000; ++i)
    csv += std::to_string(100 + i) + "," + std::to_string(i) + ",," + "park " + std::to_string(i) +
           "," + std::to_string(35 + i % 3) + ".5," + std::to_string(128 + i % 2) + ".25," +
           (i % 2 ? "a" : "b") + "\n";
  csv += "0164A,2.5,7,last,35.1,128.6,a,extra\n";
  write_file(dir.file("x.csv"), csv);
  auto whole = load(dir.file("x.csv"), std::size_t{32} << 20);
  auto sampled = load(dir.file("x.csv"), 256);
  expect_same(*whole, *sampled);
  const auto& r = sampled->result;
  EXPECT_EQ(r.rows, 3001);
  EXPECT_EQ(column_of(r, "code").type, "text");
  EXPECT_EQ(column_of(r, "amount").type, "numeric");
  EXPECT_EQ(column_of(r, "late").type, "int");
  EXPECT_EQ(r.columns.size(), 8u);  // the extra value's column
  const auto& rows = sampled->table().rows;
  ASSERT_EQ(rows.size(), 3001u);
  EXPECT_EQ(std::get<std::string>(rows[0][0]), "100");  // text, as written
  EXPECT_EQ(std::get<std::string>(rows[3000][0]), "0164A");
  EXPECT_EQ(std::get<double>(rows[3000][1]), 2.5);
  EXPECT_EQ(std::get<std::int64_t>(rows[3000][2]), 7);
  EXPECT_EQ(std::get<std::string>(rows[3000][7]), "extra");
}

// Types that hold for the whole file: the rows written during the pass are the table, and the
// point and indexes decided at the end of the pass are its options.
TEST(LoaderSinglePass, TypesThatHoldAreWrittenInOnePassWithTheOptionsDecidedAtTheEnd) {
  datamap::testing::TempDir dir;
  std::string csv = "name,위도,경도,kind,amount,day\n";
  for (int i = 0; i < 5000; ++i)
    csv += "park " + std::to_string(i) + "," + std::to_string(35 + i % 3) + ".5," +
           std::to_string(128 + i % 2) + ".25," + (i % 3 ? "공영" : "민영") + "," +
           std::to_string(i * 10) + "," + "2021-01-0" + std::to_string(1 + i % 9) + "\n";
  write_file(dir.file("x.csv"), csv);
  auto whole = load(dir.file("x.csv"), std::size_t{32} << 20);
  auto sampled = load(dir.file("x.csv"), 512);
  expect_same(*whole, *sampled);
  ASSERT_TRUE(sampled->table().options.point.has_value());
  EXPECT_EQ(sampled->table().options.point->first, "위도");
  EXPECT_FALSE(sampled->table().options.indexes.empty());
  EXPECT_EQ(sampled->table().rows.size(), 5000u);
  EXPECT_EQ(std::get<std::string>(sampled->table().rows[4][5]), "2021-01-05");
}

// A load into SQLite that is aborted after the rows were written during the pass writes nothing.
TEST(LoaderSinglePass, AnAbortedLoadLeavesThePreviousTable) {
  datamap::testing::TempDir dir;
  std::string csv = "a,b\n";
  for (int i = 0; i < 20000; ++i) csv += std::to_string(i) + ",x\n";
  write_file(dir.file("x.csv"), csv);
  auto store = datastore::open_sqlite_table_store(dir.file("ds.db"));
  datastore::LoadOptions o;
  o.type_sample_bytes = 1024;
  datastore::load_file(dir.file("x.csv"), "csv", *store, "t", o);
  std::atomic<bool> abort{false};
  o.abort = &abort;
  o.progress = [&](const datastore::LoadProgress& p) {
    if (p.rows >= 8192) abort = true;  // rows are being written: the feed started long ago
  };
  std::string big = "a,b\n";
  for (int i = 0; i < 20000; ++i) big += std::to_string(-i) + ",z\n";
  write_file(dir.file("z.csv"), big);
  EXPECT_THROW(datastore::load_file(dir.file("z.csv"), "csv", *store, "t", o),
               datastore::LoadError);
  auto info = store->info("t");
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->row_count, 20000);
  datastore::SearchQuery q;
  q.resource_id = "t";
  q.conditions.push_back({"b", datastore::Op::eq, {"z"}});
  EXPECT_EQ(store->search(q).total, 0);
  q.conditions = {{"b", datastore::Op::eq, {"x"}}};
  EXPECT_EQ(store->search(q).total, 20000);
}

// The rows after the sample are typed and written on a second thread (loader/async_row_writer.h):
// the table is the same as the loading thread's own, row for row, with ragged short rows, empty
// values, quotes and every type among them, in a file of many writing thread batches.
TEST(LoaderSinglePass, TheWritingThreadWritesTheSameTableAsOneThread) {
  datamap::testing::TempDir dir;
  std::string csv = "name,amount,price,day,flag,note\n";
  for (int i = 0; i < 20000; ++i) {
    csv += "\"park, " + std::to_string(i) + "\"," + (i % 7 ? std::to_string(i) : "") + "," +
           std::to_string(i) + ".5,2021-01-0" + std::to_string(1 + i % 9) + "," +
           (i % 2 ? "true" : "false");
    csv += i % 11 ? ",n" + std::to_string(i % 13) + "\n" : "\n";  // every 11th row is short
  }
  write_file(dir.file("x.csv"), csv);
  auto one = load(dir.file("x.csv"), 4096, false);
  auto two = load(dir.file("x.csv"), 4096, true);
  expect_same(*one, *two);
  ASSERT_EQ(two->table().rows.size(), 20000u);
  EXPECT_EQ(one->table().rows, two->table().rows);
  EXPECT_EQ(std::get<std::string>(two->table().rows[19999][0]), "park, 19999");
  EXPECT_EQ(std::get<std::int64_t>(two->table().rows[19998][1]), 19998);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(two->table().rows[19999][1]));  // empty
  EXPECT_TRUE(std::holds_alternative<std::monostate>(two->table().rows[19998][5]));  // short
}

// A writer's error on the writing thread (a full disk) ends the load with that error, leaves no
// table, and does not hang the load.
TEST(LoaderSinglePass, AWritingThreadsErrorEndsTheLoad) {
  datamap::testing::TempDir dir;
  std::string csv = "a,b\n";
  for (int i = 0; i < 20000; ++i) csv += std::to_string(i) + ",x\n";
  write_file(dir.file("x.csv"), csv);
  for (std::int64_t fail_at : {0, 5000, 19999}) {
    datamap::testing::MemoryTableStore store;
    store.fail_at = fail_at;
    datastore::LoadOptions o;
    o.type_sample_bytes = 1024;
    try {
      datastore::load_file(dir.file("x.csv"), "csv", store, "t", o);
      ADD_FAILURE() << "no error when the append of row " << fail_at + 1 << " failed";
    } catch (const std::runtime_error& e) {
      EXPECT_STREQ(e.what(), "disk full");
    }
    EXPECT_EQ(store.tables.count("t"), 0u);
    EXPECT_EQ(store.appended, fail_at);
  }
}

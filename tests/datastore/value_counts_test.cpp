// The SQLite store's search shortcuts (datastore/sqlite_table_store.h SqliteSearchTuning) answer
// exactly what the plain queries answer:
// - exact totals of one-column equality filters read from per-value counts
//   (datastore/sqlite_value_counts.h): for every field type, every value (common, rare, absent,
//   spelled another way) and after inserts, updates, upserts and deletes, the total and the rows
//   equal those of the same store with the counts switched off (which counts the matching rows);
// - a filter with many matches sorted by another field, walked on the sort field's index: the
//   same pages, also when the walk runs past its budget and the plain plan answers;
// - a contains-filter on a Korean word narrowed by the full-text index: the rows that hold it.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "catalog/errors.h"
#include "datastore/loader.h"
#include "datastore/sqlite_table_store.h"
#include "loader_test_util.h"
#include "tests/support/temp_dir.h"

using namespace datamap;
using datastore::Cell;
using datastore::Op;
using datastore::SearchQuery;

namespace {

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

class ValueCounts : public ::testing::Test {
 protected:
  datamap::testing::TempDir dir;
  // Values with at least 2 rows are counted, so both paths (counted, counted by the index) run.
  datastore::SqliteSearchTuning counting{2};
  std::unique_ptr<datastore::TableStore> fast =
      datastore::open_sqlite_table_store(dir.file("ds.db"), counting);
  std::unique_ptr<datastore::TableStore> plain =
      datastore::open_sqlite_table_store(dir.file("ds.db"), datastore::SqliteSearchTuning{0, 0});

  // A field named like an injection: every count table and trigger name is quoted.
  const std::string hostile = "kind\"; DROP TABLE t; --";
  std::vector<datastore::Field> fields() const {
    return {{"code", "text", {}},   {hostile, "text", {}}, {"n", "int", {}},
            {"x", "numeric", {}},   {"ok", "bool", {}},    {"day", "date", {}},
            {"at", "timestamp", {}}};
  }
  static datastore::Row row(int i) {
    return {std::string("C") + std::to_string(i % 7),
            std::string(i % 10 ? "공영" : "민영"),
            std::int64_t{i % 5},
            (i % 4) + 0.5,
            i % 3 == 0,
            std::string("2021-01-") + std::to_string(10 + i % 3),
            std::string("2021-01-10T10:00:0") + std::to_string(i % 2)};
  }

  // Every filter a user could send on one column: each value the rows hold, as text (as the API
  // passes it), other spellings of numbers, and values no row holds.
  std::vector<SearchQuery> queries() const {
    std::map<std::string, std::vector<std::string>> values = {
        {"code", {"C0", "C3", "C6", "C9", ""}},
        {hostile, {"공영", "민영", "공"}},
        {"n", {"0", "4", "04", "7"}},
        {"x", {"0.5", "3.5", "3.50", "9"}},
        {"ok", {"true", "false", "yes"}},
        {"day", {"2021-01-10", "2021-01-12", "20210111", "2021-02-01"}},
        {"at", {"2021-01-10T10:00:00", "2021-01-10 10:00:01", "2021-01-10T10:00:02"}}};
    std::vector<SearchQuery> out;
    for (const auto& [field, vs] : values)
      for (const auto& v : vs)
        for (Op op : {Op::eq, Op::in}) {
          SearchQuery q;
          q.resource_id = "t";
          q.limit = 3;
          q.conditions.push_back({field, op, {v}});
          out.push_back(q);
        }
    return out;
  }

  // The counted totals are used (the plan reads a count table) and equal the plain ones.
  void expect_same_totals(const char* when, int min_counted) {
    int counted = 0;
    for (const auto& q : queries()) {
      const auto what =
          std::string(when) + ": " + q.conditions[0].field + " = " + q.conditions[0].values[0];
      auto a = fast->search(q);
      auto b = plain->search(q);
      EXPECT_EQ(a.total, b.total) << what;
      EXPECT_EQ(a.records, b.records) << what;
      EXPECT_FALSE(a.total_was_estimated) << what;
      if (joined(fast->explain_search(q)).find("_ds_vc") != std::string::npos) ++counted;
      EXPECT_EQ(joined(plain->explain_search(q)).find("_ds_vc"), std::string::npos) << what;
      auto estimated = q;  // an exact count beats an estimate
      estimated.total_estimation_threshold = 1;
      EXPECT_EQ(fast->search(estimated).total, b.total) << what;
    }
    EXPECT_GE(counted, min_counted) << when;
    // Two equality filters, both values common or not (two_common_values_total).
    const std::vector<std::pair<std::string, std::vector<std::string>>> a = {
        {"code", {"C0", "C1", "C9"}}, {"n", {"0", "3"}}, {"day", {"2021-01-10", "2021-01-11"}}};
    const std::vector<std::pair<std::string, std::vector<std::string>>> b = {
        {hostile, {"공영", "민영"}}, {"ok", {"true", "false"}}, {"x", {"0.5", "3.5"}}};
    for (const auto& fa : a)
      for (const auto& va : fa.second)
        for (const auto& fb : b)
          for (const auto& vb : fb.second) {
            SearchQuery q;
            q.resource_id = "t";
            q.limit = 2;
            q.conditions = {{fa.first, Op::eq, {va}}, {fb.first, Op::eq, {vb}}};
            auto x = fast->search(q);
            auto y = plain->search(q);
            EXPECT_EQ(x.total, y.total) << when << ": " << va << " and " << vb;
            EXPECT_EQ(x.records, y.records) << when << ": " << va << " and " << vb;
          }
  }
};

TEST_F(ValueCounts, TotalsEqualCountingTheRowsForEveryTypeAndAfterEveryWrite) {
  std::vector<datastore::Row> rows;
  const auto f = fields();
  for (int i = 0; i < 200; ++i) rows.push_back(row(i));
  datastore::TableOptions options;
  for (const auto& x : f) options.indexes.push_back(x.id);
  fast->create("t", f, options, rows);
  expect_same_totals("created", 20);

  // Inserts move counts up, deletes down, updates from one value to another.
  std::vector<datastore::Row> more;
  for (int i = 200; i < 230; ++i) more.push_back(row(i));
  std::vector<std::string> columns;
  for (const auto& x : f) columns.push_back(x.id);
  fast->upsert("t", datastore::TableStore::Method::insert, columns, more);
  expect_same_totals("after inserts", 20);
  fast->delete_rows("t", {{"code", Op::eq, {"C3"}}});
  fast->delete_rows("t", {{"n", Op::eq, {"4"}}, {hostile, Op::eq, {"공영"}}});
  expect_same_totals("after deletes", 20);

  // A primary key for updates and upserts: datastore_create on the table adds a field `id`.
  fast->create("t", {{"id", "int", {}}}, {}, {});
  fast->delete_rows("t", {});
  std::vector<datastore::Row> keyed;
  for (int i = 0; i < 100; ++i) {
    auto r = row(i);
    r.insert(r.begin(), Cell(std::int64_t{i}));
    keyed.push_back(r);
  }
  auto keyed_columns = columns;
  keyed_columns.insert(keyed_columns.begin(), "id");
  fast->upsert("t", datastore::TableStore::Method::insert, keyed_columns, keyed);
  datastore::TableOptions with_key;
  with_key.primary_key = {"id"};
  fast->create("t", {}, with_key, {});
  expect_same_totals("refilled with a key", 20);
  // Every row's values move: C0 → C1 …, 공영 ↔ 민영, numbers shift.
  std::vector<datastore::Row> moved;
  for (int i = 0; i < 100; i += 3) {
    auto r = row(i + 1);
    r.insert(r.begin(), Cell(std::int64_t{i}));
    moved.push_back(r);
  }
  fast->upsert("t", datastore::TableStore::Method::update, keyed_columns, moved);
  expect_same_totals("after updates", 20);
  std::vector<datastore::Row> upserted;
  for (int i = 90; i < 130; ++i) {
    auto r = row(i * 7);
    r.insert(r.begin(), Cell(std::int64_t{i}));
    upserted.push_back(r);
  }
  fast->upsert("t", datastore::TableStore::Method::upsert, keyed_columns, upserted);
  expect_same_totals("after upserts", 20);

  // A retype rebuilds the table and its counts: n as text now compares as text.
  fast->set_field_info("t", {{"n", {"", "", "text", ""}}});
  expect_same_totals("after a retype", 20);
  // A new index list replaces the count tables.
  datastore::TableOptions fewer;
  fewer.indexes = {"code", hostile};
  fast->create("t", {}, fewer, {});
  expect_same_totals("after new indexes", 6);
  // Emptied: every count is zero and still exact.
  fast->delete_rows("t", {});
  for (const auto& q : queries()) EXPECT_EQ(fast->search(q).total, 0);
}

TEST_F(ValueCounts, HostileFilterValuesAreStillRefused) {
  fast->create("t", fields(), {{}, std::nullopt, {"n", "x", "day"}},
               {row(1), row(2), row(3), row(1)});
  for (const auto& [field, value] : std::vector<std::pair<std::string, std::string>>{
           {"n", "four"}, {"x", "abc"}, {"day", "yesterday"}, {"n", "'; DROP TABLE t; --"}}) {
    SearchQuery q;
    q.resource_id = "t";
    q.conditions.push_back({field, Op::eq, {value}});
    EXPECT_THROW(fast->search(q), ValidationError) << field << " = " << value;
  }
  SearchQuery all;
  all.resource_id = "t";
  EXPECT_EQ(fast->search(all).total, 4);  // nothing else damaged
}

// The loader's path (rows first, indexes and counts in the last phase) with the default
// threshold: the common category's total is counted, and stays exact through writes.
TEST(ValueCountsLoad, ALoadedTablesCommonValuesAreCountedAndStayExact) {
  datamap::testing::TempDir dir;
  std::string csv = "이름,구분,면수\n";
  for (int i = 0; i < 3000; ++i)
    csv += "주차장 " + std::to_string(i) + "," + (i % 3 ? "공영" : "민영") + "," +
           std::to_string(i % 50) + "\n";
  datamap::testing::write_file(dir.file("p.csv"), csv);
  auto fast = datastore::open_sqlite_table_store(dir.file("ds.db"));
  auto plain =
      datastore::open_sqlite_table_store(dir.file("ds.db"), datastore::SqliteSearchTuning{0, 0});
  datastore::load_file(dir.file("p.csv"), "csv", *fast, "t", {});
  SearchQuery q;
  q.resource_id = "t";
  q.conditions.push_back({"구분", Op::eq, {"공영"}});
  EXPECT_NE(joined(fast->explain_search(q)).find("_ds_vc"), std::string::npos)
      << joined(fast->explain_search(q));
  EXPECT_EQ(fast->search(q).total, 2000);
  fast->delete_rows("t", {{"면수", Op::lt, {"10"}}});
  fast->upsert("t", datastore::TableStore::Method::insert, {"이름", "구분"},
               {{std::string("새 주차장"), std::string("공영")}});
  auto a = fast->search(q);
  auto b = plain->search(q);
  EXPECT_EQ(a.total, b.total);
  EXPECT_LT(a.total.value_or(2000), 2000);  // the deletes and the insert moved it
  EXPECT_EQ(a.records, b.records);
}

// Filters with many and few matches, sorted by indexed fields with ties and nulls, in both
// directions and at several offsets: the walked pages are the plain plan's pages.
TEST(SortWalk, PagesEqualThePlainPlansAlsoWhenTheWalkGivesUp) {
  datamap::testing::TempDir dir;
  datastore::SqliteSearchTuning walking;
  walking.counted_value_min_rows = 0;  // only the walk differs from plain
  walking.sort_walk_rows = 1000;       // small, so that a walk to the far end gives up
  walking.sort_walk_min_matches = 1;
  auto fast = datastore::open_sqlite_table_store(dir.file("ds.db"), walking);
  auto plain =
      datastore::open_sqlite_table_store(dir.file("ds.db"), datastore::SqliteSearchTuning{0, 0});
  std::vector<datastore::Row> rows;
  for (int i = 0; i < 5000; ++i) {
    // grp: a 60 %, b 30 %, c the last 10 % of the rows (late orders them: the far end)
    std::string grp = i >= 4500 ? "c" : i % 3 ? "a" : "b";
    Cell score = i % 13 == 0 ? Cell() : Cell(std::int64_t{(i * 7919) % 101});
    rows.push_back({grp, score, std::int64_t{i}, std::string(i % 2 ? "홀" : "짝")});
  }
  fast->create(
      "t", {{"grp", "text", {}}, {"score", "int", {}}, {"late", "int", {}}, {"odd", "text", {}}},
      {{}, std::nullopt, {"grp", "score", "late", "odd"}}, rows);
  int walked = 0;
  for (const auto& grp : {"a", "b", "c", "z"})
    for (const auto& sort : {"score", "late", "odd"})
      for (bool desc : {false, true})
        for (std::int64_t offset : {0, 7, 300})
          for (bool second : {false, true}) {
            SearchQuery q;
            q.resource_id = "t";
            q.limit = 10;
            q.offset = offset;
            q.conditions.push_back({"grp", Op::eq, {grp}});
            if (second) q.conditions.push_back({"odd", Op::eq, {"홀"}});
            q.sort.push_back({sort, desc});
            const auto what = std::string(grp) + (second ? " odd" : "") + " by " + sort +
                              (desc ? " desc" : "") + " from " + std::to_string(offset);
            auto a = fast->search(q);
            auto b = plain->search(q);
            EXPECT_EQ(a.records, b.records) << what;
            EXPECT_EQ(a.total, b.total) << what;
            if (joined(fast->explain_search(q)) != joined(plain->explain_search(q))) ++walked;
          }
  EXPECT_GE(walked, 30);  // the walk was tried
  // The plain plan sorts the matches; the walk reads the sort field's index in order.
  SearchQuery common;
  common.resource_id = "t";
  common.conditions.push_back({"grp", Op::eq, {"a"}});
  common.sort.push_back({"score", true});
  EXPECT_NE(joined(plain->explain_search(common)).find("TEMP B-TREE"), std::string::npos);
  EXPECT_NE(joined(fast->explain_search(common)).find("_ds_ix1_t"), std::string::npos)
      << joined(fast->explain_search(common));
}

// A contains-filter (the automatic Open API's LIKE) on a Korean word is narrowed by the full-text
// index: the rows are exactly those whose value contains it, before and after writes.
TEST(ContainsFilter, AKoreanWordFindsExactlyTheValuesHoldingIt) {
  datamap::testing::TempDir dir;
  auto store = datastore::open_sqlite_table_store(dir.file("ds.db"));
  const std::vector<std::string> names = {"대구광역시 수성구 달구벌대로",
                                          "수성구청",
                                          "대구수성구",
                                          "수성 구청",
                                          "수성못 주차장",
                                          "SUSEONG수성구42",
                                          "성구",
                                          "율하체육공원"};
  std::vector<datastore::Row> rows;
  for (const auto& n : names) rows.push_back({n, std::int64_t{1}});
  store->create("t", {{"addr", "text", {}}, {"n", "int", {}}}, {}, rows);
  auto expect_contains = [&](const std::string& word, const char* when) {
    SearchQuery q;
    q.resource_id = "t";
    q.conditions.push_back({"addr", Op::like, {word}});
    std::vector<std::string> got, want;
    for (const auto& r : store->search(q).records) got.push_back(std::get<std::string>(r[1]));
    SearchQuery all;
    all.resource_id = "t";
    for (const auto& r : store->search(all).records) {
      const auto& v = std::get<std::string>(r[1]);
      if (v.find(word) != std::string::npos) want.push_back(v);
    }
    EXPECT_EQ(got, want) << word << " " << when;
    return joined(store->explain_search(q));
  };
  for (const auto* word : {"수성구", "수성", "성구", "구청", "체육공", "수성구4", "구", "없는말"})
    expect_contains(word, "created");
  EXPECT_NE(expect_contains("수성구", "plan").find("_ds_fts_t"), std::string::npos);
  store->upsert("t", datastore::TableStore::Method::insert, {"addr"},
                {{std::string("새수성구길")}, {std::string("수 성구")}});
  store->delete_rows("t", {{"addr", Op::eq, {"수성구청"}}});
  for (const auto* word : {"수성구", "성구", "구청"}) expect_contains(word, "after writes");
}

}  // namespace

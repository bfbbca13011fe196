// Exact totals kept between requests (datastore/sqlite_total_cache.h) are the totals the plain
// count gives: for many `q` values (common, rare, absent words, bigrams, Latin prefixes, several
// words), `q` with filters, filters alone and two common values, asked twice (the second time
// from the cache), before and after writes through the same store and through a second store
// over the same file (another process: this store's revision does not move, only the table's
// state does), including a reload that gives the table the same number of rows and tokens.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "datastore/sqlite_table_store.h"
#include "datastore/sqlite_total_cache.h"
#include "tests/support/temp_dir.h"

using namespace datamap;
using datastore::Cell;
using datastore::Op;
using datastore::SearchQuery;

namespace {

TEST(TotalCache, KeepsAtMostItsCapacityDroppingTheLeastRecentlyUsed) {
  datastore::TotalCache cache(2);
  cache.keep("a", 1);
  cache.keep("b", 2);
  EXPECT_EQ(cache.find("a"), 1);  // a is now the most recently used
  cache.keep("c", 3);             // b goes
  EXPECT_EQ(cache.find("b"), std::nullopt);
  EXPECT_EQ(cache.find("a"), 1);
  EXPECT_EQ(cache.find("c"), 3);
  cache.keep("c", 4);  // kept again: the newer total
  EXPECT_EQ(cache.find("c"), 4);
  datastore::TotalCache none(0);
  none.keep("a", 1);
  EXPECT_FALSE(none.enabled());
  EXPECT_EQ(none.find("a"), std::nullopt);
}

class KeptTotals : public ::testing::Test {
 protected:
  datamap::testing::TempDir dir;
  static datastore::SqliteSearchTuning caching() {
    datastore::SqliteSearchTuning t;
    t.counted_value_min_rows = 2;  // two common values take their own path too
    t.total_cache_entries = 1024;
    return t;
  }
  static datastore::SqliteSearchTuning counting() {
    datastore::SqliteSearchTuning t;
    t.counted_value_min_rows = 0;
    t.sort_walk_rows = 0;
    t.total_cache_entries = 0;
    return t;
  }
  std::unique_ptr<datastore::TableStore> fast =
      datastore::open_sqlite_table_store(dir.file("ds.db"), caching());
  std::unique_ptr<datastore::TableStore> plain =
      datastore::open_sqlite_table_store(dir.file("ds.db"), counting());
  std::unique_ptr<datastore::TableStore> other =  // another writer; its own cache
      datastore::open_sqlite_table_store(dir.file("ds.db"), caching());

  const std::vector<datastore::Field> fields = {
      {"name", "text", {}}, {"addr", "text", {}}, {"kind", "text", {}}, {"n", "int", {}}};
  static datastore::Row row(int i, const std::string& word = "주차장") {
    static const char* const gu[] = {"수성구", "중구", "달서구", "북구 칠성동"};
    return {std::string(i % 3 ? word : "공원") + " " + std::to_string(i % 11),
            std::string("대구광역시 ") + gu[i % 4] + (i % 5 ? " 율하동" : " park-ro"),
            std::string(i % 10 ? "공영" : "민영"), Cell(std::int64_t{i % 4})};
  }
  void create(datastore::TableStore& store, int rows, const std::string& word = "주차장") {
    std::vector<datastore::Row> r;
    for (int i = 0; i < rows; ++i) r.push_back(row(i, word));
    store.create("t", fields, {{}, std::nullopt, {"kind", "n"}}, r);
  }

  static std::vector<SearchQuery> queries() {
    std::vector<SearchQuery> out;
    auto add = [&](std::string q, std::vector<datastore::Condition> c) {
      SearchQuery s;
      s.resource_id = "t";
      s.limit = 3;
      s.q = std::move(q);
      s.conditions = std::move(c);
      out.push_back(s);
    };
    for (const auto* q : {"주차장", "차장", "수성구", "성구", "율하동", "중구", "칠성동", "park",
                          "PARK-RO", "주차장 수성구", "수성구 park", "없는말", "7", "구"}) {
      add(q, {});
      add(q, {{"kind", Op::eq, {"공영"}}});
    }
    for (const auto* q : {"주차장", "수성구", "park"}) add(q, {{"n", Op::eq, {"1"}}});
    add("", {{"kind", Op::eq, {"공영"}}, {"n", Op::eq, {"2"}}});  // two common values
    add("", {{"kind", Op::eq, {"민영"}}, {"n", Op::in, {"0", "3"}}});
    add("", {{"name", Op::eq, {"주차장 1"}}});
    add("", {{"n", Op::gt, {"1"}}});
    add("", {{"addr", Op::like, {"수성구"}}});
    return out;
  }

  void expect_same(const char* when) {
    for (int pass = 0; pass < 2; ++pass)  // the second pass: the kept totals
      for (const auto& q : queries()) {
        const auto what = std::string(when) + ": q=" + q.q + " conditions " +
                          std::to_string(q.conditions.size()) + " pass " + std::to_string(pass);
        auto a = fast->search(q);
        auto b = plain->search(q);
        ASSERT_TRUE(b.total.has_value()) << what;
        EXPECT_EQ(a.total, b.total) << what;
        EXPECT_EQ(a.records, b.records) << what;
        EXPECT_FALSE(a.total_was_estimated) << what;
      }
  }
  std::vector<std::string> columns() const {
    std::vector<std::string> c;
    for (const auto& f : fields) c.push_back(f.id);
    return c;
  }
};

TEST_F(KeptTotals, EqualThePlainCountBeforeAndAfterWritesByThisStoreAndAnother) {
  create(*fast, 400);
  expect_same("created");

  // Writes through the same store.
  std::vector<datastore::Row> more;
  for (int i = 400; i < 460; ++i) more.push_back(row(i));
  fast->upsert("t", datastore::TableStore::Method::insert, columns(), more);
  expect_same("after inserts here");
  fast->delete_rows("t", {{"n", Op::eq, {"3"}}});
  expect_same("after deletes here");

  // Writes through another store over the same file: this store's revision stays.
  other->upsert("t", datastore::TableStore::Method::insert, columns(),
                {row(1000), row(1001, "차장님"), {Cell(), Cell(), Cell(), Cell()}});
  expect_same("after inserts by another writer");
  other->delete_rows("t", {{"name", Op::eq, {"주차장 1"}}});
  expect_same("after a delete by another writer");
  other->delete_rows("t", {{"addr", Op::like, {"수성구"}}});
  expect_same("after deleting every 수성구 by another writer");

  // An update of a number only (no text changes): q with a filter on it must move.
  other->create("t", {{"id", "int", {}}}, {}, {});
  other->delete_rows("t", {});
  std::vector<datastore::Row> keyed;
  for (int i = 0; i < 200; ++i) {
    auto r = row(i);
    r.push_back(Cell(std::int64_t{i}));
    keyed.push_back(r);
  }
  auto keyed_columns = columns();
  keyed_columns.push_back("id");
  other->upsert("t", datastore::TableStore::Method::insert, keyed_columns, keyed);
  datastore::TableOptions with_key;
  with_key.primary_key = {"id"};
  other->create("t", {}, with_key, {});
  expect_same("refilled with a key by another writer");
  std::vector<datastore::Row> renumbered;
  for (int i = 0; i < 200; i += 2)
    renumbered.push_back({Cell(std::int64_t{(i + 1) % 4}), Cell(std::int64_t{i})});
  other->upsert("t", datastore::TableStore::Method::update, {"n", "id"}, renumbered);
  expect_same("after numbers changed by another writer");

  // A reload by another writer: the same number of rows and tokens, one word changed.
  other->drop("t");
  create(*other, 400, "주차면");
  expect_same("after a reload by another writer");
  other->drop("t");
  create(*other, 400);
  expect_same("after a reload back by another writer");
  // Emptied.
  other->delete_rows("t", {});
  expect_same("emptied by another writer");
}

// Answers stay what they were for bad input: the cache changes nothing for `q` syntax or values
// that do not fit a field's type.
TEST_F(KeptTotals, HostileQueriesAreAnsweredAsWithoutIt) {
  create(*fast, 50);
  for (const auto* q : {"\"", "NEAR(주차 차장)", "주차* OR 1", "'; DROP TABLE t; --", "^park"}) {
    SearchQuery s;
    s.resource_id = "t";
    s.q = q;
    for (int pass = 0; pass < 2; ++pass) {
      std::optional<std::int64_t> a, b;
      try {
        a = fast->search(s).total;
      } catch (const std::exception&) {
        a = -1;
      }
      try {
        b = plain->search(s).total;
      } catch (const std::exception&) {
        b = -1;
      }
      EXPECT_EQ(a, b) << q;
    }
  }
  SearchQuery bad;
  bad.resource_id = "t";
  bad.q = "주차장";
  bad.conditions.push_back({"n", Op::eq, {"four"}});
  EXPECT_ANY_THROW(fast->search(bad));
  SearchQuery all;
  all.resource_id = "t";
  EXPECT_EQ(fast->search(all).total, 50);
}

}  // namespace

// The table store on its own, on both backends (datastore/sqlite_table_store.h,
// datastore/pg_table_store.h) with the same assertions: typed values, Korean full text,
// conditions, sorting, atomic replacement, and the SQL sandbox refusing what is not a read.
// What only one backend does (SQLite's split load commit and estimated totals) is asserted on
// that backend.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "catalog/errors.h"
#include "datastore/pg_table_store.h"
#include "datastore/sqlite_table_store.h"
#include "tests/support/pg_cluster.h"
#include "tests/support/store_backends.h"
#include "tests/support/temp_dir.h"

namespace datamap::datastore {
namespace {

using datamap::testing::Backend;

class TableStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  testing::TempDir dir;
  std::unique_ptr<TableStore> store = open();

  bool on_postgres() const { return GetParam() == Backend::kPostgres; }
  std::unique_ptr<TableStore> open() {
    if (GetParam() == Backend::kSqlite)
      return open_sqlite_table_store(dir.path() + "/datastore.db");
    return open_pg_table_store(testing::PgCluster::shared().new_database());
  }

  void make_parks() {
    store->create("parks",
                  {{"이름", "text", {}},
                   {"면적", "numeric", {}},
                   {"개수", "int", {}},
                   {"개방", "bool", {}},
                   {"지정일", "date", {}},
                   {"위도", "numeric", {}},
                   {"경도", "numeric", {}}},
                  {{"이름"}, std::make_pair(std::string("위도"), std::string("경도")), {"개수"}},
                  {{std::string("율하체육공원"), 1500.5, std::int64_t{3}, true,
                    std::string("2020-01-02"), 35.87, 128.69},
                   {std::string("Central Park"), std::string("341"), std::string("7"),
                    std::string("false"), std::string("20191231"), 37.5, 127.0},
                   {std::string("하늘어린이공원"), std::monostate{}, std::int64_t{1}, false,
                    std::monostate{}, 91.0, 127.0}});
  }
  SearchResult find(SearchQuery q) {
    q.resource_id = "parks";
    return store->search(q);
  }
  std::vector<std::string> names(const SearchResult& r, std::size_t col = 1) {
    std::vector<std::string> out;
    for (const auto& row : r.records) out.push_back(cell_text_of(row[col]));
    return out;
  }
  static std::string cell_text_of(const Cell& c) {
    if (auto* s = std::get_if<std::string>(&c)) return *s;
    return "?";
  }
};

TEST_P(TableStoreTest, ValuesComeBackTyped) {
  make_parks();
  auto r = find({});
  ASSERT_EQ(r.records.size(), 3u);
  EXPECT_EQ(r.fields[0].id, "_id");
  EXPECT_EQ(std::get<std::int64_t>(r.records[0][0]), 1);
  EXPECT_EQ(std::get<double>(r.records[1][2]), 341.0);
  EXPECT_EQ(std::get<std::int64_t>(r.records[1][3]), 7);
  EXPECT_EQ(std::get<bool>(r.records[0][4]), true);
  EXPECT_EQ(std::get<bool>(r.records[1][4]), false);
  EXPECT_EQ(std::get<std::string>(r.records[1][5]), "2019-12-31");
  EXPECT_TRUE(std::holds_alternative<std::monostate>(r.records[2][2]));
  EXPECT_EQ(*r.total, 3);
  EXPECT_EQ(store->info("parks")->row_count, 3);
}

// What `datamap migrate` lists to copy (datastore/table_copy.h): every table, in byte order.
TEST_P(TableStoreTest, TableIdsListEveryTableInByteOrder) {
  EXPECT_TRUE(store->table_ids().empty());
  make_parks();
  store->create("Zeta", {{"a", "int", {}}}, {}, {});
  store->create("alpha", {{"a", "int", {}}}, {}, {});
  EXPECT_EQ(store->table_ids(), (std::vector<std::string>{"Zeta", "alpha", "parks"}));
  store->drop("alpha");
  EXPECT_EQ(store->table_ids(), (std::vector<std::string>{"Zeta", "parks"}));
}

// A copy keeps the source's row ids (gaps included); ids that do not grow are refused.
TEST_P(TableStoreTest, AWriterKeepsGivenRowIdsWhereTheBackendCan) {
  auto w = store->replace_table("ids", {{"a", "int", {}}}, {});
  if (!on_postgres()) {
    EXPECT_THROW(w->append_with_id(5, {std::int64_t{1}}), NotImplemented);
    return;
  }
  w->append_with_id(2, {std::int64_t{20}});
  w->append_with_id(7, {std::int64_t{70}});
  EXPECT_THROW(w->append_with_id(7, {std::int64_t{71}}), ValidationError);
  w->append({std::int64_t{80}});  // numbered on after the last id
  w->commit();
  SearchQuery q;
  q.resource_id = "ids";
  auto r = store->search(q);
  ASSERT_EQ(r.records.size(), 3u);
  EXPECT_EQ(std::get<std::int64_t>(r.records[0][0]), 2);
  EXPECT_EQ(std::get<std::int64_t>(r.records[1][0]), 7);
  EXPECT_EQ(std::get<std::int64_t>(r.records[2][0]), 8);
  EXPECT_EQ(store->info("ids")->row_count, 3);
}

TEST_P(TableStoreTest, AValueThatDoesNotFitNamesFieldAndRow) {
  make_parks();
  try {
    store->upsert("parks", TableStore::Method::insert, {"이름", "개수"},
                  {{std::string("a"), std::int64_t{1}}, {std::string("b"), std::string("many")}});
    FAIL() << "accepted 'many' as an int";
  } catch (const ValidationError& e) {
    ASSERT_TRUE(e.fields().count("개수"));
    EXPECT_NE(e.fields().at("개수")[0].find("row 2"), std::string::npos);
  }
  EXPECT_EQ(store->info("parks")->row_count, 3);  // nothing of the failed write stayed
}

TEST_P(TableStoreTest, KoreanSubstringsAndEnglishWordsAreFound) {
  make_parks();
  SearchQuery q;
  q.q = "공원";
  EXPECT_EQ(find(q).records.size(), 2u);
  q.q = "체육공원";
  EXPECT_EQ(names(find(q)), std::vector<std::string>{"율하체육공원"});
  q.q = "어린이";
  EXPECT_EQ(names(find(q)), std::vector<std::string>{"하늘어린이공원"});
  q.q = "park";
  EXPECT_EQ(names(find(q)), std::vector<std::string>{"Central Park"});
  q.q = "공원 율하";
  EXPECT_EQ(find(q).records.size(), 1u);
  q.q = "체육관";
  EXPECT_EQ(find(q).records.size(), 0u);
  q.q = "\"NEAR( *";  // FTS5 syntax is only text
  EXPECT_EQ(find(q).records.size(), 0u);
  q.q = "";
  q.q_fields = {{"이름", "어린이"}};
  EXPECT_EQ(find(q).records.size(), 1u);
}

// `q` drives the query from the full-text index (loader speed work): with filters, a sort, a
// page and distinct it must give what the plain query gives, and its total must count the rows.
TEST_P(TableStoreTest, FullTextCombinesWithFiltersSortPagesAndTotals) {
  make_parks();
  SearchQuery q;
  q.q = "공원";
  auto all = find(q);
  EXPECT_EQ(names(all), (std::vector<std::string>{"율하체육공원", "하늘어린이공원"}));
  EXPECT_EQ(*all.total, 2);
  q.conditions = {{"개수", Op::gte, {"2"}}};
  auto filtered = find(q);
  EXPECT_EQ(names(filtered), std::vector<std::string>{"율하체육공원"});
  EXPECT_EQ(*filtered.total, 1);
  q.conditions.clear();
  q.sort = {{"개수", false}};
  EXPECT_EQ(names(find(q)), (std::vector<std::string>{"하늘어린이공원", "율하체육공원"}));
  q.sort.clear();
  q.offset = 1;
  q.limit = 1;
  auto page = find(q);
  EXPECT_EQ(names(page), std::vector<std::string>{"하늘어린이공원"});
  EXPECT_EQ(*page.total, 2);
  q.offset = 0;
  q.limit = 100;
  q.distinct = true;
  q.fields = {"개방"};
  EXPECT_EQ(*find(q).total, 2);
  q = {};
  q.q = "공원";
  store->delete_rows("parks", {{"이름", Op::eq, {"하늘어린이공원"}}});
  EXPECT_EQ(*find(q).total, 1);  // the index forgot the deleted row
}

TEST_P(TableStoreTest, FullTextFollowsUpdatesAndDeletes) {
  make_parks();
  store->upsert(
      "parks", TableStore::Method::upsert, {"이름", "개수"},
      {{std::string("율하체육공원"), std::int64_t{9}}, {std::string("두류공원"), std::int64_t{2}}});
  SearchQuery q;
  q.q = "두류";
  EXPECT_EQ(find(q).records.size(), 1u);
  store->delete_rows("parks", {{"이름", Op::eq, {"두류공원"}}});
  EXPECT_EQ(find(q).records.size(), 0u);
  q.q = "체육";
  auto r = find(q);
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(std::get<std::int64_t>(r.records[0][3]), 9);
}

TEST_P(TableStoreTest, ConditionsCompareAsTheFieldsType) {
  make_parks();
  SearchQuery q;
  q.conditions = {{"개수", Op::gte, {"3"}}};  // as text "7" < "30"; as int 7 >= 3
  EXPECT_EQ(find(q).records.size(), 2u);
  q.conditions = {{"지정일", Op::lt, {"2020-01-01"}}};
  EXPECT_EQ(names(find(q)), std::vector<std::string>{"Central Park"});
  q.conditions = {{"개수", Op::in, {"1", "7"}}};
  EXPECT_EQ(find(q).records.size(), 2u);
  q.conditions = {{"이름", Op::like, {"어린"}}};
  EXPECT_EQ(find(q).records.size(), 1u);
  q.conditions = {{"이름", Op::like, {"%"}}};  // a plain character
  EXPECT_EQ(find(q).records.size(), 0u);
  q.conditions = {{"개수", Op::eq, {"three"}}};
  EXPECT_THROW(find(q), ValidationError);
  q.conditions = {{"nope", Op::eq, {"1"}}};
  EXPECT_THROW(find(q), ValidationError);
}

TEST_P(TableStoreTest, SortFieldsDistinctAndPaging) {
  make_parks();
  SearchQuery q;
  q.sort = {{"개수", true}};
  q.fields = {"이름"};
  EXPECT_EQ(names(find(q), 0),
            (std::vector<std::string>{"Central Park", "율하체육공원", "하늘어린이공원"}));
  q.limit = 1;
  q.offset = 1;
  auto r = find(q);
  EXPECT_EQ(names(r, 0), std::vector<std::string>{"율하체육공원"});
  EXPECT_EQ(*r.total, 3);
  q = {};
  q.sort = {{"nope", false}};
  EXPECT_THROW(find(q), ValidationError);
  q = {};
  q.fields = {"개방"};
  q.distinct = true;
  r = find(q);
  EXPECT_EQ(r.records.size(), 2u);
  EXPECT_EQ(*r.total, 2);
}

TEST_P(TableStoreTest, BoundingBoxUsesThePoints) {
  make_parks();
  SearchQuery q;
  q.bbox = BoundingBox{35, 128, 36, 129};
  EXPECT_EQ(names(find(q)), std::vector<std::string>{"율하체육공원"});
  q.bbox = BoundingBox{-90, -180, 90, 180};  // latitude 91 is no point
  EXPECT_EQ(find(q).records.size(), 2u);
}

TEST_P(TableStoreTest, HostileColumnNamesAreJustNames) {
  const std::string evil = "\"; DROP TABLE parks; --";
  make_parks();
  store->create("evil", {{evil, "text", {}}, {"a\"b", "int", {}}}, {},
                {{std::string("x"), std::int64_t{1}}});
  SearchQuery q;
  q.resource_id = "evil";
  q.conditions = {{evil, Op::eq, {"x"}}};
  q.sort = {{"a\"b", true}};
  auto r = store->search(q);
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.fields[1].id, evil);
  EXPECT_EQ(store->info("parks")->row_count, 3);
  EXPECT_THROW(store->create("t2", {{"_id", "int", {}}}, {}, {}), ValidationError);
  EXPECT_THROW(store->create("t3", {{"a", "int", {}}, {"A", "int", {}}}, {}, {}), ValidationError);
  EXPECT_THROW(store->create("_ds_tables", {{"a", "int", {}}}, {}, {}), ValidationError);
  std::vector<Field> many;
  for (int i = 0; i < 5000; ++i)
    many.push_back({std::string("c").append(std::to_string(i)), "text", {}});
  try {
    store->create("wide", many, {}, {});
    FAIL();
  } catch (const ValidationError& e) {
    EXPECT_NE(e.fields().at("fields")[0].find("at most 1000"), std::string::npos);
  }
  if (on_postgres()) {  // PostgreSQL would cut a longer name, so it is refused
    EXPECT_THROW(store->create("long", {{std::string(64, 'a'), "text", {}}}, {}, {}),
                 ValidationError);
  }
  many.resize(kMaxFields);
  store->create("wide", many, {}, {Row(kMaxFields, Cell(std::string("v")))});
  EXPECT_EQ(store->info("wide")->row_count, 1);
}

TEST_P(TableStoreTest, DataDictionaryAndRetype) {
  store->create("t", {{"code", "text", {}}}, {}, {{std::string("0164")}, {std::string("12")}});
  store->set_field_info("t", {{"code", {"코드", "법정동코드", "", "법정동코드"}}});
  auto info = store->info("t");
  EXPECT_EQ(info->fields[0].info.label, "코드");
  EXPECT_EQ(info->fields[0].type, "text");
  store->set_field_info("t", {{"code", {"코드", "", "int", ""}}});
  info = store->info("t");
  EXPECT_EQ(info->fields[0].type, "int");
  SearchQuery q;
  q.resource_id = "t";
  q.conditions = {{"code", Op::eq, {"164"}}};
  EXPECT_EQ(store->search(q).records.size(), 1u);
  EXPECT_THROW(store->upsert("t", TableStore::Method::insert, {"code"}, {{std::string("0164A")}}),
               ValidationError);
}

TEST_P(TableStoreTest, ReplaceIsAtomicAndReadersSeeOldOrNew) {
  store->create("t", {{"v", "int", {}}}, {}, {{std::int64_t{1}}});
  {
    auto w = store->replace_table("t", {{"v", "int", {}}}, {});
    w->append({std::int64_t{2}});
    w->append({std::int64_t{3}});
    std::thread reader([&] {  // a read during the load sees the old table
      SearchQuery q;
      q.resource_id = "t";
      EXPECT_EQ(store->search(q).records.size(), 1u);
    });
    reader.join();
  }  // dropped without commit: nothing changed
  EXPECT_EQ(store->info("t")->row_count, 1);
  {
    // Readers looping through a load and its commit see 1 row or 2,001, nothing in between.
    std::atomic<bool> done{false};
    std::atomic<int> bad{0}, reads{0};
    std::thread reader([&] {
      while (!done) {
        SearchQuery q;
        q.resource_id = "t";
        q.limit = 0;
        auto total = *store->search(q).total;
        if (total != 1 && total != 2001) ++bad;
        ++reads;
      }
    });
    auto big = store->replace_table("t", {{"v", "int", {}}}, {});
    for (int i = 0; i < 2001; ++i) big->append({std::int64_t{i}});
    big->commit();
    while (reads < 5) std::this_thread::yield();
    done = true;
    reader.join();
    EXPECT_EQ(bad, 0);
    EXPECT_EQ(store->info("t")->row_count, 2001);
  }
  auto w = store->replace_table("t", {{"v", "int", {}}, {"w", "text", {}}}, {});
  w->append({std::int64_t{5}, std::string("다섯")});
  EXPECT_THROW(w->append({std::string("x"), std::string("")}), ValidationError);
  w->commit();
  SearchQuery q;
  q.resource_id = "t";
  q.q = "다섯";
  EXPECT_EQ(store->search(q).records.size(), 1u);
  EXPECT_EQ(store->info("t")->row_count, 1);
}

// SQLite's own: the load's split commit and estimated totals (PostgreSQL commits the rows with
// their indexes, and counts every total).
class SqliteOnlyTableStoreTest : public TableStoreTest {};

// A load's split commit: rows first, then the full-text and point indexes. Meanwhile filters and
// bbox answer from the rows, q is a 409 naming q, and rows written in between are indexed too.
TEST_P(SqliteOnlyTableStoreTest, RowsCommittedFirstAreQueryableAndFullTextFollows) {
  make_parks();
  std::vector<Field> fields = {
      {"이름", "text", {}}, {"위도", "numeric", {}}, {"경도", "numeric", {}}};
  TableOptions options{{}, std::make_pair(std::string("위도"), std::string("경도")), {}};
  auto w = store->replace_table("parks", fields, options);
  w->append({std::string("반송공원"), 35.2, 128.6});
  w->append({std::string("용지호수공원"), 35.23, 128.68});
  w->append({std::string("좌표없는공원"), std::monostate{}, std::monostate{}});
  w->commit_rows();
  EXPECT_TRUE(store->info("parks")->search_indexes_pending);
  EXPECT_EQ(find({}).total, 3);
  SearchQuery box;
  box.bbox = BoundingBox{35.1, 128.5, 35.21, 128.65};
  EXPECT_EQ(names(find(box)), std::vector<std::string>{"반송공원"});
  SearchQuery q;
  q.q = "율하";  // a word of the old rows: never answered from their full text
  try {
    find(q);
    ADD_FAILURE() << "q answered while the full text is pending";
  } catch (const ValidationError& e) {
    EXPECT_NE(e.fields().at("q").front().find("full-text index is being built"), std::string::npos);
  }
  SearchQuery by_field;
  by_field.q_fields = {{"이름", "공원"}};
  EXPECT_THROW(find(by_field), ValidationError);
  // Written between the phases: in the index once it is built.
  store->create("parks", fields, {}, {{std::string("가음정공원"), 35.21, 128.7}});
  // An index asked for meanwhile (CKAN's `indexes`) is built; the full text stays pending.
  store->create("parks", fields, TableOptions{{}, std::nullopt, {"이름"}}, {});
  EXPECT_TRUE(store->info("parks")->search_indexes_pending);
  EXPECT_EQ(store->info("parks")->options.indexes, std::vector<std::string>{"이름"});
  std::atomic<bool> stop{true};
  EXPECT_THROW(store->build_search_indexes("parks", &stop), BadRequest);
  EXPECT_TRUE(store->info("parks")->search_indexes_pending);  // aborted: still pending
  store->build_search_indexes("parks");
  EXPECT_FALSE(store->info("parks")->search_indexes_pending);
  EXPECT_EQ(find(q).total, 0);
  q.q = "공원";
  EXPECT_EQ(find(q).total, 4);
  EXPECT_EQ(names(find(box)), std::vector<std::string>{"반송공원"});
  store->upsert("parks", TableStore::Method::insert, {"이름", "위도", "경도"},
                {{std::string("상남공원"), 35.15, 128.6}});  // the triggers keep it current
  EXPECT_EQ(find(q).total, 5);
  EXPECT_EQ(find(box).total, 2);
  store->build_search_indexes("parks");  // nothing pending: no-op
  EXPECT_EQ(find(q).total, 5);
  // Asking for other indexes later keeps the full text and the points as they are.
  store->create("parks", fields, TableOptions{{}, std::nullopt, {"위도", "이름"}}, {});
  EXPECT_EQ(store->info("parks")->options.indexes, (std::vector<std::string>{"위도", "이름"}));
  EXPECT_EQ(find(q).total, 5);
  EXPECT_EQ(find(box).total, 2);
  SearchQuery named;
  named.conditions = {{"이름", Op::eq, {"상남공원"}}};
  EXPECT_EQ(find(named).total, 1);
}

// CKAN's total_estimation_threshold: past it the total may be extrapolated (and says so);
// at or under it, or when every match was read anyway, it is exact.
TEST_P(SqliteOnlyTableStoreTest, TotalsPastTheEstimationThresholdAreEstimated) {
  std::vector<Row> rows;
  for (int i = 0; i < 20000; ++i)
    rows.push_back({std::string(i % 4 == 3 ? "한빛도서관" : "중앙공원"), std::int64_t{i % 10}});
  store->create("big", {{"이름", "text", {}}, {"구분", "int", {}}}, {}, rows);
  SearchQuery q;
  q.resource_id = "big";
  q.q = "공원";
  q.limit = 1;
  auto exact = store->search(q);
  EXPECT_EQ(exact.total, 15000);
  EXPECT_FALSE(exact.total_was_estimated);
  q.total_estimation_threshold = 100;
  auto estimated = store->search(q);
  EXPECT_TRUE(estimated.total_was_estimated);
  EXPECT_NEAR(static_cast<double>(*estimated.total), 15000.0, 1500.0);
  EXPECT_EQ(estimated.records.size(), 1u);
  q.total_estimation_threshold = 15000;  // not past it: exact
  EXPECT_EQ(store->search(q).total, 15000);
  EXPECT_FALSE(store->search(q).total_was_estimated);
  q.q.clear();
  q.conditions = {{"구분", Op::eq, {"7"}}};
  q.total_estimation_threshold = 10;  // 2,000 matches: past it, estimated from the first 1,001
  auto filtered = store->search(q);
  EXPECT_TRUE(filtered.total_was_estimated);
  EXPECT_NEAR(static_cast<double>(*filtered.total), 2000.0, 200.0);
  q.conditions = {{"구분", Op::eq, {"7"}}, {"이름", Op::eq, {"한빛도서관"}}};
  auto none = store->search(q);  // i % 10 == 7 and i % 4 == 3: 1,000 rows, every one read
  EXPECT_EQ(none.total, 1000);
  EXPECT_FALSE(none.total_was_estimated);
  q.distinct = true;  // distinct totals are always counted
  q.fields = {"이름"};
  EXPECT_EQ(store->search(q).total, 1);
  EXPECT_FALSE(store->search(q).total_was_estimated);
}

class SandboxTest : public TableStoreTest {
 protected:
  SqlResult sql(const std::string& text, int timeout_ms = 2000) {
    return store->search_sql(text, {100, timeout_ms},
                             [](const std::string& t) { return t != "secret"; });
  }
  void refused(const std::string& text, const std::string& why) {
    try {
      sql(text, 300);
      ADD_FAILURE() << "ran: " << text;
    } catch (const BadRequest& e) {
      EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << text << ": " << e.what();
    }
  }
};

TEST_P(SandboxTest, SelectsJoinsAndCounts) {
  make_parks();
  store->create("secret", {{"x", "int", {}}}, {}, {{std::int64_t{1}}});
  auto r = sql("SELECT count(*) AS n FROM parks WHERE \"개수\" > 1");
  EXPECT_EQ(std::get<std::int64_t>(r.records[0][0]), 2);
  r = sql("SELECT a.\"이름\" FROM parks a JOIN parks b ON a._id = b._id ORDER BY 1");
  EXPECT_EQ(r.records.size(), 3u);
  r =
      sql("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 500) "
          "SELECT i FROM n");
  EXPECT_EQ(r.records.size(), 100u);
  EXPECT_TRUE(r.truncated);
  refused("SELECT * FROM secret", "secret");
  refused("SELECT * FROM sqlite_master", "sqlite_master");
  refused("SELECT * FROM _ds_tables", "_ds_tables");
  if (on_postgres()) {
    refused("SELECT * FROM pg_catalog.pg_class", "internal");
    refused("SELECT * FROM datastore._ds_settings", "_ds_settings");  // the reader's password
    refused("SELECT query_to_xml('SELECT * FROM secret', true, true, '')", "query_to_xml");
    refused("SELECT \"query_to_xml\"('SELECT * FROM secret', true, true, '')", "query_to_xml");
    refused("SELECT pg_catalog.TABLE_TO_XML /* x */ ('secret', true, true, '')", "table_to_xml");
    refused("SELECT pg_read_file('/etc/passwd')", "pg_read_file");
    // A session-level advisory lock would outlive the query on the pooled reader connection
    // (this key is the DataStore's write lock); a setting would lift the time limit.
    refused("SELECT pg_advisory_lock(1684895604)", "pg_advisory_lock");
    refused("SELECT set_config('statement_timeout', '0', false)", "set_config");
    refused("SELECT pg_terminate_backend(pid) FROM pg_stat_activity", "pg_terminate_backend");
    // Names in literals, comments and columns are not calls.
    EXPECT_EQ(sql("SELECT 'query_to_xml(' AS f, $$set_config($$ AS g, count(*) AS to_xml_n "
                  "FROM parks -- pg_advisory_lock(1)")
                  .records[0][2],
              Cell(std::int64_t{3}));
    refused("WITH d AS (DELETE FROM parks RETURNING *) SELECT * FROM d", "Not authorized");
    refused("-- only a comment", "an empty statement");
    // PostgreSQL nests block comments (SQLite does not).
    refused("/* a /* nested */ comment */ DELETE FROM parks", "DELETE");
    EXPECT_EQ(sql("/* all /* of */ them */ SELECT count(*) FROM parks").records[0][0],
              Cell(std::int64_t{3}));
  } else {
    refused("SELECT * FROM \"_ds_fts_parks\"", "internal");
    refused("SELECT count(*) FROM \"_ds_pt_parks\"", "internal");
    refused("SELECT count(*) FROM SQLITE_SCHEMA", "SQLITE_SCHEMA");
  }
  refused("WITH x AS (SELECT * FROM secret) SELECT count(*) FROM x", "secret");
  refused("ALTER TABLE parks RENAME TO p2", "ALTER TABLE");
  refused("DELETE FROM parks", "DELETE");
  refused("INSERT INTO parks(_id) VALUES (99)", "INSERT");
  refused("UPDATE parks SET \"개수\" = 0", "UPDATE");
  refused("DROP TABLE parks", "DROP");
  refused("CREATE TABLE x(a)", "CREATE");
  refused("ATTACH DATABASE '/tmp/x.db' AS x", "ATTACH");
  refused("PRAGMA table_info(parks)", "PRAGMA");
  refused("SELECT load_extension('/tmp/x.so')", "load_extension");
  refused("SELECT 1; DELETE FROM parks", "more than one statement");
  refused("VACUUM", "not a SELECT");
  // A comment before a SELECT is part of the statement, not a reason to refuse it.
  EXPECT_EQ(sql("-- how many parks\n/* all of them */ SELECT count(*) FROM parks").records[0][0],
            Cell(std::int64_t{3}));
  refused("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n) SELECT count(*) FROM n",
          "took too long");
  EXPECT_EQ(store->info("parks")->row_count, 3);
  EXPECT_EQ(sql("SELECT count(*) FROM parks").records[0][0], Cell(std::int64_t{3}));
}

DATAMAP_STORE_BACKENDS(TableStoreTest);
DATAMAP_STORE_BACKENDS(SandboxTest);
INSTANTIATE_TEST_SUITE_P(Backends, SqliteOnlyTableStoreTest,
                         ::testing::Values(::datamap::testing::Backend::kSqlite),
                         ::datamap::testing::backend_name);

}  // namespace
}  // namespace datamap::datastore

// DataStore search and SQL equal on both backends: a real data.go.kr file (CP949, the bundled
// city-park list) loaded by the loader into the SQLite and the PostgreSQL table store, then the
// same searches (filters of every Op, `q` in Korean and English, sorts, pages, distinct, totals)
// and the same datastore_search_sql statements asked of both: every answer must be the same.
// Joins too: the city parks against the bundled parking lots, by agency code and by distance,
// where SQLite probes its join-key index and R*Tree and PostgreSQL hashes and compares.
#include <gtest/gtest.h>

#include <variant>

#include "catalog/errors.h"
#include "datastore/loader.h"
#include "datastore/pg_table_store.h"
#include "datastore/sqlite_table_store.h"
#include "tests/support/pg_cluster.h"
#include "tests/support/temp_dir.h"

namespace datamap::datastore {
namespace {

const std::string kFile =
    DATAMAP_SOURCE_DIR "/data/sample/datafiles/datago-std-citypark-15012890.csv";
const std::string kLots =
    DATAMAP_SOURCE_DIR "/data/sample/datafiles/datago-std-parking-15012896.csv";

class BackendsEqualTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    sqlite_ = open_sqlite_table_store(dir_->path() + "/datastore.db").release();
    pg_ = open_pg_table_store(testing::PgCluster::shared().new_database()).release();
    for (TableStore* s : {sqlite_, pg_}) {
      load_file(kFile, "CSV", *s, "park");
      load_file(kLots, "CSV", *s, "lot");
    }
  }
  static void TearDownTestSuite() {
    delete sqlite_;
    delete pg_;
    delete dir_;
  }

  // Both answers, compared field by field and record by record; returns how many records.
  static std::size_t same(SearchQuery q, const std::string& what) {
    q.resource_id = "park";
    auto a = sqlite_->search(q), b = pg_->search(q);
    if (a.fields.size() != b.fields.size()) {
      ADD_FAILURE() << what << ": " << a.fields.size() << " fields, " << b.fields.size();
      return 0;
    }
    for (std::size_t i = 0; i < a.fields.size(); ++i) {
      EXPECT_EQ(a.fields[i].id, b.fields[i].id) << what;
      EXPECT_EQ(a.fields[i].type, b.fields[i].type) << what;
    }
    EXPECT_EQ(a.total, b.total) << what;
    if (a.records.size() != b.records.size()) {
      ADD_FAILURE() << what << ": " << a.records.size() << " records, " << b.records.size();
      return 0;
    }
    for (std::size_t i = 0; i < a.records.size(); ++i)
      EXPECT_EQ(a.records[i], b.records[i]) << what << ", record " << i;
    return a.records.size();
  }

  // Both joins' answers compared as same() compares searches; returns how many records. A query
  // one backend refuses must be refused by the other with the same message.
  static std::size_t same_join(const JoinQuery& q, const std::string& what) {
    auto answer = [&](TableStore* s) -> std::variant<SearchResult, std::string> {
      try {
        return s->join(q);
      } catch (const ValidationError& e) {
        return std::string("ValidationError: ") + e.what();
      } catch (const BadRequest& e) {
        return std::string("BadRequest: ") + e.what();
      }
    };
    auto a = answer(sqlite_), b = answer(pg_);
    if (a.index() != b.index() || a.index() == 1) {
      EXPECT_EQ(a.index() == 1 ? std::get<1>(a) : "an answer",
                b.index() == 1 ? std::get<1>(b) : "an answer")
          << what;
      return 0;
    }
    const auto& x = std::get<0>(a);
    const auto& y = std::get<0>(b);
    EXPECT_EQ(x.total, y.total) << what;
    if (x.fields.size() != y.fields.size() || x.records.size() != y.records.size()) {
      ADD_FAILURE() << what << ": " << x.fields.size() << " fields and " << x.records.size()
                    << " records against " << y.fields.size() << " and " << y.records.size();
      return 0;
    }
    for (std::size_t i = 0; i < x.fields.size(); ++i) {
      EXPECT_EQ(x.fields[i].id, y.fields[i].id) << what;
      EXPECT_EQ(x.fields[i].type, y.fields[i].type) << what;
    }
    for (std::size_t i = 0; i < x.records.size(); ++i)
      EXPECT_EQ(x.records[i], y.records[i]) << what << ", record " << i;
    return x.records.size();
  }

  static testing::TempDir* dir_;
  static TableStore* sqlite_;
  static TableStore* pg_;
};

testing::TempDir* BackendsEqualTest::dir_ = nullptr;
TableStore* BackendsEqualTest::sqlite_ = nullptr;
TableStore* BackendsEqualTest::pg_ = nullptr;

TEST_F(BackendsEqualTest, TheLoadedTablesAreTheSame) {
  auto a = sqlite_->info("park"), b = pg_->info("park");
  ASSERT_TRUE(a && b);
  EXPECT_GT(a->row_count, 1000);
  EXPECT_EQ(a->row_count, b->row_count);
  ASSERT_EQ(a->fields.size(), b->fields.size());
  for (std::size_t i = 0; i < a->fields.size(); ++i) {
    EXPECT_EQ(a->fields[i].id, b->fields[i].id);
    EXPECT_EQ(a->fields[i].type, b->fields[i].type);
  }
  EXPECT_EQ(a->options.primary_key, b->options.primary_key);
  EXPECT_EQ(a->options.indexes, b->options.indexes);
}

TEST_F(BackendsEqualTest, SearchesAnswerTheSame) {
  SearchQuery q;
  q.limit = 200;
  EXPECT_EQ(same(q, "every row, first page"), 200u);
  q.offset = 5000;
  same(q, "a page far in");
  q = {};
  q.conditions = {{"공원구분", Op::eq, {"어린이공원"}}};
  EXPECT_GT(same(q, "eq"), 10u);
  q.conditions = {{"공원구분", Op::in, {"근린공원", "소공원"}}};
  q.sort = {{"공원면적", true}};
  EXPECT_GT(same(q, "in, sorted by a number descending"), 10u);
  q.conditions = {{"공원면적", Op::gte, {"100000"}}, {"공원면적", Op::lt, {"200000"}}};
  q.sort = {{"지정고시일", false}, {"공원명", true}};
  EXPECT_GT(same(q, "gte and lt on a number, sorted by a date with nulls, then by text"), 3u);
  q.conditions = {{"지정고시일", Op::lte, {"1980-01-01"}}};
  q.sort = {};
  same(q, "lte on a date");
  q.conditions = {{"공원명", Op::like, {"체육"}}};
  EXPECT_GT(same(q, "like"), 5u);
  q.conditions = {{"공원구분", Op::gt, {"어"}}};
  same(q, "gt on text (bytewise)");
  q = {};
  std::size_t found = 0;
  for (const char* text :
       {"공원", "체육공원", "율하", "수성구 공원", "공", "park", "1626", "산35"}) {
    q.q = text;
    found += same(q, std::string("q=") + text) > 0 ? 1 : 0;
  }
  EXPECT_GE(found, 6u);  // the Korean words and the numbers are in the file
  q.q = "공원";
  q.conditions = {{"공원구분", Op::eq, {"근린공원"}}};
  q.sort = {{"공원면적", false}};
  q.offset = 10;
  q.limit = 20;
  EXPECT_EQ(same(q, "q with a filter, a sort and a page"), 20u);
  q = {};
  q.q_fields = {{"관리기관명", "수성구"}};
  EXPECT_GT(same(q, "q by field"), 3u);
  q = {};
  q.distinct = true;
  q.fields = {"공원구분"};
  q.sort = {{"공원구분", false}};
  EXPECT_GT(same(q, "distinct"), 3u);
  q.fields = {"제공기관명", "공원구분"};
  q.sort = {{"제공기관명", true}, {"공원구분", false}};
  q.limit = 30;
  same(q, "distinct on two fields, paged");
}

// SQLite's SQL results take each value's storage class: a numeric column's integral value (stored
// as an integer under NUMERIC affinity) comes back as an int, where PostgreSQL's double precision
// column gives a double. Both are the same JSON number; compared as such.
Row as_numbers(Row row) {
  for (auto& c : row)
    if (auto* n = std::get_if<std::int64_t>(&c)) c = static_cast<double>(*n);
  return row;
}

TEST_F(BackendsEqualTest, SqlAnswersTheSame) {
  auto all = [](const std::string&) { return true; };
  for (const char* sql :
       {"SELECT \"공원구분\", count(*) AS n FROM park GROUP BY 1 ORDER BY 2 DESC, 1",
        "SELECT \"공원명\", \"공원면적\" FROM park WHERE \"공원면적\" > 500000 ORDER BY 2 DESC, 1",
        "SELECT count(*) AS n, max(\"지정고시일\") AS newest FROM park WHERE \"관리기관명\" LIKE "
        "'%수성구%'",
        "SELECT a.\"공원명\" FROM park a JOIN park b ON a._id = b._id + 1 WHERE a._id < 50 "
        "ORDER BY 1",
        "SELECT _id FROM park ORDER BY _id",
        // A date column read straight from the table is typed "date" by both (PostgreSQL stores
        // it as text; its declared field type is what both report).
        "SELECT \"공원명\", \"지정고시일\" FROM park ORDER BY _id LIMIT 20"}) {
    auto a = sqlite_->search_sql(sql, {100, 5000}, all);
    auto b = pg_->search_sql(sql, {100, 5000}, all);
    ASSERT_EQ(a.fields.size(), b.fields.size()) << sql;
    for (std::size_t i = 0; i < a.fields.size(); ++i) {
      EXPECT_EQ(a.fields[i].id, b.fields[i].id) << sql;
      EXPECT_EQ(a.fields[i].type, b.fields[i].type) << sql << ", field " << a.fields[i].id;
    }
    EXPECT_EQ(a.truncated, b.truncated) << sql;
    ASSERT_EQ(a.records.size(), b.records.size()) << sql;
    for (std::size_t i = 0; i < a.records.size(); ++i)
      ASSERT_EQ(as_numbers(a.records[i]), as_numbers(b.records[i])) << sql << ", record " << i;
  }
}

TEST_F(BackendsEqualTest, JoinsAnswerTheSame) {
  // SQLite's fast paths are what PostgreSQL is compared with: the lots' code column has its
  // join-key index and their points their R*Tree.
  auto lots = sqlite_->info("lot");
  ASSERT_TRUE(lots && lots->options.point);
  ASSERT_TRUE(lots->options.has_join_key_index("제공기관코드"));
  const std::vector<std::string> codes = {"4730000", "4900000", "4960000", "4740000"};

  JoinQuery q;
  q.left = "park";
  q.right = "lot";
  q.on = std::make_pair("제공기관코드", "제공기관코드");
  q.left_conditions = {{"제공기관코드", Op::in, codes}};
  q.budget.max_rows_examined = 2'000'000;
  q.limit = 1000;
  EXPECT_GT(same_join(q, "by code, four agencies, every field"), 400u);
  q.fields = {{JoinSide::left, "공원명"}, {JoinSide::right, "주차장명"}, {JoinSide::right, "_id"}};
  q.sort = {{{JoinSide::right, "주차장명"}, true}, {{JoinSide::left, "공원면적"}, false}};
  q.offset = 30;
  q.limit = 50;
  EXPECT_EQ(same_join(q, "by code, sorted on both sides, a page"), 50u);
  q.sort = {};
  q.include_total = false;  // SQLite probes the join-key index for the first page
  q.right_conditions = {{"주차장구분", Op::eq, {"공영"}}};
  EXPECT_EQ(same_join(q, "by code, no total, right filtered: the first pairs"), 50u);

  JoinQuery near;
  near.left = "park";
  near.right = "lot";
  near.within_meters = 300;
  near.left_conditions = {{"제공기관코드", Op::eq, {"3540000"}}};
  near.fields = {{JoinSide::left, "_id"}, {JoinSide::right, "_id"}, {JoinSide::right, "위도"}};
  near.limit = 1000;
  EXPECT_GT(same_join(near, "within 300 m, every pair"), 10u);
  near.include_total = false;  // SQLite probes its R*Tree per park
  near.limit = 20;
  EXPECT_EQ(same_join(near, "within 300 m, the first pairs"), 20u);
  near.include_total = true;
  near.sort = {{{JoinSide::right, "위도"}, true}};
  near.offset = 5;
  same_join(near, "within 300 m, sorted by the lot's latitude, a page");

  // Refusals: over the budget (each backend counts the rows and pairs it reads alike), unknown
  // fields, a malformed query.
  JoinQuery big = q;
  big.left_conditions = {};
  big.right_conditions = {};
  big.include_total = true;
  big.budget.max_rows_examined = 100'000;
  same_join(big, "by code, over the budget");
  JoinQuery unknown = q;
  unknown.on = std::make_pair("없는열", "제공기관코드");
  unknown.sort = {{{JoinSide::right, "nope"}, false}};
  same_join(unknown, "unknown fields");
  JoinQuery both = near;
  both.on = q.on;
  same_join(both, "on and within_meters");
  EXPECT_THROW(pg_->join(big), BadRequest);
}

// The join key as each engine computes it in its join-key index (SQLite's ds_join_key, a C++
// function; PostgreSQL's datastore._ds_join_key, SQL) pairs the same awkward codes: spaces,
// tabs, line breaks, hyphens, leading zeros, case, Hangul, blanks.
TEST_F(BackendsEqualTest, JoinKeysPairTheSameOnBothBackends) {
  const char* codes[] = {"12345",   " 0012-345", "012345\t", "00",   "0",     "-",     "",
                         "  ",      "\t\r\n",    "abc-1",    "ABC1", "0abc1", "가-나", "가나",
                         "0 가나 ", "a\u00e9",   "A\u00e9",  "-0-",  "1 2",   "12"};
  std::vector<Row> rows;
  for (const char* c : codes) rows.push_back({std::string(c)});
  TableOptions options;
  options.indexes = {"code"};
  for (TableStore* s : {sqlite_, pg_}) s->create("codes", {{"code", "text", {}}}, options, rows);
  JoinQuery q;
  q.left = q.right = "codes";
  q.on = std::make_pair("code", "code");
  q.fields = {{JoinSide::left, "_id"}, {JoinSide::right, "_id"}};
  q.limit = 1000;
  EXPECT_GT(same_join(q, "every pair of codes (hashed)"), 20u);
  q.include_total = false;  // both probe their join-key index
  EXPECT_GT(same_join(q, "every pair of codes (probed)"), 20u);
}

}  // namespace
}  // namespace datamap::datastore

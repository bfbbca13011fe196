// Opening a database brings it to the current schema; a database from a newer build is refused.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <set>
#include <stdexcept>
#include <vector>

#include "catalog/errors.h"
#include "catalog/sqlite/connection.h"
#include "catalog/sqlite/dataset_record.h"
#include "catalog/sqlite/migrations.h"
#include "catalog/store.h"
#include "tests/catalog/store_test_data.h"
#include "tests/support/temp_dir.h"

namespace datamap::catalog {
namespace {

using sqlite::Connection;

int user_version(const std::string& path) {
  Connection c(path, Connection::Mode::kReadOnly);
  return sqlite::schema_version(c);
}

TEST(SqliteStoreMigrations, AFreshDatabaseGetsTheLatestVersion) {
  testing::TempDir dir;
  { auto store = open_sqlite_store(dir.file("catalog.db")); }
  EXPECT_GE(sqlite::latest_schema_version(), 3);
  EXPECT_EQ(user_version(dir.file("catalog.db")), sqlite::latest_schema_version());
}

TEST(SqliteStoreMigrations, ReopeningIsANoOp) {
  testing::TempDir dir;
  Dataset d = testdata::small_dataset("survives");
  {
    open_sqlite_store(dir.file("catalog.db"))->write([&](Transaction& tx) {
      tx.insert_dataset(d);
    });
  }
  auto store = open_sqlite_store(dir.file("catalog.db"));
  EXPECT_TRUE(store->dataset("survives"));
  EXPECT_EQ(store->head_revision(), 1);
}

TEST(SqliteStoreMigrations, AVersionOneDatabaseIsUpgradedKeepingItsData) {
  testing::TempDir dir;
  const std::string path = dir.file("v1.db");
  {
    // A database as the first release left it: only step 1, plus a row written with raw SQL.
    Connection c(path, Connection::Mode::kReadWrite);
    sqlite::migrate(c, 1);
    ASSERT_EQ(sqlite::schema_version(c), 1);
    c.exec("INSERT INTO organizations (id, name, title) VALUES ('o1', 'old-org', '옛 기관')");
    EXPECT_THROW(c.exec("SELECT * FROM users"), sqlite::SqliteError) << "v1 has no users table";
  }
  auto store = open_sqlite_store(path);
  EXPECT_EQ(user_version(path), sqlite::latest_schema_version());
  auto org = store->organization("old-org");
  ASSERT_TRUE(org);
  EXPECT_EQ(org->title, "옛 기관");
  // Tables from later steps now exist and work.
  User u;
  u.id = "u1";
  u.name = "new-user";
  store->write([&](Transaction& tx) { tx.put_user(u); });
  EXPECT_TRUE(store->user("new-user"));
}

TEST(SqliteStoreMigrations, AVersionTwoDatabaseGetsItsPublicTagsBackfilled) {
  testing::TempDir dir;
  const std::string path = dir.file("v2.db");
  {
    Connection c(path, Connection::Mode::kReadWrite);
    sqlite::migrate(c, 2);
    sqlite::Statement add(c.handle(),
                          "INSERT INTO datasets (pk, id, name, state, private, record) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    sqlite::Statement tag(c.handle(), "INSERT INTO dataset_tags (dataset_pk, tag) VALUES (?1, ?2)");
    struct Row {
      int pk;
      const char* name;
      const char* state;
      bool is_private;
    };
    for (const Row& r : {Row{1, "open", "active", false}, Row{2, "hidden", "active", true},
                         Row{3, "removed", "deleted", false}}) {
      Dataset d = testdata::small_dataset(r.name);
      d.state = r.state;
      d.is_private = r.is_private;
      d.tags = {"공통", r.name};
      add.bind_all(r.pk, d.id, d.name, d.state, d.is_private, sqlite::encode_dataset(d));
      add.run();
      add.reset();
      for (const auto& t : d.tags) {
        tag.bind_all(r.pk, t);
        tag.run();
        tag.reset();
      }
    }
  }
  auto store = open_sqlite_store(path);
  EXPECT_EQ(store->tags("", 10),
            (std::vector<std::pair<std::string, std::int64_t>>{{"open", 1}, {"공통", 1}}));
  EXPECT_EQ(store->dataset("hidden")->tags.size(), 2u);
}

// Step 7: 기관코드 becomes unique. Two organizations holding one code let either capture the
// other's imported and harvested datasets; an old database may have such duplicates.
TEST(SqliteStoreMigrations, AVersionSixDatabaseKeepsEachCodeWithItsOldestHolder) {
  testing::TempDir dir;
  const std::string path = dir.file("v6.db");
  {
    Connection c(path, Connection::Mode::kReadWrite);
    sqlite::migrate(c, 6);
    c.exec(
        "INSERT INTO organizations (id, name, code, created) VALUES "
        "('o-first', 'first', 'B552895', '2020-01-01T00:00:00Z'),"
        "('o-later', 'later', 'B552895', '2024-01-01T00:00:00Z'),"
        "('o-squat', 'squat', 'B552895', '2023-01-01T00:00:00Z'),"
        "('o-alone', 'alone', 'C100', '2024-01-01T00:00:00Z'),"
        "('o-none1', 'none1', '', ''), ('o-none2', 'none2', '', '')");
  }
  auto store = open_sqlite_store(path);
  EXPECT_EQ(user_version(path), sqlite::latest_schema_version());
  EXPECT_EQ(store->organization("first")->code, "B552895");
  EXPECT_EQ(store->organization("later")->code, "");
  EXPECT_EQ(store->organization("squat")->code, "");
  EXPECT_EQ(store->organization("alone")->code, "C100");
  EXPECT_EQ(store->organization("B552895")->name, "first");
  {
    // The cleared ones are listed for the operator, and logged for the derived indexes.
    Connection c(path, Connection::Mode::kReadOnly);
    sqlite::Statement q(c.handle(),
                        "SELECT organization_id, code, kept_by FROM cleared_organization_codes "
                        "ORDER BY organization_id");
    std::vector<std::string> rows;
    while (q.step()) rows.push_back(q.text(0) + " " + q.text(1) + " " + q.text(2));
    EXPECT_EQ(rows,
              (std::vector<std::string>{"o-later B552895 o-first", "o-squat B552895 o-first"}));
  }
  std::set<std::string> logged;
  for (const auto& change : store->changes_since(0, 100))
    if (change.entity == "organization") logged.insert(change.id);
  EXPECT_EQ(logged, (std::set<std::string>{"o-later", "o-squat"}));

  // From now on the store itself refuses a second holder, and any number may have no code.
  Organization dup;
  dup.name = "dup";
  dup.code = "C100";
  try {
    store->write([&](Transaction& tx) { tx.put_organization(dup); });
    FAIL() << "a second holder of a code must be refused";
  } catch (const ValidationError& e) {
    ASSERT_TRUE(e.fields().count("code")) << e.what();
    EXPECT_NE(e.fields().at("code").front().find("alone"), std::string::npos);
  }
  Organization none;
  none.name = "none3";
  store->write([&](Transaction& tx) { tx.put_organization(none); });
  EXPECT_TRUE(store->organization("none3"));
}

TEST(SqliteStoreMigrations, ADatabaseFromANewerBuildIsRefused) {
  testing::TempDir dir;
  const std::string path = dir.file("future.db");
  { auto store = open_sqlite_store(path); }
  const int future = sqlite::latest_schema_version() + 1;
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    const std::string sql = "PRAGMA user_version = " + std::to_string(future);
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  try {
    open_sqlite_store(path);
    FAIL() << "a newer schema must be refused";
  } catch (const std::runtime_error& e) {
    std::string message = e.what();
    EXPECT_NE(message.find("newer"), std::string::npos) << message;
    EXPECT_NE(message.find(std::to_string(future)), std::string::npos) << message;
  }
  EXPECT_EQ(user_version(path), future) << "refusing must not touch the file";
}

TEST(SqliteStoreMigrations, ANonDatabaseFileIsAnErrorNotACrash) {
  testing::TempDir dir;
  const std::string path = dir.file("garbage.db");
  {
    FILE* f = std::fopen(path.c_str(), "wb");
    ASSERT_TRUE(f);
    std::string junk(8192, 'x');
    std::fwrite(junk.data(), 1, junk.size(), f);
    std::fclose(f);
  }
  EXPECT_THROW(open_sqlite_store(path), std::runtime_error);
}

TEST(SqliteStoreMigrations, DatabaseIsInWalModeWithForeignKeys) {
  testing::TempDir dir;
  auto store = open_sqlite_store(dir.file("catalog.db"));
  Connection c(dir.file("catalog.db"), Connection::Mode::kReadOnly);
  sqlite::Statement mode(c.handle(), "PRAGMA journal_mode");
  ASSERT_TRUE(mode.step());
  EXPECT_EQ(mode.text(0), "wal");
}

}  // namespace
}  // namespace datamap::catalog

// Console sessions in the catalog: only hashes are stored, a busy session still ends at its
// absolute limit, expired ones are cleaned up, and revoking a token or deactivating a user ends
// the user's sessions in the same transaction. A database from before the sessions table gets
// it on open and keeps its users.
#include <gtest/gtest.h>

#include <string>

#include "catalog/errors.h"
#include "catalog/ids.h"
#include "catalog/sqlite/connection.h"
#include "catalog/sqlite/migrations.h"
#include "catalog/store.h"
#include "tests/support/store_backends.h"
#include "tests/support/temp_dir.h"

namespace datamap::catalog {
namespace {

std::string hash(const std::string& id) {
  return sha256_hex(id);
}

// On both backends (SQLite, PostgreSQL), with the same assertions.
class StoreSessions : public testing::StoreBackendTest {
 protected:
  std::unique_ptr<Store> store;
  User user = [] {
    User u;
    u.id = "u1";
    u.name = "editor";
    return u;
  }();

  void SetUp() override {
    store = StoreBackendTest::open();
    store->write([&](Transaction& tx) {
      tx.put_user(user);
      tx.add_token(ApiToken{"t1", "u1", "laptop", "", ""}, hash("secret-1"));
      tx.add_token(ApiToken{"t2", "u1", "ci", "", ""}, hash("secret-2"));
    });
  }
  void open(const std::string& id, std::int64_t idle_end, std::int64_t end,
            const std::string& token = "t1") {
    store->write([&](Transaction& tx) {
      tx.add_session(ConsoleSession{"u1", token, 100, idle_end, end}, hash(id));
    });
  }
};

TEST_P(StoreSessions, OnlyTheHashIsStoredAndTouchNeverPassesTheAbsoluteEnd) {
  open("session-a", 200, 300);
  EXPECT_FALSE(store->console_session("session-a"));
  auto s = store->console_session(hash("session-a"));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->user_id, "u1");
  EXPECT_EQ(s->token_id, "t1");
  store->write([&](Transaction& tx) { tx.touch_session(hash("session-a"), 250); });
  EXPECT_EQ(store->console_session(hash("session-a"))->idle_expires_at, 250);
  store->write([&](Transaction& tx) { tx.touch_session(hash("session-a"), 900); });
  EXPECT_EQ(store->console_session(hash("session-a"))->idle_expires_at, 300);
  auto head = store->head_revision();
  store->write([&](Transaction& tx) { tx.delete_session(hash("session-a")); });
  EXPECT_FALSE(store->console_session(hash("session-a")));
  EXPECT_EQ(store->head_revision(), head) << "sessions are not catalog content";
}

TEST_P(StoreSessions, ExpiredSessionsAreCleanedUp) {
  open("idle", 150, 1000);
  open("old", 900, 180);
  open("live", 900, 1000);
  std::int64_t removed = 0;
  store->write([&](Transaction& tx) { removed = tx.delete_expired_sessions(200); });
  EXPECT_EQ(removed, 2);
  EXPECT_FALSE(store->console_session(hash("idle")));
  EXPECT_FALSE(store->console_session(hash("old")));
  EXPECT_TRUE(store->console_session(hash("live")));
}

TEST_P(StoreSessions, RevokingATokenOrDeactivatingTheUserEndsTheUsersSessions) {
  open("with-t1", 900, 1000, "t1");
  open("with-t2", 900, 1000, "t2");
  store->write([&](Transaction& tx) { tx.revoke_token("t2"); });
  EXPECT_FALSE(store->console_session(hash("with-t1")));
  EXPECT_FALSE(store->console_session(hash("with-t2")));
  open("again", 900, 1000);
  user.state = "deleted";
  store->write([&](Transaction& tx) { tx.put_user(user); });
  EXPECT_FALSE(store->console_session(hash("again")));
}

TEST_P(StoreSessions, AnUnknownUserGetsNoSession) {
  EXPECT_THROW(store->write([&](Transaction& tx) {
    tx.add_session(ConsoleSession{"nobody", "", 1, 2, 3}, hash("x"));
  }),
               datamap::NotFound);
}

DATAMAP_STORE_BACKENDS(StoreSessions);

TEST(StoreSessionsMigration, AVersionFiveDatabaseGetsTheSessionsTableAndKeepsItsUsers) {
  testing::TempDir dir;
  const std::string path = dir.file("v5.db");
  {
    sqlite::Connection c(path, sqlite::Connection::Mode::kReadWrite);
    sqlite::migrate(c, 5);
    c.exec("INSERT INTO users (id, name) VALUES ('u5', 'from-v5')");
    EXPECT_THROW(c.exec("SELECT * FROM console_sessions"), sqlite::SqliteError);
  }
  auto store = open_sqlite_store(path);
  ASSERT_TRUE(store->user("from-v5"));
  store->write([&](Transaction& tx) {
    tx.add_session(ConsoleSession{"u5", "", 1, 2, 3}, hash("s"));
  });
  EXPECT_TRUE(store->console_session(hash("s")));
}

}  // namespace
}  // namespace datamap::catalog

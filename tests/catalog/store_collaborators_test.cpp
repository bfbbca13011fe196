// Schema step 12 and what it serves: group state (group_delete), dataset collaborators, purging
// organizations and groups, and the user and group listings user_list / member_list read.
#include <gtest/gtest.h>

#include "catalog/errors.h"
#include "catalog/sqlite/connection.h"
#include "catalog/sqlite/migrations.h"
#include "catalog/store.h"
#include "tests/catalog/store_test_data.h"
#include "tests/support/store_backends.h"
#include "tests/support/temp_dir.h"

namespace datamap::catalog {
namespace {

TEST(StoreCollaborators, AVersionElevenDatabaseGainsGroupStateAndCollaborators) {
  testing::TempDir dir;
  const std::string path = dir.file("v11.db");
  {
    sqlite::Connection c(path, sqlite::Connection::Mode::kReadWrite);
    sqlite::migrate(c, 11);
    c.exec("INSERT INTO groups (id, name, title) VALUES ('g1', 'old-group', '옛 분류')");
  }
  auto store = open_sqlite_store(path);
  auto g = store->group("old-group");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->state, "active");
  EXPECT_TRUE(store->collaborators("anything").empty());
}

// The rest on both backends (SQLite, PostgreSQL), with the same assertions.
class StoreCollaboratorsOnBoth : public testing::StoreBackendTest {};
DATAMAP_STORE_BACKENDS(StoreCollaboratorsOnBoth);

TEST_P(StoreCollaboratorsOnBoth, CollaboratorsAreReadWithTheUserAndGoWithTheirDataset) {
  auto store = open();
  Dataset d = testdata::small_dataset("shared");
  User u;
  u.name = "helper";
  store->write([&](Transaction& tx) {
    tx.insert_dataset(d);
    tx.put_user(u);
  });
  Collaborator c{d.id, u.id, "editor", ""};
  store->write([&](Transaction& tx) { tx.put_collaborator(c); });
  EXPECT_FALSE(c.modified.empty());
  auto read = store->user("helper");
  ASSERT_EQ(read->collaborations.size(), 1u);
  EXPECT_EQ(read->collaborations[0].capacity, "editor");
  EXPECT_TRUE(Visibility::of(*read).datasets.size() == 1);
  c.capacity = "member";
  store->write([&](Transaction& tx) { tx.put_collaborator(c); });  // replaces, never doubles
  ASSERT_EQ(store->collaborators(d.id).size(), 1u);
  EXPECT_EQ(store->collaborators(d.id)[0].capacity, "member");
  Collaborator nobody{d.id, "no-such-user", "editor", ""};
  EXPECT_THROW(store->write([&](Transaction& tx) { tx.put_collaborator(nobody); }), NotFound);
  store->write([&](Transaction& tx) { tx.purge_dataset(d.id); });
  EXPECT_TRUE(store->collaborators(d.id).empty());
  EXPECT_TRUE(store->user("helper")->collaborations.empty());
  EXPECT_THROW(store->write([&](Transaction& tx) { tx.delete_collaborator(d.id, u.id); }),
               NotFound);
}

TEST_P(StoreCollaboratorsOnBoth, PurgedOrganizationsAndGroupsAreGoneWithTheirMemberships) {
  auto store = open();
  Organization o;
  o.name = "gone-org";
  Group g;
  g.name = "gone-group";
  User u;
  u.name = "staff";
  store->write([&](Transaction& tx) {
    tx.put_organization(o);
    tx.put_group(g);
    u.memberships.push_back({o.id, "editor"});
    tx.put_user(u);
  });
  Dataset d = testdata::small_dataset("filed");
  d.groups = {"gone-group"};
  store->write([&](Transaction& tx) { tx.insert_dataset(d); });
  EXPECT_EQ(store->dataset_ids_in_group("gone-group"), (std::vector<std::string>{d.id}));
  store->write([&](Transaction& tx) {
    tx.purge_organization(o.id);
    tx.purge_group(g.id);
  });
  EXPECT_FALSE(store->organization("gone-org"));
  EXPECT_FALSE(store->group("gone-group"));
  EXPECT_TRUE(store->user("staff")->memberships.empty());
  EXPECT_THROW(store->write([&](Transaction& tx) { tx.purge_group(g.id); }), NotFound);
  ASSERT_EQ(store->users().size(), 1u);
  EXPECT_EQ(store->users()[0].name, "staff");
}

}  // namespace
}  // namespace datamap::catalog

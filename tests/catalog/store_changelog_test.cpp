// Every committed create, update and delete appends exactly one change-log row, in the same
// transaction: a revision exists if and only if its change was committed.
#include <gtest/gtest.h>

#include <stdexcept>

#include "catalog/errors.h"
#include "catalog/ids.h"
#include "catalog/store.h"
#include "tests/catalog/store_test_data.h"
#include "tests/support/store_backends.h"

namespace datamap::catalog {
namespace {

using testdata::small_dataset;

class StoreChangeLog : public testing::StoreBackendTest {};
class StoreUniqueness : public testing::StoreBackendTest {};
class StoreWrite : public testing::StoreBackendTest {};

TEST_P(StoreChangeLog, OneRowPerWriteInOrder) {
  auto store = open();
  EXPECT_EQ(store->head_revision(), 0);
  Dataset d = small_dataset("logged");
  Organization o;
  o.id = "org-1";
  o.name = "org-one";
  store->write([&](Transaction& tx) {
    tx.put_organization(o);
    tx.insert_dataset(d);
  });
  d.title = "new title";
  store->write([&](Transaction& tx) { tx.update_dataset(d); });
  store->write([&](Transaction& tx) { tx.put_organization(o); });
  store->write([&](Transaction& tx) { tx.delete_dataset(d.id); });
  store->write([&](Transaction& tx) { tx.purge_dataset(d.id); });

  auto changes = store->changes_since(0, 100);
  ASSERT_EQ(changes.size(), 6u);
  struct Expected {
    const char* entity;
    const char* id;
    const char* kind;
  };
  const Expected expected[] = {
      {"organization", "org-1", "create"}, {"dataset", "id-logged", "create"},
      {"dataset", "id-logged", "update"},  {"organization", "org-1", "update"},
      {"dataset", "id-logged", "delete"},  {"dataset", "id-logged", "delete"}};
  for (std::size_t i = 0; i < changes.size(); ++i) {
    EXPECT_EQ(changes[i].revision, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(changes[i].entity, expected[i].entity);
    EXPECT_EQ(changes[i].id, expected[i].id);
    EXPECT_EQ(changes[i].kind, expected[i].kind);
    EXPECT_EQ(changes[i].at.size(), 26u) << changes[i].at;
  }
  EXPECT_EQ(store->head_revision(), 6);
}

TEST_P(StoreChangeLog, UsersTokensAndRelationshipsAreLoggedToo) {
  auto store = open();
  User u;
  u.id = "u1";
  u.name = "park";
  Dataset a = small_dataset("a"), b = small_dataset("b");
  ApiToken t{"tok-1", "u1", "cli", "", ""};
  store->write([&](Transaction& tx) {
    tx.put_user(u);
    tx.add_token(t, sha256_hex("secret"));
    tx.insert_dataset(a);
    tx.insert_dataset(b);
    tx.put_relationship({a.id, b.id, "links_to", ""});
  });
  store->write([&](Transaction& tx) {
    tx.delete_relationship({a.id, b.id, "links_to", ""});
    tx.revoke_token("tok-1");
  });
  auto changes = store->changes_since(0, 100);
  ASSERT_EQ(changes.size(), 7u);
  EXPECT_EQ(changes[0].entity, "user");
  EXPECT_EQ(changes[1].entity, "api_token");
  EXPECT_EQ(changes[4].entity, "relationship");
  EXPECT_EQ(changes[4].id, a.id) << "a relationship change names its subject dataset";
  EXPECT_EQ(changes[5].kind, "delete");
  EXPECT_EQ(changes[6].entity, "api_token");
  EXPECT_EQ(changes[6].kind, "delete");
}

TEST_P(StoreChangeLog, AWriteThatThrowsLeavesNoRevisionAndNoData) {
  auto store = open();
  Dataset kept = small_dataset("kept");
  store->write([&](Transaction& tx) { tx.insert_dataset(kept); });

  EXPECT_THROW(store->write([&](Transaction& tx) {
    Dataset d = small_dataset("doomed");
    d.tags = {"doomed-tag"};
    tx.insert_dataset(d);
    kept.title = "changed";
    tx.update_dataset(kept);
    throw std::runtime_error("caller changed its mind");
  }),
               std::runtime_error);

  EXPECT_EQ(store->head_revision(), 1);
  EXPECT_EQ(store->changes_since(0, 10).size(), 1u);
  EXPECT_FALSE(store->dataset("doomed"));
  EXPECT_EQ(store->dataset("kept")->title, "제목 kept");
  EXPECT_TRUE(store->tags("doomed", 10).empty());
  // The store is usable afterwards and the next revision follows the last committed one.
  Dataset next = small_dataset("next");
  store->write([&](Transaction& tx) { tx.insert_dataset(next); });
  EXPECT_EQ(store->head_revision(), 2);
}

TEST_P(StoreChangeLog, ChangesSincePagesThroughEverything) {
  auto store = open();
  store->write([&](Transaction& tx) {
    for (int i = 0; i < 25; ++i) {
      Dataset d = small_dataset("page-" + std::to_string(i));
      tx.insert_dataset(d);
    }
  });
  std::vector<std::int64_t> seen;
  std::int64_t after = 0;
  for (;;) {
    auto page = store->changes_since(after, 10);
    if (page.empty()) break;
    EXPECT_LE(page.size(), 10u);
    for (const auto& c : page) seen.push_back(c.revision);
    after = page.back().revision;
  }
  ASSERT_EQ(seen.size(), 25u);
  for (std::size_t i = 0; i < seen.size(); ++i)
    EXPECT_EQ(seen[i], static_cast<std::int64_t>(i + 1));
  EXPECT_TRUE(store->changes_since(25, 10).empty());
  EXPECT_EQ(store->changes_since(20, 0).size(), 0u);
}

TEST_P(StoreUniqueness, NameClashIsAValidationErrorWithCkansMessage) {
  auto store = open();
  Dataset first = small_dataset("taken", "id-1");
  store->write([&](Transaction& tx) { tx.insert_dataset(first); });

  Dataset second = small_dataset("taken", "id-2");
  try {
    store->write([&](Transaction& tx) { tx.insert_dataset(second); });
    FAIL() << "expected ValidationError";
  } catch (const ValidationError& e) {
    ASSERT_EQ(e.fields().count("name"), 1u);
    EXPECT_EQ(e.fields().at("name"), std::vector<std::string>{"That URL is already in use."});
  }
}

TEST_P(StoreUniqueness, ClashRollsBackTheWholeWrite) {
  auto store = open();
  Dataset first = small_dataset("taken", "id-1");
  store->write([&](Transaction& tx) { tx.insert_dataset(first); });

  EXPECT_THROW(store->write([&](Transaction& tx) {
    Dataset fresh = small_dataset("fresh");
    fresh.tags = {"fresh-tag"};
    fresh.resources.resize(1);
    tx.insert_dataset(fresh);
    Dataset clash = small_dataset("taken", "id-2");
    tx.insert_dataset(clash);
  }),
               ValidationError);
  EXPECT_FALSE(store->dataset("fresh")) << "nothing of the failed write is left";
  EXPECT_FALSE(store->dataset("id-2"));
  EXPECT_TRUE(store->tags("fresh", 10).empty());
  EXPECT_EQ(store->head_revision(), 1);
  EXPECT_EQ(store->count_datasets(), 1);
}

TEST_P(StoreUniqueness, RenamingOntoATakenNameIsRefused) {
  auto store = open();
  Dataset a = small_dataset("aaa"), b = small_dataset("bbb");
  store->write([&](Transaction& tx) {
    tx.insert_dataset(a);
    tx.insert_dataset(b);
  });
  b.name = "aaa";
  EXPECT_THROW(store->write([&](Transaction& tx) { tx.update_dataset(b); }), ValidationError);
  EXPECT_EQ(store->dataset("id-bbb")->name, "bbb");
}

TEST_P(StoreUniqueness, ACaughtClashInsideAWriteLeavesTheRestCommittable) {
  // What an importer does: skip the one bad row and keep the batch.
  auto store = open();
  Dataset first = small_dataset("taken", "id-1");
  store->write([&](Transaction& tx) { tx.insert_dataset(first); });
  int rejected = 0;
  store->write([&](Transaction& tx) {
    for (const char* name : {"row-a", "taken", "row-b"}) {
      Dataset d = small_dataset(name, std::string("batch-") + name);
      d.tags = {"batch"};
      d.resources.resize(1);
      try {
        tx.insert_dataset(d);
      } catch (const ValidationError&) {
        ++rejected;
      }
    }
  });
  EXPECT_EQ(rejected, 1);
  EXPECT_EQ(store->count_datasets(), 3);
  EXPECT_FALSE(store->dataset("batch-taken"));
  EXPECT_EQ(store->head_revision(), 3) << "the rejected row left no revision";
  auto tags = store->tags("batch", 10);
  ASSERT_EQ(tags.size(), 1u);
  EXPECT_EQ(tags[0].second, 2);
}

TEST_P(StoreUniqueness, ARefusedUpdateCaughtInsideAWriteChangesNothing) {
  auto store = open();
  Dataset a = small_dataset("aaa"), b = small_dataset("bbb");
  a.resources.resize(1);
  a.resources[0].id = "res-a";
  b.tags = {"keep"};
  store->write([&](Transaction& tx) {
    tx.insert_dataset(a);
    tx.insert_dataset(b);
  });
  int refused = 0;
  store->write([&](Transaction& tx) {
    Dataset rename = b;
    rename.name = "aaa";
    rename.tags = {"lost"};
    try {
      tx.update_dataset(rename);
    } catch (const ValidationError&) {
      ++refused;
    }
    Dataset steal = b;
    steal.title = "stolen";
    steal.resources.resize(1);
    steal.resources[0].id = "res-a";
    try {
      tx.update_dataset(steal);
    } catch (const ValidationError&) {
      ++refused;
    }
  });
  EXPECT_EQ(refused, 2);
  auto read = store->dataset("bbb");
  ASSERT_TRUE(read);
  EXPECT_EQ(read->title, "제목 bbb");
  EXPECT_EQ(read->tags, std::vector<std::string>{"keep"});
  EXPECT_TRUE(read->resources.empty());
  EXPECT_EQ(store->resource("res-a")->package_id, a.id);
  EXPECT_EQ(store->tags("keep", 10).size(), 1u);
  EXPECT_TRUE(store->tags("lost", 10).empty());
  EXPECT_EQ(store->head_revision(), 2);
}

TEST_P(StoreUniqueness, ResourceIdGivenTwiceInOneDatasetIsRefused) {
  auto store = open();
  Dataset d = small_dataset("twice");
  d.resources.resize(2);
  d.resources[0].id = d.resources[1].id = "same";
  EXPECT_THROW(store->write([&](Transaction& tx) { tx.insert_dataset(d); }), ValidationError);
  EXPECT_FALSE(store->dataset("twice"));
}

TEST_P(StoreUniqueness, OrganizationGroupAndUserNamesAreUnique) {
  auto store = open();
  Organization o1, o2;
  o1.id = "o1";
  o2.id = "o2";
  o1.name = o2.name = "same";
  store->write([&](Transaction& tx) { tx.put_organization(o1); });
  EXPECT_THROW(store->write([&](Transaction& tx) { tx.put_organization(o2); }), ValidationError);
  User u1, u2;
  u1.id = "u1";
  u2.id = "u2";
  u1.name = u2.name = "kim";
  store->write([&](Transaction& tx) { tx.put_user(u1); });
  EXPECT_THROW(store->write([&](Transaction& tx) { tx.put_user(u2); }), ValidationError);
  Group g1, g2;
  g1.id = "g1";
  g2.id = "g2";
  g1.name = g2.name = "grp";
  store->write([&](Transaction& tx) { tx.put_group(g1); });
  EXPECT_THROW(store->write([&](Transaction& tx) { tx.put_group(g2); }), ValidationError);
  EXPECT_EQ(store->head_revision(), 3);
}

TEST_P(StoreUniqueness, ResourceIdsAreUniqueAcrossDatasets) {
  auto store = open();
  Dataset a = small_dataset("a"), b = small_dataset("b");
  a.resources.resize(1);
  a.resources[0].id = "shared";
  b.resources = a.resources;
  store->write([&](Transaction& tx) { tx.insert_dataset(a); });
  try {
    store->write([&](Transaction& tx) { tx.insert_dataset(b); });
    FAIL();
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.fields().count("resources"), 1u);
  }
  EXPECT_FALSE(store->dataset("b"));
}

TEST_P(StoreWrite, NestedWriteOnTheSameThreadIsRefusedNotDeadlocked) {
  auto store = open();
  EXPECT_THROW(store->write([&](Transaction&) { store->write([](Transaction&) {}); }),
               std::logic_error);
  Dataset d = small_dataset("after");
  store->write([&](Transaction& tx) { tx.insert_dataset(d); });
  EXPECT_TRUE(store->dataset("after"));
}

DATAMAP_STORE_BACKENDS(StoreChangeLog);
DATAMAP_STORE_BACKENDS(StoreUniqueness);
DATAMAP_STORE_BACKENDS(StoreWrite);

}  // namespace
}  // namespace datamap::catalog

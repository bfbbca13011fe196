// What lists, counts and tags include: active vs deleted, public vs private (on both backends).
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <set>

#include "catalog/errors.h"
#include "catalog/ids.h"
#include "catalog/store.h"
#include "tests/catalog/store_test_data.h"
#include "tests/support/store_backends.h"
#include "tests/support/temp_dir.h"

namespace datamap::catalog {
namespace {

using testdata::small_dataset;

class StoreQueries : public testing::StoreBackendTest {
 protected:
  void SetUp() override {
    store = open();
    Organization a, b;
    a.id = "org-a";
    a.name = "agency-a";
    b.id = "org-b";
    b.name = "agency-b";
    Dataset pub1 = make("public-one", "org-a", {"교통", "버스"}, {"transport"});
    Dataset pub2 = make("public-two", "org-a", {"교통"}, {"transport"});
    Dataset priv = make("private-one", "org-b", {"교통", "비공개"}, {"transport"});
    priv.is_private = true;
    Dataset gone = make("deleted-one", "org-b", {"교통", "삭제됨"}, {"environment"});
    Dataset draft = make("draft-one", "org-b", {"초안"}, {"environment"});
    draft.state = "draft";
    store->write([&](Transaction& tx) {
      tx.put_organization(a);
      tx.put_organization(b);
      for (Dataset* d : {&pub1, &pub2, &priv, &gone, &draft}) tx.insert_dataset(*d);
      tx.delete_dataset(gone.id);
    });
  }

  static Dataset make(const std::string& name, const std::string& org,
                      std::vector<std::string> tags, std::vector<std::string> groups) {
    Dataset d = small_dataset(name);
    d.owner_org = org;
    d.tags = std::move(tags);
    d.groups = std::move(groups);
    return d;
  }

  std::unique_ptr<Store> store;
};

class StoreStreaming : public testing::StoreBackendTest {};
class StoreTokens : public testing::StoreBackendTest {};
class StoreLicenses : public testing::StoreBackendTest {};

TEST_P(StoreQueries, DatasetNamesListsActivePublicSortedByName) {
  EXPECT_EQ(store->dataset_names(0, 100), (std::vector<std::string>{"public-one", "public-two"}));
  EXPECT_EQ(store->dataset_names(1, 100), std::vector<std::string>{"public-two"});
  EXPECT_EQ(store->dataset_names(0, 1), std::vector<std::string>{"public-one"});
  EXPECT_EQ(store->dataset_names(0, -1).size(), 2u) << "a negative limit means no limit";
}

TEST_P(StoreQueries, CountsIncludePrivateButNotDeletedOrDraft) {
  using Counts = std::vector<std::pair<std::string, std::int64_t>>;
  EXPECT_EQ(store->count_datasets(), 3);
  const Visibility all = Visibility::everything();
  EXPECT_EQ(store->dataset_counts_by_organization(all), (Counts{{"org-a", 2}, {"org-b", 1}}));
  EXPECT_EQ(store->dataset_counts_by_group(all), (Counts{{"transport", 3}}));
  // A member of org-b counts its private dataset; anyone else does not.
  const Visibility member_b{false, {"org-b"}, {}};
  EXPECT_EQ(store->dataset_counts_by_organization(member_b), (Counts{{"org-a", 2}, {"org-b", 1}}));
  EXPECT_EQ(store->dataset_counts_by_group(member_b), (Counts{{"transport", 3}}));
  for (const Visibility& other : {Visibility::anonymous(), Visibility{false, {"org-a"}, {}}}) {
    EXPECT_EQ(store->dataset_counts_by_organization(other), (Counts{{"org-a", 2}}));
    EXPECT_EQ(store->dataset_counts_by_group(other), (Counts{{"transport", 2}}));
  }
  // Made public, it counts for everyone at once (the private counts follow the revision).
  store->write([&](Transaction& tx) {
    auto d = tx.find_dataset("private-one");
    d->is_private = false;
    tx.update_dataset(*d);
  });
  EXPECT_EQ(store->dataset_counts_by_organization(Visibility::anonymous()),
            (Counts{{"org-a", 2}, {"org-b", 1}}));
  EXPECT_EQ(store->dataset_counts_by_group(Visibility::anonymous()), (Counts{{"transport", 3}}));
}

TEST_P(StoreQueries, TagsCountActivePublicDatasetsMostUsedFirst) {
  auto all = store->tags("", 100);
  EXPECT_EQ(all, (std::vector<std::pair<std::string, std::int64_t>>{{"교통", 2}, {"버스", 1}}));
  EXPECT_EQ(store->tags("버", 100).size(), 1u);
  EXPECT_TRUE(store->tags("비공", 100).empty()) << "private datasets' tags are not public";
  EXPECT_TRUE(store->tags("삭제", 100).empty()) << "deleted datasets' tags are gone";
  EXPECT_EQ(store->tags("", 1).size(), 1u);
  EXPECT_TRUE(store->tags("zzz", 10).empty());
}

TEST_P(StoreQueries, MakingADatasetPrivateHidesItsTagsAndNameUntilItIsPublicAgain) {
  Dataset d = *store->dataset("public-one");
  d.is_private = true;
  store->write([&](Transaction& tx) { tx.update_dataset(d); });
  EXPECT_TRUE(store->tags("버스", 10).empty());
  EXPECT_EQ(store->dataset_names(0, 10), std::vector<std::string>{"public-two"});
  d.is_private = false;
  store->write([&](Transaction& tx) { tx.update_dataset(d); });
  EXPECT_EQ(store->tags("버스", 10).size(), 1u);
  EXPECT_EQ(store->dataset_names(0, 10).size(), 2u);
}

TEST_P(StoreQueries, DeletedDatasetIsStillShownWithItsStateAndPurgeRemovesIt) {
  auto d = store->dataset("deleted-one");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->state, "deleted");
  store->write([&](Transaction& tx) { tx.purge_dataset("id-deleted-one"); });
  EXPECT_FALSE(store->dataset("deleted-one"));
  EXPECT_FALSE(store->dataset("id-deleted-one"));
  // The name is free again.
  Dataset again = small_dataset("deleted-one", "id-new");
  store->write([&](Transaction& tx) { tx.insert_dataset(again); });
  EXPECT_EQ(store->dataset("deleted-one")->id, "id-new");
}

TEST_P(StoreQueries, PurgeTakesResourcesAndRelationshipsWithIt) {
  Dataset withres = small_dataset("with-resource");
  withres.resources.resize(1);
  withres.resources[0].id = "purged-res";
  store->write([&](Transaction& tx) {
    tx.insert_dataset(withres);
    tx.put_relationship({withres.id, "id-public-one", "links_to", ""});
  });
  EXPECT_EQ(store->relationships("id-public-one").size(), 1u);
  store->write([&](Transaction& tx) { tx.purge_dataset(withres.id); });
  EXPECT_FALSE(store->resource("purged-res"));
  EXPECT_TRUE(store->relationships("id-public-one").empty());
}

TEST_P(StoreQueries, SourceKeyLookupPrefersTheActiveDataset) {
  Dataset old = small_dataset("old-copy"), current = small_dataset("current-copy");
  old.source_key = current.source_key = "shared-key";
  store->write([&](Transaction& tx) {
    tx.insert_dataset(old);
    tx.insert_dataset(current);
    tx.delete_dataset(old.id);
  });
  EXPECT_EQ(store->dataset("shared-key")->name, "current-copy");
}

TEST_P(StoreQueries, ForEachDatasetStreamsEveryActiveOneInIdOrder) {
  std::vector<std::string> ids;
  store->for_each_dataset([&](const Dataset& d) { ids.push_back(d.id); });
  EXPECT_EQ(ids, (std::vector<std::string>{"id-private-one", "id-public-one", "id-public-two"}));
}

TEST_P(StoreQueries, DatasetIdsByViewsPutTheMostViewedFirstAndDeletedAndDraftsLast) {
  // The search index numbers its documents in this order (search/service.h); drafts and
  // deleted datasets are indexed too, found only when asked for (include_drafts/_deleted).
  auto one = *store->dataset("public-one");
  auto two = *store->dataset("public-two");
  one.views = 7;
  two.views = 9000;
  store->write([&](Transaction& tx) {
    tx.update_dataset(one);
    tx.update_dataset(two);
  });
  EXPECT_EQ(store->dataset_ids_by_views(),
            (std::vector<std::string>{"id-public-two", "id-public-one", "id-private-one",
                                      "id-deleted-one", "id-draft-one"}));
}

TEST_P(StoreQueries, ForEachDatasetOfFollowsTheGivenOrderAndSkipsUnknownIds) {
  const std::vector<std::string> wanted{"id-public-two", "no-such-id", "id-private-one",
                                        "id-public-one"};
  std::vector<std::string> seen;
  store->for_each_dataset_of(wanted, [&](const Dataset& d) { seen.push_back(d.id); });
  EXPECT_EQ(seen, (std::vector<std::string>{"id-public-two", "id-private-one", "id-public-one"}));
}

TEST_P(StoreQueries, ForEachDatasetCanReadTheStoreFromItsCallback) {
  // Re-entrant reads: the callback gets another pooled connection, not a deadlock.
  int found = 0;
  store->for_each_dataset([&](const Dataset& d) {
    if (store->dataset(d.name)) ++found;
  });
  EXPECT_EQ(found, 3);
}

TEST_P(StoreStreaming, ForEachDatasetVisitsThousandsOnceEach) {
  auto store = open();
  const int n = 5000;
  store->write([&](Transaction& tx) {
    for (int i = 0; i < n; ++i) {
      Dataset d = small_dataset("bulk-" + std::to_string(i));
      d.id = "";
      tx.insert_dataset(d);
    }
  });
  std::set<std::string> names;
  int calls = 0;
  store->for_each_dataset([&](const Dataset& d) {
    ++calls;
    names.insert(d.name);
  });
  EXPECT_EQ(calls, n);
  EXPECT_EQ(names.size(), static_cast<std::size_t>(n));
}

TEST(SqliteStoreTokens, OnlyTheHashIsStoredAndItFindsTheUser) {
  testing::TempDir dir;
  const std::string secret = "tok_SECRET_d41d8cd98f00b204e9800998ecf8427e_raw";
  {
    auto store = open_sqlite_store(dir.file("catalog.db"));
    User u;
    u.id = "u1";
    u.name = "agency-admin";
    u.memberships = {{"org-a", "admin"}};
    store->write([&](Transaction& tx) {
      tx.put_user(u);
      tx.add_token(ApiToken{"tok-1", "u1", "cli", "", ""}, sha256_hex(secret));
    });
    auto owner = store->user_for_token(sha256_hex(secret));
    ASSERT_TRUE(owner);
    EXPECT_EQ(owner->name, "agency-admin");
    ASSERT_EQ(owner->memberships.size(), 1u);
    EXPECT_EQ(owner->memberships[0].role, "admin");
    EXPECT_FALSE(store->user_for_token(secret)) << "the raw secret is not a key";
    auto tokens = store->tokens("u1");
    ASSERT_EQ(tokens.size(), 1u);
    EXPECT_EQ(tokens[0].name, "cli");
    EXPECT_FALSE(tokens[0].created.empty());
  }
  // With the store closed, the WAL is checkpointed into the file: look at every byte.
  std::ifstream in(dir.file("catalog.db"), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes.find(secret), std::string::npos);
  EXPECT_NE(bytes.find(sha256_hex(secret)), std::string::npos);
}

TEST_P(StoreTokens, ARevokedTokenNoLongerAuthenticates) {
  auto store = open();
  User u;
  u.id = "u1";
  u.name = "someone";
  store->write([&](Transaction& tx) {
    tx.put_user(u);
    tx.add_token(ApiToken{"tok-1", "u1", "a", "", ""}, sha256_hex("one"));
    tx.add_token(ApiToken{"tok-2", "u1", "b", "", ""}, sha256_hex("two"));
  });
  store->write([&](Transaction& tx) { tx.revoke_token("tok-1"); });
  EXPECT_FALSE(store->user_for_token(sha256_hex("one")));
  EXPECT_TRUE(store->user_for_token(sha256_hex("two")));
  EXPECT_EQ(store->tokens("u1").size(), 1u);
}

TEST_P(StoreTokens, ATokenForAnUnknownUserIsRefused) {
  auto store = open();
  EXPECT_THROW(store->write([&](Transaction& tx) {
    tx.add_token(ApiToken{"t", "nobody", "", "", ""}, sha256_hex("x"));
  }),
               NotFound);
  EXPECT_THROW(store->write([&](Transaction& tx) {
    tx.add_token(ApiToken{"t", "nobody", "", "", ""}, "not-a-hash");
  }),
               ValidationError);
}

TEST_P(StoreLicenses, ComeFromTheKnownList) {
  auto store = open();
  EXPECT_FALSE(store->licenses().empty());
}

DATAMAP_STORE_BACKENDS(StoreQueries);
DATAMAP_STORE_BACKENDS(StoreStreaming);
DATAMAP_STORE_BACKENDS(StoreTokens);
DATAMAP_STORE_BACKENDS(StoreLicenses);

}  // namespace
}  // namespace datamap::catalog

// Activities, follows and reuses through the Store itself, on both backends with the same
// assertions: what a change records, who may read it across many unreadable rows (PostgreSQL
// reads the stream in batches), follows' order, and reuses' refusals and purge.
#include <gtest/gtest.h>

#include "catalog/errors.h"
#include "catalog/store.h"
#include "tests/catalog/store_test_data.h"
#include "tests/support/store_backends.h"

namespace datamap::catalog {
namespace {

using testdata::small_dataset;

class StoreCommunity : public testing::StoreBackendTest {
 protected:
  void SetUp() override {
    store = open();
    Organization org;
    org.id = "org-a";
    org.name = "agency-a";
    User u;
    u.id = "user-1";
    u.name = "reader";
    store->write([&](Transaction& tx) {
      tx.put_organization(org);
      tx.put_user(u);
    });
  }
  std::unique_ptr<Store> store;
};

std::vector<std::string> ids(const std::vector<Activity>& list) {
  std::vector<std::string> out;
  for (const auto& a : list) out.push_back(a.object_id);
  return out;
}

TEST_P(StoreCommunity, AChangeRecordsItsActivityNamedAsTheActor) {
  Dataset d = small_dataset("bus-stops");
  d.owner_org = "org-a";
  store->write([&](Transaction& tx) {
    tx.set_actor("user-1");
    tx.insert_dataset(d);
  });
  d.title = "버스 정류장 위치";
  store->write([&](Transaction& tx) { tx.update_dataset(d); });  // no actor: an import
  store->write([&](Transaction& tx) { tx.delete_dataset(d.id); });
  ActivityQuery q;
  q.scope = ActivityQuery::Scope::object;
  q.id = d.id;
  auto list = store->activities(q, Visibility::anonymous());
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].activity_type, "deleted package");
  EXPECT_EQ(list[1].activity_type, "changed package");
  EXPECT_EQ(list[2].activity_type, "new package");
  EXPECT_EQ(list[2].user_id, "user-1");
  EXPECT_EQ(list[1].user_id, "");
  EXPECT_NE(list[1].data.find("버스 정류장 위치"), std::string::npos) << list[1].data;
  // The organization's own creation is its activity too.
  q.scope = ActivityQuery::Scope::organization;
  q.id = "org-a";
  auto org = store->activities(q, Visibility::anonymous());
  ASSERT_EQ(org.size(), 4u);
  EXPECT_EQ(org[3].activity_type, "new organization");
  // A rolled-back write leaves no activity.
  EXPECT_THROW(store->write([&](Transaction& tx) {
    Dataset e = small_dataset("rolled-back");
    tx.insert_dataset(e);
    throw std::runtime_error("abort");
  }),
               std::runtime_error);
  q.scope = ActivityQuery::Scope::all_packages;
  q.id.clear();
  EXPECT_EQ(store->activities(q, Visibility::everything()).size(), 3u);
}

// More unreadable rows than one batch (200) above the readable ones: the page still finds them,
// and offsets count readable rows only, across batch boundaries.
TEST_P(StoreCommunity, PagesSkipUnreadableActivitiesAcrossBatches) {
  store->write([&](Transaction& tx) {
    for (int i = 0; i < 3; ++i) {
      Dataset d = small_dataset("open-" + std::to_string(i));
      d.owner_org = "org-a";
      tx.insert_dataset(d);
    }
    for (int i = 0; i < 450; ++i) {
      Dataset d = small_dataset("closed-" + std::to_string(i));
      d.owner_org = "org-a";
      d.is_private = true;
      tx.insert_dataset(d);
    }
  });
  ActivityQuery q;  // all_packages
  q.limit = 10;
  EXPECT_EQ(ids(store->activities(q, Visibility::anonymous())),
            (std::vector<std::string>{"id-open-2", "id-open-1", "id-open-0"}));
  // A member of org-a reads all, newest first; offset 445 straddles the batches.
  Visibility member;
  member.private_orgs = {"org-a"};
  q.offset = 448;
  q.limit = 4;
  EXPECT_EQ(ids(store->activities(q, member)),
            (std::vector<std::string>{"id-closed-1", "id-closed-0", "id-open-2", "id-open-1"}));
  q.offset = 1;
  q.limit = 5;
  EXPECT_EQ(ids(store->activities(q, Visibility::anonymous())),
            (std::vector<std::string>{"id-open-1", "id-open-0"}));
}

TEST_P(StoreCommunity, FollowsAreOncePerUserAndObject) {
  Follow f{"user-1", "dataset", "id-x", "2026-01-01T00:00:00.000000"};
  Follow g{"user-1", "organization", "org-a", "2026-01-02T00:00:00.000000"};
  store->write([&](Transaction& tx) {
    EXPECT_TRUE(tx.follow(f));
    EXPECT_FALSE(tx.follow(f));
    EXPECT_TRUE(tx.follow(g));
  });
  EXPECT_EQ(store->follower_count("dataset", "id-x"), 1);
  EXPECT_TRUE(store->is_following("user-1", "organization", "org-a"));
  EXPECT_FALSE(store->is_following("user-1", "dataset", "org-a"));
  auto followees = store->followees("user-1");
  ASSERT_EQ(followees.size(), 2u);
  EXPECT_EQ(followees[0].object_id, "org-a");  // newest first
  EXPECT_EQ(store->followers("dataset", "id-x"), std::vector<std::string>{"user-1"});
  store->write([&](Transaction& tx) {
    EXPECT_TRUE(tx.unfollow(f));
    EXPECT_FALSE(tx.unfollow(f));
  });
  EXPECT_EQ(store->follower_count("dataset", "id-x"), 0);
}

TEST_P(StoreCommunity, ReusesAreRefusedForUnknownDatasetsAndGoWithAPurge) {
  Dataset a = small_dataset("bus-stops"), b = small_dataset("bus-routes");
  store->write([&](Transaction& tx) {
    tx.insert_dataset(a);
    tx.insert_dataset(b);
  });
  Reuse r;
  r.title = "정류장 앱";
  r.url = "https://example.org/app";
  r.type = "app";
  r.creator_user_id = "user-1";
  r.dataset_ids = {b.id, a.id, b.id};
  const std::int64_t before = store->head_revision();
  store->write([&](Transaction& tx) {
    Reuse bad = r;
    bad.dataset_ids = {"no-such-dataset"};
    EXPECT_THROW(tx.put_reuse(bad), NotFound);
    tx.put_reuse(r);  // the transaction goes on after a refusal
  });
  EXPECT_EQ(store->head_revision(), before + 1);  // one "reuse" change
  auto stored = store->reuse(r.id);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->dataset_ids, (std::vector<std::string>{b.id, a.id}));
  EXPECT_EQ(stored->created, stored->modified);
  EXPECT_EQ(store->count_reuses(""), 1);
  EXPECT_EQ(store->count_reuses(a.id), 1);
  EXPECT_EQ(store->reuses(a.id, 0, 10).size(), 1u);

  Reuse changed = *stored;
  changed.title = "정류장 알림 앱";
  store->write([&](Transaction& tx) { tx.put_reuse(changed); });
  EXPECT_EQ(store->reuse(r.id)->title, "정류장 알림 앱");
  EXPECT_EQ(store->reuse(r.id)->created, stored->created);

  store->write([&](Transaction& tx) { tx.purge_dataset(a.id); });
  EXPECT_EQ(store->count_reuses(a.id), 0);
  EXPECT_EQ(store->reuse(r.id)->dataset_ids, std::vector<std::string>{b.id});
  ActivityQuery q;
  q.scope = ActivityQuery::Scope::object;
  q.id = a.id;
  EXPECT_TRUE(store->activities(q, Visibility::everything()).empty());

  int seen = 0;
  store->for_each_reuse([&](const Reuse&) { ++seen; });
  EXPECT_EQ(seen, 1);
  store->write([&](Transaction& tx) {
    EXPECT_THROW(tx.delete_reuse("no-such-reuse"), NotFound);
    tx.delete_reuse(r.id);
  });
  EXPECT_FALSE(store->reuse(r.id).has_value());
  EXPECT_EQ(store->count_reuses(""), 0);
}

DATAMAP_STORE_BACKENDS(StoreCommunity);

}  // namespace
}  // namespace datamap::catalog

// Both stores (SQLite, PostgreSQL) give back exactly what was written: every field of every entity.
#include <gtest/gtest.h>

#include "catalog/errors.h"
#include "catalog/ids.h"
#include "catalog/store.h"
#include "tests/catalog/store_test_data.h"
#include "tests/support/store_backends.h"

namespace datamap::catalog {
namespace {

using testdata::full_dataset;
using testdata::small_dataset;

class StoreRoundTrip : public testing::StoreBackendTest {};

void expect_same_resource(const Resource& a, const Resource& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.package_id, b.package_id);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.description, b.description);
  EXPECT_EQ(a.url, b.url);
  EXPECT_EQ(a.format, b.format);
  EXPECT_EQ(a.mimetype, b.mimetype);
  EXPECT_EQ(a.size, b.size);
  EXPECT_EQ(a.created, b.created);
  EXPECT_EQ(a.last_modified, b.last_modified);
  EXPECT_EQ(a.extras, b.extras);
}

void expect_same_dataset(const Dataset& a, const Dataset& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.notes, b.notes);
  EXPECT_EQ(a.type, b.type);
  EXPECT_EQ(a.state, b.state);
  EXPECT_EQ(a.owner_org, b.owner_org);
  EXPECT_EQ(a.url, b.url);
  EXPECT_EQ(a.license_id, b.license_id);
  EXPECT_EQ(a.author, b.author);
  EXPECT_EQ(a.author_email, b.author_email);
  EXPECT_EQ(a.maintainer, b.maintainer);
  EXPECT_EQ(a.maintainer_email, b.maintainer_email);
  EXPECT_EQ(a.maintainer_phone, b.maintainer_phone);
  EXPECT_EQ(a.version, b.version);
  EXPECT_EQ(a.frequency, b.frequency);
  EXPECT_EQ(a.next_update, b.next_update);
  EXPECT_EQ(a.spatial, b.spatial);
  EXPECT_EQ(a.temporal, b.temporal);
  EXPECT_EQ(a.issued, b.issued);
  EXPECT_EQ(a.modified, b.modified);
  EXPECT_EQ(a.metadata_created, b.metadata_created);
  EXPECT_EQ(a.metadata_modified, b.metadata_modified);
  EXPECT_EQ(a.category_sub, b.category_sub);
  EXPECT_EQ(a.source_key, b.source_key);
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.is_private, b.is_private);
  EXPECT_EQ(a.national_priority, b.national_priority);
  EXPECT_EQ(a.standard_dataset, b.standard_dataset);
  EXPECT_EQ(a.views, b.views);
  EXPECT_EQ(a.downloads, b.downloads);
  EXPECT_EQ(a.tags, b.tags);
  EXPECT_EQ(a.groups, b.groups);
  ASSERT_EQ(a.resources.size(), b.resources.size());
  for (std::size_t i = 0; i < a.resources.size(); ++i)
    expect_same_resource(a.resources[i], b.resources[i]);
  ASSERT_EQ(a.columns.size(), b.columns.size());
  for (std::size_t i = 0; i < a.columns.size(); ++i) {
    EXPECT_EQ(a.columns[i].name, b.columns[i].name);
    EXPECT_EQ(a.columns[i].type, b.columns[i].type);
    EXPECT_EQ(a.columns[i].description, b.columns[i].description);
    EXPECT_EQ(a.columns[i].standard_term, b.columns[i].standard_term);
  }
  EXPECT_EQ(a.extras, b.extras);
}

TEST_P(StoreRoundTrip, EveryDatasetFieldComesBackAfterReopening) {
  Dataset written = full_dataset();
  {
    auto store = open();
    store->write([&](Transaction& tx) { tx.insert_dataset(written); });
  }
  EXPECT_FALSE(written.metadata_created.empty());
  EXPECT_EQ(written.metadata_created, written.metadata_modified);

  auto store = open();
  for (const char* ref :
       {"3f7c6b0e-5a8d-4c1e-9b2a-000000000001", "seoul-parking-lots", "15000000"}) {
    SCOPED_TRACE(ref);
    auto read = store->dataset(ref);
    ASSERT_TRUE(read.has_value());
    expect_same_dataset(written, *read);
  }
}

TEST_P(StoreRoundTrip, EmptyTypeAndStateStayEmptyRatherThanDefaulted) {
  auto store = open();
  Dataset d = small_dataset("bare");
  d.type = "";
  store->write([&](Transaction& tx) { tx.insert_dataset(d); });
  EXPECT_EQ(store->dataset("bare")->type, "");
}

TEST_P(StoreRoundTrip, UpdateReplacesTheRecordAndKeepsCreationTime) {
  auto store = open();
  Dataset d = full_dataset();
  store->write([&](Transaction& tx) { tx.insert_dataset(d); });
  const std::string created = d.metadata_created;

  Dataset changed = d;
  changed.title = "서울시 주차장 (수정)";
  changed.tags = {"주차"};
  changed.resources.pop_back();
  changed.metadata_created = "1999-01-01";  // the store owns this field
  store->write([&](Transaction& tx) { tx.update_dataset(changed); });

  auto read = store->dataset(d.id);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->title, "서울시 주차장 (수정)");
  EXPECT_EQ(read->tags, std::vector<std::string>{"주차"});
  ASSERT_EQ(read->resources.size(), 1u);
  EXPECT_EQ(read->metadata_created, created);
  EXPECT_GE(read->metadata_modified, created);
  EXPECT_FALSE(store->resource("res-2").has_value()) << "a dropped resource is gone";
}

TEST_P(StoreRoundTrip, ResourceByIdCarriesItsDataset) {
  auto store = open();
  Dataset d = full_dataset();
  store->write([&](Transaction& tx) { tx.insert_dataset(d); });
  auto r = store->resource("res-1");
  ASSERT_TRUE(r);
  expect_same_resource(d.resources[0], *r);
  auto r2 = store->resource("res-2");
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->size, -1);
  EXPECT_FALSE(store->resource("no-such-resource"));
}

TEST_P(StoreRoundTrip, MissingIdsAreFilledByTheStore) {
  auto store = open();
  Dataset d;
  d.name = "no-ids";
  d.title = "t";
  d.resources.resize(2);
  store->write([&](Transaction& tx) { tx.insert_dataset(d); });
  EXPECT_EQ(d.id.size(), 36u);
  ASSERT_EQ(d.resources.size(), 2u);
  EXPECT_NE(d.resources[0].id, d.resources[1].id);
  EXPECT_EQ(d.resources[0].package_id, d.id);
  EXPECT_TRUE(store->resource(d.resources[1].id));
}

TEST_P(StoreRoundTrip, OrganizationsGroupsUsersAndRelationships) {
  auto store = open();
  Organization org{"org-seoul", "seoul",   "서울특별시",
                   "서울시청",  "6110000", "https://seoul.go.kr/logo.png",
                   "",          "active"};
  Group group{"grp-1", "traffic", "교통물류", "교통과 물류", ""};
  User user;
  user.id = "user-1";
  user.name = "kim";
  user.fullname = "김철수";
  user.email = "kim@seoul.go.kr";
  user.sysadmin = true;
  user.memberships = {{"org-seoul", "admin"}};
  Dataset a = small_dataset("a"), b = small_dataset("b");
  store->write([&](Transaction& tx) {
    tx.put_organization(org);
    tx.put_group(group);
    tx.put_user(user);
    tx.insert_dataset(a);
    tx.insert_dataset(b);
    tx.put_relationship({a.id, b.id, "depends_on", "a는 b가 필요"});
  });
  EXPECT_FALSE(org.created.empty());

  for (const char* ref : {"org-seoul", "seoul", "6110000"}) {
    auto o = store->organization(ref);
    ASSERT_TRUE(o) << ref;
    EXPECT_EQ(o->id, org.id);
    EXPECT_EQ(o->title, "서울특별시");
    EXPECT_EQ(o->description, "서울시청");
    EXPECT_EQ(o->code, "6110000");
    EXPECT_EQ(o->image_url, org.image_url);
    EXPECT_EQ(o->created, org.created);
    EXPECT_EQ(o->state, "active");
  }
  auto g = store->group("traffic");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->id, "grp-1");
  EXPECT_EQ(g->title, "교통물류");
  EXPECT_EQ(g->description, "교통과 물류");
  EXPECT_EQ(store->groups().size(), 1u);

  auto u = store->user("kim");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->id, "user-1");
  EXPECT_EQ(u->fullname, "김철수");
  EXPECT_EQ(u->email, "kim@seoul.go.kr");
  EXPECT_TRUE(u->sysadmin);
  EXPECT_EQ(u->state, "active");
  ASSERT_EQ(u->memberships.size(), 1u);
  EXPECT_EQ(u->memberships[0].organization_id, "org-seoul");
  EXPECT_EQ(u->memberships[0].role, "admin");

  auto rel = store->relationships(b.id);
  ASSERT_EQ(rel.size(), 1u);
  EXPECT_EQ(rel[0].subject_id, a.id);
  EXPECT_EQ(rel[0].object_id, b.id);
  EXPECT_EQ(rel[0].type, "depends_on");
  EXPECT_EQ(rel[0].comment, "a는 b가 필요");
  EXPECT_EQ(store->relationships(a.id).size(), 1u);
}

TEST_P(StoreRoundTrip, PutOrganizationUpdatesByIdAndKeepsCreated) {
  auto store = open();
  Organization org;
  org.id = "o1";
  org.name = "first";
  store->write([&](Transaction& tx) { tx.put_organization(org); });
  Organization renamed = org;
  renamed.name = "second";
  renamed.created.clear();
  store->write([&](Transaction& tx) { tx.put_organization(renamed); });
  EXPECT_FALSE(store->organization("first"));
  auto o = store->organization("second");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->created, org.created);
  EXPECT_EQ(store->organizations().size(), 1u);
}

TEST_P(StoreRoundTrip, PutUserReplacesMemberships) {
  auto store = open();
  User u;
  u.id = "u1";
  u.name = "lee";
  u.memberships = {{"org-a", "admin"}, {"org-b", "member"}};
  store->write([&](Transaction& tx) { tx.put_user(u); });
  u.memberships = {{"org-c", "editor"}};
  store->write([&](Transaction& tx) { tx.put_user(u); });
  auto read = store->user("u1");
  ASSERT_TRUE(read);
  ASSERT_EQ(read->memberships.size(), 1u);
  EXPECT_EQ(read->memberships[0].organization_id, "org-c");
  EXPECT_EQ(read->memberships[0].role, "editor");
}

TEST_P(StoreRoundTrip, TransactionReadsSeeTheirOwnWrites) {
  auto store = open();
  store->write([&](Transaction& tx) {
    Dataset d = small_dataset("inside");
    d.source_key = "K-1";
    tx.insert_dataset(d);
    EXPECT_TRUE(tx.find_dataset("inside"));
    EXPECT_TRUE(tx.find_dataset("K-1"));
    Organization o;
    o.id = "o";
    o.name = "org";
    tx.put_organization(o);
    EXPECT_TRUE(tx.find_organization("org"));
    EXPECT_FALSE(store->dataset("inside")) << "others see only committed state";
  });
  EXPECT_TRUE(store->dataset("inside"));
}

TEST_P(StoreRoundTrip, NotFoundForUpdatesAndDeletesOfMissingRows) {
  auto store = open();
  Dataset ghost = small_dataset("ghost");
  EXPECT_THROW(store->write([&](Transaction& tx) { tx.update_dataset(ghost); }), NotFound);
  EXPECT_THROW(store->write([&](Transaction& tx) { tx.delete_dataset("ghost-id"); }), NotFound);
  EXPECT_THROW(store->write([&](Transaction& tx) { tx.purge_dataset("ghost-id"); }), NotFound);
  EXPECT_THROW(store->write([&](Transaction& tx) { tx.revoke_token("no-token"); }), NotFound);
  EXPECT_THROW(store->write([&](Transaction& tx) {
    tx.put_relationship({"x", "y", "links_to", ""});
  }),
               NotFound);
  EXPECT_EQ(store->head_revision(), 0);
}

TEST_P(StoreRoundTrip, EmptyAndUnknownRefsFindNothing) {
  auto store = open();
  Dataset d = small_dataset("no-source-key");  // source_key is empty
  store->write([&](Transaction& tx) { tx.insert_dataset(d); });
  EXPECT_FALSE(store->dataset(""));
  EXPECT_FALSE(store->dataset("nope"));
  EXPECT_FALSE(store->organization(""));
  EXPECT_FALSE(store->user(""));
  EXPECT_FALSE(store->user_for_token(""));
}

TEST_P(StoreRoundTrip, HostileTextIsStoredAsDataNotSql) {
  auto store = open();
  Dataset d = small_dataset("robert");
  d.title = "x'); DROP TABLE datasets; --";
  d.source_key = "' OR '1'='1";
  d.notes = std::string("nul\0inside", 10);
  store->write([&](Transaction& tx) { tx.insert_dataset(d); });
  auto read = store->dataset("' OR '1'='1");
  ASSERT_TRUE(read);
  EXPECT_EQ(read->title, d.title);
  EXPECT_EQ(read->notes, d.notes);
  EXPECT_EQ(store->count_datasets(), 1);
}

DATAMAP_STORE_BACKENDS(StoreRoundTrip);

}  // namespace
}  // namespace datamap::catalog

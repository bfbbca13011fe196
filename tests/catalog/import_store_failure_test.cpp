// The importer when the store itself fails (disk full, I/O error): a real SQLite store behind a
// wrapper that throws a plain runtime_error on chosen inserts, as SQLite errors do.
#include <gtest/gtest.h>

#include <set>
#include <stdexcept>

#include "catalog/import/importer.h"
#include "catalog/store.h"
#include "tests/catalog/import_fixtures.h"
#include "tests/support/temp_dir.h"

namespace datamap::catalog::importer {
namespace {

class FailingTransaction : public Transaction {
 public:
  FailingTransaction(Transaction& inner, const std::set<std::string>& poisoned, bool fail_all)
      : inner_(inner), poisoned_(poisoned), fail_all_(fail_all) {}
  std::optional<Dataset> find_dataset(std::string_view ref) override {
    return inner_.find_dataset(ref);
  }
  void insert_dataset(Dataset& d) override {
    inner_.insert_dataset(d);  // written, then the "disk" fails: only a rollback undoes it
    if (fail_all_ || poisoned_.count(d.source_key))
      throw std::runtime_error("database or disk is full");
  }
  void update_dataset(Dataset& d) override { inner_.update_dataset(d); }
  void delete_dataset(std::string_view id) override { inner_.delete_dataset(id); }
  void purge_dataset(std::string_view id) override { inner_.purge_dataset(id); }
  std::optional<Organization> find_organization(std::string_view ref) override {
    return inner_.find_organization(ref);
  }
  void put_organization(Organization& o) override { inner_.put_organization(o); }
  std::optional<Group> find_group(std::string_view ref) override { return inner_.find_group(ref); }
  void put_group(Group& g) override { inner_.put_group(g); }
  std::optional<User> find_user(std::string_view ref) override { return inner_.find_user(ref); }
  void put_user(User& u) override { inner_.put_user(u); }
  void add_token(const ApiToken& t, std::string_view h) override { inner_.add_token(t, h); }
  void revoke_token(std::string_view id) override { inner_.revoke_token(id); }
  void put_relationship(const Relationship& r) override { inner_.put_relationship(r); }
  void delete_relationship(const Relationship& r) override { inner_.delete_relationship(r); }
  void add_session(const ConsoleSession& s, std::string_view h) override {
    inner_.add_session(s, h);
  }
  void touch_session(std::string_view h, std::int64_t at) override { inner_.touch_session(h, at); }
  void delete_session(std::string_view h) override { inner_.delete_session(h); }
  std::int64_t delete_expired_sessions(std::int64_t now) override {
    return inner_.delete_expired_sessions(now);
  }

 private:
  Transaction& inner_;
  const std::set<std::string>& poisoned_;
  bool fail_all_;
};

class FailingStore : public Store {
 public:
  explicit FailingStore(std::unique_ptr<Store> inner) : inner_(std::move(inner)) {}
  std::set<std::string> poisoned;  // source keys whose insert fails
  bool fail_all = false;
  int writes = 0;

  void write(const std::function<void(Transaction&)>& fn) override {
    ++writes;
    inner_->write([&](Transaction& tx) {
      FailingTransaction failing(tx, poisoned, fail_all);
      fn(failing);
    });
  }
  std::optional<Dataset> dataset(std::string_view ref) override { return inner_->dataset(ref); }
  std::optional<Resource> resource(std::string_view id) override { return inner_->resource(id); }
  std::vector<std::string> dataset_names(std::int64_t o, std::int64_t l) override {
    return inner_->dataset_names(o, l);
  }
  std::int64_t count_datasets() override { return inner_->count_datasets(); }
  void for_each_dataset(const std::function<void(const Dataset&)>& fn) override {
    inner_->for_each_dataset(fn);
  }
  std::optional<Organization> organization(std::string_view ref) override {
    return inner_->organization(ref);
  }
  std::vector<Organization> organizations() override { return inner_->organizations(); }
  std::optional<Group> group(std::string_view ref) override { return inner_->group(ref); }
  std::vector<Group> groups() override { return inner_->groups(); }
  std::vector<std::pair<std::string, std::int64_t>> dataset_counts_by_organization(
      const Visibility& reader) override {
    return inner_->dataset_counts_by_organization(reader);
  }
  std::vector<std::pair<std::string, std::int64_t>> dataset_counts_by_group(
      const Visibility& reader) override {
    return inner_->dataset_counts_by_group(reader);
  }
  std::vector<std::pair<std::string, std::int64_t>> tags(std::string_view q,
                                                         std::int64_t limit) override {
    return inner_->tags(q, limit);
  }
  std::vector<License> licenses() override { return inner_->licenses(); }
  std::optional<User> user(std::string_view ref) override { return inner_->user(ref); }
  std::vector<User> members(std::string_view org) override { return inner_->members(org); }
  std::optional<User> user_for_token(std::string_view h) override {
    return inner_->user_for_token(h);
  }
  std::optional<ConsoleSession> console_session(std::string_view h) override {
    return inner_->console_session(h);
  }
  std::vector<ApiToken> tokens(std::string_view user_id) override {
    return inner_->tokens(user_id);
  }
  std::vector<Relationship> relationships(std::string_view id) override {
    return inner_->relationships(id);
  }
  void for_each_relationship(const std::function<void(const Relationship&)>& fn) override {
    inner_->for_each_relationship(fn);
  }
  std::int64_t head_revision() override { return inner_->head_revision(); }
  std::vector<Change> changes_since(std::int64_t after, std::size_t limit) override {
    return inner_->changes_since(after, limit);
  }

 private:
  std::unique_ptr<Store> inner_;
};

TEST(ImportStoreFailure, AFailedInsertRollsBackItsBatchAndOnlyThatRowIsRejected) {
  testing::TempDir dir;
  FailingStore store(open_sqlite_store(dir.file("catalog.db")));
  store.poisoned = {"15000017"};
  ImportOptions options;
  options.batch_size = 20;
  ImportSummary s = import_bytes(store, testing::datago_2022_head(60), options);
  EXPECT_EQ(s.added, 59u);
  ASSERT_EQ(s.rejected.size(), 1u);
  EXPECT_EQ(s.rejected[0].ref, "15000017");
  EXPECT_EQ(s.rejected[0].reason, "database or disk is full");
  EXPECT_EQ(store.count_datasets(), 59);
  EXPECT_FALSE(store.dataset("15000017"));  // its half-done insert was rolled back
  // 3 batches, the first failed once and was re-written as 20 single-row writes.
  EXPECT_EQ(store.writes, 3 + 20);
  // Its agency and category were rolled back with it and then written by the retries.
  EXPECT_TRUE(store.dataset("15000020"));
  EXPECT_TRUE(store.organization(store.dataset("15000020")->owner_org));
}

TEST(ImportStoreFailure, AStoreThatKeepsFailingStopsTheImportInsteadOfRejectingEveryRow) {
  testing::TempDir dir;
  FailingStore store(open_sqlite_store(dir.file("catalog.db")));
  store.fail_all = true;
  ImportOptions options;
  options.batch_size = 100;
  EXPECT_THROW(import_bytes(store, testing::datago_2022_head(1000), options), std::runtime_error);
  EXPECT_LE(store.writes, 1 + 50);  // one batch, then 50 single-row attempts, then stop
  EXPECT_EQ(store.count_datasets(), 0);
  EXPECT_EQ(store.head_revision(), 0);
}

// Batches grow with the import (ImportOptions::max_batch_size): a quarter of what was written so
// far, so 400 rows starting at 20 take 12 transactions instead of 20.
TEST(ImportStoreFailure, BatchesGrowWithTheImport) {
  testing::TempDir dir;
  FailingStore store(open_sqlite_store(dir.file("catalog.db")));
  ImportOptions options;
  options.batch_size = 20;
  options.max_batch_size = 1000;
  ImportSummary s = import_bytes(store, testing::datago_2022_head(400), options);
  EXPECT_EQ(s.added, 400u);
  EXPECT_EQ(store.count_datasets(), 400);
  EXPECT_EQ(store.writes, 12);
}

// A failure inside a grown batch still costs only its own row (the 351st: in the 11th batch).
TEST(ImportStoreFailure, AFailureInAGrownBatchRejectsOnlyItsRow) {
  testing::TempDir dir;
  FailingStore store(open_sqlite_store(dir.file("catalog.db")));
  store.poisoned = {"15001668"};
  ImportOptions options;
  options.batch_size = 20;
  options.max_batch_size = 1000;
  ImportSummary s = import_bytes(store, testing::datago_2022_head(400), options);
  EXPECT_EQ(s.added, 399u);
  ASSERT_EQ(s.rejected.size(), 1u);
  EXPECT_EQ(s.rejected[0].ref, "15001668");
  EXPECT_EQ(store.count_datasets(), 399);
  EXPECT_FALSE(store.dataset("15001668"));
  EXPECT_TRUE(store.dataset("15001667"));
  EXPECT_TRUE(store.dataset("15001671"));
}

}  // namespace
}  // namespace datamap::catalog::importer

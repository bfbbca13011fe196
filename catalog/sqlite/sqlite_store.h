// The SQLite catalog: one writer connection behind a mutex (write() = BEGIN IMMEDIATE ... COMMIT)
// and a pool of read connections, in WAL mode so reads run beside the writer and beside each
// other. open_sqlite_store() in store.h is how callers get one.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "catalog/sqlite/connection.h"
#include "catalog/sqlite/read_pool.h"
#include "catalog/sqlite/reads.h"
#include "catalog/store.h"

namespace datamap::catalog::sqlite {

class SqliteStore : public Store {
 public:
  explicit SqliteStore(const std::string& path);

  void write(const std::function<void(Transaction&)>& fn) override;

  std::optional<Dataset> dataset(std::string_view ref) override;
  std::optional<Resource> resource(std::string_view id) override;
  std::vector<std::string> dataset_names(std::int64_t offset, std::int64_t limit) override;
  std::int64_t count_datasets() override;
  void for_each_dataset(const std::function<void(const Dataset&)>& fn) override;
  std::vector<std::string> dataset_ids_by_views() override;
  void for_each_dataset_of(std::span<const std::string> ids,
                           const std::function<void(const Dataset&)>& fn) override;

  std::optional<Organization> organization(std::string_view ref) override;
  std::vector<Organization> organizations() override;
  std::optional<Group> group(std::string_view ref) override;
  std::vector<Group> groups() override;
  std::vector<std::pair<std::string, std::int64_t>> dataset_counts_by_organization(
      const Visibility& reader) override;
  std::vector<std::pair<std::string, std::int64_t>> dataset_counts_by_group(
      const Visibility& reader) override;
  std::vector<std::pair<std::string, std::int64_t>> tags(std::string_view query,
                                                         std::int64_t limit) override;
  std::vector<License> licenses() override;

  std::optional<User> user(std::string_view ref) override;
  std::vector<User> members(std::string_view organization_id) override;
  std::optional<User> user_for_token(std::string_view secret_sha256_hex) override;
  std::vector<ApiToken> tokens(std::string_view user_id) override;
  std::vector<User> users() override;
  std::vector<Collaborator> collaborators(std::string_view dataset_id) override;
  std::vector<std::string> dataset_ids_in_group(std::string_view group_name) override;
  std::optional<ConsoleSession> console_session(std::string_view id_sha256_hex) override;

  std::vector<Relationship> relationships(std::string_view dataset_id) override;
  void for_each_relationship(const std::function<void(const Relationship&)>& fn) override;

  std::vector<LinkAnswer> link_answers(std::span<const std::string> urls) override;

  std::vector<Activity> activities(const ActivityQuery& q, const Visibility& reader) override;
  std::int64_t follower_count(std::string_view object_type, std::string_view object_id) override;
  bool is_following(std::string_view user_id, std::string_view object_type,
                    std::string_view object_id) override;
  std::vector<Follow> followees(std::string_view user_id) override;
  std::vector<std::string> followers(std::string_view object_type,
                                     std::string_view object_id) override;
  std::optional<Reuse> reuse(std::string_view id) override;
  std::vector<Reuse> reuses(std::string_view dataset_id, std::int64_t offset,
                            std::int64_t limit) override;
  std::int64_t count_reuses(std::string_view dataset_id) override;
  void for_each_reuse(const std::function<void(const Reuse&)>& fn) override;
  std::vector<DemandCounts> demand_signals() override;
  std::int64_t head_revision() override;
  std::vector<Change> changes_since(std::int64_t after, std::size_t limit) override;

 private:
  // The private datasets' counts (reads.h), as of catalog revision `revision`.
  struct PrivateCounts {
    std::int64_t revision = -1;
    std::vector<PrivateCount> by_organization, by_group;
  };
  // Totals by `totals`, minus the private datasets `reader` may not see. Counting private
  // datasets scans the table, so the counts are kept until the revision moves; totals, revision
  // and private counts are read in one read transaction, so they agree.
  Counts visible_counts(const Visibility& reader, Counts (*totals)(Connection&),
                        std::vector<PrivateCount> PrivateCounts::*hidden);
  std::shared_ptr<const PrivateCounts> private_counts(Connection& c);

  // Declared first so it is destroyed last: the last connection to close checkpoints the WAL.
  std::unique_ptr<Connection> writer_;
  std::mutex write_mutex_;
  std::atomic<std::thread::id> writing_thread_{};
  ReadPool readers_;
  std::mutex private_counts_mutex_;
  std::shared_ptr<const PrivateCounts> private_counts_;
};

}  // namespace datamap::catalog::sqlite

// The catalog on PostgreSQL: a Store any number of datamap processes (nodes) may open on one
// database. open_postgres_store() in store.h is how callers get one.
//  - Writes: write() runs fn in one transaction on a connection of its own and holds the
//    catalog's write lock (an advisory lock) from BEGIN to COMMIT, so writes are serialised
//    across every node, as SQLite serialises them in one file, and change-log revisions become
//    visible in order (a follower never skips one). Each committed write NOTIFYs the channel
//    datamap_changes with its newest revision.
//  - Reads: each read leases a connection from a pool (made on demand, kept for reuse) and sees
//    the last committed state.
//  - on_changes(): a listener thread LISTENs on datamap_changes and calls back on every commit,
//    this node's or another's, so followers wake at once instead of waiting for their poll.
// Beside the Store, in the same database and shared by every node, the record stores open their
// own connections (pg_own_connection.h): data requests and the outbox (pg_demand.cpp), link
// checks (pg_links.cpp), the quality history (pg_quality_history.cpp) and the harvest records with
// their job claims (pg_harvest_records.cpp). What stays per node is each node's --data directory:
// search index, map, request index, DataStore (docs/DEPLOY.md).
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "catalog/postgres/pg_connection.h"
#include "catalog/postgres/pg_pool.h"
#include "catalog/store.h"

namespace datamap::catalog::postgres {

// Runs fn in one transaction on `c` under the catalog's write lock, so change-log revisions
// stay in commit order; NOTIFYs the followers at COMMIT when fn returns true (it logged a
// change). Rolls back and rethrows when fn throws; runs fn again when the server rolled the
// transaction back for a serialization failure or deadlock (pg_retry.h), so fn must keep its
// effects inside the transaction. The Store's write() and the data requests' logged writes
// (pg_demand.cpp) both go through it.
void locked_write(Connection& c, const std::function<bool()>& fn);

class PostgresStore : public Store {
 public:
  // Connects, migrates the schema; throws std::runtime_error when the server cannot be reached
  // or the schema is newer than this build.
  explicit PostgresStore(std::string url);
  ~PostgresStore() override;

  void write(const std::function<void(Transaction&)>& fn) override;

  std::optional<Dataset> dataset(std::string_view ref) override;
  std::optional<Resource> resource(std::string_view id) override;
  std::vector<std::string> dataset_names(std::int64_t offset, std::int64_t limit) override;
  std::int64_t count_datasets() override;
  void for_each_dataset(const std::function<void(const Dataset&)>& fn) override;
  std::vector<std::string> dataset_ids_by_views() override;

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
  std::vector<User> users() override;
  std::vector<Collaborator> collaborators(std::string_view dataset_id) override;
  std::vector<std::string> dataset_ids_in_group(std::string_view group_name) override;
  std::optional<User> user_for_token(std::string_view secret_sha256_hex) override;
  std::vector<ApiToken> tokens(std::string_view user_id) override;
  std::optional<ConsoleSession> console_session(std::string_view id_sha256_hex) override;

  std::vector<Relationship> relationships(std::string_view dataset_id) override;
  void for_each_relationship(const std::function<void(const Relationship&)>& fn) override;

  // The link checkers' last answers (link_urls, shared by every node's checker; pg_links.h).
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
  void on_changes(std::function<void()> fn) override;

 private:
  ConnectionPool::Lease lease() { return reads_.lease(); }
  void listen_loop();

  const std::string url_;
  ConnectionPool reads_;  // a lease per read
  std::mutex write_mutex_;
  std::atomic<std::thread::id> writing_thread_{};
  std::unique_ptr<Connection> writer_;

  std::mutex listeners_mutex_;
  std::vector<std::function<void()>> listeners_;
  std::atomic<bool> stopping_{false};
  std::thread listener_;
};

}  // namespace datamap::catalog::postgres

// Transaction on the writer connection, inside the BEGIN IMMEDIATE ... COMMIT that
// SqliteStore::write opens. A method that throws ValidationError or NotFound has written nothing
// (the rare writes run under a SAVEPOINT; dataset inserts and updates check before they write),
// so the caller may catch and go on (an importer skipping one bad row) or let the exception roll
// back the whole write(). After any other error (I/O, disk full) only a rollback is safe.
#pragma once

#include <string>
#include <string_view>

#include "catalog/sqlite/connection.h"
#include "catalog/store.h"

namespace datamap::catalog::sqlite {

class SqliteTransaction : public Transaction {
 public:
  explicit SqliteTransaction(Connection& writer) : c_(writer) {}

  std::optional<Dataset> find_dataset(std::string_view ref) override;
  void insert_dataset(Dataset& d) override;
  void update_dataset(Dataset& d) override;
  void delete_dataset(std::string_view id) override;
  void purge_dataset(std::string_view id) override;

  std::optional<Organization> find_organization(std::string_view ref) override;
  void put_organization(Organization& o) override;
  std::optional<Group> find_group(std::string_view ref) override;
  void put_group(Group& g) override;
  void purge_organization(std::string_view id) override;
  void purge_group(std::string_view id) override;
  void put_collaborator(Collaborator& c) override;
  void delete_collaborator(std::string_view dataset_id, std::string_view user_id) override;

  std::optional<User> find_user(std::string_view ref) override;
  void put_user(User& u) override;
  void add_token(const ApiToken& t, std::string_view secret_sha256_hex) override;
  void revoke_token(std::string_view token_id) override;

  void put_relationship(const Relationship& r) override;
  void delete_relationship(const Relationship& r) override;

  void add_session(const ConsoleSession& s, std::string_view id_sha256_hex) override;
  void touch_session(std::string_view id_sha256_hex, std::int64_t idle_expires_at) override;
  void delete_session(std::string_view id_sha256_hex) override;
  std::int64_t delete_expired_sessions(std::int64_t now) override;

  void set_actor(std::string_view user_id) override { actor_ = user_id; }
  bool follow(const Follow& f) override;
  bool unfollow(const Follow& f) override;
  void put_reuse(Reuse& r) override;
  void record_activity(Activity& a) override;
  void delete_reuse(std::string_view id) override;

 private:
  void log_change(const char* entity, std::string_view id, const char* kind);
  void check_resource_ids(const Dataset& d, std::int64_t own_pk);
  void write_dataset_children(std::int64_t pk, const Dataset& d);
  bool dataset_exists(std::string_view id);

  Connection& c_;
  std::string actor_;  // set_actor: whom this transaction's activities name
};

}  // namespace datamap::catalog::sqlite

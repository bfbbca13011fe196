// Transaction on a PostgreSQL connection, inside the BEGIN ... COMMIT that PostgresStore::write
// opens (under the catalog's write lock). PostgreSQL aborts the whole transaction on any failed
// statement, so every method that may be refused runs under a SAVEPOINT: a method that throws
// ValidationError or NotFound has written nothing and the caller may catch it and go on, as on
// SQLite. Dataset and organization changes record their activity (catalog/activity.h) in the
// same transaction, named as set_actor's user.
#pragma once

#include <string>
#include <string_view>

#include "catalog/postgres/pg_connection.h"
#include "catalog/store.h"

namespace datamap::catalog::postgres {

// Appends a change-log row (catalog/store.h); only under the write lock (locked_write,
// pg_store.h), which makes the next revision number this writer's alone.
void append_change(Connection& c, const char* entity, std::string_view id, const char* kind);

class PgTransaction : public Transaction {
 public:
  explicit PgTransaction(Connection& c) : c_(c) {}

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
  void delete_reuse(std::string_view id) override;
  void record_activity(Activity& a) override;

  // Whether any change-log row was written (the store then wakes the followers).
  bool changed() const { return changed_; }

 private:
  void log_change(const char* entity, std::string_view id, const char* kind);
  void check_resource_ids(const Dataset& d, std::int64_t own_pk);
  void write_dataset_row(Dataset& d, std::int64_t pk);
  bool exists(const char* sql, std::string_view id);
  void record(Activity a);  // a dataset's or an organization's activity, in this transaction

  Connection& c_;
  bool changed_ = false;
  std::string actor_;  // set_actor: whom this transaction's activities name
};

}  // namespace datamap::catalog::postgres

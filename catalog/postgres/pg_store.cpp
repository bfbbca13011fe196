#include "catalog/postgres/pg_store.h"

#include <chrono>
#include <cstdio>

#include "catalog/licenses.h"
#include "catalog/postgres/pg_community.h"
#include "catalog/postgres/pg_demand.h"
#include "catalog/postgres/pg_links.h"
#include "catalog/postgres/pg_migrations.h"
#include "catalog/postgres/pg_reads.h"
#include "catalog/postgres/pg_retry.h"
#include "catalog/postgres/pg_transaction.h"

namespace datamap::catalog {

std::unique_ptr<Store> open_postgres_store(const std::string& url) {
  return std::make_unique<postgres::PostgresStore>(url);
}

namespace postgres {
namespace {

// The catalog's write lock: one advisory lock key for every writer of the database ("dmwr").
constexpr const char* kWriteLock = "SELECT pg_advisory_xact_lock(1684895602)";
constexpr const char* kChannel = "datamap_changes";

}  // namespace

PostgresStore::PostgresStore(std::string url) : url_(std::move(url)), reads_(url_) {
  auto c = std::make_unique<Connection>(url_);
  migrate(*c);
  writer_ = std::move(c);
}

PostgresStore::~PostgresStore() {
  stopping_ = true;
  if (listener_.joinable()) listener_.join();
}

void PostgresStore::write(const std::function<void(Transaction&)>& fn) {
  if (writing_thread_.load() == std::this_thread::get_id())
    throw std::logic_error("Store::write called inside write(): use the Transaction given to fn");
  std::lock_guard lock(write_mutex_);
  writing_thread_.store(std::this_thread::get_id());
  struct ClearOwner {
    std::atomic<std::thread::id>& owner;
    ~ClearOwner() { owner.store(std::thread::id{}); }
  } clear_owner{writing_thread_};

  // A writer connection the server dropped or is ending (restart, failover) is replaced, not
  // reused; when no server answers, the write fails with DatabaseUnavailable and the next one
  // tries again.
  if (!writer_ || !writer_->usable_when_idle()) {
    writer_.reset();
    writer_ = std::make_unique<Connection>(url_);
  }
  Connection& c = *writer_;
  locked_write(c, [&] {
    PgTransaction tx(c);
    fn(tx);
    return tx.changed();
  });
}

void locked_write(Connection& c, const std::function<bool()>& fn) {
  retry_conflicts([&] {
    TransactionScope tx(c);
    c.script(kWriteLock);
    // Delivered at COMMIT, and only then: a rolled-back write wakes nobody.
    if (fn()) c.exec("SELECT pg_notify($1, '')", kChannel);
    tx.commit();
  });
}

std::optional<Dataset> PostgresStore::dataset(std::string_view ref) {
  auto c = lease();
  return find_dataset(*c, ref);
}

std::optional<Resource> PostgresStore::resource(std::string_view id) {
  auto c = lease();
  return find_resource(*c, id);
}

std::vector<std::string> PostgresStore::dataset_names(std::int64_t offset, std::int64_t limit) {
  auto c = lease();
  return public_dataset_names(*c, offset, limit);
}

std::int64_t PostgresStore::count_datasets() {
  auto c = lease();
  return count_active_datasets(*c);
}

void PostgresStore::for_each_dataset(const std::function<void(const Dataset&)>& fn) {
  auto c = lease();
  for_each_active_dataset(*c, fn);
}

std::vector<std::string> PostgresStore::dataset_ids_by_views() {
  auto c = lease();
  return postgres::dataset_ids_by_views(*c);
}

std::optional<Organization> PostgresStore::organization(std::string_view ref) {
  auto c = lease();
  return find_organization(*c, ref);
}

std::vector<Organization> PostgresStore::organizations() {
  auto c = lease();
  return all_organizations(*c);
}

std::optional<Group> PostgresStore::group(std::string_view ref) {
  auto c = lease();
  return find_group(*c, ref);
}

std::vector<Group> PostgresStore::groups() {
  auto c = lease();
  return all_groups(*c);
}

std::vector<std::pair<std::string, std::int64_t>> PostgresStore::dataset_counts_by_organization(
    const Visibility& reader) {
  auto c = lease();
  return visible_counts_by_organization(*c, reader);
}

std::vector<std::pair<std::string, std::int64_t>> PostgresStore::dataset_counts_by_group(
    const Visibility& reader) {
  auto c = lease();
  return visible_counts_by_group(*c, reader);
}

std::vector<std::pair<std::string, std::int64_t>> PostgresStore::tags(std::string_view query,
                                                                      std::int64_t limit) {
  auto c = lease();
  return public_tags(*c, query, limit);
}

std::vector<License> PostgresStore::licenses() {
  return known_licenses();
}

std::optional<User> PostgresStore::user(std::string_view ref) {
  auto c = lease();
  return find_user(*c, ref);
}

std::vector<User> PostgresStore::members(std::string_view organization_id) {
  auto c = lease();
  return organization_members(*c, organization_id);
}

std::vector<User> PostgresStore::users() {
  auto c = lease();
  return all_users(*c);
}

std::vector<Collaborator> PostgresStore::collaborators(std::string_view dataset_id) {
  auto c = lease();
  return dataset_collaborators(*c, dataset_id);
}

std::vector<std::string> PostgresStore::dataset_ids_in_group(std::string_view group_name) {
  auto c = lease();
  return group_dataset_ids(*c, group_name);
}

std::optional<User> PostgresStore::user_for_token(std::string_view secret_sha256_hex) {
  auto c = lease();
  return find_user_by_token(*c, secret_sha256_hex);
}

std::vector<ApiToken> PostgresStore::tokens(std::string_view user_id) {
  auto c = lease();
  return user_tokens(*c, user_id);
}

std::optional<ConsoleSession> PostgresStore::console_session(std::string_view id_sha256_hex) {
  auto c = lease();
  return find_console_session(*c, id_sha256_hex);
}

std::vector<Relationship> PostgresStore::relationships(std::string_view dataset_id) {
  auto c = lease();
  return dataset_relationships(*c, dataset_id);
}

void PostgresStore::for_each_relationship(const std::function<void(const Relationship&)>& fn) {
  auto c = lease();
  postgres::for_each_relationship(*c, fn);
}

// No link checker runs on a PostgreSQL catalog yet, so no URL has been checked: "unknown" is the
// true answer (as on a SQLite catalog whose checker never ran), and the quality score says so.
std::vector<LinkAnswer> PostgresStore::link_answers(std::span<const std::string> urls) {
  auto c = lease();
  return postgres::link_answers(*c, urls);
}
std::vector<Activity> PostgresStore::activities(const ActivityQuery& q, const Visibility& reader) {
  auto c = lease();
  return find_activities(*c, q, reader);
}

std::int64_t PostgresStore::follower_count(std::string_view object_type,
                                           std::string_view object_id) {
  auto c = lease();
  return count_followers(*c, object_type, object_id);
}

bool PostgresStore::is_following(std::string_view user_id, std::string_view object_type,
                                 std::string_view object_id) {
  auto c = lease();
  return follows(*c, user_id, object_type, object_id);
}

std::vector<Follow> PostgresStore::followees(std::string_view user_id) {
  auto c = lease();
  return user_followees(*c, user_id);
}

std::vector<std::string> PostgresStore::followers(std::string_view object_type,
                                                  std::string_view object_id) {
  auto c = lease();
  return follower_ids(*c, object_type, object_id);
}

std::optional<Reuse> PostgresStore::reuse(std::string_view id) {
  auto c = lease();
  return find_reuse(*c, id);
}

std::vector<Reuse> PostgresStore::reuses(std::string_view dataset_id, std::int64_t offset,
                                         std::int64_t limit) {
  auto c = lease();
  return list_reuses(*c, dataset_id, offset, limit);
}

std::int64_t PostgresStore::count_reuses(std::string_view dataset_id) {
  auto c = lease();
  return postgres::count_reuses(*c, dataset_id);
}

void PostgresStore::for_each_reuse(const std::function<void(const Reuse&)>& fn) {
  auto c = lease();
  postgres::for_each_reuse(*c, fn);
}

std::vector<DemandCounts> PostgresStore::demand_signals() {
  auto c = lease();
  return postgres::demand_signals(*c);
}

std::int64_t PostgresStore::head_revision() {
  auto c = lease();
  return postgres::head_revision(*c);
}

std::vector<Change> PostgresStore::changes_since(std::int64_t after, std::size_t limit) {
  auto c = lease();
  return changes_after(*c, after, limit);
}

void PostgresStore::on_changes(std::function<void()> fn) {
  std::lock_guard lock(listeners_mutex_);
  listeners_.push_back(std::move(fn));
  if (!listener_.joinable()) listener_ = std::thread([this] { listen_loop(); });
}

void PostgresStore::listen_loop() {
  std::unique_ptr<Connection> c;
  while (!stopping_) {
    try {
      // A fresh LISTEN may have missed commits made while there was none: wake once to catch up.
      bool woken = false;
      if (!c || PQstatus(c->handle()) != CONNECTION_OK) {
        c = std::make_unique<Connection>(url_);
        c->script(std::string("LISTEN ") + kChannel);
        woken = true;
      }
      // Short waits, so the destructor's stop is seen within a fifth of a second.
      if (c->wait_readable(200))
        while (c->next_notification()) woken = true;
      if (!woken) continue;
      std::vector<std::function<void()>> listeners;
      {
        std::lock_guard lock(listeners_mutex_);
        listeners = listeners_;
      }
      for (auto& fn : listeners) fn();
    } catch (const std::exception& e) {
      // The server restarting or failing over: followers still poll meanwhile; try again soon.
      std::fprintf(stderr, "catalog change listener: %s\n", e.what());
      c.reset();
      for (int i = 0; i < 10 && !stopping_; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

}  // namespace postgres
}  // namespace datamap::catalog

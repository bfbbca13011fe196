#include "catalog/sqlite/sqlite_store.h"

#include <map>
#include <stdexcept>

#include "catalog/licenses.h"
#include "catalog/sqlite/migrations.h"
#include "catalog/sqlite/reads.h"
#include "catalog/sqlite/sessions.h"
#include "catalog/sqlite/sqlite_transaction.h"

namespace datamap::catalog {

std::unique_ptr<Store> open_sqlite_store(const std::string& path) {
  return std::make_unique<sqlite::SqliteStore>(path);
}

namespace sqlite {
namespace {

std::unique_ptr<Connection> open_writer(const std::string& path) {
  auto c = std::make_unique<Connection>(path, Connection::Mode::kReadWrite);
  // A dataset row is 1-3 KB: on 4 KB pages two fit and a third of each page stays empty. Only a
  // new, empty file takes this; an existing database keeps the page size it was made with.
  c->exec("PRAGMA page_size = 8192");
  {
    Statement wal(c->handle(), "PRAGMA journal_mode = WAL");
    if (!wal.step() || wal.text(0) != "wal")
      throw std::runtime_error("cannot put " + path + " in WAL mode (is it on a network drive?)");
  }
  // In WAL mode NORMAL never corrupts; a power cut may lose only the last commits.
  c->exec("PRAGMA synchronous = NORMAL");
  // The writer's cache holds one import batch's dirty pages (its rows and the index leaves it
  // touched) without spilling them to the WAL mid-transaction, and keeps the randomly keyed index
  // leaves (dataset and resource ids) between batches: at a million datasets these are ~300 MB.
  // An upper bound: SQLite allocates pages only as the writer touches them. Readers keep their own.
  c->exec("PRAGMA cache_size = -262144");
  // Checkpoint after ~800 MB of WAL instead of SQLite's 8 MB: a page a bulk import dirties in
  // batch after batch (an index leaf) is then copied into the database once per checkpoint rather
  // than once per commit. With this and the cache above, a 200k-row import in batches of 20,000
  // wrote 1.75 GB instead of 2.39 GB (docs/BENCHMARKS.md). The last connection's close
  // checkpoints what is left.
  c->exec("PRAGMA wal_autocheckpoint = 100000");
  c->exec("PRAGMA temp_store = MEMORY");
  // After a checkpoint resets the WAL, shrink a file a bulk import grew instead of keeping it.
  c->exec("PRAGMA journal_size_limit = 67108864");
  migrate(*c);
  return c;
}

}  // namespace

SqliteStore::SqliteStore(const std::string& path) : writer_(open_writer(path)), readers_(path) {}

void SqliteStore::write(const std::function<void(Transaction&)>& fn) {
  // The writer mutex is not recursive: a nested write() on the same thread would deadlock.
  if (writing_thread_.load() == std::this_thread::get_id())
    throw std::logic_error("Store::write called inside write(): use the Transaction given to fn");
  std::lock_guard lock(write_mutex_);
  writing_thread_.store(std::this_thread::get_id());
  struct ClearOwner {
    std::atomic<std::thread::id>& owner;
    ~ClearOwner() { owner.store(std::thread::id{}); }
  } clear_owner{writing_thread_};

  writer_->cached("BEGIN IMMEDIATE")->run();
  try {
    SqliteTransaction tx(*writer_);
    fn(tx);
    writer_->cached("COMMIT")->run();
  } catch (...) {
    if (!sqlite3_get_autocommit(writer_->handle()))
      sqlite3_exec(writer_->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

std::optional<Dataset> SqliteStore::dataset(std::string_view ref) {
  auto c = readers_.lease();
  return find_dataset(*c, ref);
}

std::optional<Resource> SqliteStore::resource(std::string_view id) {
  auto c = readers_.lease();
  return find_resource(*c, id);
}

std::vector<std::string> SqliteStore::dataset_names(std::int64_t offset, std::int64_t limit) {
  auto c = readers_.lease();
  return public_dataset_names(*c, offset, limit);
}

std::int64_t SqliteStore::count_datasets() {
  auto c = readers_.lease();
  return count_active_datasets(*c);
}

void SqliteStore::for_each_dataset(const std::function<void(const Dataset&)>& fn) {
  auto c = readers_.lease();
  for_each_active_dataset(*c, fn);
}

std::vector<std::string> SqliteStore::dataset_ids_by_views() {
  auto c = readers_.lease();
  std::vector<std::string> ids = active_dataset_ids_by_views(*c);
  for (auto& id : inactive_dataset_ids_of(*c)) ids.push_back(std::move(id));
  return ids;
}

void SqliteStore::for_each_dataset_of(std::span<const std::string> ids,
                                      const std::function<void(const Dataset&)>& fn) {
  auto c = readers_.lease();
  for_each_dataset_with_id(*c, ids, fn);
}

std::optional<Organization> SqliteStore::organization(std::string_view ref) {
  auto c = readers_.lease();
  return find_organization(*c, ref);
}

std::vector<Organization> SqliteStore::organizations() {
  auto c = readers_.lease();
  return all_organizations(*c);
}

std::optional<Group> SqliteStore::group(std::string_view ref) {
  auto c = readers_.lease();
  return find_group(*c, ref);
}

std::vector<Group> SqliteStore::groups() {
  auto c = readers_.lease();
  return all_groups(*c);
}

std::vector<std::pair<std::string, std::int64_t>> SqliteStore::dataset_counts_by_organization(
    const Visibility& reader) {
  return visible_counts(reader, counts_by_organization, &PrivateCounts::by_organization);
}

std::vector<std::pair<std::string, std::int64_t>> SqliteStore::dataset_counts_by_group(
    const Visibility& reader) {
  return visible_counts(reader, counts_by_group, &PrivateCounts::by_group);
}

Counts SqliteStore::visible_counts(const Visibility& reader, Counts (*totals)(Connection&),
                                   std::vector<PrivateCount> PrivateCounts::*hidden) {
  auto c = readers_.lease();
  if (reader.all_private) return totals(*c);
  struct ReadTransaction {  // one snapshot for the totals and the private counts
    Connection& c;
    explicit ReadTransaction(Connection& conn) : c(conn) { c.cached("BEGIN")->run(); }
    ~ReadTransaction() {
      try {
        if (!sqlite3_get_autocommit(c.handle())) c.exec("COMMIT");
      } catch (const SqliteError&) {
        if (!sqlite3_get_autocommit(c.handle()))
          sqlite3_exec(c.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
      }
    }
  } snapshot(*c);
  Counts all = totals(*c);
  auto counts = private_counts(*c);
  std::map<std::string, std::int64_t> taken;
  for (const auto& p : (*counts).*hidden)
    if (!reader.sees_private_of(p.organization)) taken[p.key] += p.count;
  if (taken.empty()) return all;
  Counts out;
  for (auto& [key, n] : all) {
    auto it = taken.find(key);
    std::int64_t left = it == taken.end() ? n : n - it->second;
    if (left > 0) out.emplace_back(std::move(key), left);
  }
  return out;
}

std::shared_ptr<const SqliteStore::PrivateCounts> SqliteStore::private_counts(Connection& c) {
  const std::int64_t revision = sqlite::head_revision(c);
  {
    std::lock_guard lock(private_counts_mutex_);
    if (private_counts_ && private_counts_->revision == revision) return private_counts_;
  }
  auto fresh = std::make_shared<PrivateCounts>();
  fresh->revision = revision;
  fresh->by_organization = private_counts_by_organization(c);
  fresh->by_group = private_counts_by_group(c);
  std::lock_guard lock(private_counts_mutex_);
  if (!private_counts_ || private_counts_->revision < revision) private_counts_ = fresh;
  return fresh;
}

std::vector<std::pair<std::string, std::int64_t>> SqliteStore::tags(std::string_view query,
                                                                    std::int64_t limit) {
  auto c = readers_.lease();
  return public_tags(*c, query, limit);
}

std::vector<License> SqliteStore::licenses() {
  return known_licenses();
}

std::optional<User> SqliteStore::user(std::string_view ref) {
  auto c = readers_.lease();
  return find_user(*c, ref);
}

std::vector<User> SqliteStore::members(std::string_view organization_id) {
  auto c = readers_.lease();
  return organization_members(*c, organization_id);
}

std::optional<User> SqliteStore::user_for_token(std::string_view secret_sha256_hex) {
  auto c = readers_.lease();
  return find_user_by_token(*c, secret_sha256_hex);
}

std::vector<ApiToken> SqliteStore::tokens(std::string_view user_id) {
  auto c = readers_.lease();
  return user_tokens(*c, user_id);
}

std::vector<User> SqliteStore::users() {
  auto c = readers_.lease();
  return all_users(*c);
}

std::vector<Collaborator> SqliteStore::collaborators(std::string_view dataset_id) {
  auto c = readers_.lease();
  return dataset_collaborators(*c, dataset_id);
}

std::vector<std::string> SqliteStore::dataset_ids_in_group(std::string_view group_name) {
  auto c = readers_.lease();
  return group_dataset_ids(*c, group_name);
}

std::optional<ConsoleSession> SqliteStore::console_session(std::string_view id_sha256_hex) {
  auto c = readers_.lease();
  return find_console_session(*c, id_sha256_hex);
}

std::vector<Relationship> SqliteStore::relationships(std::string_view dataset_id) {
  auto c = readers_.lease();
  return dataset_relationships(*c, dataset_id);
}

void SqliteStore::for_each_relationship(const std::function<void(const Relationship&)>& fn) {
  auto c = readers_.lease();
  sqlite::for_each_relationship(*c, fn);
}

std::vector<LinkAnswer> SqliteStore::link_answers(std::span<const std::string> urls) {
  auto c = readers_.lease();
  return sqlite::link_answers(*c, urls);
}

std::int64_t SqliteStore::head_revision() {
  auto c = readers_.lease();
  return sqlite::head_revision(*c);
}

std::vector<Change> SqliteStore::changes_since(std::int64_t after, std::size_t limit) {
  auto c = readers_.lease();
  return changes_after(*c, after, limit);
}

}  // namespace sqlite
}  // namespace datamap::catalog

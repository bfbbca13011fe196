#include "catalog/sqlite/sqlite_transaction.h"

#include <cstring>

#include "catalog/activity_rows.h"
#include "catalog/errors.h"
#include "catalog/ids.h"
#include "catalog/sqlite/community.h"
#include "catalog/sqlite/dataset_record.h"
#include "catalog/sqlite/reads.h"
#include "catalog/sqlite/sessions.h"
#include "catalog/visibility.h"

namespace datamap::catalog::sqlite {
namespace {

// CKAN's own messages, so API clients see what they would see from CKAN.
constexpr const char* kDatasetNameInUse = "That URL is already in use.";
constexpr const char* kGroupNameInUse = "Group name already exists in database";
constexpr const char* kUserNameInUse = "That login name is not available.";

// One Transaction method's writes, all or nothing, nested in the enclosing transaction.
class Savepoint {
 public:
  explicit Savepoint(Connection& c) : c_(c) { c_.cached("SAVEPOINT tx_method")->run(); }
  ~Savepoint() {
    if (released_) return;
    // If SQLite already rolled the whole transaction back (disk full, I/O error) there is no
    // savepoint left; write() rolls back and reports the original error, so ignore this one.
    sqlite3_exec(c_.handle(), "ROLLBACK TO tx_method", nullptr, nullptr, nullptr);
    sqlite3_exec(c_.handle(), "RELEASE tx_method", nullptr, nullptr, nullptr);
  }
  Savepoint(const Savepoint&) = delete;
  Savepoint& operator=(const Savepoint&) = delete;
  void release() {
    c_.cached("RELEASE tx_method")->run();
    released_ = true;
  }

 private:
  Connection& c_;
  bool released_ = false;
};

// Names the holder, so an agency told "no" knows whom to ask (codes are public anyway).
std::string code_in_use_message(Connection& c, const std::string& code) {
  auto q = c.cached("SELECT name FROM organizations WHERE code = ?1");
  q->bind_all(code);
  std::string holder = q->step() ? q->text(0) : std::string("another organization");
  return "Organization code (기관코드) " + code + " is already used by organization " + holder;
}

bool is_unique_violation(const SqliteError& e, const char* column) {
  return (e.code() == SQLITE_CONSTRAINT_UNIQUE || e.code() == SQLITE_CONSTRAINT_PRIMARYKEY) &&
         std::strstr(e.what(), column) != nullptr;
}

void bind_dataset_columns(Statement& s, const Dataset& d, const std::string& record) {
  s.bind_all(d.id, d.name, d.title, d.type, d.state, d.is_private, d.owner_org, d.source_key,
             d.metadata_created, d.metadata_modified, record);
}

}  // namespace

void SqliteTransaction::log_change(const char* entity, std::string_view id, const char* kind) {
  auto q = c_.cached("INSERT INTO changes (entity, entity_id, kind, at) VALUES (?1, ?2, ?3, ?4)");
  q->bind_all(entity, id, kind, now_iso8601());
  q->run();
}

bool SqliteTransaction::dataset_exists(std::string_view id) {
  auto q = c_.cached("SELECT 1 FROM datasets WHERE id = ?1");
  q->bind_all(id);
  return q->step();
}

std::optional<Dataset> SqliteTransaction::find_dataset(std::string_view ref) {
  return sqlite::find_dataset(c_, ref);
}

void SqliteTransaction::check_resource_ids(const Dataset& d, std::int64_t own_pk) {
  auto q = c_.cached("SELECT dataset_pk FROM resources WHERE id = ?1");
  for (std::size_t i = 0; i < d.resources.size(); ++i) {
    const std::string& id = d.resources[i].id;
    for (std::size_t j = 0; j < i; ++j)
      if (d.resources[j].id == id)
        throw ValidationError("resources", "Resource id " + id + " is given twice");
    q->bind_all(id);
    if (q->step() && q->integer(0) != own_pk)
      throw ValidationError("resources",
                            "Resource id " + id + " is already in use by another dataset");
    q->reset();
  }
}

void SqliteTransaction::write_dataset_children(std::int64_t pk, const Dataset& d) {
  {
    // Cannot clash: check_resource_ids ran before the dataset row was written.
    auto q = c_.cached("INSERT INTO resources (id, dataset_pk, position) VALUES (?1, ?2, ?3)");
    for (std::size_t i = 0; i < d.resources.size(); ++i) {
      q->bind_all(d.resources[i].id, pk, i);
      q->run();
      q->reset();
    }
  }
  {
    // OR IGNORE: a tag given twice is one tag of the dataset.
    auto q = c_.cached(
        "INSERT OR IGNORE INTO dataset_tags (dataset_pk, tag, listed) VALUES (?1, ?2, ?3)");
    const bool listed = is_public(d);
    for (const auto& tag : d.tags) {
      q->bind_all(pk, tag, listed);
      q->run();
      q->reset();
    }
  }
  {
    auto q =
        c_.cached("INSERT OR IGNORE INTO dataset_groups (dataset_pk, group_name) VALUES (?1, ?2)");
    for (const auto& group : d.groups) {
      q->bind_all(pk, group);
      q->run();
      q->reset();
    }
  }
}

// The store owns ids it can fill without guessing: a missing dataset id becomes a random one,
// and resources get ids and point at their dataset.
static void fill_ids(Dataset& d) {
  if (d.id.empty()) d.id = new_id();
  for (auto& r : d.resources) {
    if (r.id.empty()) r.id = new_id();
    r.package_id = d.id;
  }
}

// insert_dataset and update_dataset run without a savepoint: it would copy every page they touch
// into a sub-journal, a third of the bulk import's time. Instead everything that can be refused is
// checked, or written, first: the resource-id check, then the one statement on datasets (which
// SQLite undoes by itself when it fails). What follows cannot clash.
void SqliteTransaction::insert_dataset(Dataset& d) {
  fill_ids(d);
  d.metadata_created = d.metadata_modified = now_iso8601();
  const std::string record = encode_dataset(d);
  check_resource_ids(d, 0);
  {
    auto q = c_.cached(
        "INSERT INTO datasets (id, name, title, type, state, private, owner_org, source_key, "
        "metadata_created, metadata_modified, record) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    bind_dataset_columns(*q, d, record);
    try {
      q->run();
    } catch (const SqliteError& e) {
      if (is_unique_violation(e, "datasets.name")) throw ValidationError("name", kDatasetNameInUse);
      if (is_unique_violation(e, "datasets.id"))
        throw ValidationError("id", "Dataset id already exists");
      throw;
    }
  }
  write_dataset_children(sqlite3_last_insert_rowid(c_.handle()), d);
  log_change("dataset", d.id, "create");
  record_dataset_activity(c_, d, "new", actor_);
}

void SqliteTransaction::update_dataset(Dataset& d) {
  std::int64_t pk = 0;
  {
    auto q = c_.cached("SELECT pk, metadata_created FROM datasets WHERE id = ?1");
    q->bind_all(d.id);
    if (d.id.empty() || !q->step()) throw NotFound("Dataset not found");
    pk = q->integer(0);
    d.metadata_created = q->text(1);
  }
  fill_ids(d);
  d.metadata_modified = now_iso8601();
  const std::string record = encode_dataset(d);
  check_resource_ids(d, pk);
  {
    auto q = c_.cached(
        "UPDATE datasets SET id = ?1, name = ?2, title = ?3, type = ?4, state = ?5, private = ?6, "
        "owner_org = ?7, source_key = ?8, metadata_created = ?9, metadata_modified = ?10, "
        "record = ?11 WHERE pk = ?12");
    bind_dataset_columns(*q, d, record);
    q->bind(12, pk);
    try {
      q->run();
    } catch (const SqliteError& e) {
      if (is_unique_violation(e, "datasets.name")) throw ValidationError("name", kDatasetNameInUse);
      throw;
    }
  }
  for (const char* sql : {"DELETE FROM resources WHERE dataset_pk = ?1",
                          "DELETE FROM dataset_tags WHERE dataset_pk = ?1",
                          "DELETE FROM dataset_groups WHERE dataset_pk = ?1"}) {
    auto q = c_.cached(sql);
    q->bind_all(pk);
    q->run();
  }
  write_dataset_children(pk, d);
  log_change("dataset", d.id, "update");
  record_dataset_activity(c_, d, change_verb(true, d.state), actor_);
}

void SqliteTransaction::delete_dataset(std::string_view id) {
  Savepoint sp(c_);
  std::int64_t pk = 0;
  Dataset d;
  {
    auto q = c_.cached("SELECT pk, record FROM datasets WHERE id = ?1");
    q->bind_all(id);
    if (id.empty() || !q->step()) throw NotFound("Dataset not found");
    pk = q->integer(0);
    d = decode_dataset(q->text_view(1));
  }
  d.state = "deleted";
  d.metadata_modified = now_iso8601();
  {
    auto q = c_.cached(
        "UPDATE datasets SET state = 'deleted', metadata_modified = ?1, record = ?2 WHERE pk = ?3");
    q->bind_all(d.metadata_modified, encode_dataset(d), pk);
    q->run();
  }
  {
    auto q = c_.cached("UPDATE dataset_tags SET listed = 0 WHERE dataset_pk = ?1");
    q->bind_all(pk);
    q->run();
  }
  log_change("dataset", id, "delete");
  record_dataset_activity(c_, d, "deleted", actor_);
  sp.release();
}

void SqliteTransaction::purge_dataset(std::string_view id) {
  Savepoint sp(c_);
  {
    // Resources, tags, groups and relationships go with it (ON DELETE CASCADE).
    auto q = c_.cached("DELETE FROM datasets WHERE id = ?1");
    q->bind_all(id);
    q->run();
    if (id.empty() || c_.changes() == 0) throw NotFound("Dataset not found");
  }
  forget_dataset(c_, id);
  log_change("dataset", id, "delete");
  sp.release();
}

std::optional<Organization> SqliteTransaction::find_organization(std::string_view ref) {
  return sqlite::find_organization(c_, ref);
}

void SqliteTransaction::put_organization(Organization& o) {
  if (o.id.empty()) o.id = new_id();
  Savepoint sp(c_);
  bool exists = false;
  {
    auto q = c_.cached("SELECT created FROM organizations WHERE id = ?1");
    q->bind_all(o.id);
    if ((exists = q->step()) && o.created.empty()) o.created = q->text(0);
  }
  if (o.created.empty()) o.created = now_iso8601();
  {
    auto q = c_.cached(
        "INSERT INTO organizations (id, name, title, description, code, image_url, created, state) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (id) DO UPDATE SET "
        "name = excluded.name, title = excluded.title, description = excluded.description, "
        "code = excluded.code, image_url = excluded.image_url, created = excluded.created, "
        "state = excluded.state");
    q->bind_all(o.id, o.name, o.title, o.description, o.code, o.image_url, o.created, o.state);
    try {
      q->run();
    } catch (const SqliteError& e) {
      if (is_unique_violation(e, "organizations.name"))
        throw ValidationError("name", kGroupNameInUse);
      if (is_unique_violation(e, "organizations.code"))
        throw ValidationError("code", code_in_use_message(c_, o.code));
      throw;
    }
  }
  log_change("organization", o.id, exists ? "update" : "create");
  record_organization_activity(c_, o, change_verb(exists, o.state), actor_);
  sp.release();
}

std::optional<Group> SqliteTransaction::find_group(std::string_view ref) {
  return sqlite::find_group(c_, ref);
}

void SqliteTransaction::put_group(Group& g) {
  if (g.id.empty()) g.id = new_id();
  Savepoint sp(c_);
  bool exists = false;
  {
    auto q = c_.cached("SELECT created FROM groups WHERE id = ?1");
    q->bind_all(g.id);
    if ((exists = q->step()) && g.created.empty()) g.created = q->text(0);
  }
  if (g.created.empty()) g.created = now_iso8601();
  {
    auto q = c_.cached(
        "INSERT INTO groups (id, name, title, description, created, state) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
        "title = excluded.title, description = excluded.description, created = excluded.created, "
        "state = excluded.state");
    q->bind_all(g.id, g.name, g.title, g.description, g.created, g.state);
    try {
      q->run();
    } catch (const SqliteError& e) {
      if (is_unique_violation(e, "groups.name")) throw ValidationError("name", kGroupNameInUse);
      throw;
    }
  }
  log_change("group", g.id, exists ? "update" : "create");
  sp.release();
}

void SqliteTransaction::purge_organization(std::string_view id) {
  Savepoint sp(c_);
  {
    auto q = c_.cached("DELETE FROM organizations WHERE id = ?1");
    q->bind_all(id);
    q->run();
    if (id.empty() || c_.changes() == 0) throw NotFound("Organization not found");
  }
  std::vector<std::string> members;
  {
    auto q = c_.cached("SELECT user_id FROM memberships WHERE organization_id = ?1");
    q->bind_all(id);
    while (q->step()) members.push_back(q->text(0));
  }
  {
    auto q = c_.cached("DELETE FROM memberships WHERE organization_id = ?1");
    q->bind_all(id);
    q->run();
  }
  log_change("organization", id, "delete");
  for (const auto& user : members) log_change("user", user, "update");
  sp.release();
}

void SqliteTransaction::purge_group(std::string_view id) {
  Savepoint sp(c_);
  auto q = c_.cached("DELETE FROM groups WHERE id = ?1");
  q->bind_all(id);
  q->run();
  if (id.empty() || c_.changes() == 0) throw NotFound("Group not found");
  log_change("group", id, "delete");
  sp.release();
}

void SqliteTransaction::put_collaborator(Collaborator& c) {
  Savepoint sp(c_);
  if (!dataset_exists(c.dataset_id)) throw NotFound("Dataset not found");
  {
    auto q = c_.cached("SELECT 1 FROM users WHERE id = ?1");
    q->bind_all(c.user_id);
    if (!q->step()) throw NotFound("User not found");
  }
  c.modified = now_iso8601();
  auto q = c_.cached(
      "INSERT INTO dataset_collaborators (dataset_id, user_id, capacity, modified) "
      "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (dataset_id, user_id) DO UPDATE SET "
      "capacity = excluded.capacity, modified = excluded.modified");
  q->bind_all(c.dataset_id, c.user_id, c.capacity, c.modified);
  q->run();
  log_change("user", c.user_id, "update");
  sp.release();
}

void SqliteTransaction::delete_collaborator(std::string_view dataset_id, std::string_view user_id) {
  Savepoint sp(c_);
  auto q = c_.cached("DELETE FROM dataset_collaborators WHERE dataset_id = ?1 AND user_id = ?2");
  q->bind_all(dataset_id, user_id);
  q->run();
  if (c_.changes() == 0) throw NotFound("User is not a collaborator on this dataset");
  log_change("user", user_id, "update");
  sp.release();
}

std::optional<User> SqliteTransaction::find_user(std::string_view ref) {
  return sqlite::find_user(c_, ref);
}

void SqliteTransaction::put_user(User& u) {
  if (u.id.empty()) u.id = new_id();
  Savepoint sp(c_);
  bool exists = false;
  {
    auto q = c_.cached("SELECT created FROM users WHERE id = ?1");
    q->bind_all(u.id);
    if ((exists = q->step()) && u.created.empty()) u.created = q->text(0);
  }
  if (u.created.empty()) u.created = now_iso8601();
  {
    auto q = c_.cached(
        "INSERT INTO users (id, name, fullname, email, sysadmin, created, state) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (id) DO UPDATE SET "
        "name = excluded.name, fullname = excluded.fullname, email = excluded.email, "
        "sysadmin = excluded.sysadmin, created = excluded.created, state = excluded.state");
    q->bind_all(u.id, u.name, u.fullname, u.email, u.sysadmin, u.created, u.state);
    try {
      q->run();
    } catch (const SqliteError& e) {
      if (is_unique_violation(e, "users.name")) throw ValidationError("name", kUserNameInUse);
      throw;
    }
  }
  {
    auto q = c_.cached("DELETE FROM memberships WHERE user_id = ?1");
    q->bind_all(u.id);
    q->run();
  }
  {
    // OR REPLACE: one role per organization; a later entry for the same organization wins.
    auto q = c_.cached(
        "INSERT OR REPLACE INTO memberships (user_id, organization_id, role) VALUES (?1, ?2, ?3)");
    for (const auto& m : u.memberships) {
      q->bind_all(u.id, m.organization_id, m.role);
      q->run();
      q->reset();
    }
  }
  // A user who is no longer active is signed out of the console everywhere at once.
  if (u.state != "active") delete_user_console_sessions(c_, u.id);
  log_change("user", u.id, exists ? "update" : "create");
  sp.release();
}

void SqliteTransaction::add_token(const ApiToken& t, std::string_view secret_sha256_hex) {
  if (t.id.empty()) throw ValidationError("id", "Missing value");
  if (secret_sha256_hex.size() != 64)
    throw ValidationError("token", "Expected the SHA-256 of the secret as 64 hex digits");
  Savepoint sp(c_);
  {
    auto q = c_.cached("SELECT 1 FROM users WHERE id = ?1");
    q->bind_all(t.user_id);
    if (!q->step()) throw NotFound("User not found");
  }
  {
    auto q = c_.cached(
        "INSERT INTO api_tokens (id, user_id, name, secret_sha256, created, last_access) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    q->bind_all(t.id, t.user_id, t.name, secret_sha256_hex,
                t.created.empty() ? now_iso8601() : t.created, t.last_access);
    try {
      q->run();
    } catch (const SqliteError& e) {
      if (is_unique_violation(e, "api_tokens.id"))
        throw ValidationError("id", "Token id already exists");
      if (is_unique_violation(e, "api_tokens.secret_sha256"))
        throw ValidationError("token", "Token already exists");
      throw;
    }
  }
  log_change("api_token", t.id, "create");
  sp.release();
}

void SqliteTransaction::revoke_token(std::string_view token_id) {
  Savepoint sp(c_);
  {
    // A revoked token may have been stolen: whatever console sessions its user opened (with it
    // or with a sibling the thief may also hold) end with it.
    auto q = c_.cached("SELECT user_id FROM api_tokens WHERE id = ?1");
    q->bind_all(token_id);
    if (q->step()) delete_user_console_sessions(c_, q->text(0));
  }
  {
    // CKAN deletes a revoked token: nothing is left that could authenticate.
    auto q = c_.cached("DELETE FROM api_tokens WHERE id = ?1");
    q->bind_all(token_id);
    q->run();
    if (c_.changes() == 0) throw NotFound("Token not found");
  }
  log_change("api_token", token_id, "delete");
  sp.release();
}

void SqliteTransaction::put_relationship(const Relationship& r) {
  Savepoint sp(c_);
  if (!dataset_exists(r.subject_id)) throw NotFound("Dataset not found: " + r.subject_id);
  if (!dataset_exists(r.object_id)) throw NotFound("Dataset not found: " + r.object_id);
  bool exists = false;
  {
    auto q = c_.cached(
        "SELECT 1 FROM relationships WHERE subject_id = ?1 AND object_id = ?2 AND type = ?3");
    q->bind_all(r.subject_id, r.object_id, r.type);
    exists = q->step();
  }
  {
    auto q = c_.cached(
        "INSERT INTO relationships (subject_id, object_id, type, comment) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT (subject_id, object_id, type) DO UPDATE SET comment = excluded.comment");
    q->bind_all(r.subject_id, r.object_id, r.type, r.comment);
    q->run();
  }
  log_change("relationship", r.subject_id, exists ? "update" : "create");
  sp.release();
}

void SqliteTransaction::delete_relationship(const Relationship& r) {
  Savepoint sp(c_);
  {
    auto q = c_.cached(
        "DELETE FROM relationships WHERE subject_id = ?1 AND object_id = ?2 AND type = ?3");
    q->bind_all(r.subject_id, r.object_id, r.type);
    q->run();
    if (c_.changes() == 0) throw NotFound("Relationship not found");
  }
  log_change("relationship", r.subject_id, "delete");
  sp.release();
}

// Sessions are not catalog content: no change-log rows (followers have nothing to derive).
void SqliteTransaction::add_session(const ConsoleSession& s, std::string_view id_sha256_hex) {
  insert_console_session(c_, s, id_sha256_hex);
}

void SqliteTransaction::touch_session(std::string_view id_sha256_hex,
                                      std::int64_t idle_expires_at) {
  touch_console_session(c_, id_sha256_hex, idle_expires_at);
}

void SqliteTransaction::delete_session(std::string_view id_sha256_hex) {
  delete_console_session(c_, id_sha256_hex);
}

std::int64_t SqliteTransaction::delete_expired_sessions(std::int64_t now) {
  return delete_expired_console_sessions(c_, now);
}

// Follows change nothing another part derives from: no change-log rows.
bool SqliteTransaction::follow(const Follow& f) {
  return insert_follow(c_, f);
}

bool SqliteTransaction::unfollow(const Follow& f) {
  return delete_follow(c_, f);
}

// No change-log row: nothing derived follows activities.
void SqliteTransaction::record_activity(Activity& a) {
  a.user_id = actor_;
  insert_activity(c_, a);
}

void SqliteTransaction::put_reuse(Reuse& r) {
  Savepoint sp(c_);
  const bool existed = upsert_reuse(c_, r);
  log_change("reuse", r.id, existed ? "update" : "create");
  sp.release();
}

void SqliteTransaction::delete_reuse(std::string_view id) {
  Savepoint sp(c_);
  remove_reuse(c_, id);
  log_change("reuse", id, "delete");
  sp.release();
}

}  // namespace datamap::catalog::sqlite

#include "catalog/postgres/pg_transaction.h"

#include "catalog/activity_rows.h"
#include "catalog/errors.h"
#include "catalog/ids.h"
#include "catalog/postgres/pg_community.h"
#include "catalog/postgres/pg_reads.h"
#include "catalog/sqlite/dataset_record.h"
#include "catalog/visibility.h"

namespace datamap::catalog::postgres {
namespace {

// CKAN's own messages, the same as the SQLite store's.
constexpr const char* kDatasetNameInUse = "That URL is already in use.";
constexpr const char* kGroupNameInUse = "Group name already exists in database";
constexpr const char* kUserNameInUse = "That login name is not available.";

// One Transaction method's writes, all or nothing, nested in the enclosing transaction: after a
// refused statement PostgreSQL accepts nothing more until the savepoint is rolled back.
class Savepoint {
 public:
  explicit Savepoint(Connection& c) : c_(c) { c_.script("SAVEPOINT tx_method"); }
  ~Savepoint() {
    if (released_) return;
    // If the connection is gone write() reports the original error; nothing to add here.
    PQclear(PQexec(c_.handle(), "ROLLBACK TO SAVEPOINT tx_method"));
    PQclear(PQexec(c_.handle(), "RELEASE SAVEPOINT tx_method"));
  }
  Savepoint(const Savepoint&) = delete;
  Savepoint& operator=(const Savepoint&) = delete;
  void release() {
    c_.script("RELEASE SAVEPOINT tx_method");
    released_ = true;
  }
  // Undoes the method's writes so far and makes the transaction usable again (to read what to
  // say in a refusal); the savepoint stays.
  void rollback() { c_.script("ROLLBACK TO SAVEPOINT tx_method"); }

 private:
  Connection& c_;
  bool released_ = false;
};

void fill_ids(Dataset& d) {
  if (d.id.empty()) d.id = new_id();
  for (auto& r : d.resources) {
    if (r.id.empty()) r.id = new_id();
    r.package_id = d.id;
  }
}

}  // namespace

void append_change(Connection& c, const char* entity, std::string_view id, const char* kind) {
  // Under the write lock (pg_store.cpp): no other writer can take the same number.
  c.exec(
      "INSERT INTO changes (revision, entity, entity_id, kind, at) "
      "SELECT COALESCE(MAX(revision), 0) + 1, $1, $2, $3, $4 FROM changes",
      entity, id, kind, now_iso8601());
}

void PgTransaction::log_change(const char* entity, std::string_view id, const char* kind) {
  append_change(c_, entity, id, kind);
  changed_ = true;
}

bool PgTransaction::exists(const char* sql, std::string_view id) {
  return !c_.exec(sql, id).empty();
}

std::optional<Dataset> PgTransaction::find_dataset(std::string_view ref) {
  return postgres::find_dataset(c_, ref);
}

void PgTransaction::check_resource_ids(const Dataset& d, std::int64_t own_pk) {
  for (std::size_t i = 0; i < d.resources.size(); ++i) {
    const std::string& id = d.resources[i].id;
    for (std::size_t j = 0; j < i; ++j)
      if (d.resources[j].id == id)
        throw ValidationError("resources", "Resource id " + id + " is given twice");
    Result r = c_.exec("SELECT dataset_pk FROM resources WHERE id = $1", id);
    if (!r.empty() && r.integer(0, 0) != own_pk)
      throw ValidationError("resources",
                            "Resource id " + id + " is already in use by another dataset");
  }
}

// The dataset row (inserted when pk is 0, else updated) and its child rows, under the caller's
// savepoint. A name or id clash is the one refusal left once check_resource_ids has passed.
void PgTransaction::write_dataset_row(Dataset& d, std::int64_t pk) {
  const std::string record = sqlite::encode_dataset(d);
  try {
    if (pk == 0) {
      pk = c_.exec(
                 "INSERT INTO datasets (id, name, title, type, state, private, owner_org, "
                 "source_key, metadata_created, metadata_modified, views, record) "
                 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING pk",
                 d.id, d.name, d.title, d.type, d.state, d.is_private, d.owner_org, d.source_key,
                 d.metadata_created, d.metadata_modified, d.views, record)
               .integer(0, 0);
    } else {
      c_.exec(
          "UPDATE datasets SET id = $1, name = $2, title = $3, type = $4, state = $5, "
          "private = $6, owner_org = $7, source_key = $8, metadata_created = $9, "
          "metadata_modified = $10, views = $11, record = $12 WHERE pk = $13",
          d.id, d.name, d.title, d.type, d.state, d.is_private, d.owner_org, d.source_key,
          d.metadata_created, d.metadata_modified, d.views, record, pk);
      for (const char* sql : {"DELETE FROM resources WHERE dataset_pk = $1",
                              "DELETE FROM dataset_tags WHERE dataset_pk = $1",
                              "DELETE FROM dataset_groups WHERE dataset_pk = $1"})
        c_.exec(sql, pk);
    }
  } catch (const PgError& e) {
    if (e.is_unique_violation("datasets_name_key"))
      throw ValidationError("name", kDatasetNameInUse);
    if (e.is_unique_violation("datasets_id_key"))
      throw ValidationError("id", "Dataset id already exists");
    throw;
  }
  for (std::size_t i = 0; i < d.resources.size(); ++i)
    c_.exec("INSERT INTO resources (id, dataset_pk, position) VALUES ($1, $2, $3)",
            d.resources[i].id, pk, i);
  // A tag or group given twice is one tag or group of the dataset.
  const bool listed = is_public(d);
  for (const auto& tag : d.tags)
    c_.exec(
        "INSERT INTO dataset_tags (dataset_pk, tag, listed) VALUES ($1, $2, $3) "
        "ON CONFLICT DO NOTHING",
        pk, tag, listed);
  for (const auto& group : d.groups)
    c_.exec(
        "INSERT INTO dataset_groups (dataset_pk, group_name) VALUES ($1, $2) "
        "ON CONFLICT DO NOTHING",
        pk, group);
}

void PgTransaction::insert_dataset(Dataset& d) {
  fill_ids(d);
  d.metadata_created = d.metadata_modified = now_iso8601();
  Savepoint sp(c_);
  check_resource_ids(d, 0);
  write_dataset_row(d, 0);
  log_change("dataset", d.id, "create");
  record(dataset_activity(d, change_verb(false, d.state), actor_));
  sp.release();
}

void PgTransaction::update_dataset(Dataset& d) {
  Savepoint sp(c_);
  std::int64_t pk = 0;
  {
    Result r = c_.exec("SELECT pk, metadata_created FROM datasets WHERE id = $1", d.id);
    if (d.id.empty() || r.empty()) throw NotFound("Dataset not found");
    pk = r.integer(0, 0);
    d.metadata_created = r.text(0, 1);
  }
  fill_ids(d);
  d.metadata_modified = now_iso8601();
  check_resource_ids(d, pk);
  write_dataset_row(d, pk);
  log_change("dataset", d.id, "update");
  record(dataset_activity(d, change_verb(true, d.state), actor_));
  sp.release();
}

void PgTransaction::delete_dataset(std::string_view id) {
  Savepoint sp(c_);
  Result r = c_.exec("SELECT pk, record FROM datasets WHERE id = $1", id);
  if (id.empty() || r.empty()) throw NotFound("Dataset not found");
  const std::int64_t pk = r.integer(0, 0);
  Dataset d = sqlite::decode_dataset(r.text_view(0, 1));
  d.state = "deleted";
  d.metadata_modified = now_iso8601();
  c_.exec(
      "UPDATE datasets SET state = 'deleted', metadata_modified = $1, record = $2 WHERE pk = $3",
      d.metadata_modified, sqlite::encode_dataset(d), pk);
  c_.exec("UPDATE dataset_tags SET listed = FALSE WHERE dataset_pk = $1", pk);
  log_change("dataset", id, "delete");
  record(dataset_activity(d, change_verb(true, d.state), actor_));
  sp.release();
}

void PgTransaction::purge_dataset(std::string_view id) {
  Savepoint sp(c_);
  // Resources, tags, groups, relationships and collaborators go with it (ON DELETE CASCADE).
  if (id.empty() || c_.exec("DELETE FROM datasets WHERE id = $1", id).affected() == 0)
    throw NotFound("Dataset not found");
  forget_dataset(c_, id);
  log_change("dataset", id, "delete");
  sp.release();
}

std::optional<Organization> PgTransaction::find_organization(std::string_view ref) {
  return postgres::find_organization(c_, ref);
}

void PgTransaction::put_organization(Organization& o) {
  if (o.id.empty()) o.id = new_id();
  Savepoint sp(c_);
  Result found = c_.exec("SELECT created FROM organizations WHERE id = $1", o.id);
  const bool existed = !found.empty();
  if (existed && o.created.empty()) o.created = found.text(0, 0);
  if (o.created.empty()) o.created = now_iso8601();
  try {
    c_.exec(
        "INSERT INTO organizations (id, name, title, description, code, image_url, created, "
        "state) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO UPDATE SET "
        "name = excluded.name, title = excluded.title, description = excluded.description, "
        "code = excluded.code, image_url = excluded.image_url, created = excluded.created, "
        "state = excluded.state",
        o.id, o.name, o.title, o.description, o.code, o.image_url, o.created, o.state);
  } catch (const PgError& e) {
    if (e.is_unique_violation("organizations_name_key"))
      throw ValidationError("name", kGroupNameInUse);
    if (e.is_unique_violation("organizations_code_unique")) {
      sp.rollback();  // to name the holder: an agency told "no" knows whom to ask
      Result holder = c_.exec("SELECT name FROM organizations WHERE code = $1", o.code);
      throw ValidationError(
          "code", "Organization code (기관코드) " + o.code + " is already used by organization " +
                      (holder.empty() ? "another organization" : holder.text(0, 0)));
    }
    throw;
  }
  log_change("organization", o.id, existed ? "update" : "create");
  record(organization_activity(o, change_verb(existed, o.state), actor_));
  sp.release();
}

std::optional<Group> PgTransaction::find_group(std::string_view ref) {
  return postgres::find_group(c_, ref);
}

void PgTransaction::put_group(Group& g) {
  if (g.id.empty()) g.id = new_id();
  Savepoint sp(c_);
  Result found = c_.exec("SELECT created FROM groups WHERE id = $1", g.id);
  const bool existed = !found.empty();
  if (existed && g.created.empty()) g.created = found.text(0, 0);
  if (g.created.empty()) g.created = now_iso8601();
  try {
    c_.exec(
        "INSERT INTO groups (id, name, title, description, created, state) "
        "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
        "title = excluded.title, description = excluded.description, "
        "created = excluded.created, state = excluded.state",
        g.id, g.name, g.title, g.description, g.created, g.state);
  } catch (const PgError& e) {
    if (e.is_unique_violation("groups_name_key")) throw ValidationError("name", kGroupNameInUse);
    throw;
  }
  log_change("group", g.id, existed ? "update" : "create");
  sp.release();
}

void PgTransaction::purge_organization(std::string_view id) {
  Savepoint sp(c_);
  if (id.empty() || c_.exec("DELETE FROM organizations WHERE id = $1", id).affected() == 0)
    throw NotFound("Organization not found");
  Result members =
      c_.exec("DELETE FROM memberships WHERE organization_id = $1 RETURNING user_id", id);
  log_change("organization", id, "delete");
  for (int i = 0; i < members.rows(); ++i) log_change("user", members.text(i, 0), "update");
  sp.release();
}

void PgTransaction::purge_group(std::string_view id) {
  Savepoint sp(c_);
  if (id.empty() || c_.exec("DELETE FROM groups WHERE id = $1", id).affected() == 0)
    throw NotFound("Group not found");
  log_change("group", id, "delete");
  sp.release();
}

void PgTransaction::put_collaborator(Collaborator& c) {
  Savepoint sp(c_);
  if (!exists("SELECT 1 FROM datasets WHERE id = $1", c.dataset_id))
    throw NotFound("Dataset not found");
  if (!exists("SELECT 1 FROM users WHERE id = $1", c.user_id)) throw NotFound("User not found");
  c.modified = now_iso8601();
  c_.exec(
      "INSERT INTO dataset_collaborators (dataset_id, user_id, capacity, modified) "
      "VALUES ($1, $2, $3, $4) ON CONFLICT (dataset_id, user_id) DO UPDATE SET "
      "capacity = excluded.capacity, modified = excluded.modified",
      c.dataset_id, c.user_id, c.capacity, c.modified);
  log_change("user", c.user_id, "update");
  sp.release();
}

void PgTransaction::delete_collaborator(std::string_view dataset_id, std::string_view user_id) {
  Savepoint sp(c_);
  if (c_.exec("DELETE FROM dataset_collaborators WHERE dataset_id = $1 AND user_id = $2",
              dataset_id, user_id)
          .affected() == 0)
    throw NotFound("User is not a collaborator on this dataset");
  log_change("user", user_id, "update");
  sp.release();
}

std::optional<User> PgTransaction::find_user(std::string_view ref) {
  return postgres::find_user(c_, ref);
}

void PgTransaction::put_user(User& u) {
  if (u.id.empty()) u.id = new_id();
  Savepoint sp(c_);
  Result found = c_.exec("SELECT created FROM users WHERE id = $1", u.id);
  const bool existed = !found.empty();
  if (existed && u.created.empty()) u.created = found.text(0, 0);
  if (u.created.empty()) u.created = now_iso8601();
  try {
    c_.exec(
        "INSERT INTO users (id, name, fullname, email, sysadmin, created, state) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO UPDATE SET "
        "name = excluded.name, fullname = excluded.fullname, email = excluded.email, "
        "sysadmin = excluded.sysadmin, created = excluded.created, state = excluded.state",
        u.id, u.name, u.fullname, u.email, u.sysadmin, u.created, u.state);
  } catch (const PgError& e) {
    if (e.is_unique_violation("users_name_key")) throw ValidationError("name", kUserNameInUse);
    throw;
  }
  c_.exec("DELETE FROM memberships WHERE user_id = $1", u.id);
  // One role per organization; a later entry for the same organization wins.
  for (const auto& m : u.memberships)
    c_.exec(
        "INSERT INTO memberships (user_id, organization_id, role) VALUES ($1, $2, $3) "
        "ON CONFLICT (user_id, organization_id) DO UPDATE SET role = excluded.role",
        u.id, m.organization_id, m.role);
  // A user who is no longer active is signed out of the console everywhere at once.
  if (u.state != "active") c_.exec("DELETE FROM console_sessions WHERE user_id = $1", u.id);
  log_change("user", u.id, existed ? "update" : "create");
  sp.release();
}

void PgTransaction::add_token(const ApiToken& t, std::string_view secret_sha256_hex) {
  if (t.id.empty()) throw ValidationError("id", "Missing value");
  if (secret_sha256_hex.size() != 64)
    throw ValidationError("token", "Expected the SHA-256 of the secret as 64 hex digits");
  Savepoint sp(c_);
  if (!exists("SELECT 1 FROM users WHERE id = $1", t.user_id)) throw NotFound("User not found");
  try {
    c_.exec(
        "INSERT INTO api_tokens (id, user_id, name, secret_sha256, created, last_access) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        t.id, t.user_id, t.name, secret_sha256_hex, t.created.empty() ? now_iso8601() : t.created,
        t.last_access);
  } catch (const PgError& e) {
    if (e.is_unique_violation("api_tokens_pkey"))
      throw ValidationError("id", "Token id already exists");
    if (e.is_unique_violation("api_tokens_secret_sha256_key"))
      throw ValidationError("token", "Token already exists");
    throw;
  }
  log_change("api_token", t.id, "create");
  sp.release();
}

void PgTransaction::revoke_token(std::string_view token_id) {
  Savepoint sp(c_);
  // A revoked token may have been stolen: its user's console sessions end with it.
  Result gone = c_.exec("DELETE FROM api_tokens WHERE id = $1 RETURNING user_id", token_id);
  if (gone.empty()) throw NotFound("Token not found");
  c_.exec("DELETE FROM console_sessions WHERE user_id = $1", gone.text(0, 0));
  log_change("api_token", token_id, "delete");
  sp.release();
}

void PgTransaction::put_relationship(const Relationship& r) {
  Savepoint sp(c_);
  if (!exists("SELECT 1 FROM datasets WHERE id = $1", r.subject_id))
    throw NotFound("Dataset not found: " + r.subject_id);
  if (!exists("SELECT 1 FROM datasets WHERE id = $1", r.object_id))
    throw NotFound("Dataset not found: " + r.object_id);
  // xmax = 0 only on a freshly inserted row: tells a create from an update in one statement.
  Result q = c_.exec(
      "INSERT INTO relationships (subject_id, object_id, type, comment) VALUES ($1, $2, $3, $4) "
      "ON CONFLICT (subject_id, object_id, type) DO UPDATE SET comment = excluded.comment "
      "RETURNING xmax = 0",
      r.subject_id, r.object_id, r.type, r.comment);
  log_change("relationship", r.subject_id, q.boolean(0, 0) ? "create" : "update");
  sp.release();
}

void PgTransaction::delete_relationship(const Relationship& r) {
  Savepoint sp(c_);
  if (c_.exec("DELETE FROM relationships WHERE subject_id = $1 AND object_id = $2 AND type = $3",
              r.subject_id, r.object_id, r.type)
          .affected() == 0)
    throw NotFound("Relationship not found");
  log_change("relationship", r.subject_id, "delete");
  sp.release();
}

// Sessions are security state, not catalog content: no change-log rows.
void PgTransaction::add_session(const ConsoleSession& s, std::string_view id_sha256_hex) {
  if (id_sha256_hex.size() != 64)
    throw ValidationError("session", "Expected the SHA-256 of the session id as 64 hex digits");
  Savepoint sp(c_);
  if (!exists("SELECT 1 FROM users WHERE id = $1", s.user_id)) throw NotFound("User not found");
  c_.exec(
      "INSERT INTO console_sessions (id_sha256, user_id, token_id, created_at, idle_expires_at, "
      "expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
      id_sha256_hex, s.user_id, s.token_id, s.created_at, s.idle_expires_at, s.expires_at);
  sp.release();
}

void PgTransaction::touch_session(std::string_view id_sha256_hex, std::int64_t idle_expires_at) {
  // Never past the absolute end: a session kept busy still ends at expires_at.
  c_.exec(
      "UPDATE console_sessions SET idle_expires_at = LEAST($2, expires_at) WHERE id_sha256 = $1",
      id_sha256_hex, idle_expires_at);
}

void PgTransaction::delete_session(std::string_view id_sha256_hex) {
  c_.exec("DELETE FROM console_sessions WHERE id_sha256 = $1", id_sha256_hex);
}

std::int64_t PgTransaction::delete_expired_sessions(std::int64_t now) {
  return c_
      .exec("DELETE FROM console_sessions WHERE idle_expires_at <= $1 OR expires_at <= $1", now)
      .affected();
}

void PgTransaction::record(Activity a) {
  insert_activity(c_, a);
}

// Follows change nothing another part derives from: no change-log rows.
bool PgTransaction::follow(const Follow& f) {
  return insert_follow(c_, f);
}

bool PgTransaction::unfollow(const Follow& f) {
  return delete_follow(c_, f);
}

// No change-log row: nothing derived follows activities.
void PgTransaction::record_activity(Activity& a) {
  a.user_id = actor_;
  insert_activity(c_, a);
}

// Reuses are on the map: a change-log row each, as on SQLite.
void PgTransaction::put_reuse(Reuse& r) {
  Savepoint sp(c_);
  const bool existed = upsert_reuse(c_, r);
  log_change("reuse", r.id, existed ? "update" : "create");
  sp.release();
}

void PgTransaction::delete_reuse(std::string_view id) {
  Savepoint sp(c_);
  remove_reuse(c_, id);
  log_change("reuse", id, "delete");
  sp.release();
}

}  // namespace datamap::catalog::postgres

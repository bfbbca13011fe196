#include "catalog/postgres/pg_reads.h"

#include <limits>

#include "catalog/sqlite/dataset_record.h"

namespace datamap::catalog::postgres {
namespace {

using sqlite::decode_dataset;  // one record format for both backends

constexpr const char* kOrganizationColumns =
    "id, name, title, description, code, image_url, created, state";
constexpr const char* kUserColumns = "id, name, fullname, email, sysadmin, created, state";

// LIMIT NULL is "no limit" in PostgreSQL; a negative limit means the same to callers.
std::optional<std::int64_t> sql_limit(std::int64_t limit) {
  if (limit < 0) return std::nullopt;
  return limit;
}

Organization organization_row(const Result& r, int i) {
  return Organization{r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3),
                      r.text(i, 4), r.text(i, 5), r.text(i, 6), r.text(i, 7)};
}

Group group_row(const Result& r, int i) {
  Group g;
  g.id = r.text(i, 0);
  g.name = r.text(i, 1);
  g.title = r.text(i, 2);
  g.description = r.text(i, 3);
  g.created = r.text(i, 4);
  g.state = r.text(i, 5);
  return g;
}

User user_row(const Result& r, int i) {
  User u;
  u.id = r.text(i, 0);
  u.name = r.text(i, 1);
  u.fullname = r.text(i, 2);
  u.email = r.text(i, 3);
  u.sysadmin = r.boolean(i, 4);
  u.created = r.text(i, 5);
  u.state = r.text(i, 6);
  return u;
}

void load_memberships(Connection& c, User& u) {
  Result m = c.exec(
      "SELECT organization_id, role FROM memberships WHERE user_id = $1 ORDER BY organization_id",
      u.id);
  for (int i = 0; i < m.rows(); ++i)
    u.memberships.push_back(Membership{m.text(i, 0), m.text(i, 1)});
  Result k = c.exec(
      "SELECT dataset_id, user_id, capacity, modified FROM dataset_collaborators "
      "WHERE user_id = $1 ORDER BY dataset_id",
      u.id);
  for (int i = 0; i < k.rows(); ++i)
    u.collaborations.push_back(
        Collaborator{k.text(i, 0), k.text(i, 1), k.text(i, 2), k.text(i, 3)});
}

Counts counts(const Result& r) {
  Counts out;
  for (int i = 0; i < r.rows(); ++i) out.emplace_back(r.text(i, 0), r.integer(i, 1));
  return out;
}

std::vector<std::string> column(const Result& r) {
  std::vector<std::string> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) out.push_back(r.text(i, 0));
  return out;
}

Relationship relationship_row(const Result& r, int i) {
  return Relationship{r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3)};
}

}  // namespace

std::optional<Dataset> find_dataset(Connection& c, std::string_view ref) {
  if (ref.empty()) return std::nullopt;
  Result r = c.exec(
      "SELECT record FROM datasets WHERE id = $1 OR name = $1 OR source_key = $1 "
      "ORDER BY id = $1 DESC, name = $1 DESC, state = 'active' DESC, pk LIMIT 1",
      ref);
  if (r.empty()) return std::nullopt;
  return decode_dataset(r.text_view(0, 0));
}

std::optional<Resource> find_resource(Connection& c, std::string_view id) {
  if (id.empty()) return std::nullopt;
  Result r = c.exec(
      "SELECT d.record, r.position FROM resources r JOIN datasets d ON d.pk = r.dataset_pk "
      "WHERE r.id = $1",
      id);
  if (r.empty()) return std::nullopt;
  Dataset d = decode_dataset(r.text_view(0, 0));
  auto position = static_cast<std::size_t>(r.integer(0, 1));
  if (position >= d.resources.size()) return std::nullopt;
  return std::move(d.resources[position]);
}

std::vector<std::string> public_dataset_names(Connection& c, std::int64_t offset,
                                              std::int64_t limit) {
  return column(
      c.exec("SELECT name FROM datasets WHERE state = 'active' AND NOT private ORDER BY name "
             "LIMIT $1 OFFSET $2",
             sql_limit(limit), offset < 0 ? std::int64_t{0} : offset));
}

std::int64_t count_active_datasets(Connection& c) {
  return c.exec("SELECT COUNT(*) FROM datasets WHERE state = 'active'").integer(0, 0);
}

void for_each_active_dataset(Connection& c, const std::function<void(const Dataset&)>& fn) {
  // Keyset pages rather than one cursor: fn may read the store (even on this connection, for a
  // Transaction), which a half-read result set on the same connection would not allow.
  constexpr int kPage = 500;
  std::string after;
  for (;;) {
    Result r = c.exec(
        "SELECT id, record FROM datasets WHERE state = 'active' AND id > $1 ORDER BY id "
        "LIMIT " +
            std::to_string(kPage),
        after);
    for (int i = 0; i < r.rows(); ++i) fn(decode_dataset(r.text_view(i, 1)));
    if (r.rows() < kPage) return;
    after = r.text(r.rows() - 1, 0);
  }
}

std::vector<std::string> dataset_ids_by_views(Connection& c) {
  // Active ones most viewed first, then drafts and deleted ones by id (store.h).
  return column(
      c.exec("SELECT id FROM datasets ORDER BY state = 'active' DESC, "
             "CASE WHEN state = 'active' THEN views ELSE 0 END DESC, id"));
}

std::optional<Organization> find_organization(Connection& c, std::string_view ref) {
  if (ref.empty()) return std::nullopt;
  Result r = c.exec(std::string("SELECT ") + kOrganizationColumns +
                        " FROM organizations WHERE id = $1 OR name = $1 OR code = $1 "
                        "ORDER BY id = $1 DESC, name = $1 DESC, name LIMIT 1",
                    ref);
  if (r.empty()) return std::nullopt;
  return organization_row(r, 0);
}

std::vector<Organization> all_organizations(Connection& c) {
  Result r =
      c.exec(std::string("SELECT ") + kOrganizationColumns + " FROM organizations ORDER BY name");
  std::vector<Organization> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(organization_row(r, i));
  return out;
}

std::optional<Group> find_group(Connection& c, std::string_view ref) {
  if (ref.empty()) return std::nullopt;
  Result r = c.exec(
      "SELECT id, name, title, description, created, state FROM groups WHERE id = $1 OR name = $1 "
      "ORDER BY id = $1 DESC LIMIT 1",
      ref);
  if (r.empty()) return std::nullopt;
  return group_row(r, 0);
}

std::vector<Group> all_groups(Connection& c) {
  Result r =
      c.exec("SELECT id, name, title, description, created, state FROM groups ORDER BY name");
  std::vector<Group> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(group_row(r, i));
  return out;
}

// Visibility as SQL: public ones, then the private ones of the reader's organizations or
// collaborations ($1 = everything, $2 = organization ids, $3 = dataset ids).
#define DATAMAP_VISIBLE \
  "(NOT d.private OR $1 OR d.owner_org = ANY($2::text[]) OR d.id = ANY($3::text[]))"

Counts visible_counts_by_organization(Connection& c, const Visibility& reader) {
  return counts(
      c.exec("SELECT d.owner_org, COUNT(*) FROM datasets d WHERE d.state = 'active' AND "
             "d.owner_org <> '' AND " DATAMAP_VISIBLE " GROUP BY d.owner_org ORDER BY d.owner_org",
             reader.all_private, reader.private_orgs, reader.datasets));
}

Counts visible_counts_by_group(Connection& c, const Visibility& reader) {
  return counts(c.exec(
      "SELECT g.group_name, COUNT(*) FROM dataset_groups g JOIN datasets d ON d.pk = g.dataset_pk "
      "WHERE d.state = 'active' AND " DATAMAP_VISIBLE
      " GROUP BY g.group_name ORDER BY g.group_name",
      reader.all_private, reader.private_orgs, reader.datasets));
}

#undef DATAMAP_VISIBLE

Counts public_tags(Connection& c, std::string_view prefix, std::int64_t limit) {
  // starts_with, not a byte range: PostgreSQL refuses the byte 0xFF in UTF-8 text.
  return counts(
      c.exec("SELECT tag, COUNT(*) AS n FROM dataset_tags WHERE listed AND starts_with(tag, $1) "
             "GROUP BY tag ORDER BY n DESC, tag LIMIT $2",
             prefix, sql_limit(limit)));
}

std::optional<User> find_user(Connection& c, std::string_view ref) {
  if (ref.empty()) return std::nullopt;
  Result r = c.exec(std::string("SELECT ") + kUserColumns +
                        " FROM users WHERE id = $1 OR name = $1 ORDER BY id = $1 DESC LIMIT 1",
                    ref);
  if (r.empty()) return std::nullopt;
  User u = user_row(r, 0);
  load_memberships(c, u);
  return u;
}

std::vector<User> organization_members(Connection& c, std::string_view organization_id) {
  Result r = c.exec(
      "SELECT u.id, u.name, u.fullname, u.email, u.sysadmin, u.created, u.state FROM users u "
      "JOIN memberships m ON m.user_id = u.id WHERE m.organization_id = $1 ORDER BY u.name",
      organization_id);
  std::vector<User> out;
  for (int i = 0; i < r.rows(); ++i) {
    out.push_back(user_row(r, i));
    load_memberships(c, out.back());
  }
  return out;
}

std::optional<User> find_user_by_token(Connection& c, std::string_view secret_sha256_hex) {
  if (secret_sha256_hex.empty()) return std::nullopt;
  Result r = c.exec(
      "SELECT u.id, u.name, u.fullname, u.email, u.sysadmin, u.created, u.state "
      "FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.secret_sha256 = $1",
      secret_sha256_hex);
  if (r.empty()) return std::nullopt;
  User u = user_row(r, 0);
  load_memberships(c, u);
  return u;
}

std::vector<ApiToken> user_tokens(Connection& c, std::string_view user_id) {
  Result r = c.exec(
      "SELECT id, user_id, name, created, last_access FROM api_tokens WHERE user_id = $1 "
      "ORDER BY created, id",
      user_id);
  std::vector<ApiToken> out;
  for (int i = 0; i < r.rows(); ++i)
    out.push_back(ApiToken{r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4)});
  return out;
}

std::vector<User> all_users(Connection& c) {
  Result r = c.exec(std::string("SELECT ") + kUserColumns + " FROM users ORDER BY name");
  std::vector<User> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(user_row(r, i));
  return out;
}

std::vector<Collaborator> dataset_collaborators(Connection& c, std::string_view dataset_id) {
  Result r = c.exec(
      "SELECT dataset_id, user_id, capacity, modified FROM dataset_collaborators "
      "WHERE dataset_id = $1 ORDER BY user_id",
      dataset_id);
  std::vector<Collaborator> out;
  for (int i = 0; i < r.rows(); ++i)
    out.push_back(Collaborator{r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3)});
  return out;
}

std::vector<std::string> group_dataset_ids(Connection& c, std::string_view group_name) {
  return column(
      c.exec("SELECT d.id FROM dataset_groups g JOIN datasets d ON d.pk = g.dataset_pk "
             "WHERE g.group_name = $1 AND d.state = 'active' ORDER BY d.id",
             group_name));
}

std::optional<ConsoleSession> find_console_session(Connection& c, std::string_view id_sha256_hex) {
  Result r = c.exec(
      "SELECT user_id, token_id, created_at, idle_expires_at, expires_at FROM console_sessions "
      "WHERE id_sha256 = $1",
      id_sha256_hex);
  if (r.empty()) return std::nullopt;
  return ConsoleSession{r.text(0, 0), r.text(0, 1), r.integer(0, 2), r.integer(0, 3),
                        r.integer(0, 4)};
}

std::vector<Relationship> dataset_relationships(Connection& c, std::string_view dataset_id) {
  Result r = c.exec(
      "SELECT subject_id, object_id, type, comment FROM relationships "
      "WHERE subject_id = $1 OR object_id = $1 ORDER BY subject_id, object_id, type",
      dataset_id);
  std::vector<Relationship> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(relationship_row(r, i));
  return out;
}

void for_each_relationship(Connection& c, const std::function<void(const Relationship&)>& fn) {
  Result r = c.exec(
      "SELECT subject_id, object_id, type, comment FROM relationships "
      "ORDER BY subject_id, object_id, type");
  for (int i = 0; i < r.rows(); ++i) fn(relationship_row(r, i));
}

std::int64_t head_revision(Connection& c) {
  return c.exec("SELECT COALESCE(MAX(revision), 0) FROM changes").integer(0, 0);
}

std::vector<Change> changes_after(Connection& c, std::int64_t after, std::size_t limit) {
  const std::int64_t capped =
      limit > static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max())
          ? std::numeric_limits<std::int64_t>::max()
          : static_cast<std::int64_t>(limit);
  Result r = c.exec(
      "SELECT revision, entity, entity_id, kind, at FROM changes WHERE revision > $1 "
      "ORDER BY revision LIMIT $2",
      after, capped);
  std::vector<Change> out;
  for (int i = 0; i < r.rows(); ++i)
    out.push_back(Change{r.integer(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4)});
  return out;
}

}  // namespace datamap::catalog::postgres

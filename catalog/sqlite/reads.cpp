#include "catalog/sqlite/reads.h"

#include <limits>

#include "catalog/sqlite/dataset_record.h"

namespace datamap::catalog::sqlite {
namespace {

// Every tag or prefix is valid UTF-8, which never contains the byte 0xFF, so [p, p + "\xFF")
// is exactly the set of strings starting with p, and it is an index range.
std::string prefix_upper_bound(std::string_view prefix) {
  std::string upper(prefix);
  upper.push_back('\xFF');
  return upper;
}

std::int64_t sql_limit(std::int64_t limit) {
  return limit < 0 ? -1 : limit;
}

Organization organization_row(Statement& s) {
  Organization o;
  o.id = s.text(0);
  o.name = s.text(1);
  o.title = s.text(2);
  o.description = s.text(3);
  o.code = s.text(4);
  o.image_url = s.text(5);
  o.created = s.text(6);
  o.state = s.text(7);
  return o;
}

Group group_row(Statement& s) {
  Group g;
  g.id = s.text(0);
  g.name = s.text(1);
  g.title = s.text(2);
  g.description = s.text(3);
  g.created = s.text(4);
  g.state = s.text(5);
  return g;
}

User user_row(Statement& s) {
  User u;
  u.id = s.text(0);
  u.name = s.text(1);
  u.fullname = s.text(2);
  u.email = s.text(3);
  u.sysadmin = s.integer(4) != 0;
  u.created = s.text(5);
  u.state = s.text(6);
  return u;
}

void load_memberships(Connection& c, User& u) {
  auto q = c.cached(
      "SELECT organization_id, role FROM memberships WHERE user_id = ?1 ORDER BY organization_id");
  q->bind_all(u.id);
  while (q->step()) u.memberships.push_back(Membership{q->text(0), q->text(1)});
  auto c2 = c.cached(
      "SELECT dataset_id, user_id, capacity, modified FROM dataset_collaborators "
      "WHERE user_id = ?1 ORDER BY dataset_id");
  c2->bind_all(u.id);
  while (c2->step())
    u.collaborations.push_back(Collaborator{c2->text(0), c2->text(1), c2->text(2), c2->text(3)});
}

Relationship relationship_row(Statement& s) {
  return Relationship{s.text(0), s.text(1), s.text(2), s.text(3)};
}

Counts counts(Statement& s) {
  Counts out;
  while (s.step()) out.emplace_back(s.text(0), s.integer(1));
  return out;
}

}  // namespace

std::optional<Dataset> find_dataset(Connection& c, std::string_view ref) {
  if (ref.empty()) return std::nullopt;  // many datasets have an empty source_key
  auto q = c.cached(
      "SELECT record FROM datasets WHERE id = ?1 OR name = ?1 OR source_key = ?1 "
      "ORDER BY id = ?1 DESC, name = ?1 DESC, state = 'active' DESC, pk LIMIT 1");
  q->bind_all(ref);
  if (!q->step()) return std::nullopt;
  return decode_dataset(q->text_view(0));
}

std::optional<Resource> find_resource(Connection& c, std::string_view id) {
  if (id.empty()) return std::nullopt;
  auto q = c.cached(
      "SELECT d.record, r.position FROM resources r JOIN datasets d ON d.pk = r.dataset_pk "
      "WHERE r.id = ?1");
  q->bind_all(id);
  if (!q->step()) return std::nullopt;
  Dataset d = decode_dataset(q->text_view(0));
  auto position = static_cast<std::size_t>(q->integer(1));
  if (position >= d.resources.size()) return std::nullopt;
  return std::move(d.resources[position]);
}

std::vector<std::string> public_dataset_names(Connection& c, std::int64_t offset,
                                              std::int64_t limit) {
  // INDEXED BY: with no ANALYZE statistics the planner would filter on the state index and sort;
  // the partial index already holds exactly these names, in order.
  auto q = c.cached(
      "SELECT name FROM datasets INDEXED BY datasets_public_names "
      "WHERE state = 'active' AND private = 0 ORDER BY name "
      "LIMIT ?1 OFFSET ?2");
  q->bind_all(sql_limit(limit), offset < 0 ? std::int64_t{0} : offset);
  std::vector<std::string> names;
  while (q->step()) names.push_back(q->text(0));
  return names;
}

std::int64_t count_active_datasets(Connection& c) {
  auto q = c.cached("SELECT COUNT(*) FROM datasets WHERE state = 'active'");
  return q->step() ? q->integer(0) : 0;
}

void for_each_active_dataset(Connection& c, const std::function<void(const Dataset&)>& fn) {
  // One statement stepped row by row along the id index, so SQLite keeps a page in hand, never
  // the table. The unary + stops the planner from filtering on the state index instead and then
  // sorting every record in a temporary b-tree before the first row comes out.
  auto q = c.cached("SELECT record FROM datasets WHERE +state = 'active' ORDER BY id");
  while (q->step()) fn(decode_dataset(q->text_view(0)));
}

std::vector<std::string> active_dataset_ids_by_views(Connection& c) {
  // views lives in the record only: SQLite reads it from each record's JSON and sorts the ids.
  // The unary + keeps the read in table order: through the state index it jumps between
  // records at random, 52.6 s instead of 9.0 s for a 1M catalog not yet in the page cache
  // (docs/BENCHMARKS.md, "Search at 1M").
  auto q = c.cached(
      "SELECT id FROM datasets WHERE +state = 'active' "
      "ORDER BY json_extract(record, '$.views') DESC, id");
  std::vector<std::string> ids;
  while (q->step()) ids.emplace_back(q->text_view(0));
  return ids;
}

std::vector<std::string> inactive_dataset_ids_of(Connection& c) {
  auto q = c.cached("SELECT id FROM datasets WHERE state <> 'active' ORDER BY id");
  std::vector<std::string> ids;
  while (q->step()) ids.emplace_back(q->text_view(0));
  return ids;
}

void for_each_dataset_with_id(Connection& c, std::span<const std::string> ids,
                              const std::function<void(const Dataset&)>& fn) {
  auto q = c.cached("SELECT record FROM datasets WHERE id = ?1");
  for (const auto& id : ids) {
    q->bind(1, id);
    if (q->step()) fn(decode_dataset(q->text_view(0)));
    q->reset();
  }
}

std::optional<Organization> find_organization(Connection& c, std::string_view ref) {
  if (ref.empty()) return std::nullopt;
  auto q = c.cached(
      "SELECT id, name, title, description, code, image_url, created, state FROM organizations "
      "WHERE id = ?1 OR name = ?1 OR code = ?1 ORDER BY id = ?1 DESC, name = ?1 DESC, name "
      "LIMIT 1");
  q->bind_all(ref);
  if (!q->step()) return std::nullopt;
  return organization_row(*q);
}

std::vector<Organization> all_organizations(Connection& c) {
  auto q = c.cached(
      "SELECT id, name, title, description, code, image_url, created, state FROM organizations "
      "ORDER BY name");
  std::vector<Organization> out;
  while (q->step()) out.push_back(organization_row(*q));
  return out;
}

std::optional<Group> find_group(Connection& c, std::string_view ref) {
  if (ref.empty()) return std::nullopt;
  auto q = c.cached(
      "SELECT id, name, title, description, created, state FROM groups WHERE id = ?1 OR name = ?1 "
      "ORDER BY id = ?1 DESC LIMIT 1");
  q->bind_all(ref);
  if (!q->step()) return std::nullopt;
  return group_row(*q);
}

std::vector<Group> all_groups(Connection& c) {
  auto q =
      c.cached("SELECT id, name, title, description, created, state FROM groups ORDER BY name");
  std::vector<Group> out;
  while (q->step()) out.push_back(group_row(*q));
  return out;
}

Counts counts_by_organization(Connection& c) {
  auto q = c.cached(
      "SELECT owner_org, COUNT(*) FROM datasets WHERE state = 'active' AND owner_org <> '' "
      "GROUP BY owner_org ORDER BY owner_org");
  return counts(*q);
}

Counts counts_by_group(Connection& c) {
  auto q = c.cached(
      "SELECT g.group_name, COUNT(*) FROM dataset_groups g JOIN datasets d ON d.pk = g.dataset_pk "
      "WHERE d.state = 'active' GROUP BY g.group_name ORDER BY g.group_name");
  return counts(*q);
}

std::vector<PrivateCount> private_counts_by_organization(Connection& c) {
  auto q = c.cached(
      "SELECT owner_org, COUNT(*) FROM datasets WHERE state = 'active' AND private = 1 "
      "GROUP BY owner_org");
  std::vector<PrivateCount> out;
  while (q->step()) out.push_back({q->text(0), q->text(0), q->integer(1)});
  return out;
}

std::vector<PrivateCount> private_counts_by_group(Connection& c) {
  auto q = c.cached(
      "SELECT g.group_name, d.owner_org, COUNT(*) FROM datasets d "
      "JOIN dataset_groups g ON g.dataset_pk = d.pk WHERE d.state = 'active' AND d.private = 1 "
      "GROUP BY g.group_name, d.owner_org");
  std::vector<PrivateCount> out;
  while (q->step()) out.push_back({q->text(0), q->text(1), q->integer(2)});
  return out;
}

Counts public_tags(Connection& c, std::string_view prefix, std::int64_t limit) {
  // The partial index holds only listed (active, public) tag rows and covers the query: a prefix
  // reads its range of the index and nothing else, and grouping needs no sort.
  auto q = c.cached(
      "SELECT tag, COUNT(*) AS n FROM dataset_tags INDEXED BY dataset_tags_public "
      "WHERE listed = 1 AND tag >= ?1 AND tag < ?2 GROUP BY tag ORDER BY n DESC, tag LIMIT ?3");
  q->bind_all(prefix, prefix_upper_bound(prefix), sql_limit(limit));
  return counts(*q);
}

std::vector<User> all_users(Connection& c) {
  auto q = c.cached(
      "SELECT id, name, fullname, email, sysadmin, created, state FROM users ORDER BY name");
  std::vector<User> out;
  while (q->step()) out.push_back(user_row(*q));
  return out;
}

std::vector<Collaborator> dataset_collaborators(Connection& c, std::string_view dataset_id) {
  auto q = c.cached(
      "SELECT dataset_id, user_id, capacity, modified FROM dataset_collaborators "
      "WHERE dataset_id = ?1 ORDER BY user_id");
  q->bind_all(dataset_id);
  std::vector<Collaborator> out;
  while (q->step()) out.push_back(Collaborator{q->text(0), q->text(1), q->text(2), q->text(3)});
  return out;
}

std::vector<std::string> group_dataset_ids(Connection& c, std::string_view group_name) {
  auto q = c.cached(
      "SELECT d.id FROM dataset_groups g JOIN datasets d ON d.pk = g.dataset_pk "
      "WHERE g.group_name = ?1 AND d.state = 'active' ORDER BY d.id");
  q->bind_all(group_name);
  std::vector<std::string> out;
  while (q->step()) out.push_back(q->text(0));
  return out;
}

std::optional<User> find_user(Connection& c, std::string_view ref) {
  if (ref.empty()) return std::nullopt;
  std::optional<User> user;
  {
    auto q = c.cached(
        "SELECT id, name, fullname, email, sysadmin, created, state FROM users "
        "WHERE id = ?1 OR name = ?1 ORDER BY id = ?1 DESC LIMIT 1");
    q->bind_all(ref);
    if (!q->step()) return std::nullopt;
    user = user_row(*q);
  }
  load_memberships(c, *user);
  return user;
}

std::vector<User> organization_members(Connection& c, std::string_view organization_id) {
  std::vector<User> users;
  {
    auto q = c.cached(
        "SELECT u.id, u.name, u.fullname, u.email, u.sysadmin, u.created, u.state FROM users u "
        "JOIN memberships m ON m.user_id = u.id WHERE m.organization_id = ?1 ORDER BY u.name");
    q->bind_all(organization_id);
    while (q->step()) users.push_back(user_row(*q));
  }
  for (auto& u : users) load_memberships(c, u);
  return users;
}

std::optional<User> find_user_by_token(Connection& c, std::string_view secret_sha256_hex) {
  if (secret_sha256_hex.empty()) return std::nullopt;
  std::optional<User> user;
  {
    auto q = c.cached(
        "SELECT u.id, u.name, u.fullname, u.email, u.sysadmin, u.created, u.state "
        "FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.secret_sha256 = ?1");
    q->bind_all(secret_sha256_hex);
    if (!q->step()) return std::nullopt;
    user = user_row(*q);
  }
  load_memberships(c, *user);
  return user;
}

std::vector<ApiToken> user_tokens(Connection& c, std::string_view user_id) {
  auto q = c.cached(
      "SELECT id, user_id, name, created, last_access FROM api_tokens WHERE user_id = ?1 "
      "ORDER BY created, id");
  q->bind_all(user_id);
  std::vector<ApiToken> out;
  while (q->step())
    out.push_back(ApiToken{q->text(0), q->text(1), q->text(2), q->text(3), q->text(4)});
  return out;
}

std::vector<Relationship> dataset_relationships(Connection& c, std::string_view dataset_id) {
  auto q = c.cached(
      "SELECT subject_id, object_id, type, comment FROM relationships "
      "WHERE subject_id = ?1 OR object_id = ?1 ORDER BY subject_id, object_id, type");
  q->bind_all(dataset_id);
  std::vector<Relationship> out;
  while (q->step()) out.push_back(relationship_row(*q));
  return out;
}

void for_each_relationship(Connection& c, const std::function<void(const Relationship&)>& fn) {
  auto q = c.cached(
      "SELECT subject_id, object_id, type, comment FROM relationships "
      "ORDER BY subject_id, object_id, type");
  while (q->step()) fn(relationship_row(*q));
}

std::int64_t head_revision(Connection& c) {
  auto q = c.cached("SELECT COALESCE(MAX(revision), 0) FROM changes");
  return q->step() ? q->integer(0) : 0;
}

std::vector<Change> changes_after(Connection& c, std::int64_t after, std::size_t limit) {
  auto q = c.cached(
      "SELECT revision, entity, entity_id, kind, at FROM changes WHERE revision > ?1 "
      "ORDER BY revision LIMIT ?2");
  std::int64_t capped = limit > static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max())
                            ? std::numeric_limits<std::int64_t>::max()
                            : static_cast<std::int64_t>(limit);
  q->bind_all(after, capped);
  std::vector<Change> out;
  while (q->step())
    out.push_back(Change{q->integer(0), q->text(1), q->text(2), q->text(3), q->text(4)});
  return out;
}

}  // namespace datamap::catalog::sqlite

// The catalog's queries, as functions of a connection: the Store runs them on a pooled read
// connection, a Transaction on the writer (so it sees its own writes). Each is one or two
// indexed statements, prepared once per connection.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catalog/link_checks.h"
#include "catalog/model.h"
#include "catalog/sqlite/connection.h"

namespace datamap::catalog::sqlite {

using Counts = std::vector<std::pair<std::string, std::int64_t>>;

// By id, else name, else source_key (the active one first when several share a source_key).
std::optional<Dataset> find_dataset(Connection& c, std::string_view ref);
std::optional<Resource> find_resource(Connection& c, std::string_view id);
std::vector<std::string> public_dataset_names(Connection& c, std::int64_t offset,
                                              std::int64_t limit);
std::int64_t count_active_datasets(Connection& c);
void for_each_active_dataset(Connection& c, const std::function<void(const Dataset&)>& fn);
std::vector<std::string> active_dataset_ids_by_views(Connection& c);
std::vector<std::string> inactive_dataset_ids_of(Connection& c);  // draft and deleted, by id
void for_each_dataset_with_id(Connection& c, std::span<const std::string> ids,
                              const std::function<void(const Dataset&)>& fn);

// By id, else name, else code (기관코드).
std::optional<Organization> find_organization(Connection& c, std::string_view ref);
std::vector<Organization> all_organizations(Connection& c);
std::optional<Group> find_group(Connection& c, std::string_view ref);  // id or name
std::vector<Group> all_groups(Connection& c);
// Active datasets, public and private together.
Counts counts_by_organization(Connection& c);
Counts counts_by_group(Connection& c);
// Active private datasets counted by `key` (the organization itself, or a group) and owning
// organization: what is taken off the totals for a reader who may not see them. A scan of the
// datasets table (no index holds `private`).
struct PrivateCount {
  std::string key, organization;
  std::int64_t count = 0;
};
std::vector<PrivateCount> private_counts_by_organization(Connection& c);
std::vector<PrivateCount> private_counts_by_group(Connection& c);
Counts public_tags(Connection& c, std::string_view prefix, std::int64_t limit);

std::optional<User> find_user(Connection& c, std::string_view ref);  // id or name
std::vector<User> organization_members(Connection& c, std::string_view organization_id);
std::optional<User> find_user_by_token(Connection& c, std::string_view secret_sha256_hex);
std::vector<ApiToken> user_tokens(Connection& c, std::string_view user_id);
std::vector<User> all_users(Connection& c);  // by name, without memberships
std::vector<Collaborator> dataset_collaborators(Connection& c, std::string_view dataset_id);
std::vector<std::string> group_dataset_ids(Connection& c, std::string_view group_name);

std::vector<Relationship> dataset_relationships(Connection& c, std::string_view dataset_id);
void for_each_relationship(Connection& c, const std::function<void(const Relationship&)>& fn);

std::int64_t head_revision(Connection& c);
// The link checker's current answer for each URL (link_records_sqlite.cpp holds the codes).
std::vector<LinkAnswer> link_answers(Connection& c, std::span<const std::string> urls);
std::vector<Change> changes_after(Connection& c, std::int64_t after, std::size_t limit);

}  // namespace datamap::catalog::sqlite

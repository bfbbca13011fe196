// The PostgreSQL catalog's queries, as functions of a connection (as catalog/sqlite/reads.h):
// the Store runs them on a leased connection, a Transaction on its own (so it sees its writes).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catalog/model.h"
#include "catalog/postgres/pg_connection.h"
#include "catalog/visibility.h"

namespace datamap::catalog::postgres {

using Counts = std::vector<std::pair<std::string, std::int64_t>>;

std::optional<Dataset> find_dataset(Connection& c, std::string_view ref);
std::optional<Resource> find_resource(Connection& c, std::string_view id);
std::vector<std::string> public_dataset_names(Connection& c, std::int64_t offset,
                                              std::int64_t limit);
std::int64_t count_active_datasets(Connection& c);
// Streams in pages of a few hundred (keyset on id): never the whole table in memory.
void for_each_active_dataset(Connection& c, const std::function<void(const Dataset&)>& fn);
std::vector<std::string> dataset_ids_by_views(Connection& c);

std::optional<Organization> find_organization(Connection& c, std::string_view ref);
std::vector<Organization> all_organizations(Connection& c);
std::optional<Group> find_group(Connection& c, std::string_view ref);
std::vector<Group> all_groups(Connection& c);
// Active datasets `reader` may see, counted per organization id / group name.
Counts visible_counts_by_organization(Connection& c, const Visibility& reader);
Counts visible_counts_by_group(Connection& c, const Visibility& reader);
Counts public_tags(Connection& c, std::string_view prefix, std::int64_t limit);

std::optional<User> find_user(Connection& c, std::string_view ref);
std::vector<User> organization_members(Connection& c, std::string_view organization_id);
std::optional<User> find_user_by_token(Connection& c, std::string_view secret_sha256_hex);
std::vector<ApiToken> user_tokens(Connection& c, std::string_view user_id);
std::vector<User> all_users(Connection& c);
std::vector<Collaborator> dataset_collaborators(Connection& c, std::string_view dataset_id);
std::vector<std::string> group_dataset_ids(Connection& c, std::string_view group_name);
std::optional<ConsoleSession> find_console_session(Connection& c, std::string_view id_sha256_hex);

std::vector<Relationship> dataset_relationships(Connection& c, std::string_view dataset_id);
void for_each_relationship(Connection& c, const std::function<void(const Relationship&)>& fn);

std::int64_t head_revision(Connection& c);
std::vector<Change> changes_after(Connection& c, std::int64_t after, std::size_t limit);

}  // namespace datamap::catalog::postgres

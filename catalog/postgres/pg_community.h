// Activities, follows and reuses (catalog/activity.h) on PostgreSQL, as functions of a
// connection, as catalog/sqlite/community.h is on SQLite: the Store runs the reads on a leased
// connection, the Transaction the writes inside its transaction. What an activity says, who may
// read it and the row mapping are shared with SQLite (catalog/activity_rows.h).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/activity.h"
#include "catalog/model.h"
#include "catalog/postgres/pg_connection.h"
#include "catalog/visibility.h"

namespace datamap::catalog::postgres {

// ---- writes (inside the caller's transaction)
// Fills an empty id and timestamp.
void insert_activity(Connection& c, Activity& a);
// A purged dataset is gone for good: its activities, follows and reuse links go with it.
void forget_dataset(Connection& c, std::string_view dataset_id);
bool insert_follow(Connection& c, const Follow& f);
bool delete_follow(Connection& c, const Follow& f);
// Returns whether the reuse existed before (an update); NotFound if a dataset id is unknown.
bool upsert_reuse(Connection& c, Reuse& r);
void remove_reuse(Connection& c, std::string_view id);  // NotFound if unknown

// ---- reads
std::vector<Activity> find_activities(Connection& c, const ActivityQuery& q,
                                      const Visibility& reader);
std::int64_t count_followers(Connection& c, std::string_view type, std::string_view id);
bool follows(Connection& c, std::string_view user_id, std::string_view type, std::string_view id);
std::vector<Follow> user_followees(Connection& c, std::string_view user_id);
std::vector<std::string> follower_ids(Connection& c, std::string_view type, std::string_view id);
std::optional<Reuse> find_reuse(Connection& c, std::string_view id);
std::vector<Reuse> list_reuses(Connection& c, std::string_view dataset_id, std::int64_t offset,
                               std::int64_t limit);
std::int64_t count_reuses(Connection& c, std::string_view dataset_id);
// Streams in pages (keyset on pk, newest first): never every reuse in memory at once.
void for_each_reuse(Connection& c, const std::function<void(const Reuse&)>& fn);

}  // namespace datamap::catalog::postgres

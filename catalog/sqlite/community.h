// Activities, follows and reuses (catalog/activity.h) as functions of a connection, as reads.h
// does for the rest: the Store runs the reads on a pooled connection, the Transaction the
// writes on the writer, inside its transaction.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/activity.h"
#include "catalog/demand_ranking.h"
#include "catalog/model.h"
#include "catalog/sqlite/connection.h"
#include "catalog/visibility.h"

namespace datamap::catalog::sqlite {

// ---- writes (inside the caller's transaction)
// "new", "changed" or "deleted" `what` of dataset d, made by `user_id`.
void record_dataset_activity(Connection& c, const Dataset& d, const char* what,
                             std::string_view user_id);
void record_organization_activity(Connection& c, const Organization& o, const char* what,
                                  std::string_view user_id);
// Any other activity as given (a data request's, an error report's); fills an empty id and
// timestamp.
void insert_activity(Connection& c, Activity& a);
// A purged dataset is gone for good: its activities and follows go with it.
void forget_dataset(Connection& c, std::string_view dataset_id);
bool insert_follow(Connection& c, const Follow& f);
bool delete_follow(Connection& c, const Follow& f);
// Returns whether the reuse existed before (an update).
bool upsert_reuse(Connection& c, Reuse& r);
void remove_reuse(Connection& c, std::string_view id);

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
void for_each_reuse(Connection& c, const std::function<void(const Reuse&)>& fn);
// Per dataset: the data requests that name it (answered or refused with it), their votes, and
// the error reports filed on it (catalog/demand_ranking.h's requests, votes, error_reports).
std::vector<DemandCounts> demand_signals(Connection& c);

}  // namespace datamap::catalog::sqlite

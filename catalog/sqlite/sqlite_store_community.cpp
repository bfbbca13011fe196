// SqliteStore's reads of activities, follows and reuses (catalog/sqlite/community.h), each on a
// pooled read connection.
#include "catalog/sqlite/community.h"
#include "catalog/sqlite/sqlite_store.h"

namespace datamap::catalog::sqlite {

std::vector<Activity> SqliteStore::activities(const ActivityQuery& q, const Visibility& reader) {
  auto c = readers_.lease();
  return find_activities(*c, q, reader);
}

std::int64_t SqliteStore::follower_count(std::string_view object_type, std::string_view object_id) {
  auto c = readers_.lease();
  return count_followers(*c, object_type, object_id);
}

bool SqliteStore::is_following(std::string_view user_id, std::string_view object_type,
                               std::string_view object_id) {
  auto c = readers_.lease();
  return follows(*c, user_id, object_type, object_id);
}

std::vector<Follow> SqliteStore::followees(std::string_view user_id) {
  auto c = readers_.lease();
  return user_followees(*c, user_id);
}

std::vector<std::string> SqliteStore::followers(std::string_view object_type,
                                                std::string_view object_id) {
  auto c = readers_.lease();
  return follower_ids(*c, object_type, object_id);
}

std::optional<Reuse> SqliteStore::reuse(std::string_view id) {
  auto c = readers_.lease();
  return find_reuse(*c, id);
}

std::vector<Reuse> SqliteStore::reuses(std::string_view dataset_id, std::int64_t offset,
                                       std::int64_t limit) {
  auto c = readers_.lease();
  return list_reuses(*c, dataset_id, offset, limit);
}

std::int64_t SqliteStore::count_reuses(std::string_view dataset_id) {
  auto c = readers_.lease();
  return sqlite::count_reuses(*c, dataset_id);
}

void SqliteStore::for_each_reuse(const std::function<void(const Reuse&)>& fn) {
  auto c = readers_.lease();
  sqlite::for_each_reuse(*c, fn);
}

std::vector<DemandCounts> SqliteStore::demand_signals() {
  auto c = readers_.lease();
  return sqlite::demand_signals(*c);
}

}  // namespace datamap::catalog::sqlite

#include "catalog/postgres/pg_community.h"

#include <limits>

#include "catalog/activity_rows.h"
#include "catalog/errors.h"
#include "catalog/ids.h"

namespace datamap::catalog::postgres {
namespace {

// Activities are read newest first in batches below a seq ($2), so a page that skips many
// unreadable rows never loads the whole stream, and a short page reads one batch.
constexpr std::int64_t kActivityBatch = 200;

#define ACTIVITY_SELECT "SELECT a.seq, " DATAMAP_ACTIVITY_COLUMNS
#define BELOW_SEQ " AND a.seq < $2 ORDER BY a.seq DESC LIMIT $3"

const char* scope_sql(ActivityQuery::Scope scope) {
  switch (scope) {
    case ActivityQuery::Scope::object:
      return ACTIVITY_SELECT "WHERE (a.object_id = $1 OR a.dataset_id = $1)" BELOW_SEQ;
    case ActivityQuery::Scope::organization:
      return ACTIVITY_SELECT "WHERE a.owner_org = $1" BELOW_SEQ;
    case ActivityQuery::Scope::user:
      return ACTIVITY_SELECT "WHERE a.user_id = $1" BELOW_SEQ;
    case ActivityQuery::Scope::dashboard:
      return ACTIVITY_SELECT
          "WHERE (a.user_id = $1 OR a.object_id IN (SELECT object_id FROM follows WHERE user_id "
          "= $1) OR a.owner_org IN (SELECT object_id FROM follows WHERE user_id = $1 AND "
          "object_type = 'organization') OR a.dataset_id IN (SELECT object_id FROM follows "
          "WHERE user_id = $1 AND object_type = 'dataset'))" BELOW_SEQ;
    case ActivityQuery::Scope::datarequests:
      return ACTIVITY_SELECT
          "WHERE a.object_type = 'datarequest' AND $1::text = $1::text" BELOW_SEQ;
    case ActivityQuery::Scope::all_packages:
      break;
  }
  return ACTIVITY_SELECT "WHERE a.object_type = 'package' AND $1::text = $1::text" BELOW_SEQ;
}

// pk first, then the shared columns (activity_rows.h).
#define REUSE_SELECT "SELECT r.pk, " DATAMAP_REUSE_COLUMNS

std::vector<Reuse> reuses_of(Connection& c, const Result& rows) {
  std::vector<Reuse> out;
  out.reserve(static_cast<std::size_t>(rows.rows()));
  for (int i = 0; i < rows.rows(); ++i) {
    Reuse r = reuse_from(ResultRow{rows, i, 1});
    Result ids =
        c.exec("SELECT dataset_id FROM reuse_datasets WHERE reuse_pk = $1 ORDER BY position",
               rows.integer(i, 0));
    for (int j = 0; j < ids.rows(); ++j) r.dataset_ids.push_back(ids.text(j, 0));
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

void insert_activity(Connection& c, Activity& a) {
  if (a.id.empty()) a.id = time_ordered_id();
  if (a.timestamp.empty()) a.timestamp = now_iso8601();
  c.exec(
      "INSERT INTO activities (id, timestamp, user_id, object_id, object_type, activity_type, "
      "owner_org, private, data, dataset_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
      a.id, a.timestamp, a.user_id, a.object_id, a.object_type, a.activity_type, a.owner_org,
      a.is_private, a.data, a.dataset_id);
}

void forget_dataset(Connection& c, std::string_view dataset_id) {
  for (const char* sql : {"DELETE FROM activities WHERE object_id = $1",
                          "DELETE FROM activities WHERE dataset_id = $1",
                          "DELETE FROM follows WHERE object_type = 'dataset' AND object_id = $1",
                          "DELETE FROM reuse_datasets WHERE dataset_id = $1"})
    c.exec(sql, dataset_id);
}

bool insert_follow(Connection& c, const Follow& f) {
  return c.exec(
              "INSERT INTO follows (user_id, object_type, object_id, created) "
              "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
              f.user_id, f.object_type, f.object_id, f.created.empty() ? now_iso8601() : f.created)
             .affected() > 0;
}

bool delete_follow(Connection& c, const Follow& f) {
  return c.exec("DELETE FROM follows WHERE user_id = $1 AND object_type = $2 AND object_id = $3",
                f.user_id, f.object_type, f.object_id)
             .affected() > 0;
}

bool upsert_reuse(Connection& c, Reuse& r) {
  if (r.id.empty()) r.id = new_id();
  for (const auto& id : r.dataset_ids)
    if (c.exec("SELECT 1 FROM datasets WHERE id = $1", id).empty())
      throw NotFound("Dataset not found: " + id);
  Result found = c.exec("SELECT created FROM reuses WHERE id = $1", r.id);
  const bool existed = !found.empty();
  r.modified = now_iso8601();
  r.created = existed ? found.text(0, 0) : r.modified;
  const std::int64_t pk =
      c.exec(
           "INSERT INTO reuses (id, title, url, description, image_url, type, creator_user_id, "
           "created, modified) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO "
           "UPDATE SET title = excluded.title, url = excluded.url, description = "
           "excluded.description, image_url = excluded.image_url, type = excluded.type, "
           "modified = excluded.modified RETURNING pk",
           r.id, r.title, r.url, r.description, r.image_url, r.type, r.creator_user_id, r.created,
           r.modified)
          .integer(0, 0);
  c.exec("DELETE FROM reuse_datasets WHERE reuse_pk = $1", pk);
  // A dataset named twice is linked once, at its first place (as on SQLite).
  for (std::size_t i = 0; i < r.dataset_ids.size(); ++i)
    c.exec(
        "INSERT INTO reuse_datasets (reuse_pk, dataset_id, position) VALUES ($1, $2, $3) "
        "ON CONFLICT DO NOTHING",
        pk, r.dataset_ids[i], i);
  return existed;
}

void remove_reuse(Connection& c, std::string_view id) {
  if (id.empty() || c.exec("DELETE FROM reuses WHERE id = $1", id).affected() == 0)
    throw NotFound("Reuse not found");
}

std::vector<Activity> find_activities(Connection& c, const ActivityQuery& query,
                                      const Visibility& reader) {
  const char* sql = scope_sql(query.scope);
  std::int64_t below = std::numeric_limits<std::int64_t>::max();
  std::optional<Result> batch;
  int next_row = 0;
  bool last_batch = false;
  return readable_page(query, reader, [&]() -> std::optional<ActivityRow> {
    if (!batch || next_row == batch->rows()) {
      if (last_batch) return std::nullopt;
      batch = c.exec(sql, query.id, below, kActivityBatch);
      next_row = 0;
      last_batch = batch->rows() < kActivityBatch;
      if (batch->empty()) return std::nullopt;
    }
    const int i = next_row++;
    below = batch->integer(i, 0);
    return activity_from(ResultRow{*batch, i, 1});
  });
}

std::int64_t count_followers(Connection& c, std::string_view type, std::string_view id) {
  return c.exec("SELECT count(*) FROM follows WHERE object_type = $1 AND object_id = $2", type, id)
      .integer(0, 0);
}

bool follows(Connection& c, std::string_view user_id, std::string_view type, std::string_view id) {
  return !c.exec("SELECT 1 FROM follows WHERE user_id = $1 AND object_type = $2 AND object_id = $3",
                 user_id, type, id)
              .empty();
}

std::vector<Follow> user_followees(Connection& c, std::string_view user_id) {
  Result r = c.exec(
      "SELECT object_type, object_id, created FROM follows WHERE user_id = $1 "
      "ORDER BY created DESC, object_id",
      user_id);
  std::vector<Follow> out;
  for (int i = 0; i < r.rows(); ++i)
    out.push_back({std::string(user_id), r.text(i, 0), r.text(i, 1), r.text(i, 2)});
  return out;
}

std::vector<std::string> follower_ids(Connection& c, std::string_view type, std::string_view id) {
  Result r = c.exec(
      "SELECT user_id FROM follows WHERE object_type = $1 AND object_id = $2 "
      "ORDER BY created, user_id",
      type, id);
  std::vector<std::string> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(r.text(i, 0));
  return out;
}

std::optional<Reuse> find_reuse(Connection& c, std::string_view id) {
  if (id.empty()) return std::nullopt;
  auto found = reuses_of(c, c.exec(REUSE_SELECT " FROM reuses r WHERE r.id = $1", id));
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::vector<Reuse> list_reuses(Connection& c, std::string_view dataset_id, std::int64_t offset,
                               std::int64_t limit) {
  const std::optional<std::int64_t> no_limit;
  const auto sql_limit = limit < 0 ? no_limit : std::optional<std::int64_t>(limit);
  const std::int64_t from = offset < 0 ? 0 : offset;
  if (dataset_id.empty())
    return reuses_of(c, c.exec(REUSE_SELECT " FROM reuses r ORDER BY r.pk DESC LIMIT $1 OFFSET $2",
                               sql_limit, from));
  return reuses_of(
      c, c.exec(REUSE_SELECT " FROM reuses r JOIN reuse_datasets x ON x.reuse_pk = r.pk "
                             "WHERE x.dataset_id = $1 ORDER BY r.pk DESC LIMIT $2 OFFSET $3",
                dataset_id, sql_limit, from));
}

std::int64_t count_reuses(Connection& c, std::string_view dataset_id) {
  if (dataset_id.empty()) return c.exec("SELECT count(*) FROM reuses").integer(0, 0);
  return c.exec("SELECT count(*) FROM reuse_datasets WHERE dataset_id = $1", dataset_id)
      .integer(0, 0);
}

void for_each_reuse(Connection& c, const std::function<void(const Reuse&)>& fn) {
  // fn may read the store (even on this connection): each page is read whole before it runs.
  std::int64_t below = std::numeric_limits<std::int64_t>::max();
  for (;;) {
    Result page =
        c.exec(REUSE_SELECT " FROM reuses r WHERE r.pk < $1 ORDER BY r.pk DESC LIMIT 200", below);
    if (page.empty()) return;
    below = page.integer(page.rows() - 1, 0);
    for (const Reuse& r : reuses_of(c, page)) fn(r);
  }
}

}  // namespace datamap::catalog::postgres

#include "catalog/sqlite/community.h"

#include <limits>
#include <map>

#include "catalog/activity_rows.h"
#include "catalog/errors.h"
#include "catalog/ids.h"
#include "catalog/sqlite/records.h"

namespace datamap::catalog::sqlite {
namespace {

#define ACTIVITY_SELECT "SELECT " DATAMAP_ACTIVITY_COLUMNS

const char* scope_sql(ActivityQuery::Scope scope) {
  switch (scope) {
    case ActivityQuery::Scope::object:
      return ACTIVITY_SELECT "WHERE a.object_id = ?1 OR a.dataset_id = ?1 ORDER BY a.seq DESC";
    case ActivityQuery::Scope::organization:
      return ACTIVITY_SELECT "WHERE a.owner_org = ?1 ORDER BY a.seq DESC";
    case ActivityQuery::Scope::user:
      return ACTIVITY_SELECT "WHERE a.user_id = ?1 ORDER BY a.seq DESC";
    case ActivityQuery::Scope::dashboard:
      return ACTIVITY_SELECT
          "WHERE a.user_id = ?1 OR a.object_id IN (SELECT object_id FROM follows WHERE user_id "
          "= ?1) OR a.owner_org IN (SELECT object_id FROM follows WHERE user_id = ?1 AND "
          "object_type = 'organization') OR a.dataset_id IN (SELECT object_id FROM follows "
          "WHERE user_id = ?1 AND object_type = 'dataset') ORDER BY a.seq DESC";
    case ActivityQuery::Scope::datarequests:
      return ACTIVITY_SELECT "WHERE a.object_type = 'datarequest' AND ?1 = ?1 ORDER BY a.seq DESC";
    case ActivityQuery::Scope::all_packages:
      break;
  }
  return ACTIVITY_SELECT "WHERE a.object_type = 'package' AND ?1 = ?1 ORDER BY a.seq DESC";
}

// pk first, then the shared columns (activity_rows.h), so a row maps from column 1 on.
#define REUSE_SELECT "SELECT r.pk, " DATAMAP_REUSE_COLUMNS

// The shared reuse mapping, over the columns after the pk.
Reuse reuse_row(const Statement& s) {
  struct Shifted {
    const Statement& s;
    std::string text(int col) const { return s.text(col + 1); }
  };
  return reuse_from(Shifted{s});
}

void add_dataset_ids(Connection& c, std::int64_t pk, Reuse& r) {
  auto q = c.cached("SELECT dataset_id FROM reuse_datasets WHERE reuse_pk = ?1 ORDER BY position");
  q->bind_all(pk);
  while (q->step()) r.dataset_ids.push_back(q->text(0));
}

}  // namespace

void insert_activity(Connection& c, Activity& a) {
  // Time-ordered: activities are only appended, so their id index grows at its right edge.
  if (a.id.empty()) a.id = time_ordered_id();
  if (a.timestamp.empty()) a.timestamp = now_iso8601();
  auto q = c.cached(
      "INSERT INTO activities (id, timestamp, user_id, object_id, object_type, activity_type, "
      "owner_org, private, data, dataset_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  q->bind_all(a.id, a.timestamp, a.user_id, a.object_id, a.object_type, a.activity_type,
              a.owner_org, a.is_private, a.data, a.dataset_id);
  q->run();
}

void record_dataset_activity(Connection& c, const Dataset& d, const char* what,
                             std::string_view user_id) {
  Activity a = dataset_activity(d, what, user_id);
  insert_activity(c, a);
}

void record_organization_activity(Connection& c, const Organization& o, const char* what,
                                  std::string_view user_id) {
  Activity a = organization_activity(o, what, user_id);
  insert_activity(c, a);
}

void forget_dataset(Connection& c, std::string_view dataset_id) {
  for (const char* sql : {"DELETE FROM activities WHERE object_id = ?1",
                          "DELETE FROM activities WHERE dataset_id = ?1",
                          "DELETE FROM follows WHERE object_type = 'dataset' AND object_id = ?1",
                          "DELETE FROM reuse_datasets WHERE dataset_id = ?1"}) {
    auto q = c.cached(sql);
    q->bind_all(dataset_id);
    q->run();
  }
}

bool insert_follow(Connection& c, const Follow& f) {
  auto q = c.cached(
      "INSERT INTO follows (user_id, object_type, object_id, created) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT DO NOTHING");
  q->bind_all(f.user_id, f.object_type, f.object_id, f.created.empty() ? now_iso8601() : f.created);
  q->run();
  return c.changes() > 0;
}

bool delete_follow(Connection& c, const Follow& f) {
  auto q =
      c.cached("DELETE FROM follows WHERE user_id = ?1 AND object_type = ?2 AND object_id = ?3");
  q->bind_all(f.user_id, f.object_type, f.object_id);
  q->run();
  return c.changes() > 0;
}

bool upsert_reuse(Connection& c, Reuse& r) {
  if (r.id.empty()) r.id = new_id();
  for (const auto& id : r.dataset_ids) {
    auto q = c.cached("SELECT 1 FROM datasets WHERE id = ?1");
    q->bind_all(id);
    if (!q->step()) throw NotFound("Dataset not found: " + id);
  }
  std::int64_t pk = 0;
  {
    auto q = c.cached("SELECT pk, created FROM reuses WHERE id = ?1");
    q->bind_all(r.id);
    if (q->step()) {
      pk = q->integer(0);
      r.created = q->text(1);
    }
  }
  const bool existed = pk != 0;
  r.modified = now_iso8601();
  if (!existed) r.created = r.modified;
  {
    auto q = c.cached(
        "INSERT INTO reuses (id, title, url, description, image_url, type, creator_user_id, "
        "created, modified) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (id) DO "
        "UPDATE SET title = excluded.title, url = excluded.url, description = "
        "excluded.description, image_url = excluded.image_url, type = excluded.type, modified = "
        "excluded.modified");
    q->bind_all(r.id, r.title, r.url, r.description, r.image_url, r.type, r.creator_user_id,
                r.created, r.modified);
    q->run();
  }
  if (!existed) pk = sqlite3_last_insert_rowid(c.handle());
  {
    auto q = c.cached("DELETE FROM reuse_datasets WHERE reuse_pk = ?1");
    q->bind_all(pk);
    q->run();
  }
  auto q = c.cached(
      "INSERT OR IGNORE INTO reuse_datasets (reuse_pk, dataset_id, position) VALUES (?1, ?2, ?3)");
  for (std::size_t i = 0; i < r.dataset_ids.size(); ++i) {
    q->bind_all(pk, r.dataset_ids[i], i);
    q->run();
    q->reset();
  }
  return existed;
}

void remove_reuse(Connection& c, std::string_view id) {
  auto q = c.cached("DELETE FROM reuses WHERE id = ?1");
  q->bind_all(id);
  q->run();
  if (id.empty() || c.changes() == 0) throw NotFound("Reuse not found");
}

std::vector<Activity> find_activities(Connection& c, const ActivityQuery& query,
                                      const Visibility& reader) {
  auto q = c.cached(scope_sql(query.scope));
  q->bind_all(query.id);
  // Stepped lazily: a page reads only as many rows as it needs.
  return readable_page(query, reader, [&]() -> std::optional<ActivityRow> {
    if (!q->step()) return std::nullopt;
    return activity_from(StatementRow{*q});
  });
}

std::int64_t count_followers(Connection& c, std::string_view type, std::string_view id) {
  auto q = c.cached("SELECT count(*) FROM follows WHERE object_type = ?1 AND object_id = ?2");
  q->bind_all(type, id);
  return q->step() ? q->integer(0) : 0;
}

bool follows(Connection& c, std::string_view user_id, std::string_view type, std::string_view id) {
  auto q =
      c.cached("SELECT 1 FROM follows WHERE user_id = ?1 AND object_type = ?2 AND object_id = ?3");
  q->bind_all(user_id, type, id);
  return q->step();
}

std::vector<Follow> user_followees(Connection& c, std::string_view user_id) {
  auto q = c.cached(
      "SELECT object_type, object_id, created FROM follows WHERE user_id = ?1 "
      "ORDER BY created DESC, object_id");
  q->bind_all(user_id);
  std::vector<Follow> out;
  while (q->step()) out.push_back({std::string(user_id), q->text(0), q->text(1), q->text(2)});
  return out;
}

std::vector<std::string> follower_ids(Connection& c, std::string_view type, std::string_view id) {
  auto q = c.cached(
      "SELECT user_id FROM follows WHERE object_type = ?1 AND object_id = ?2 ORDER BY created, "
      "user_id");
  q->bind_all(type, id);
  std::vector<std::string> out;
  while (q->step()) out.push_back(q->text(0));
  return out;
}

std::optional<Reuse> find_reuse(Connection& c, std::string_view id) {
  std::int64_t pk = 0;
  Reuse r;
  {
    auto q = c.cached(REUSE_SELECT " FROM reuses r WHERE r.id = ?1");
    q->bind_all(id);
    if (!q->step()) return std::nullopt;
    pk = q->integer(0);
    r = reuse_row(*q);
  }
  add_dataset_ids(c, pk, r);
  return r;
}

std::vector<Reuse> list_reuses(Connection& c, std::string_view dataset_id, std::int64_t offset,
                               std::int64_t limit) {
  std::vector<std::pair<std::int64_t, Reuse>> rows;
  {
    auto q = dataset_id.empty()
                 ? c.cached(REUSE_SELECT
                            " FROM reuses r WHERE ?1 = ?1 ORDER BY r.pk DESC LIMIT ?2 OFFSET ?3")
                 : c.cached(REUSE_SELECT
                            " FROM reuses r JOIN reuse_datasets x ON x.reuse_pk = r.pk "
                            "WHERE x.dataset_id = ?1 ORDER BY r.pk DESC LIMIT ?2 OFFSET ?3");
    q->bind_all(dataset_id, limit, offset);
    while (q->step()) rows.emplace_back(q->integer(0), reuse_row(*q));
  }
  std::vector<Reuse> out;
  for (auto& [pk, r] : rows) {
    add_dataset_ids(c, pk, r);
    out.push_back(std::move(r));
  }
  return out;
}

std::int64_t count_reuses(Connection& c, std::string_view dataset_id) {
  auto q = dataset_id.empty()
               ? c.cached("SELECT count(*) FROM reuses WHERE ?1 = ?1")
               : c.cached("SELECT count(*) FROM reuse_datasets WHERE dataset_id = ?1");
  q->bind_all(dataset_id);
  return q->step() ? q->integer(0) : 0;
}

void for_each_reuse(Connection& c, const std::function<void(const Reuse&)>& fn) {
  for (const Reuse& r : list_reuses(c, "", 0, std::numeric_limits<std::int64_t>::max())) fn(r);
}

std::vector<DemandCounts> demand_signals(Connection& c) {
  std::map<std::string, DemandCounts> by_dataset;
  auto at = [&](std::string id) -> DemandCounts& {
    auto& d = by_dataset[id];
    d.dataset_id = std::move(id);
    return d;
  };
  auto requests = c.cached(
      "SELECT dataset_id, count(*), coalesce(sum(votes), 0) FROM data_requests WHERE dataset_id != '' "
      "GROUP BY dataset_id");
  while (requests->step()) {
    auto& d = at(requests->text(0));
    d.requests = requests->integer(1);
    d.votes = requests->integer(2);
  }
  auto reports = c.cached("SELECT dataset_id, count(*) FROM issue_reports GROUP BY dataset_id");
  while (reports->step()) at(reports->text(0)).error_reports = reports->integer(1);
  std::vector<DemandCounts> out;
  out.reserve(by_dataset.size());
  for (auto& [id, d] : by_dataset) out.push_back(std::move(d));
  return out;
}

}  // namespace datamap::catalog::sqlite

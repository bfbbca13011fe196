// What both catalog backends (catalog/sqlite/community.cpp, catalog/postgres/pg_community.cpp)
// store and read of activities and reuses, written once so the two cannot drift: the activity a
// change records, who may read a stored one, the page a list returns, and the mapping of one
// selected row to the model. The SQL itself stays per backend (placeholders, types, paging).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/activity.h"
#include "catalog/model.h"
#include "catalog/visibility.h"

namespace datamap::catalog {

// "new" when the object did not exist before the change, "deleted" when the change leaves it in
// state deleted, "changed" otherwise: the first word of CKAN's activity_type.
const char* change_verb(bool existed, std::string_view state);
// The activity of a dataset's or an organization's change (`what`: change_verb), made by
// `user_id` ("" for an import or a harvest); id and timestamp are left to the store.
Activity dataset_activity(const Dataset& d, std::string_view what, std::string_view user_id);
Activity organization_activity(const Organization& o, std::string_view what,
                               std::string_view user_id);

// Every backend selects these columns, in this order, for an activity ("a") with the dataset it
// concerns as that dataset is now ("d", NULL when none or purged since)...
#define DATAMAP_ACTIVITY_COLUMNS                                                                  \
  "a.id, a.timestamp, a.user_id, a.object_id, a.object_type, a.activity_type, a.owner_org, "      \
  "a.private, a.data, a.dataset_id, d.private, d.owner_org FROM activities a LEFT JOIN datasets " \
  "d ON d.id = (CASE WHEN a.object_type = 'package' THEN a.object_id ELSE a.dataset_id END) "
// ... and these for a reuse ("r"; its dataset ids are read apart).
#define DATAMAP_REUSE_COLUMNS                                                                \
  "r.id, r.title, r.url, r.description, r.image_url, r.type, r.creator_user_id, r.created, " \
  "r.modified"

// A stored activity and the visibility of its dataset now.
struct ActivityRow {
  Activity activity;
  bool dataset_gone = true;  // no dataset, or purged: only the activity's own flags count
  bool dataset_private_now = false;
  std::string dataset_org_now;
};

// Row is a backend's view of one selected row: text(col), flag(col) (a boolean column) and
// is_null(col), columns numbered as selected above.
template <typename Row>
ActivityRow activity_from(const Row& row) {
  ActivityRow out;
  Activity& a = out.activity;
  a.id = row.text(0);
  a.timestamp = row.text(1);
  a.user_id = row.text(2);
  a.object_id = row.text(3);
  a.object_type = row.text(4);
  a.activity_type = row.text(5);
  a.owner_org = row.text(6);
  a.is_private = row.flag(7);
  a.data = row.text(8);
  a.dataset_id = row.text(9);
  out.dataset_gone = row.is_null(10);
  if (!out.dataset_gone) {
    out.dataset_private_now = row.flag(10);
    out.dataset_org_now = row.text(11);
  }
  return out;
}

template <typename Row>
Reuse reuse_from(const Row& row) {
  Reuse r;
  r.id = row.text(0);
  r.title = row.text(1);
  r.url = row.text(2);
  r.description = row.text(3);
  r.image_url = row.text(4);
  r.type = row.text(5);
  r.creator_user_id = row.text(6);
  r.created = row.text(7);
  r.modified = row.text(8);
  return r;
}

// Private then or private now: only for readers of that organization's private datasets, so
// neither an old private title nor the history of a dataset made private since leaks.
bool may_read(const ActivityRow& row, const Visibility& reader);

// The page `q` asks for: reads rows newest first from `next` (nullopt when there are no more)
// until q.limit readable ones past q.offset readable ones are found. Unreadable rows count for
// nothing, so a reader never learns of them from a short page.
std::vector<Activity> readable_page(const ActivityQuery& q, const Visibility& reader,
                                    const std::function<std::optional<ActivityRow>()>& next);

}  // namespace datamap::catalog

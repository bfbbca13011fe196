// Activity streams, following and reuses (issue 16 items 3 and 4): what the catalog records
// about who changed what, who follows what, and what was built with which datasets.
//
// Activities are written by the Transaction itself, in the same transaction as the change they
// describe (a dataset's or an organization's create, update or delete), so an activity exists
// if and only if its change is committed. The writer names itself with Transaction::set_actor;
// changes made without one (imports, harvests, the loader) are recorded with user_id "".
// Follows and reuses are catalog content written through the Transaction; reuses append a
// change-log row (entity "reuse") so the map, which shows them, follows.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace datamap::catalog {

// CKAN's activity dict. `data` is a JSON object as text: {"package": {...}} for a dataset's
// activity, {"group": {...}} for an organization's (CKAN's keys), a compact snapshot of the
// object as it was after the change. owner_org and is_private are the dataset's at that time
// (for an organization's activity, owner_org is the organization itself): who may read the
// activity is decided from them and from the dataset as it is now.
struct Activity {
  std::string id;
  std::string timestamp;  // ISO 8601 UTC with microseconds, as CKAN writes it
  std::string user_id;    // "" when no user made the change (import, harvest)
  std::string object_id;
  std::string object_type;  // "package" | "organization" | "datarequest" | "issue_report"
  std::string
      activity_type;  // "new package", "changed package", "deleted package", ... "organization"
  std::string data;
  std::string owner_org;
  bool is_private = false;
  // The dataset an error report's activity concerns (catalog/demand_activity.h), "" otherwise:
  // the activity is also the dataset's (its activity list, its followers' dashboards), and is
  // read under that dataset's visibility as it is now.
  std::string dataset_id;
};

// Which activities a list asks for; every list is newest first.
struct ActivityQuery {
  enum class Scope {
    all_packages,  // every dataset's activity (recently_changed_packages_activity_stream)
    object,        // one object's own activity (object_id; a dataset's includes its reports')
    organization,  // an organization's and its datasets' (owner_org = id)
    user,          // what user `id` did
    dashboard,     // what user `id` follows (datasets, organizations and their datasets) and did
    datarequests,  // every data request's activity (the request list's feed)
  };
  Scope scope = Scope::all_packages;
  std::string id;
  std::int64_t offset = 0;
  std::int64_t limit = 31;  // CKAN's default
};

inline constexpr const char* kFollowTypes[] = {"dataset", "organization", "datarequest"};

struct Follow {
  std::string user_id;
  std::string object_type;  // one of kFollowTypes
  std::string object_id;
  std::string created;
};

// A reuse (활용사례): an application, article, visualisation or research work built on datasets.
inline constexpr const char* kReuseTypes[] = {"app", "article", "visualisation", "research"};

struct Reuse {
  std::string id;
  std::string title;
  std::string url;  // http or https
  std::string description;
  std::string image_url;  // http, https or ""
  std::string type;       // one of kReuseTypes
  std::string creator_user_id;
  std::string created, modified;
  std::vector<std::string> dataset_ids;  // in the order given
};

}  // namespace datamap::catalog

namespace datamap::catalog {

// Field errors of a reuse as given (title 1-200 characters, url http(s), image_url http(s) or
// empty, type one of kReuseTypes, description up to 5000 characters, 1-100 dataset ids).
void validate_reuse(const Reuse& r, std::map<std::string, std::vector<std::string>>& errors);

}  // namespace datamap::catalog

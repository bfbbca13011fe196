// How an activity (CKAN's activity dict, catalog/activity.h and catalog/demand_activity.h) reads
// to a person: its label in Korean or English, and what it is about (a title and the portal page
// it links to). The Atom feeds (api/formats/feed_routes.cpp) and the dashboard
// (api/portal/activity_pages.cpp) both say it this way.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>

namespace datamap::api {

// "새 데이터" / "New dataset" for "new package", ...; an unknown type is returned as it is.
std::string_view activity_label(std::string_view activity_type, bool english);

struct ActivitySubject {
  std::string title;  // the object's title (its name when it has none)
  std::string path;   // its portal page, e.g. "/dataset/bus-stops", "/requests/ID"
};
// From an activity's `data`: {"package"}, {"group"}, {"datarequest"} or {"issue_report"}.
ActivitySubject activity_subject(const rapidjson::Value& data);

}  // namespace datamap::api

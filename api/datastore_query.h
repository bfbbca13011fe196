// datastore_search's query parameters read into a datastore::SearchQuery, in one place for every
// door that takes them: the datastore_search action and the /datastore/dump download
// (api/formats/table_routes.h). CKAN's spelling: resource_id (or id), filters {"field": value |
// [values]}, q ("text" or {"field": "text"}), fields ("a,b" or ["a","b"]), sort ("a desc, b"),
// distinct, limit (default 100, at most 32,000), offset, include_total; JSON given as text (a
// query string) is parsed. Wrong shapes are ValidationError or BadRequest naming the parameter;
// field names are the TableStore's to check. Implemented in api/actions/datastore_actions.cpp.
#pragma once

#include <rapidjson/document.h>

#include "api/action.h"
#include "datastore/table_store.h"

namespace datamap::api {

datastore::SearchQuery datastore_search_query(const rapidjson::Value& params);

// datastore_join's parameters (api/actions/datastore_join.cpp, also GET /openapi/join): left,
// right, on ({"left": col, "right": col}, or one column name for both) or within_meters,
// left_point/right_point ([lat, lon]), fields/filters/sort with "left."/"right." prefixes,
// limit (≤ 32,000), offset, include_total. The budget is the caller's to set.
datastore::JoinQuery datastore_join_query(const rapidjson::Value& params);
// For a distance join, each side's point columns the caller did not name: those the loader's
// column profile in the catalog marks latitude and longitude (else the table's point fields).
void datastore_join_profile_points(catalog::Store& store, datastore::JoinQuery& query);
// The configured budget of one join ([limits] datastore_join_max_rows, _timeout_ms).
datastore::JoinBudget datastore_join_budget(const Services& services);

}  // namespace datamap::api

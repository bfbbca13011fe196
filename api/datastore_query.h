// datastore_search's query parameters read into a datastore::SearchQuery, in one place for every
// door that takes them: the datastore_search action and the /datastore/dump download
// (api/formats/table_routes.h). CKAN's spelling: resource_id (or id), filters {"field": value |
// [values]}, q ("text" or {"field": "text"}), fields ("a,b" or ["a","b"]), sort ("a desc, b"),
// distinct, limit (default 100, at most 32,000), offset, include_total; JSON given as text (a
// query string) is parsed. Wrong shapes are ValidationError or BadRequest naming the parameter;
// field names are the TableStore's to check. Implemented in api/actions/datastore_actions.cpp.
#pragma once

#include <rapidjson/document.h>

#include "datastore/table_store.h"

namespace datamap::api {

datastore::SearchQuery datastore_search_query(const rapidjson::Value& params);

}  // namespace datamap::api

// datastore_search's query parameters read into a datastore::SearchQuery, in one place for every
// door that takes them (the datastore_search action and the /datastore/dump download), CKAN's way:
//   filters  {"field": value | [values]}  (eq, or in for a list; JSON text from a query string)
//   q        "text" over the whole row, or {"field": "text"}
//   fields   ["a", "b"] or "a,b"             sort  "a desc, b" or ["a desc", "b"]
//   distinct, limit (default 100, at most 32,000), offset, include_total
// A value of the wrong shape is ValidationError naming the parameter; JSON text that does not
// parse is BadRequest. Field names are checked by the TableStore, which knows the table.
#pragma once

#include <rapidjson/document.h>

#include "datastore/table_store.h"

namespace datamap::api {

inline constexpr std::int64_t kDatastoreMaxLimit = 32000;

// `resource_id` is required (ValidationError when missing).
datastore::SearchQuery datastore_search_query(const rapidjson::Value& params);

}  // namespace datamap::api

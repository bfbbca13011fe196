// The DataStore actions' own pieces, shared by datastore_join (api/actions/datastore_join.cpp)
// and the /openapi/join route so that one piece of code reads each parameter and decides who may
// read a table. Implemented in api/actions/datastore_actions.cpp.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "api/action.h"
#include "api/json.h"
#include "datastore/table_store.h"

namespace datamap::api::datastore_support {

// NotFound (404, like a missing one) unless the caller may read the resource's dataset: the
// same check every datastore_* action makes.
void require_readable(ActionContext& ctx, const std::string& rid);
// The server's table store; BadRequest when the DataStore is off.
datastore::TableStore& table_store(ActionContext& ctx);
// A list of strings given as a JSON list or as "a, b".
std::vector<std::string> names(const rapidjson::Value& params, const char* key);
// datastore_search's filters {field: value | [values]} and sort ("a desc, b").
std::vector<datastore::Condition> filters(const rapidjson::Value& params);
std::vector<datastore::SortKey> sort(const rapidjson::Value& params);
// A JSON parameter that may also arrive as a string holding JSON; null when absent.
const rapidjson::Value* json_param(const rapidjson::Value& params, const char* key,
                                   rapidjson::Document& holder);
// records_format (objects, lists, csv, tsv), and the fields/records/records_format members.
std::string format(const rapidjson::Value& params);
void records(const datastore::SearchResult& r, const std::string& format, rapidjson::Value& result,
             Alloc& a);

}  // namespace datamap::api::datastore_support

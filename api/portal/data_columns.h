// A table's columns as the dataset page shows them: the DataStore's fields (datastore_info), the
// agency's data dictionary (each field's `info`) and the loader's column profile (the resource's
// `columns` in the catalog), matched by column name. Either source may be missing: a table made
// with datastore_create has no profile yet, a profile may outlive a dropped table.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/portal/html.h"
#include "api/portal/page_context.h"

namespace datamap::api::portal {

struct ColumnView {
  std::string id;    // the column name
  std::string type;  // CKAN DataStore type: int, numeric, bool, date, timestamp, text
  std::string label, notes, standard_term;  // data dictionary (the profile's term as fallback)
  std::string semantic_type;                // from the profile
  std::optional<std::int64_t> nulls, distinct;
  bool distinct_estimated = false;      // an estimate past the profiler's exact cap
  std::optional<std::int64_t> invalid;  // values that do not fit the semantic type
  std::string min, max;
  std::vector<std::pair<std::string, std::int64_t>> top;  // value and count (-1: not given)
  bool profiled = false;
};

// Fields of datastore_info's result (CKAN: `fields: [{id, type, info}]`; older: `schema`), `_id`
// left out, then the profile of `resource` laid over them by name. No datastore_info: the
// profile's columns alone.
std::vector<ColumnView> table_columns(const rapidjson::Value* info,
                                      const rapidjson::Value& resource);

// The row count datastore_info reports (CKAN: meta.count), if any.
std::optional<std::int64_t> info_row_count(const rapidjson::Value& info);

// The {latitude, longitude} column pair: by the profile's semantic types, else the table's point
// option as datastore_info reports it, else by the usual header names (위도/경도, lat/lon).
std::optional<std::pair<std::string, std::string>> coordinate_columns(
    const std::vector<ColumnView>& cols, const rapidjson::Value* info);

// A JSON scalar as a reader sees it: strings as they are, numbers without trailing zeros,
// true/false, null as "".
std::string scalar_text(const rapidjson::Value& v);

// "정수" for "int", and so on (the CKAN name is shown beside it for developers).
std::string_view type_label(Lang lang, const std::string& type);
// "위도 (WGS84)" for the loader's "latitude", and so on; an unknown id as it is.
std::string_view semantic_label(Lang lang, const std::string& id);

// The profile table: one row per column (th scope=row), the row count for percentages of nulls.
void column_profile_table(Html& h, Lang lang, const std::vector<ColumnView>& cols,
                          std::int64_t rows, const std::string& caption);

}  // namespace datamap::api::portal

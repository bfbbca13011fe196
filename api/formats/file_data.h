// data.go.kr's automatic API over file data (the odcloud "파일데이터" APIs), served for every
// DataStore table at /openapi/data/{resource}: the request's cond[컬럼::OP]=값 parameters, the
// page envelope
//   {"page": 1, "perPage": 10, "totalCount": N, "currentCount": n, "matchCount": M,
//    "data": [{"컬럼": 값, ...}, ...]}
// (totalCount: rows in the table; matchCount: rows the conditions match; currentCount: rows on
// this page) and its XML twin <results>...<data><item><col name="컬럼">값</col>...</item></data>,
// and the OpenAPI 3.1 document describing one table's API (/openapi/data/{resource}/openapi.json).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "api/http.h"
#include "catalog/model.h"
#include "datastore/table_store.h"

namespace datamap::api::formats {

// The operators cond[...] takes, as data.go.kr spells them.
inline constexpr const char* kCondOperators[] = {"EQ", "LIKE", "GT", "GTE", "LT", "LTE"};

// Every `cond[column::OP]` query parameter as a Condition on `fields`. LIKE matches the value
// anywhere in the column's text (data.go.kr's meaning), the others compare as the column's type.
// A malformed name, an unknown column or operator: ValidationError naming the parameter and
// saying what is accepted.
std::vector<datastore::Condition> parse_conds(const NameValues& query,
                                              const std::vector<datastore::Field>& fields);

struct FileDataPage {
  std::int64_t page = 1;
  std::int64_t per_page = 10;
  std::int64_t total_count = 0;
  std::int64_t match_count = 0;
  const datastore::SearchResult* result = nullptr;
};

std::string file_data_json(const FileDataPage& page);
std::string file_data_xml(const FileDataPage& page);

// The OpenAPI 3.1 document of one table's API: its path with page/perPage/returnType and every
// cond[column::OP] parameter typed as the column, the row schema from the fields and their data
// dictionary (label as title, notes and standard term in the description), the error envelope,
// and the download route. `base_url` becomes the document's server.
std::string resource_openapi_json(const datastore::TableInfo& table,
                                  const catalog::Resource& resource,
                                  const catalog::Dataset& dataset, const std::string& base_url);

}  // namespace datamap::api::formats

// The DataStore's tables over plain HTTP, besides the datastore_* actions:
//   GET /openapi/data/{resource}               data.go.kr's automatic file-data API (file_data.h):
//                                              page, perPage (≤ 1000), returnType=json|xml,
//                                              cond[컬럼::EQ|LIKE|GT|GTE|LT|LTE]=값; serviceKey,
//                                              quota and errors as /openapi/datasets
//                                              (datago_gate.h)
//   GET /openapi/data/{resource}/openapi.json  the OpenAPI 3.1 document of that API
//   GET /openapi/join?left=&right=&on=|within_meters=  datastore_join in the same envelope
//                                              (page, perPage, returnType; each item one pair)
//   GET /datastore/dump/{resource}             CKAN's download of the (filtered) table:
//                                              format=csv|tsv|json|xlsx, bom, encoding=utf-8|cp949,
//                                              and datastore_search's filters/q/sort/fields
#pragma once

#include "api/action.h"
#include "api/http.h"

namespace datamap::api::formats {

void register_table_routes(Routes& routes, Services& services, const Registry& registry);

}  // namespace datamap::api::formats

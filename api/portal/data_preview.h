// The data itself on /dataset/{name}: for each resource that has a DataStore table, a preview of
// its rows (server-rendered, paged with ?rows_of={resource}&rows_page=N, no script needed), the
// column profile the loader wrote into the catalog merged with the agency's data dictionary, a
// point map when the rows carry coordinates, and the links to the downloads and the APIs.
// Rows and dictionary come through the datastore_info / datastore_search actions, so who may see
// a table is decided by those actions alone; a resource without a table adds nothing.
#pragma once

#include <rapidjson/document.h>

#include "api/portal/action_client.h"
#include "api/portal/html.h"
#include "api/portal/page_context.h"

namespace datamap::api::portal {

inline constexpr int kPreviewRows = 20;           // rows per preview page
inline constexpr int kPreviewColumns = 40;        // wider tables: the rest through the API
inline constexpr int kProfileColumns = 300;       // profile rows shown per resource
inline constexpr std::int64_t kMapPoints = 5000;  // points drawn at most, sampled evenly

// `pkg` is package_show's result.
void data_sections(Html& h, const PageContext& ctx, ActionClient& actions,
                   const rapidjson::Value& pkg);

}  // namespace datamap::api::portal

// datamap_overview with `levels`, `relations` or `term` (issue 19): the map at a glance, read
// from the MapService's GlanceService: computed once per (map snapshot, catalog revision, day) in
// the background and shared by every caller; after a change the previous one is served, marked
// `computing`, until the new one is ready. Without those parameters datamap_overview answers as
// it always did (map_actions.cpp).
#pragma once

#include <rapidjson/document.h>

#include <memory>

#include "api/action.h"
#include "graph/map.h"

namespace datamap::api {

// True when `params` ask for the glance (levels, relations, term or terms given).
bool wants_glance(const rapidjson::Value& params);
void glance_overview(ActionContext& ctx, const std::shared_ptr<const graph::DataMap>& current,
                     const rapidjson::Value& params, rapidjson::Document& result);

}  // namespace datamap::api

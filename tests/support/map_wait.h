// Waiting for the map: the server rebuilds its map snapshot in the background after a catalog
// change (and after a load job writes a column profile), so a test that asks datamap_related
// right after a change must poll until the relation it expects shows.
#pragma once

#include <rapidjson/document.h>

#include <functional>
#include <string>

#include "tests/support/test_server.h"

namespace datamap::testing {

// The JSON text of a value, for failure messages.
std::string json_text(const rapidjson::Value& v);

// datamap_related of dataset `id` (limit 20) once `until` holds of its `result` list: asks every
// 200 ms for up to 30 s (404 while the map has not caught up with the dataset's creation), then
// fails the test with the last answer and returns it.
rapidjson::Document related_when(const TestServer& server, const std::string& id,
                                 const std::function<bool(const rapidjson::Value&)>& until);

}  // namespace datamap::testing

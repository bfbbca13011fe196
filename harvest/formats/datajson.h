// DCAT-US 1.1 (Project Open Data) data.json: one dataset object to a HarvestItem, and a whole
// catalog file streamed dataset by dataset. Every member the model has no field for is kept in
// extras (arrays and objects as their JSON text). Keywords and themes are unordered sets in
// DCAT, so they are sorted: a catalog that only reorders them has not changed.
#pragma once

#include <rapidjson/document.h>

#include <string>

#include "harvest/item.h"
#include "harvest/json_stream.h"

namespace datamap::harvest {

HarvestItem map_datajson_dataset(const rapidjson::Value& in);

// Streams `path` (a data.json catalog) into `sink`. A document without a "dataset" array is an
// error ("not a data.json catalog").
JsonStreamResult read_datajson_file(const std::string& path, const ItemSink& sink);

}  // namespace datamap::harvest

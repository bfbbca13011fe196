// What every source type produces: the importer's Record (catalog/import/record.h), so harvested
// and imported datasets go through the same validation and the same Upserter. For a harvested
// record, `ref` and dataset.source_key hold the source's own identifier (CKAN id,
// dct:identifier or the dataset's IRI, data.json identifier, 목록키) and `organization` the
// publisher as the remote names it; the job maps it to a local agency.
#pragma once

#include <functional>

#include "catalog/import/record.h"

namespace datamap::harvest {

using HarvestItem = catalog::importer::Record;

// Receives records one at a time as a source streams them; returns false to stop (job aborted).
using ItemSink = std::function<bool(HarvestItem&&)>;

}  // namespace datamap::harvest

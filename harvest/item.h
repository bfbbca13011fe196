// What every source type produces: one remote dataset mapped to the model, not yet validated or
// stored. The job runner decides whether it adds, updates or changes nothing.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "catalog/errors.h"
#include "catalog/model.h"

namespace datamap::harvest {

struct HarvestItem {
  // The source's own identifier (CKAN id, dct:identifier or the dataset's IRI, data.json
  // identifier, 목록키). Becomes the dataset's source_key: two sources that give the same
  // identifier give the same dataset.
  std::string remote_id;
  catalog::Dataset dataset;
  // The publisher as the remote names it (CKAN organization, dct:publisher, data.json
  // publisher, 기관명 + 기관코드); the job maps it to a local agency.
  std::optional<catalog::Organization> publisher;
  // Problems found while mapping (wrong JSON types, unparseable values); the item is recorded
  // as errored with these messages.
  FieldErrors errors;
};

// Receives items one at a time as a source streams them; returns false to stop (job aborted).
using ItemSink = std::function<bool(HarvestItem&&)>;

}  // namespace datamap::harvest

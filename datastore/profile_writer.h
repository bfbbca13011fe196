// Writes a loaded resource's column profile into the catalog: Resource::columns and
// datastore_active, and the dataset-level `columns` (name, type, standard term) derived from
// them. One ordinary dataset update through catalog::Store, so the change log carries it to
// search (fq=columns:…), the map and quality like every other change.
#pragma once

#include <string>
#include <vector>

#include "catalog/model.h"
#include "catalog/store.h"

namespace datamap::datastore {

// Throws catalog NotFound when the resource (or its dataset) no longer exists. `validation`
// (the validator's summary of the same load; the columns carry their own) replaces the
// resource's, stamped now; null leaves it. `points` (near.h) replaces the resource's point
// summary; null leaves it.
void write_profile(catalog::Store& store, const std::string& resource_id,
                   const std::vector<catalog::ColumnProfile>& columns,
                   const catalog::ResourceValidation* validation = nullptr,
                   const catalog::PointSummary* points = nullptr);

// The resource's table is gone (deleted or dropped): datastore_active false, profile and
// validation cleared.
// A resource that no longer exists is no error.
void clear_profile(catalog::Store& store, const std::string& resource_id);

// The dataset's `columns` merged with a loaded resource's profile: a profiled column updates
// the type and (when it matched one) the standard term of the column of that name, or is added;
// columns the agency described and the file lacks stay, with their descriptions.
void merge_dataset_columns(std::vector<catalog::Column>& columns,
                           const std::vector<catalog::ColumnProfile>& profile);

}  // namespace datamap::datastore

// The harvester as `serve` and `harvest run` set it up: settings from the [harvest] config,
// spool files in <data dir>/tmp.
#pragma once

#include <functional>

#include "api/config.h"
#include "catalog/harvest_records.h"
#include "datastore/resource_fetcher.h"
#include "harvest/job_runner.h"

namespace datamap::app {

harvest::HarvestSettings harvest_settings(const api::Config& config);

// The harvester's after_job hook for `serve`: when the source's config says
// `"fetch_resources": true`, every resource of the datasets the job imported (added, updated or
// unchanged: the file behind an unchanged record may have changed) that the fetcher takes is
// queued for fetching into the FileStore and loading. Sources without it fetch nothing.
std::function<void(const catalog::HarvestSource&, const catalog::HarvestJob&)>
fetch_resources_after_job(catalog::HarvestRecords& records, catalog::Store& store,
                          datastore::ResourceFetcher& fetcher);

}  // namespace datamap::app

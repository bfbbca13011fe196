// The harvester as `serve` and `harvest run` set it up: settings from the [harvest] config,
// spool files in <data dir>/tmp.
#pragma once

#include "api/config.h"
#include "harvest/job_runner.h"

namespace datamap::app {

harvest::HarvestSettings harvest_settings(const api::Config& config);

}  // namespace datamap::app

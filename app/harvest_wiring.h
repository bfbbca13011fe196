// The harvester as `serve` and `harvest run` set it up: settings from the [harvest] config.
#pragma once

#include "api/config.h"
#include "harvest/job_runner.h"

namespace datamap::app {

harvest::HarvestSettings harvest_settings(const api::HarvestConfig& config);

}  // namespace datamap::app

// The link checker as `serve` sets it up: settings from the [links] config, with the harvester's
// SSRF guard exceptions (harvest.allow_hosts): one list of what the deployment may reach.
#pragma once

#include "api/config.h"
#include "quality/link_checker.h"

namespace datamap::app {

quality::LinkCheckerSettings link_checker_settings(const api::Config& config);

}  // namespace datamap::app

// The console's page of one harvest source: its facts, a "Harvest now" form, and the reports of
// its last jobs (counts and every gather and object error). Data comes from the harvest_*
// actions as the signed-in user, so another agency's source answers 403 like the API does.
#pragma once

#include <string>

#include "api/portal/action_client.h"
#include "api/portal/page_context.h"
#include "api/portal/pages.h"

namespace datamap::api::portal {

PortalResponse console_harvest_page(const PageContext& ctx, ActionClient& actions,
                                    const std::string& source_id);

}  // namespace datamap::api::portal

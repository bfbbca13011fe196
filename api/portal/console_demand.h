// The console dashboard's "what citizens asked of us" section: the agency's open data requests
// and error reports, oldest first, with their deadlines and the overdue ones flagged, so the
// agency answers them in time (8 days for a request, 10 for a report).
#pragma once

#include <string>
#include <vector>

#include "api/portal/action_client.h"
#include "api/portal/html.h"
#include "api/portal/page_context.h"

namespace datamap::api::portal {

// `org_ids`: the user's agencies; empty for a sysadmin shows every agency's.
void console_demand_section(Html& h, const PageContext& ctx, ActionClient& actions,
                            const std::vector<std::string>& org_ids);

}  // namespace datamap::api::portal

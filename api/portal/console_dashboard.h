// The console's home: who is signed in (with the sign-out form), the datasets of the user's
// agencies (private ones included) with edit and delete links, and their harvest sources.
#pragma once

#include <string>

#include "api/portal/action_client.h"
#include "api/portal/page_context.h"
#include "api/portal/pages.h"

namespace datamap::api::portal {

// `notice`: a plain-text line shown on top (what the last action did), may be "".
PortalResponse console_dashboard(const PageContext& ctx, ActionClient& actions,
                                 const std::string& notice);

}  // namespace datamap::api::portal

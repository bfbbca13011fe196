// The error-report pages (/reports): the form a signed-in user files a report with, from a
// dataset's page (/reports/new?package=NAME), and one report's page, where the publishing
// agency accepts (대기 → 접수) and answers (접수 → 통지) it. Every read and write is the API's
// issue_report_* action called as the signed-in console user; sessions, CSRF and origin checks
// are api/request_routes.cpp's.
#pragma once

#include <string>

#include "api/portal/action_client.h"
#include "api/portal/page_context.h"
#include "api/portal/pages.h"
#include "catalog/errors.h"

namespace datamap::api::portal {

// GET: the form; POST (`form` set): files the report and redirects to it, or shows the form
// again with the refusal (409).
PortalResponse report_new_page(const PageContext& ctx, ActionClient& actions, const Params* form);
PortalResponse report_page(const PageContext& ctx, ActionClient& actions, const std::string& id,
                           const FieldErrors& errors = {});
// POST /reports/{id}/accept and /reports/{id}/close.
PortalResponse report_form_post(const PageContext& ctx, ActionClient& actions,
                                const std::string& id, const std::string& what, const Params& form);

}  // namespace datamap::api::portal

// The data-request pages (/requests): the list with its filters, one request with its answer,
// deadline, votes and comments, the new-request form, and the signed-in user's notifications.
// Every read and write is the API's own action (datarequest_*, notification_*) called as the
// signed-in console user; anonymous visitors read and are pointed to the sign-in page to act.
// Sessions, CSRF and origin checks are the HTTP side's (api/request_routes.cpp): a POST that
// reaches these pages has passed them.
#pragma once

#include <string>

#include "api/portal/action_client.h"
#include "api/portal/page_context.h"
#include "api/portal/pages.h"
#include "catalog/errors.h"

namespace datamap::api::portal {

PortalResponse request_list_page(const PageContext& ctx, ActionClient& actions);
// `errors`: why the last form was refused (shown above the request), none by default.
PortalResponse request_page(const PageContext& ctx, ActionClient& actions, const std::string& id,
                            const FieldErrors& errors = {});
// GET shows the form; POST (`form` set) checks for similar requests and datasets first (shown
// with a confirm button unless `confirm` is set), then files the request and redirects to it.
PortalResponse request_new_page(const PageContext& ctx, ActionClient& actions, const Params* form);
// POST /requests/{id}/vote, /comment, /hide (moderators), /answer and /close (the agency asked):
// runs the action and redirects to the request; a refusal (409) is shown on its page.
PortalResponse request_form_post(const PageContext& ctx, ActionClient& actions,
                                 const std::string& id, const std::string& what,
                                 const Params& form);
PortalResponse notifications_page(const PageContext& ctx, ActionClient& actions);

}  // namespace datamap::api::portal

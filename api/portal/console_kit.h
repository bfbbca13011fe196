// What every console page shares: the page shell (never cached), the post/redirect/get answer,
// the hidden CSRF field every form carries, and reading a decoded form field.
#pragma once

#include <string>
#include <string_view>

#include "api/portal/html.h"
#include "api/portal/page_context.h"
#include "api/portal/pages.h"

namespace datamap::api::portal {

// A console page: the portal layout with the console tab active, and Cache-Control: no-store
// (console pages show private data and carry the session's CSRF field).
PortalResponse console_shell(const PageContext& ctx, std::string title, std::string body,
                             int status = 200);
// 303 See Other to `location` (a path of ours).
PortalResponse see_other(const std::string& location);
// 403: a form without the right CSRF field, or sent from another site. Nothing was changed.
PortalResponse form_refused(const PageContext& ctx);
// <input type="hidden" name="csrf" ...> with ctx.csrf_token: the first thing in every form.
void csrf_input(Html& h, const PageContext& ctx);
// The first value of form field `name`, or "".
std::string form_value(const Params& form, std::string_view name);

}  // namespace datamap::api::portal

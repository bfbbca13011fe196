#include "api/portal/console_kit.h"

#include "api/portal/layout.h"

namespace datamap::api::portal {

PortalResponse console_shell(const PageContext& ctx, std::string title, std::string body,
                             int status) {
  PageSpec spec;
  spec.title = std::move(title);
  spec.body = std::move(body);
  spec.active_nav = "console";
  PortalResponse r;
  r.status = status;
  r.headers.emplace_back("Cache-Control", "no-store");
  r.body = render_page(ctx, spec);
  return r;
}

PortalResponse see_other(const std::string& location) {
  PortalResponse r;
  r.status = 303;
  r.headers.emplace_back("Location", location);
  r.headers.emplace_back("Cache-Control", "no-store");
  r.body = "<!doctype html><title>See other</title><a href=\"" + escape_html(location) +
           "\">continue</a>";
  return r;
}

PortalResponse form_refused(const PageContext& ctx) {
  Html h;
  h << "<p class=\"notice error\" role=\"alert\">"
    << tr(ctx.lang,
          "양식이 만료되었거나 다른 사이트에서 보낸 요청입니다. 페이지를 새로 고친 뒤 다시 시도해 "
          "주세요.",
          "The form has expired or was sent from another site. Reload the page and try again.")
    << "</p>";
  return console_shell(ctx, "403", h.take(), 403);
}

void csrf_input(Html& h, const PageContext& ctx) {
  h << "<input type=\"hidden\" name=\"csrf\" value=\"" << ctx.csrf_token << "\">";
}

std::string form_value(const Params& form, std::string_view name) {
  for (const auto& [k, v] : form)
    if (k == name) return v;
  return "";
}

}  // namespace datamap::api::portal

#include "api/portal/demand_kit.h"

namespace datamap::api::portal {

PortalResponse demand_page(const PageContext& ctx, std::string title, std::string body, int status,
                           std::vector<std::string> scripts) {
  PageSpec spec;
  spec.scripts = std::move(scripts);
  spec.title = std::move(title);
  spec.body = std::move(body);
  spec.active_nav = "requests";
  PortalResponse r;
  r.status = status;
  if (ctx.user_name) r.headers.emplace_back("Cache-Control", "no-store");
  r.body = render_page(ctx, spec);
  return r;
}

void refused_fields(Html& h, Lang lang, const FieldErrors& errors) {
  if (errors.empty()) return;
  h << "<div class=\"notice error\" role=\"alert\"><p>"
    << tr(lang, "처리하지 못했습니다:", "Not done:") << "</p><ul>";
  for (const auto& [field, messages] : errors)
    for (const std::string& m : messages) h << "<li>" << field << ": " << m << "</li>";
  h << "</ul></div>\n";
}

void sign_in_hint(Html& h, Lang lang, std::string_view ko, std::string_view en) {
  h << "<p>" << tr(lang, ko, en) << " <a href=\"/console\">" << tr(lang, "로그인", "Sign in")
    << "</a></p>";
}

}  // namespace datamap::api::portal

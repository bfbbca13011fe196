// What the demand pages (request_pages.cpp, report_pages.cpp) share: their page frame, fixed
// choice lists with Korean and English labels, the list of what an action refused, and the hint
// that writing needs signing in. One place, so the two page sets read and behave alike.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "api/portal/html.h"
#include "api/portal/layout.h"
#include "api/portal/page_context.h"
#include "api/portal/pages.h"
#include "catalog/errors.h"

namespace datamap::api::portal {

// One value of a fixed list (a status, purpose, reason, kind) with its labels.
struct Choice {
  const char* value;
  const char* ko;
  const char* en;
};

// The label of `value` in `list`, or the value itself when the list does not have it.
template <std::size_t N>
std::string_view choice_label(Lang lang, const Choice (&list)[N], const std::string& value) {
  for (const Choice& c : list)
    if (value == c.value) return tr(lang, c.ko, c.en);
  return value;
}

// <option>s of `list`, `selected` marked.
template <std::size_t N>
void choice_options(Html& h, Lang lang, const Choice (&list)[N], const std::string& selected) {
  for (const Choice& c : list) {
    h << "<option value=\"" << std::string_view(c.value) << "\"";
    if (selected == c.value) h << " selected";
    h << ">" << tr(lang, c.ko, c.en) << "</option>";
  }
}

// A page under the 제공신청 nav entry. Signed-in views carry the session's CSRF field and the
// user's own state: never cached. `scripts`: static files the page loads (deferred, no inline
// script).
PortalResponse demand_page(const PageContext& ctx, std::string title, std::string body,
                           int status = 200, std::vector<std::string> scripts = {});

// The fields an action refused, as an alert; nothing when there are none.
void refused_fields(Html& h, Lang lang, const FieldErrors& errors);

// Why the form is not shown (a sentence in each language), with the sign-in link.
void sign_in_hint(Html& h, Lang lang, std::string_view ko, std::string_view en);

}  // namespace datamap::api::portal

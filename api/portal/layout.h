// The page shell every portal page shares: doctype, <head>, skip link, header with navigation and
// the language switch, <main>, footer. Pages hand it their already-escaped body markup.
#pragma once

#include <string>
#include <vector>

#include "api/portal/page_context.h"

namespace datamap::api::portal {

struct PageSpec {
  std::string title;        // plain text; "· site title" is appended
  std::string description;  // plain text for <meta name=description>
  std::string head_extra;   // markup (e.g. the JSON-LD script), already safe
  std::string body;         // markup inside <main>, already safe
  std::vector<std::string> scripts;  // static file paths, e.g. "map.js"
  std::string active_nav;   // "dataset", "organization", "group", "map", "console"
};

std::string render_page(const PageContext& ctx, const PageSpec& spec);

// The current page's URL with `lang` set (the language switch) or any query parameter replaced.
std::string url_with(const PageContext& ctx, const std::string& name, const std::string& value);

}  // namespace datamap::api::portal

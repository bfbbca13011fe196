// The search results section shared by /dataset, /organization/{name} and /group/{name}: the URL
// holds the whole state (q, one parameter per facet, sort, page), so links are shareable and the
// back button works; every control is a link or a GET form, so it works without JavaScript.
#pragma once

#include <string>

#include "api/portal/action_client.h"
#include "api/portal/html.h"
#include "api/portal/page_context.h"

namespace datamap::api::portal {

// Facet fields shown, in order; each is also a URL parameter (CKAN's names).
inline constexpr const char* kFacetFields[] = {
    "groups", "organization", "res_format", "type", "license_id", "frequency", "quality_rating"};
inline constexpr int kResultsPerPage = 20;

struct SearchScope {
  std::string field;  // "organization" or "groups" on their pages; empty on /dataset
  std::string value;
};

// Renders the search form, results, facets and pager; returns the HTTP status (400 when the
// search engine rejects the query, with its message shown to the reader).
int search_section(Html& h, const PageContext& ctx, ActionClient& actions, const SearchScope& scope,
                   const std::string& form_action);

// `field:"value"` filters joined with AND, built from the URL's facet parameters.
std::string build_fq(const PageContext& ctx, const SearchScope& scope);

}  // namespace datamap::api::portal

#include "catalog/activity.h"

#include <algorithm>

#include "catalog/text.h"
#include "catalog/validation.h"

namespace datamap::catalog {

void validate_reuse(const Reuse& r, std::map<std::string, std::vector<std::string>>& errors) {
  const std::string_view title = trim(r.title);
  if (title.empty())
    errors["title"].push_back("Missing value");
  else if (title.size() > 200)
    errors["title"].push_back("Must be at most 200 bytes");
  // is_valid_url takes http and https only: javascript:, data: and the like never reach a page.
  if (r.url.empty())
    errors["url"].push_back("Missing value");
  else if (!is_valid_url(r.url) || r.url.size() > 2000)
    errors["url"].push_back("Please provide a valid URL (http:// or https://)");
  if (!r.image_url.empty() && (!is_valid_url(r.image_url) || r.image_url.size() > 2000))
    errors["image_url"].push_back("Please provide a valid URL (http:// or https://)");
  if (std::find(std::begin(kReuseTypes), std::end(kReuseTypes), r.type) == std::end(kReuseTypes))
    errors["type"].push_back("Must be one of app, article, visualisation, research");
  if (r.description.size() > 5000) errors["description"].push_back("Must be at most 5000 bytes");
  if (r.dataset_ids.empty())
    errors["datasets"].push_back("Missing value: name at least one dataset the reuse uses");
  else if (r.dataset_ids.size() > 100)
    errors["datasets"].push_back("At most 100 datasets");
}

}  // namespace datamap::catalog

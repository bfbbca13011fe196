#include "catalog/quality_inputs.h"

namespace datamap::catalog::quality {

// The answers the link checker recorded for the landing page and each resource URL.
LinkResults link_results(Store& store, const Dataset& d) {
  std::vector<std::string> urls;
  urls.reserve(d.resources.size() + 1);
  urls.push_back(d.url);
  for (const auto& r : d.resources) urls.push_back(r.url);
  auto answers = store.link_answers(urls);
  LinkResults out;
  if (answers.size() != urls.size()) return out;  // a store that knows of no checks
  out.landing_page = d.url.empty() ? LinkAnswer::kUnknown : answers[0];
  out.resources.reserve(d.resources.size());
  for (std::size_t i = 0; i < d.resources.size(); ++i)
    out.resources.emplace_back(d.resources[i].id, answers[i + 1]);
  return out;
}

Score score_stored(Store& store, const Dataset& d, std::string_view today) {
  std::optional<Organization> org;
  if (!d.owner_org.empty()) org = store.organization(d.owner_org);
  return score_dataset(d, org ? &*org : nullptr, link_results(store, d), today);
}

}  // namespace datamap::catalog::quality

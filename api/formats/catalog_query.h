// Finding the datasets a standard output lists: through the package_search action when the
// server runs search (so ?q= and ?fq= mean exactly what they mean in the Action API), else by
// walking the store (then only the structured filters work, and q / fq are a 400).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "api/action.h"
#include "catalog/model.h"

namespace datamap::api::formats {

struct CatalogQuery {
  std::string q, fq;           // Solr-like, as package_search takes them
  std::string keyword;         // plain words: q when search runs, else a substring match
  std::string organization;    // organization name
  std::string group;           // group name
  std::string modified_since;  // ISO 8601: metadata_modified >= this
  std::int64_t start = 0;
  std::int64_t rows = 100;
};

struct CatalogResult {
  std::int64_t total = 0;
  std::vector<catalog::Dataset> datasets;
};

// Public datasets (and private ones the caller may read, when search runs), newest change first.
CatalogResult find_datasets(ActionContext& ctx, const Registry& registry, const CatalogQuery& query);

}  // namespace datamap::api::formats

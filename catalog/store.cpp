#include "catalog/store.h"

#include <algorithm>

namespace datamap::catalog {

std::vector<LinkAnswer> Store::link_answers(std::span<const std::string> urls) {
  return std::vector<LinkAnswer>(urls.size(), LinkAnswer::kUnknown);
}

std::vector<std::string> Store::dataset_ids_by_views() {
  std::vector<std::pair<std::int64_t, std::string>> ranked;
  for_each_dataset([&](const Dataset& d) { ranked.emplace_back(-d.views, d.id); });
  std::sort(ranked.begin(), ranked.end());
  std::vector<std::string> ids;
  ids.reserve(ranked.size());
  for (auto& r : ranked) ids.push_back(std::move(r.second));
  return ids;
}

void Store::for_each_dataset_of(std::span<const std::string> ids,
                                const std::function<void(const Dataset&)>& fn) {
  for (const auto& id : ids) {
    if (auto d = dataset(id); d && d->id == id) fn(*d);
  }
}

}  // namespace datamap::catalog

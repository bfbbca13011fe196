#include "datastore/sqlite_total_cache.h"

namespace datamap::datastore {

std::optional<std::int64_t> TotalCache::find(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto it = at_.find(key);
  if (it == at_.end()) return std::nullopt;
  order_.splice(order_.begin(), order_, it->second);
  return it->second->second;
}

void TotalCache::keep(const std::string& key, std::int64_t total) {
  if (capacity_ == 0) return;
  std::lock_guard lock(mutex_);
  if (auto it = at_.find(key); it != at_.end()) {
    it->second->second = total;
    order_.splice(order_.begin(), order_, it->second);
    return;
  }
  order_.emplace_front(key, total);
  at_.emplace(key, order_.begin());
  while (order_.size() > capacity_) {
    at_.erase(order_.back().first);
    order_.pop_back();
  }
}

}  // namespace datamap::datastore

#include "api/map_export_cache.h"

namespace datamap::api {

std::shared_ptr<const std::string> MapExportCache::get(
    const std::shared_ptr<const graph::DataMap>& map, const std::string& format,
    const Build& build) {
  std::lock_guard lock(mutex_);
  // A weak pointer, so an old snapshot is freed when the service drops it; lock() is null then,
  // even if a new snapshot happens to be allocated at the same address.
  if (map_.lock() != map) {
    by_format_.clear();
    map_ = map;
  }
  auto& cached = by_format_[format];
  if (!cached) {
    cached = std::make_shared<const std::string>(build());
    ++builds_;
  }
  return cached;
}

}  // namespace datamap::api

#include "datastore/point_grid_cache.h"

#include <algorithm>

namespace datamap::datastore {

PointGridCache::PointGridCache(std::size_t budget_bytes, double within_m)
    : budget_(budget_bytes), within_m_(within_m) {
  stats_.budget_bytes = budget_bytes;
}

std::shared_ptr<const PointGridCache::Prepared> PointGridCache::get(const std::string& resource_id,
                                                                    const Source& source,
                                                                    const Reader& read) {
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(resource_id);
    if (it != entries_.end()) {
      const Entry& e = it->second;
      if (source.revision && e.revision == *source.revision && e.lat == source.lat &&
          e.lon == source.lon &&
          (!source.fingerprint || *source.fingerprint == e.prepared->fingerprint)) {
        lru_.splice(lru_.begin(), lru_, e.lru);
        ++stats_.hits;
        return e.prepared;
      }
      drop(it);  // no longer the table's points
    }
  }
  return read_and_keep(resource_id, source, read);
}

std::shared_ptr<const PointGridCache::Prepared> PointGridCache::refresh(
    const std::string& resource_id, const Source& source, const Reader& read) {
  forget(resource_id);
  return read_and_keep(resource_id, source, read);
}

std::shared_ptr<const PointGridCache::Prepared> PointGridCache::read_and_keep(
    const std::string& resource_id, const Source& source, const Reader& read) {
  {
    std::lock_guard lock(mutex_);
    ++stats_.reads;
  }
  std::vector<LatLon> points = read();
  auto fresh = std::make_shared<Prepared>(Prepared{PointGrid(points, within_m_),
                                                   static_cast<std::int64_t>(points.size()),
                                                   point_fingerprint(points)});
  const std::size_t bytes = fresh->grid.bytes() + sizeof(Prepared) + resource_id.size();
  if (!source.revision || bytes > budget_) return fresh;
  std::lock_guard lock(mutex_);
  if (auto it = entries_.find(resource_id); it != entries_.end()) drop(it);  // read meanwhile
  while (stats_.bytes + bytes > budget_ && !lru_.empty()) {
    drop(entries_.find(lru_.back()));
    ++stats_.evictions;
  }
  lru_.push_front(resource_id);
  entries_.emplace(resource_id,
                   Entry{source.lat, source.lon, *source.revision, fresh, bytes, lru_.begin()});
  stats_.bytes += bytes;
  stats_.entries = entries_.size();
  stats_.peak_bytes = std::max(stats_.peak_bytes, stats_.bytes);
  return fresh;
}

void PointGridCache::forget(const std::string& resource_id) {
  std::lock_guard lock(mutex_);
  if (auto it = entries_.find(resource_id); it != entries_.end()) drop(it);
}

void PointGridCache::drop(std::unordered_map<std::string, Entry>::iterator it) {
  stats_.bytes -= it->second.bytes;
  lru_.erase(it->second.lru);
  entries_.erase(it);
  stats_.entries = entries_.size();
}

PointGridCache::Stats PointGridCache::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

}  // namespace datamap::datastore

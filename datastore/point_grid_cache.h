// Prepared point sets (near.h's PointGrid) of loaded resources, kept between near measures
// (issue 14): a from-scratch build measures each resource against up to 16 candidates, so
// without it every table's points were read and prepared again for every pair it was in (16,864
// table reads for 1,000 resources instead of ~1,000).
//
// Contract:
// - get() hands out the kept grid only when it is still the table's: same point columns, same
//   TableStore::revision (no write through this process's store since it was read) and, when the
//   caller knows one, the same point fingerprint as the catalog's profile (a reload by another
//   process). Otherwise it calls `read` and keeps the fresh grid. So a measure's figures are the
//   same with the cache as without it, whatever the budget.
// - Memory is bounded: the grids kept weigh at most `budget_bytes` (PointGrid::bytes()); the
//   least recently used go first; a grid heavier than the whole budget is used and not kept.
//   Budget 0 keeps nothing (every get reads).
// - A grid handed out stays valid while the caller holds it (shared), even if evicted meanwhile.
// - Thread-safe (one mutex); `read` runs outside it.
#pragma once

#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "datastore/near.h"

namespace datamap::datastore {

class PointGridCache {
 public:
  // One resource's points, prepared.
  struct Prepared {
    PointGrid grid;
    std::int64_t points = 0;
    std::uint64_t fingerprint = 0;  // point_fingerprint(points)
  };
  struct Stats {
    std::uint64_t reads = 0;      // grids read from their table (misses and refreshes)
    std::uint64_t hits = 0;       // grids handed out without a read
    std::uint64_t evictions = 0;  // dropped to stay within the budget
    std::size_t entries = 0, bytes = 0, budget_bytes = 0;
    std::size_t peak_bytes = 0;  // the most ever kept at once
  };
  // What identifies the points a grid was made from.
  struct Source {
    std::string lat, lon;                      // the point columns
    std::optional<std::uint64_t> revision;     // TableStore::revision; nullopt: never kept
    std::optional<std::uint64_t> fingerprint;  // the catalog's, when known
  };
  using Reader = std::function<std::vector<LatLon>()>;

  PointGridCache(std::size_t budget_bytes, double within_m);

  // The kept grid of `resource_id` when it still matches `source`, else read() prepared (and
  // kept, budget permitting).
  std::shared_ptr<const Prepared> get(const std::string& resource_id, const Source& source,
                                      const Reader& read);
  // Reads again whatever is kept (the table was just reloaded).
  std::shared_ptr<const Prepared> refresh(const std::string& resource_id, const Source& source,
                                          const Reader& read);
  void forget(const std::string& resource_id);
  Stats stats() const;

 private:
  struct Entry {
    std::string lat, lon;
    std::uint64_t revision = 0;
    std::shared_ptr<const Prepared> prepared;
    std::size_t bytes = 0;
    std::list<std::string>::iterator lru;  // its place in lru_
  };
  std::shared_ptr<const Prepared> read_and_keep(const std::string& resource_id,
                                                const Source& source, const Reader& read);
  void drop(std::unordered_map<std::string, Entry>::iterator it);  // mutex held

  const std::size_t budget_;
  const double within_m_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> lru_;  // most recently used first
  Stats stats_;
};

}  // namespace datamap::datastore

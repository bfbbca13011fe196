// What a load job asks of the near relations (near.h): measure a freshly loaded resource's near
// pairs against its candidates, reading points from the DataStore.
//
// Each resource's points are read and prepared once and kept (point_grid_cache.h, bounded by
// Options::cache_bytes) for every later pair it is a candidate in, as long as its table is
// unchanged; the figures are the same as when every pair read its tables again.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "catalog/model.h"
#include "catalog/store.h"
#include "datastore/near.h"
#include "datastore/point_grid_cache.h"
#include "datastore/table_store.h"

namespace datamap::datastore {

// Thread-safe (one mutex: loads run one at a time anyway).
class NearMeasurer {
 public:
  struct Options {
    double within_m = 300;
    std::size_t candidates = 16;  // measured exactly per load
    // Prepared point sets kept between measures, in bytes (~90 bytes a point); 0 keeps none.
    std::size_t cache_bytes = std::size_t{256} << 20;
  };
  NearMeasurer(catalog::Store& store, TableStore& tables, Options options);

  // The resource's summary with its measured pairs (best first); an empty summary when its
  // table has no point columns. Call after the table is committed: its own points are always
  // read again. Candidates are public resources of other active public datasets, so no figure
  // names a private one.
  catalog::PointSummary measure(const std::string& resource_id, const std::string& package_id);
  // The resource's summary is now `summary` (written to the catalog with it).
  void remember(const std::string& resource_id, const std::string& package_id,
                const catalog::PointSummary& summary);
  void forget(const std::string& resource_id);
  // Table reads so far (PointGridCache::Stats::reads), hits, evictions and memory held.
  PointGridCache::Stats cache_stats() const { return cache_.stats(); }
  // The points of a table's lat/lon columns (rows without a number in both are skipped).
  static std::vector<LatLon> read_points(TableStore& tables, const std::string& resource_id,
                                         const std::string& lat, const std::string& lon);

 private:
  void seed();  // the candidates index, from the catalog on first use
  catalog::Store& store_;
  TableStore& tables_;
  Options options_;
  std::mutex mutex_;
  bool seeded_ = false;
  NearCandidates candidates_;
  PointGridCache cache_;
};

}  // namespace datamap::datastore

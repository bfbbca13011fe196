// GlanceService: the map at a glance (graph::Glance) of one MapService, kept so that no request
// ever computes it while an older one can be served. A MapService owns one, so the cache belongs
// to that catalog's store and dies with it (no process-wide cache that a later server could hit).
//
// Contract:
// - get() returns at once with the newest glance there is and whether it is current for
//   (snapshot, store head revision, UTC day). When it is not, one background thread computes the
//   current one; callers keep getting the previous one (stale = true) until it is swapped in.
// - Only a service that has never had a glance makes get() wait, for the first computation (done
//   by the same background thread, so concurrent first callers share one computation), at most
//   `first_wait`; it then returns null and the caller says "being computed, retry".
// - map_changed() (the MapService calls it on every new snapshot) starts the recomputation at
//   once, but only once somebody has asked for a glance: a server nobody opens /map on never
//   spends the time.
// Thread-safe. The destructor waits for a computation under way (it reads the store).
#pragma once

#include <chrono>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

#include "catalog/store.h"
#include "graph/glance.h"
#include "graph/map.h"

namespace datamap::graph {

class GlanceService {
 public:
  explicit GlanceService(catalog::Store& store);
  ~GlanceService();
  GlanceService(const GlanceService&) = delete;
  GlanceService& operator=(const GlanceService&) = delete;

  struct Answer {
    std::shared_ptr<const Glance> glance;  // null: the first one is not ready yet
    bool stale = false;                    // a newer one is being computed
  };
  Answer get(const std::shared_ptr<const DataMap>& map, std::chrono::milliseconds first_wait);
  void map_changed(const std::shared_ptr<const DataMap>& map);

 private:
  bool current(const Glance& g, const DataMap* map) const;  // needs mu_
  void want(const std::shared_ptr<const DataMap>& map);     // needs mu_
  void work();

  catalog::Store& store_;
  // Test knob (DATAMAP_GLANCE_DELAY_MS): each computation first waits this long, so a test can
  // observe the previous glance being served meanwhile.
  std::chrono::milliseconds delay_{0};
  // Test knob (DATAMAP_GLANCE_FIRST_WAIT_MS): caps the first wait, so a test can see the answer a
  // caller gets when the first glance is not ready in time.
  std::chrono::milliseconds first_wait_cap_{std::chrono::milliseconds::max()};

  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::shared_ptr<const Glance> glance_;
  std::shared_ptr<const DataMap> target_;  // the snapshot the next computation is for
  bool asked_ = false;                     // somebody wanted a glance
  bool pending_ = false;                   // target_ not computed yet
  bool computing_ = false;                 // the worker is computing for computing_for_
  const DataMap* computing_for_ = nullptr;
  std::exception_ptr error_;  // of the last computation, for a first caller
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace datamap::graph

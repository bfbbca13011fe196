// MapService: the data map of one catalog, kept fresh. It builds a DataMap from the Store, then
// follows the change log: changed datasets are re-read and re-extracted (term detection is done
// only for them), and a new snapshot is built incrementally from the previous one (only the
// changed datasets' relations are computed; a full build follows once changes accumulate past
// 5% of the catalog) and swapped in atomically. Readers take a shared_ptr to the current snapshot
// and never wait for a build; a build never blocks them. The map covers active public datasets
// only, so it never shows a private dataset to anyone.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "catalog/background_loop.h"
#include "catalog/store.h"
#include "graph/builder.h"
#include "graph/glance_service.h"
#include "graph/joinable.h"
#include "graph/map.h"

namespace datamap::graph {

// The bundled common standard terms: $DATAMAP_DATA_FILES/standard/terms.csv, else
// ./data/standard/terms.csv, else the source tree's (as search/ finds its data files).
std::string default_terms_path();

class MapService {
 public:
  struct Options {
    std::string terms_path = default_terms_path();
    BuildOptions build;
    std::chrono::milliseconds poll_interval{500};
    // More dataset changes than this since the last snapshot: re-read the whole catalog
    // instead of one dataset at a time.
    std::size_t full_reload_threshold = 50'000;
    // Below this many datasets every snapshot is a full build (about a second at 61k); above,
    // a few changes build incrementally from the previous snapshot.
    std::size_t incremental_min_datasets = 100'000;
    // After incremental builds, a full build (fresh PageRank, communities and weights) once the
    // catalog has been quiet this long.
    std::chrono::milliseconds refresh_after{std::chrono::seconds(30)};
  };
  using Progress = std::function<void(const std::string&)>;

  // Loads the standard terms (throws std::runtime_error if they cannot be read).
  MapService(catalog::Store& store, Options options);
  explicit MapService(catalog::Store& store);
  ~MapService();
  MapService(const MapService&) = delete;
  MapService& operator=(const MapService&) = delete;

  // Starts the background thread: the first build, then following the change log.
  void start();
  void stop();
  // Wakes the background thread now instead of at its next poll (call after a write; optional).
  void notify();

  // Re-reads the whole catalog and builds a new snapshot now (datamap reindex). Thread-safe.
  void rebuild(const Progress& progress = {});
  // Applies every change committed so far and, if there were any, swaps in a new snapshot.
  // Builds from scratch when there is no snapshot yet. Returns whether the snapshot changed.
  bool catch_up();

  // The current snapshot, or null before the first build finished.
  std::shared_ptr<const DataMap> snapshot() const;
  // Waits up to `timeout` for the first snapshot.
  std::shared_ptr<const DataMap> wait_for_snapshot(std::chrono::milliseconds timeout) const;

  struct Status {
    bool ready = false;
    std::int64_t applied_revision = 0;  // the change-log revision the snapshot includes
    std::size_t datasets = 0;
    std::string last_error;        // of the background thread, "" when fine
    std::size_t builds = 0;        // snapshots built so far
    BuildStats last;               // of the current snapshot
    std::size_t last_changes = 0;  // dataset changes the current snapshot applied
    // Joinable edges: column pairs measured by the last update of the JoinIndex and its time.
    std::size_t join_pairs_measured = 0;
    double join_seconds = 0;
    std::size_t joinable_pairs = 0;  // dataset pairs with a measured joinable relation
    std::size_t near_pairs = 0;      // dataset pairs with a measured near relation
  };
  Status status() const;
  const StandardTerms& standard_terms() const { return *terms_; }
  // The map at a glance of this catalog, recomputed in the background after each new snapshot.
  GlanceService& glance() { return glance_; }

 private:
  void load_everything(const Progress& progress);  // holds update_mutex_
  bool apply_changes();                            // holds update_mutex_
  void reload_side_tables();
  // Builds and swaps in a snapshot: from `previous` plus the `changed` datasets, or (null) anew.
  void publish(double extract_seconds, std::shared_ptr<const DataMap> previous,
               std::unordered_set<std::string> changed);
  std::chrono::milliseconds follow();  // one catch-up; records its error in status_

  catalog::Store& store_;
  Options options_;
  std::shared_ptr<const StandardTerms> terms_;

  std::mutex update_mutex_;  // one build at a time
  // Keyed by a view of the record's own id (no second copy of 1M ids): a record is replaced by
  // erasing its entry first (keep_record), never by assigning to it.
  std::unordered_map<std::string_view, std::shared_ptr<const DatasetRecord>> records_;
  void keep_record(std::shared_ptr<const DatasetRecord> r);
  JoinIndex joins_;  // measured joinable pairs, updated per changed dataset
  NearIndex nears_;  // measured near pairs (figures from the catalog), the same way
  std::size_t join_measured_ = 0;
  double join_seconds_ = 0;
  std::vector<catalog::Relationship> relationships_;
  std::vector<catalog::Organization> organizations_;
  std::vector<catalog::Group> groups_;
  std::vector<catalog::Reuse> reuses_;
  std::int64_t applied_ = 0;
  bool loaded_ = false;
  std::size_t changes_since_full_ =
      0;  // datasets changed by incremental builds since the last full one
  std::chrono::steady_clock::time_point last_change_{};

  mutable std::mutex snapshot_mutex_;
  mutable std::condition_variable snapshot_ready_;
  std::shared_ptr<const DataMap> snapshot_;
  Status status_;

  // Catches up with the change log, then waits poll_interval or a notify().
  catalog::BackgroundLoop follower_{[this] { return follow(); }};
  GlanceService glance_{store_};  // last: stopped first, before the store is gone
};

}  // namespace datamap::graph

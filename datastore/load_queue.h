// Background loads of uploaded files into the DataStore (CKAN's xloader): a queue of load jobs
// run one at a time on one worker thread (a catalog::BackgroundLoop). A job reads the stored file
// (load_file: encoding, parsing, typing, profiling), replaces the resource's table, and then writes
// the column profile into the catalog as an ordinary dataset update through catalog::Store, so the
// change log carries it to search and the map. Jobs are recorded in LoadJobs (load_jobs.h).
//
// Contract:
// - submit() of the bytes the resource's table already holds (same SHA-256 as its last complete
//   load) is a no-op returning that job; a submit while a job of the same resource is pending or
//   running replaces (aborts) it.
// - A failed load leaves the previous table and the catalog as they were; the job records the
//   error with its line and column.
// - forget() (the resource was deleted) aborts the resource's jobs and drops its table.
// - A complete load also measures the resource's near pairs (near.h) and writes them with the
//   profile; forget() drops the resource from the near candidates.
// - Jobs are claimed through LoadJobs::claim_next (load_jobs.h): with the PostgreSQL records,
//   the workers of every node take from one queue and each job runs once. While a job runs its
//   claim is renewed (every lease / 3); a renewal refused (the job was replaced, deleted or
//   interrupted by another node) stops the run. A submit that replaces a job running in another
//   process marks that job's row, which its runner learns at its next progress report (every
//   250 ms while rows are read) or renewal.
// - Jobs whose runner is gone are marked error ("interrupted") and queued again: on start(), and
//   on every pass of the worker for leases that lapsed (a node that died mid-load).
// - The file a job reads is found by its hash in the FileStore when one is given (on a cluster
//   the job may have been queued on another node, whose path means nothing here), else at the
//   job's file_path.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "catalog/background_loop.h"
#include "catalog/store.h"
#include "datastore/file_store.h"
#include "datastore/load_jobs.h"
#include "datastore/loader.h"
#include "datastore/near_measurer.h"
#include "datastore/table_store.h"

namespace datamap::datastore {

// What to load: the stored file of one resource.
struct LoadRequest {
  std::string resource_id;
  std::string file_path;
  std::string file_hash;  // SHA-256 hex of the file's bytes
  std::string format;     // the resource's declared format; "" lets the loader detect it
};

// The tabular formats a load is queued for (upper case, as Resource::format stores them).
bool is_loadable_format(const std::string& format);

struct LoadQueueSettings {
  // How long a claim holds without renewal ([datastore] load_lease_seconds): a node that died
  // mid-load has its job taken over this long after its last renewal.
  std::int64_t lease_seconds = 60;
  FileStore* files = nullptr;  // where jobs' files are found by hash; null: at file_path
  // A pause at each progress report of a queued load (the environment's
  // DATAMAP_LOAD_STEP_DELAY_MS when 0): tests that act on a load while it runs (kill its node,
  // replace it from another) make it last long enough to be seen running on any machine.
  std::chrono::milliseconds step_delay{0};
};

class LoadQueue {
 public:
  using Progress = std::function<void(const LoadJob&)>;

  // `base_options` (limits, standard terms, temp dir) apply to every load; the queue sets the
  // progress, abort and organization lookup itself.
  LoadQueue(catalog::Store& store, TableStore& tables, LoadJobs& jobs,
            LoadOptions base_options = {}, LoadQueueSettings settings = {});
  ~LoadQueue();  // stop()
  LoadQueue(const LoadQueue&) = delete;
  LoadQueue& operator=(const LoadQueue&) = delete;

  // Recovers interrupted jobs and starts the worker.
  void start();
  // Aborts the running job (its table stays as it was) and joins the worker.
  void stop();

  // Queues a load (see the contract above) and returns its job. `force` (datastore_submit)
  // loads even bytes the table already holds.
  LoadJob submit(const LoadRequest& request, bool force = false);
  // Runs the load now on this thread (the CLI), with progress; the same no-op rule as submit.
  LoadJob run_now(const LoadRequest& request, const Progress& progress = nullptr,
                  bool force = false);
  // The resource's newest job.
  std::optional<LoadJob> status(const std::string& resource_id);
  // The resource is gone: abort its jobs, drop its table, forget its job records.
  void forget(const std::string& resource_id);

  LoadJobs& jobs() { return jobs_; }
  // This process's claimer id (host, pid, random part), as jobs' claimed_by records it.
  const std::string& owner() const { return owner_; }

 private:
  LoadClaim claim() const;
  // Marks the jobs whose runner is gone interrupted and queues them again.
  void recover(bool starting);
  // Returns the job that already covers the request (no-op), or queues a new one in `status`.
  LoadJob queue(const LoadRequest& request, const char* status, bool force, bool& fresh);
  // queue()'s decision, under mutex_ and LoadJobs::exclusively() for the resource.
  LoadJob queue_locked(const LoadRequest& request, const char* status, bool force, bool& fresh);
  // One pass of the worker: claims the oldest pending job and runs it; returns how long to
  // sleep (none after a job, since more may be waiting).
  std::chrono::milliseconds run_next();
  LoadJob run(LoadJob job, const Progress& progress);

  catalog::Store& store_;
  TableStore& tables_;
  LoadJobs& jobs_;
  LoadOptions base_options_;
  LoadQueueSettings settings_;
  std::string owner_;
  NearMeasurer near_;  // the loaded resource's near pairs, written with its profile

  std::mutex mutex_;
  // Set by stop() with the cancels, under mutex_: a job that ends cancelled while this is set
  // was stopped by the shutdown, not by its resource, and goes back to pending.
  bool shutting_down_ = false;
  std::map<std::string, std::shared_ptr<std::atomic<bool>>> running_;  // resource id -> cancel
  catalog::BackgroundLoop worker_{[this] { return run_next(); }};      // last: stops first
};

}  // namespace datamap::datastore

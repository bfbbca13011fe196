// The record of every load job (CKAN xloader's task status): which file was loaded into which
// resource's table, how far it got, and why it failed. A job outlives the process that ran it:
// a job whose runner is gone is marked failed ("interrupted") and queued again. Two backends:
//  - SQLite (<data dir>/datastore_jobs.db), for one node: the runner is gone when the server
//    starts again, so every job still `running` at start() is abandoned.
//  - PostgreSQL (the catalog's database; used whenever the catalog is), for a cluster: a job is
//    claimed by one node with FOR UPDATE SKIP LOCKED and a lease the node renews while it runs;
//    a job whose lease lapsed (its node died or hung) is abandoned, and whichever node looks next
//    interrupts it and queues it again (catalog/postgres/pg_harvest_records.cpp does the same
//    for harvest jobs).
// Both record the claim (claimed_by, claimed_until), so a runner whose job was replaced, deleted
// or failed by another process learns it at its next renew() and stops.
//
// Thread safety: every method may be called from any thread; each write is one statement.
// Several processes (`datamap serve` and `datamap attach`) may share the file (WAL, busy timeout),
// and several nodes the PostgreSQL tables.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace datamap::datastore {

// pending (queued) -> running -> complete | error.
inline constexpr const char* kLoadJobStatuses[] = {"pending", "running", "complete", "error"};

struct LoadJob {
  std::string id;
  std::string resource_id;
  std::string status = "pending";
  std::string file_path;  // the stored upload (FileStore), read by the job
  std::string file_hash;  // SHA-256 of the file's bytes: the same bytes load once
  std::string format;     // the resource's format (CSV, XLSX, ...), a hint for the loader
  std::int64_t rows_done = 0;
  std::int64_t total_rows = -1;  // -1 while unknown
  // While running: "profile", "load", then "full_text" (the rows are queryable; the full-text
  // index is being built, `q` answers 409 until it is done). "" otherwise.
  std::string phase;
  std::string error;             // why it failed, with the line (and column) when there is one
  std::int64_t error_line = 0;   // 1-based line (row) of the file; 0 when not about one line
  std::int64_t error_column = 0;
  std::string created, started, finished;  // ISO 8601 UTC; "" until they happen
  // While running: who runs it (LoadClaim::owner) and until when the claim holds (Unix seconds).
  std::string claimed_by;
  std::int64_t claimed_until = 0;
};

// Who claims a job and for how long (Unix seconds).
struct LoadClaim {
  std::string owner;  // one id per process: host, pid and a random part
  std::int64_t now = 0;
  std::int64_t lease_seconds = 60;
};

// What the last successful fetch of a harvested resource's URL answered (resource_fetcher.h):
// the validators its next fetch sends, and the stored file they describe.
struct FetchValidators {
  std::string url;
  std::string etag, last_modified;  // as the remote sent them; either may be ""
  std::string file_hash;            // the FileStore copy fetched then
};

class LoadJobs {
 public:
  virtual ~LoadJobs() = default;
  // Insert or replace by id (an empty id gets a new one; an empty `created` is set).
  virtual void put(LoadJob& job) = 0;
  virtual std::optional<LoadJob> job(const std::string& id) = 0;
  // The resource's newest job, or nullopt.
  virtual std::optional<LoadJob> latest(const std::string& resource_id) = 0;
  // The resource's newest complete job: what its table holds now.
  virtual std::optional<LoadJob> last_complete(const std::string& resource_id) = 0;
  // Jobs in `status`, oldest first.
  virtual std::vector<LoadJob> with_status(const std::string& status) = 0;
  // Only the progress columns, of a running job: the worker calls this every few thousand rows
  // and at each phase. False when the job is no longer running (replaced, deleted or interrupted
  // by another process): the run should stop, as on a refused renew().
  virtual bool set_progress(const std::string& id, std::int64_t rows_done, std::int64_t total_rows,
                            const std::string& phase) = 0;
  // Claims the oldest pending job (pending -> running, started and the claim set), atomically
  // across every process sharing these records: two workers never claim the same job. nullopt
  // when none is pending.
  virtual std::optional<LoadJob> claim_next(const LoadClaim& claim) = 0;
  // Extends the owner's claim on its running job by a lease from claim.now. False when the job is
  // no longer this owner's running job (replaced, deleted, or interrupted by another process
  // after its lease lapsed): the run should stop.
  virtual bool renew(const std::string& id, const LoadClaim& claim) = 0;
  // Running jobs whose runner is gone are marked error with `why` and finished, and returned (to
  // be queued again), each to one caller only. A runner is gone when its lease lapsed
  // (claimed_until < claim.now); on SQLite also, when `starting` (the server is starting on its
  // data dir), every running job is (one node: it ran them).
  virtual std::vector<LoadJob> interrupt_abandoned(const LoadClaim& claim, bool starting,
                                                   const std::string& why) = 0;
  // Runs `body` while no other process sharing these records runs an exclusively() body for the
  // same resource: a submit's look at the resource's latest job and the job it queues are then
  // one step across the cluster (two nodes submitting the same bytes at once queue one job).
  // Not reentrant; `body` may call this object's other methods. SQLite: a lock file beside the
  // database (flock), PostgreSQL: an advisory lock keyed by the resource id.
  virtual void exclusively(const std::string& resource_id, const std::function<void()>& body) = 0;
  // Forgets a deleted resource's jobs (and its fetch validators).
  virtual void remove(const std::string& resource_id) = 0;
  virtual void put_validators(const std::string& resource_id, const FetchValidators& v) = 0;
  virtual std::optional<FetchValidators> validators(const std::string& resource_id) = 0;
};

std::unique_ptr<LoadJobs> open_sqlite_load_jobs(const std::string& path);
// `url`: the catalog's libpq URL; the tables are the catalog's (migration step 5).
std::unique_ptr<LoadJobs> open_pg_load_jobs(const std::string& url);

}  // namespace datamap::datastore

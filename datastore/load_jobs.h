// The record of every load job (CKAN xloader's task status): which file was loaded into which
// resource's table, how far it got, and why it failed. Kept in a small SQLite file beside the
// datastore (<data dir>/datastore_jobs.db) so a job outlives the process that ran it: a server
// restarted mid-load finds the job `running`, marks it failed ("interrupted") and queues it again.
//
// Thread safety: every method may be called from any thread; each write is one statement.
// Several processes (`datamap serve` and `datamap attach`) may share the file (WAL, busy timeout).
#pragma once

#include <cstdint>
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
  // Only the progress columns: the worker calls this every few thousand rows and at each phase.
  virtual void set_progress(const std::string& id, std::int64_t rows_done, std::int64_t total_rows,
                            const std::string& phase) = 0;
  // Forgets a deleted resource's jobs (and its fetch validators).
  virtual void remove(const std::string& resource_id) = 0;
  virtual void put_validators(const std::string& resource_id, const FetchValidators& v) = 0;
  virtual std::optional<FetchValidators> validators(const std::string& resource_id) = 0;
};

std::unique_ptr<LoadJobs> open_sqlite_load_jobs(const std::string& path);

}  // namespace datamap::datastore

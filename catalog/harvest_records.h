// What the harvester remembers, beside the catalog itself: sources (remote catalogs an agency
// registers), jobs (one run of a source, with its report), objects (one remote record in one
// job, with its state and error) and provenances (this source gives that remote record, which
// is this dataset: how a dataset given by two sources stays one dataset with two provenances).
// Stored where the catalog is: its SQLite file (migration step 5, catalog/sqlite/migrations.cpp)
// or its PostgreSQL database (step 4, catalog/postgres/pg_migrations.cpp), where every node of a
// cluster sees the same sources and jobs; the datasets themselves are only ever written through
// the Store.
//
// Jobs are claimed: every node runs a harvester, and each job is run by one of them. A claim is
// a lease (on PostgreSQL: the job row's claimed_by / claimed_until, taken with FOR UPDATE SKIP
// LOCKED, as the outbox claims its mail) that the harvester renews while the job runs; a job
// whose lease lapsed — its node died — is failed by the next harvester that looks. On SQLite one
// process serves the file, so a claim lasts as long as the process: only the jobs a stopped
// process left Running have lapsed.
//
// Errors are where secrets leak (a failed fetch quotes its URL, and a data.go.kr URL carries the
// serviceKey): job and object errors are stored, and read back, through redact_secrets()
// (catalog/redact.h), so no record ever holds a credential whoever wrote the error.
//
// Thread safety: every method may be called from any thread; each write is one transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace datamap::catalog {

inline constexpr const char* kHarvestSourceTypes[] = {"ckan", "dcat", "datajson", "datago"};
inline constexpr const char* kHarvestFrequencies[] = {"MANUAL", "HOURLY", "DAILY", "WEEKLY"};
// Job status: New (queued) -> Running -> Finished | Failed | Aborted.
inline constexpr const char* kHarvestJobStatuses[] = {"New", "Running", "Finished", "Failed",
                                                      "Aborted"};
// Object state: WAITING (gathered) -> FETCH -> IMPORT -> COMPLETE | ERROR.
inline constexpr const char* kHarvestObjectStates[] = {"WAITING", "FETCH", "IMPORT", "COMPLETE",
                                                       "ERROR"};

struct HarvestSource {
  std::string id;
  std::string name;  // unique slug, as a dataset name
  std::string title;
  std::string url;
  std::string type;                  // kHarvestSourceTypes
  std::string frequency = "MANUAL";  // kHarvestFrequencies
  std::string config;                // a JSON object of type-specific options, "" = {}
  std::string owner_org;             // the agency that owns it (id); "" = sysadmins only
  std::string creator_user_id;
  std::string state = "active";     // "active" | "deleted"
  std::string created, modified;     // set by put_source / update_source
  // Validators of the last complete fetch of `url`, for a conditional GET next time.
  std::string etag, last_modified;
};

struct HarvestJob {
  std::string id;
  std::string source_id;
  std::string status = "New";  // kHarvestJobStatuses
  std::string created, started, gather_finished, finished;
  std::string since;           // incremental lower bound the job used; "" = full harvest
  bool complete_listing = false;  // the gather saw the whole source, so deletions were applied
  bool not_modified = false;      // the remote answered 304: nothing to do
  std::int64_t gathered = 0;
  std::int64_t added = 0, updated = 0, unchanged = 0, deleted = 0, errored = 0;
  std::string error;  // why the job failed, when it did
};

struct HarvestObject {
  std::string id;
  std::string job_id;
  std::string source_id;
  std::string remote_id;
  std::string dataset_id;      // once known
  std::string state = "WAITING";  // kHarvestObjectStates
  // "added" | "updated" | "not modified" | "deleted" | "errored" once COMPLETE or ERROR.
  std::string report_status;
  std::string error;
  std::string content_hash;
  std::string created, modified;  // set by put_objects
};

// Who claims a job and for how long (Unix seconds).
struct JobClaim {
  std::string owner;  // the claiming harvester (one id per process)
  std::int64_t now = 0;
  std::int64_t lease_seconds = 300;
};

struct HarvestProvenance {
  std::string source_id;
  std::string remote_id;
  std::string dataset_id;
  std::string landing;  // the normalised landing page, for deduplication; may be ""
  std::string content_hash;  // of the record as this source last gave it
  std::string last_job_id;   // the last job that saw it in the source
  bool owner = true;  // this source's content is the dataset's; false = a second provenance
};

class HarvestRecords {
 public:
  virtual ~HarvestRecords() = default;

  // ---- sources. put_source inserts a new source (id, created and modified set when empty); a
  // name held by another source throws ValidationError{"name"}, an id already stored throws.
  // A stored source is only ever changed through update_source (or put_source_validators), so
  // nothing rewrites a row from a copy read earlier.
  virtual void put_source(HarvestSource& s) = 0;
  virtual std::optional<HarvestSource> source(std::string_view id_or_name) = 0;
  // Read-check-write of one source in one transaction: reads the source `id_or_name` as it is
  // now, lets `change` check it (permissions that depend on the row, such as owner_org) and edit
  // it, and writes it back (id and created kept, modified set). Returns the row as written, or
  // nullopt, without calling `change`, when no active source has that id or name: a source
  // deleted meanwhile is never brought back, and two concurrent changes of different fields
  // both stay. An exception from `change` (or a name held by another source: ValidationError
  // {"name"}) rolls everything back. `change` runs under these records' lock: it must not call
  // back into them, nor wait for anything that might.
  virtual std::optional<HarvestSource> update_source(
      std::string_view id_or_name, const std::function<void(HarvestSource&)>& change) = 0;
  // What a job writes back to its source at the end: only the validators of the fetch, on the
  // row as it is now, and only while the source is active. A job never rewrites the whole row
  // from the copy it read at its start, so an update, owner change or delete made while it ran
  // stands. Returns false when the source is gone or deleted.
  virtual bool put_source_validators(std::string_view source_id, const std::string& etag,
                                     const std::string& last_modified) = 0;
  // Active sources, sorted by name; `owner_org` non-empty keeps that agency's only.
  virtual std::vector<HarvestSource> sources(std::string_view owner_org) = 0;

  // ---- jobs. put_job inserts or replaces by id (created is set on insert); a stored job that
  // is Aborted (abort_job, perhaps on another node) is only replaced by one that says Aborted
  // too, so the running harvester's progress or end never undoes an abort.
  virtual void put_job(HarvestJob& j) = 0;
  virtual std::optional<HarvestJob> job(std::string_view id) = 0;
  // Newest first.
  virtual std::vector<HarvestJob> jobs(std::string_view source_id, std::int64_t limit) = 0;
  virtual std::vector<HarvestJob> jobs_with_status(std::string_view status) = 0;
  // The newest job of the source that ended Finished.
  virtual std::optional<HarvestJob> last_finished_job(std::string_view source_id) = 0;

  // ---- claims (see the top of this file). queue_job adds a job for the active source
  // `source_id`, atomically across every process sharing these records, unless the source
  // already has a New or Running job, or (`unless_since` non-empty, ISO 8601) a job created at
  // or after it: then nullopt. With `claim` the job is stored Running, claimed (its caller runs
  // it at once); without, New. Throws NotFound when no active source has that id.
  virtual std::optional<HarvestJob> queue_job(std::string_view source_id,
                                              std::string_view unless_since,
                                              const JobClaim* claim) = 0;
  // Claims the oldest New job (New -> Running, started set): nullopt when none is left. Two
  // harvesters never claim the same job.
  virtual std::optional<HarvestJob> claim_next_job(const JobClaim& claim) = 0;
  // Extends the owner's claims on these jobs by a lease from claim.now; returns the ids it still
  // holds (a job found lapsed and failed by another process is not: its run should stop).
  virtual std::vector<std::string> renew_claims(const JobClaim& claim,
                                                const std::vector<std::string>& job_ids) = 0;
  // Marks the job Aborted (with `error` and finished now) if it is New or Running, whichever
  // process holds it, in one statement; false when it is not (unknown, or already ended). A
  // process running it learns at its next renew_claims (the job is no longer held) or sooner if
  // it watches the job's status, and stops.
  virtual bool abort_job(std::string_view job_id, std::string_view error) = 0;
  // Running jobs whose claim lapsed at `now` are marked Failed with `why` (redacted), their
  // objects not COMPLETE or ERROR set to ERROR, counted in the job's `errored`. Returns how many
  // jobs were failed.
  virtual int fail_lapsed_jobs(std::int64_t now, std::string_view why) = 0;

  // ---- objects: written in batches (one transaction per call).
  virtual void put_objects(std::vector<HarvestObject>& objects) = 0;
  virtual std::optional<HarvestObject> object(std::string_view id) = 0;
  // A job's objects in creation order; `state` "" = all.
  virtual std::vector<HarvestObject> objects(std::string_view job_id, std::string_view state,
                                             std::int64_t offset, std::int64_t limit) = 0;
  // Objects not COMPLETE or ERROR are set to ERROR with `error` (a job cut off by a crash).
  virtual std::int64_t fail_open_objects(std::string_view job_id, std::string_view error) = 0;
  // Keeps the objects of the `keep` newest jobs of the source; older ones are deleted.
  virtual void prune_objects(std::string_view source_id, int keep) = 0;

  // ---- provenances
  virtual std::optional<HarvestProvenance> provenance(std::string_view source_id,
                                                      std::string_view remote_id) = 0;
  // The source's provenances of these remote ids, in one read: result[i] is remote_ids[i]'s.
  virtual std::vector<std::optional<HarvestProvenance>> provenances(
      std::string_view source_id, const std::vector<std::string>& remote_ids) = 0;
  virtual std::vector<HarvestProvenance> provenances_of_dataset(std::string_view dataset_id) = 0;
  // Provenances (of any source) with this normalised landing page; at most 16.
  virtual std::vector<HarvestProvenance> provenances_with_landing(std::string_view landing) = 0;
  // The same for many landing pages in one read: result[i] is landings[i]'s.
  virtual std::vector<std::vector<HarvestProvenance>> provenances_with_landings(
      const std::vector<std::string>& landings) = 0;
  virtual void put_provenances(const std::vector<HarvestProvenance>& p) = 0;  // upsert, one tx
  // Marks these remote ids of the source as seen by job_id (for deletion detection).
  virtual void mark_seen(std::string_view source_id, const std::vector<std::string>& remote_ids,
                         std::string_view job_id) = 0;
  // Provenances of the source that `job_id` did not see, at most `limit`.
  virtual std::vector<HarvestProvenance> unseen_provenances(std::string_view source_id,
                                                            std::string_view job_id,
                                                            std::int64_t limit) = 0;
  virtual void remove_provenance(std::string_view source_id, std::string_view remote_id) = 0;
  virtual std::int64_t count_provenances(std::string_view source_id) = 0;
};

// Opens the harvest records in the SQLite catalog at `path` (migrating it when needed).
std::unique_ptr<HarvestRecords> open_sqlite_harvest_records(const std::string& path);
// Opens them in the PostgreSQL catalog at `url` (a postgresql:// URL; migrating it when needed).
std::unique_ptr<HarvestRecords> open_postgres_harvest_records(const std::string& url);

}  // namespace datamap::catalog

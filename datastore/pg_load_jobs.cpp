// LoadJobs on PostgreSQL (load_jobs.h): one cluster's load jobs in the catalog's database
// (datastore_load_jobs, datastore_fetch_validators; migration step 5), so a load queued on one
// node is seen, run once and finished by the nodes together. The claim follows the harvest jobs'
// (catalog/postgres/pg_harvest_records.cpp): the oldest pending job is taken with FOR UPDATE SKIP
// LOCKED, the claimer's id and a lease go on the row, and a running job whose lease lapsed is
// interrupted by whichever node looks next. Creation order is the rows' seq.
#include <mutex>

#include "catalog/ids.h"
#include "catalog/postgres/pg_own_connection.h"
#include "datastore/load_job_rows.h"
#include "datastore/load_jobs.h"

namespace datamap::datastore {
namespace {

using catalog::postgres::Connection;
using catalog::postgres::Result;

std::vector<LoadJob> all(const Result& r) {
  std::vector<LoadJob> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i)
    out.push_back(load_job_from(catalog::postgres::ResultRow{r, i}));
  return out;
}

std::optional<LoadJob> first(const Result& r) {
  if (r.empty()) return std::nullopt;
  return load_job_from(catalog::postgres::ResultRow{r, 0});
}

class PgLoadJobs final : public LoadJobs, private catalog::postgres::OwnConnection {
 public:
  explicit PgLoadJobs(std::string url) : OwnConnection(std::move(url)) {}

  void put(LoadJob& j) override {
    if (j.id.empty()) j.id = catalog::new_id();
    if (j.created.empty()) j.created = catalog::now_iso8601();
    std::lock_guard lock(mutex_);
    c().exec("INSERT INTO datastore_load_jobs (" DATAMAP_LOAD_JOB_COLUMNS
             ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, "
             "$17) ON CONFLICT (id) DO UPDATE SET resource_id = $2, status = $3, file_path = $4, "
             "file_hash = $5, format = $6, rows_done = $7, total_rows = $8, error = $9, "
             "error_line = $10, error_column = $11, created = $12, started = $13, finished = $14, "
             "phase = $15, claimed_by = $16, claimed_until = $17",
             j.id, j.resource_id, j.status, j.file_path, j.file_hash, j.format, j.rows_done,
             j.total_rows, j.error, j.error_line, j.error_column, j.created, j.started, j.finished,
             j.phase, j.claimed_by, j.claimed_until);
  }

  void exclusively(const std::string& resource_id, const std::function<void()>& body) override {
    // A session lock on this object's connection (the body's statements commit one by one on
    // it); the mutex orders this object's own threads, which PostgreSQL sees as one session.
    std::lock_guard submit(submit_mutex_);
    const std::string key = "datastore-load:" + resource_id;
    {
      std::lock_guard lock(mutex_);
      c().exec("SELECT pg_advisory_lock(hashtextextended($1, 0))", key);
    }
    struct Unlock {
      PgLoadJobs& self;
      const std::string& key;
      ~Unlock() {
        try {
          std::lock_guard lock(self.mutex_);
          self.c().exec("SELECT pg_advisory_unlock(hashtextextended($1, 0))", key);
        } catch (...) {  // the connection broke: the server released the lock with it
        }
      }
    } unlock{*this, key};
    body();
  }

  std::optional<LoadJob> job(const std::string& id) override {
    std::lock_guard lock(mutex_);
    return first(
        c().exec("SELECT " DATAMAP_LOAD_JOB_COLUMNS " FROM datastore_load_jobs WHERE id = $1", id));
  }

  std::optional<LoadJob> latest(const std::string& resource_id) override {
    std::lock_guard lock(mutex_);
    return first(c().exec("SELECT " DATAMAP_LOAD_JOB_COLUMNS
                          " FROM datastore_load_jobs WHERE resource_id = $1 "
                          "ORDER BY seq DESC LIMIT 1",
                          resource_id));
  }

  std::optional<LoadJob> last_complete(const std::string& resource_id) override {
    std::lock_guard lock(mutex_);
    return first(c().exec("SELECT " DATAMAP_LOAD_JOB_COLUMNS
                          " FROM datastore_load_jobs WHERE resource_id = $1 AND "
                          "status = 'complete' ORDER BY seq DESC LIMIT 1",
                          resource_id));
  }

  std::vector<LoadJob> with_status(const std::string& status) override {
    std::lock_guard lock(mutex_);
    return all(c().exec("SELECT " DATAMAP_LOAD_JOB_COLUMNS
                        " FROM datastore_load_jobs WHERE status = $1 ORDER BY seq",
                        status));
  }

  bool set_progress(const std::string& id, std::int64_t rows_done, std::int64_t total_rows,
                    const std::string& phase) override {
    std::lock_guard lock(mutex_);
    return c().exec(
                  "UPDATE datastore_load_jobs SET rows_done = $2, total_rows = $3, phase = $4 "
                  "WHERE id = $1 AND "
                  "status = 'running'",
                  id, rows_done, total_rows, phase)
               .affected() > 0;
  }

  std::optional<LoadJob> claim_next(const LoadClaim& claim) override {
    std::lock_guard lock(mutex_);
    // SKIP LOCKED passes over a job another node is claiming at this moment; the UPDATE's WHERE
    // re-checks the status, so a job replaced meanwhile is not taken.
    return first(c().exec(
        "WITH next AS (SELECT seq FROM datastore_load_jobs WHERE status = 'pending' "
        "  ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED) "
        "UPDATE datastore_load_jobs j SET status = 'running', started = $1, claimed_by = $2, "
        "  claimed_until = $3 FROM next WHERE j.seq = next.seq AND j.status = 'pending' "
        "RETURNING j.id, j.resource_id, j.status, j.file_path, j.file_hash, j.format, "
        "  j.rows_done, j.total_rows, j.error, j.error_line, j.error_column, j.created, "
        "  j.started, j.finished, j.phase, j.claimed_by, j.claimed_until",
        catalog::now_iso8601(), claim.owner, claim.now + claim.lease_seconds));
  }

  bool renew(const std::string& id, const LoadClaim& claim) override {
    std::lock_guard lock(mutex_);
    return c().exec(
                  "UPDATE datastore_load_jobs SET claimed_until = $3 WHERE id = $1 AND "
                  "claimed_by = $2 AND status = 'running'",
                  id, claim.owner, claim.now + claim.lease_seconds)
               .affected() > 0;
  }

  std::vector<LoadJob> interrupt_abandoned(const LoadClaim& claim, bool /*starting*/,
                                           const std::string& why) override {
    std::lock_guard lock(mutex_);
    // A node starting cannot tell its own former jobs from its peers' running ones: only the
    // lease says a runner is gone. SKIP LOCKED: a job another node is interrupting (or
    // renewing) right now is left to it, so each abandoned job is returned to one node.
    return all(
        c().exec("WITH lapsed AS (SELECT seq FROM datastore_load_jobs WHERE status = 'running' AND "
                 "  claimed_until < $1 ORDER BY seq FOR UPDATE SKIP LOCKED) "
                 "UPDATE datastore_load_jobs j SET status = 'error', error = $2, finished = $3, "
                 "  phase = '' FROM lapsed WHERE j.seq = lapsed.seq "
                 "RETURNING j.id, j.resource_id, j.status, j.file_path, j.file_hash, j.format, "
                 "  j.rows_done, j.total_rows, j.error, j.error_line, j.error_column, j.created, "
                 "  j.started, j.finished, j.phase, j.claimed_by, j.claimed_until",
                 claim.now, why, catalog::now_iso8601()));
  }

  void remove(const std::string& resource_id) override {
    std::lock_guard lock(mutex_);
    in_transaction([&](Connection& conn) {
      conn.exec("DELETE FROM datastore_load_jobs WHERE resource_id = $1", resource_id);
      conn.exec("DELETE FROM datastore_fetch_validators WHERE resource_id = $1", resource_id);
      return true;
    });
  }

  void put_validators(const std::string& resource_id, const FetchValidators& v) override {
    std::lock_guard lock(mutex_);
    c().exec(
        "INSERT INTO datastore_fetch_validators (resource_id, url, etag, last_modified, "
        "file_hash) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (resource_id) DO UPDATE SET "
        "url = $2, etag = $3, last_modified = $4, file_hash = $5",
        resource_id, v.url, v.etag, v.last_modified, v.file_hash);
  }

  std::optional<FetchValidators> validators(const std::string& resource_id) override {
    std::lock_guard lock(mutex_);
    Result r = c().exec(
        "SELECT url, etag, last_modified, file_hash FROM datastore_fetch_validators "
        "WHERE resource_id = $1",
        resource_id);
    if (r.empty()) return std::nullopt;
    return FetchValidators{r.text(0, 0), r.text(0, 1), r.text(0, 2), r.text(0, 3)};
  }

 private:
  std::mutex submit_mutex_;  // held by exclusively(), with the advisory lock
};

}  // namespace

std::unique_ptr<LoadJobs> open_pg_load_jobs(const std::string& url) {
  return std::make_unique<PgLoadJobs>(url);
}

}  // namespace datamap::datastore

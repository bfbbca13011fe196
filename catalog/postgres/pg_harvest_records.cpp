// HarvestRecords on PostgreSQL (catalog/harvest_records.h): one catalog's sources, jobs, objects
// and provenances for every node of a cluster. What differs from the SQLite store:
//  - a job is queued under its source's row lock (SELECT ... FOR UPDATE), so two nodes' schedulers
//    seeing a source due at once queue one job, not two;
//  - a New job is claimed with FOR UPDATE SKIP LOCKED (the outbox's pattern, pg_demand.cpp): the
//    claimer's id and a lease go on the row, renewed while the job runs; a Running job whose lease
//    lapsed (its node died or hung) is failed by whichever harvester looks next.
// Creation order is the rows' seq (SQLite's rowid).
#include <mutex>

#include "catalog/errors.h"
#include "catalog/harvest_records.h"
#include "catalog/ids.h"
#include "catalog/postgres/pg_own_connection.h"
#include "catalog/redact.h"

namespace datamap::catalog {
namespace postgres {
namespace {

#define PG_SOURCE_COLUMNS                                                                       \
  "id, name, title, url, type, frequency, config, owner_org, creator_user_id, state, created, " \
  "modified, etag, last_modified"
#define PG_JOB_COLUMNS                                                                            \
  "id, source_id, status, created, started, gather_finished, finished, since, complete_listing, " \
  "not_modified, gathered, added, updated, unchanged, deleted, errored, error"
#define PG_OBJECT_COLUMNS                                                                     \
  "id, job_id, source_id, remote_id, dataset_id, state, report_status, error, content_hash, " \
  "created, modified"
#define PG_PROVENANCE_COLUMNS \
  "source_id, remote_id, dataset_id, landing, content_hash, last_job_id, owner"

HarvestSource source_from(const Result& r, int i) {
  HarvestSource h;
  std::string* fields[] = {
      &h.id,     &h.name,         &h.title,           &h.url,   &h.type,    &h.frequency,
      &h.config, &h.owner_org,    &h.creator_user_id, &h.state, &h.created, &h.modified,
      &h.etag,   &h.last_modified};
  for (int c = 0; c < 14; ++c) *fields[c] = r.text(i, c);
  return h;
}

HarvestJob job_from(const Result& r, int i) {
  HarvestJob j;
  std::string* texts[] = {&j.id,      &j.source_id,       &j.status,   &j.created,
                          &j.started, &j.gather_finished, &j.finished, &j.since};
  for (int c = 0; c < 8; ++c) *texts[c] = r.text(i, c);
  j.complete_listing = r.boolean(i, 8);
  j.not_modified = r.boolean(i, 9);
  std::int64_t* counts[] = {&j.gathered,  &j.added,   &j.updated,
                            &j.unchanged, &j.deleted, &j.errored};
  for (int c = 0; c < 6; ++c) *counts[c] = r.integer(i, 10 + c);
  j.error = redact_secrets(r.text(i, 16));
  return j;
}

HarvestObject object_from(const Result& r, int i) {
  HarvestObject o;
  std::string* fields[] = {&o.id,           &o.job_id,  &o.source_id,     &o.remote_id,
                           &o.dataset_id,   &o.state,   &o.report_status, &o.error,
                           &o.content_hash, &o.created, &o.modified};
  for (int c = 0; c < 11; ++c) *fields[c] = r.text(i, c);
  o.error = redact_secrets(o.error);
  return o;
}

HarvestProvenance provenance_from(const Result& r, int i) {
  HarvestProvenance p;
  std::string* fields[] = {&p.source_id, &p.remote_id,    &p.dataset_id,
                           &p.landing,   &p.content_hash, &p.last_job_id};
  for (int c = 0; c < 6; ++c) *fields[c] = r.text(i, c);
  p.owner = r.boolean(i, 6);
  return p;
}

template <typename T, typename Map>
std::vector<T> all(const Result& r, Map map) {
  std::vector<T> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) out.push_back(map(r, i));
  return out;
}

class PgHarvestRecords : public HarvestRecords, private OwnConnection {
 public:
  explicit PgHarvestRecords(std::string url) : OwnConnection(std::move(url)) {}

  // ---- sources
  void put_source(HarvestSource& s) override {
    std::lock_guard lock(mutex_);
    write_source(c(), s, /*insert=*/true);
  }

  std::optional<HarvestSource> source(std::string_view ref) override {
    std::lock_guard lock(mutex_);
    return read_source_row(c(), ref, false);
  }

  std::optional<HarvestSource> update_source(
      std::string_view ref, const std::function<void(HarvestSource&)>& change) override {
    std::lock_guard lock(mutex_);
    return in_transaction([&](Connection& conn) -> std::optional<HarvestSource> {
      // FOR UPDATE: a change on another node waits, then reads this one's row.
      std::optional<HarvestSource> s = read_source_row(conn, ref, true);
      if (!s || s->state != "active") return std::nullopt;
      const std::string id = s->id, created = s->created;
      change(*s);
      s->id = id, s->created = created;
      write_source(conn, *s, /*insert=*/false);
      return s;
    });
  }

  bool put_source_validators(std::string_view source_id, const std::string& etag,
                             const std::string& last_modified) override {
    std::lock_guard lock(mutex_);
    return c().exec(
                  "UPDATE harvest_sources SET etag = $2, last_modified = $3 "
                  "WHERE id = $1 AND state = 'active'",
                  source_id, etag, last_modified)
               .affected() > 0;
  }

  std::vector<HarvestSource> sources(std::string_view owner_org) override {
    std::lock_guard lock(mutex_);
    return all<HarvestSource>(
        c().exec("SELECT " PG_SOURCE_COLUMNS " FROM harvest_sources WHERE state = 'active' AND "
                 "($1 = '' OR owner_org = $1) ORDER BY name",
                 owner_org),
        source_from);
  }

  // ---- jobs
  void put_job(HarvestJob& j) override {
    std::lock_guard lock(mutex_);
    if (j.id.empty()) j.id = new_id();
    if (j.created.empty()) j.created = now_iso8601();
    j.error = redact_secrets(j.error);
    c().exec("INSERT INTO harvest_jobs (" PG_JOB_COLUMNS
             ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, "
             "$17) ON CONFLICT (id) DO UPDATE SET status = $3, started = $5, gather_finished = $6, "
             "finished = $7, since = $8, complete_listing = $9, not_modified = $10, "
             "gathered = $11, added = $12, updated = $13, unchanged = $14, deleted = $15, "
             "errored = $16, error = $17 "
             "WHERE harvest_jobs.status <> 'Aborted' OR $3 = 'Aborted'",
             j.id, j.source_id, j.status, j.created, j.started, j.gather_finished, j.finished,
             j.since, j.complete_listing, j.not_modified, j.gathered, j.added, j.updated,
             j.unchanged, j.deleted, j.errored, j.error);
  }

  std::optional<HarvestJob> job(std::string_view id) override {
    std::lock_guard lock(mutex_);
    Result r = c().exec("SELECT " PG_JOB_COLUMNS " FROM harvest_jobs WHERE id = $1", id);
    if (r.empty()) return std::nullopt;
    return job_from(r, 0);
  }

  std::vector<HarvestJob> jobs(std::string_view source_id, std::int64_t limit) override {
    std::lock_guard lock(mutex_);
    return all<HarvestJob>(
        c().exec("SELECT " PG_JOB_COLUMNS " FROM harvest_jobs WHERE source_id = $1 "
                 "ORDER BY seq DESC LIMIT $2",
                 source_id, limit),
        job_from);
  }

  std::vector<HarvestJob> jobs_with_status(std::string_view status) override {
    std::lock_guard lock(mutex_);
    return all<HarvestJob>(
        c().exec("SELECT " PG_JOB_COLUMNS " FROM harvest_jobs WHERE status = $1 ORDER BY seq",
                 status),
        job_from);
  }

  std::optional<HarvestJob> last_finished_job(std::string_view source_id) override {
    std::lock_guard lock(mutex_);
    Result r = c().exec("SELECT " PG_JOB_COLUMNS
                        " FROM harvest_jobs WHERE source_id = $1 AND status = 'Finished' "
                        "ORDER BY seq DESC LIMIT 1",
                        source_id);
    if (r.empty()) return std::nullopt;
    return job_from(r, 0);
  }

  // ---- claims
  std::optional<HarvestJob> queue_job(std::string_view source_id, std::string_view unless_since,
                                      const JobClaim* claim) override {
    std::lock_guard lock(mutex_);
    return in_transaction([&](Connection& conn) -> std::optional<HarvestJob> {
      // The source's row lock serialises queueing per source across nodes; under READ
      // COMMITTED the check below then sees the job another node queued and committed.
      if (conn.exec("SELECT 1 FROM harvest_sources WHERE id = $1 AND state = 'active' FOR UPDATE",
                    source_id)
              .empty())
        throw NotFound("Harvest source not found");
      if (!conn.exec("SELECT 1 FROM harvest_jobs WHERE source_id = $1 AND (status IN ('New', "
                     "'Running') OR ($2 <> '' AND created >= $2)) LIMIT 1",
                     source_id, unless_since)
               .empty())
        return std::nullopt;
      HarvestJob j;
      j.id = new_id();
      j.source_id = std::string(source_id);
      j.created = now_iso8601();
      j.status = claim ? "Running" : "New";
      if (claim) j.started = j.created;
      conn.exec(
          "INSERT INTO harvest_jobs (id, source_id, status, created, started, claimed_by, "
          "claimed_until) VALUES ($1, $2, $3, $4, $5, $6, $7)",
          j.id, j.source_id, j.status, j.created, j.started, claim ? claim->owner : std::string(),
          claim ? claim->now + claim->lease_seconds : std::int64_t{0});
      return j;
    });
  }

  std::optional<HarvestJob> claim_next_job(const JobClaim& claim) override {
    std::lock_guard lock(mutex_);
    // SKIP LOCKED passes over a job another node is claiming at this moment; the WHERE of the
    // UPDATE re-checks status, so a job aborted meanwhile is not taken.
    Result r = c().exec(
        "WITH next AS (SELECT seq FROM harvest_jobs WHERE status = 'New' ORDER BY seq LIMIT 1 "
        "  FOR UPDATE SKIP LOCKED) "
        "UPDATE harvest_jobs j SET status = 'Running', started = $1, claimed_by = $2, "
        "  claimed_until = $3 FROM next WHERE j.seq = next.seq AND j.status = 'New' "
        "RETURNING j.id, j.source_id, j.status, j.created, j.started, j.gather_finished, "
        "  j.finished, j.since, j.complete_listing, j.not_modified, j.gathered, j.added, "
        "  j.updated, j.unchanged, j.deleted, j.errored, j.error",
        now_iso8601(), claim.owner, claim.now + claim.lease_seconds);
    if (r.empty()) return std::nullopt;
    return job_from(r, 0);
  }

  std::vector<std::string> renew_claims(const JobClaim& claim,
                                        const std::vector<std::string>& job_ids) override {
    if (job_ids.empty()) return {};
    std::lock_guard lock(mutex_);
    Params params;
    params.add(job_ids);
    params.add(claim.owner);
    params.add(claim.now + claim.lease_seconds);
    Result r = c().run(
        "UPDATE harvest_jobs SET claimed_until = $3 WHERE id = ANY($1::text[]) AND "
        "claimed_by = $2 AND status = 'Running' RETURNING id",
        params);
    std::vector<std::string> held;
    for (int i = 0; i < r.rows(); ++i) held.push_back(r.text(i, 0));
    return held;
  }

  bool abort_job(std::string_view job_id, std::string_view error) override {
    std::lock_guard lock(mutex_);
    return c().exec(
                  "UPDATE harvest_jobs SET status = 'Aborted', error = $2, finished = $3 WHERE "
                  "id = $1 AND status IN ('New', 'Running')",
                  job_id, redact_secrets(error), now_iso8601())
               .affected() > 0;
  }

  int fail_lapsed_jobs(std::int64_t now, std::string_view why) override {
    std::lock_guard lock(mutex_);
    const std::string error = redact_secrets(why);
    return in_transaction([&](Connection& conn) {
      // SKIP LOCKED: a job being renewed or failed by another node right now is left to it.
      Result lapsed = conn.exec(
          "SELECT id FROM harvest_jobs WHERE status = 'Running' AND claimed_until < $1 "
          "ORDER BY seq FOR UPDATE SKIP LOCKED",
          now);
      const std::string at = now_iso8601();
      for (int i = 0; i < lapsed.rows(); ++i) {
        const std::string id = lapsed.text(i, 0);
        const std::int64_t failed =
            conn.exec(
                    "UPDATE harvest_objects SET state = 'ERROR', report_status = 'errored', "
                    "error = $2, modified = $3 WHERE job_id = $1 AND state NOT IN "
                    "('COMPLETE', 'ERROR')",
                    id, error, at)
                .affected();
        conn.exec(
            "UPDATE harvest_jobs SET status = 'Failed', error = $2, finished = $3, "
            "errored = errored + $4 WHERE id = $1",
            id, error, at, failed);
      }
      return lapsed.rows();
    });
  }

  // ---- objects
  void put_objects(std::vector<HarvestObject>& objects) override {
    if (objects.empty()) return;
    std::lock_guard lock(mutex_);
    in_transaction([&](Connection& conn) {
      const std::string now = now_iso8601();
      for (auto& o : objects) {
        if (o.id.empty()) o.id = new_id();
        if (o.created.empty()) o.created = now;
        o.modified = now;
        o.error = redact_secrets(o.error);
        conn.exec("INSERT INTO harvest_objects (" PG_OBJECT_COLUMNS
                  ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (id) DO "
                  "UPDATE SET dataset_id = $5, state = $6, report_status = $7, error = $8, "
                  "content_hash = $9, modified = $11",
                  o.id, o.job_id, o.source_id, o.remote_id, o.dataset_id, o.state, o.report_status,
                  o.error, o.content_hash, o.created, o.modified);
      }
      return true;
    });
  }

  std::optional<HarvestObject> object(std::string_view id) override {
    std::lock_guard lock(mutex_);
    Result r = c().exec("SELECT " PG_OBJECT_COLUMNS " FROM harvest_objects WHERE id = $1", id);
    if (r.empty()) return std::nullopt;
    return object_from(r, 0);
  }

  std::vector<HarvestObject> objects(std::string_view job_id, std::string_view state,
                                     std::int64_t offset, std::int64_t limit) override {
    std::lock_guard lock(mutex_);
    return all<HarvestObject>(
        c().exec("SELECT " PG_OBJECT_COLUMNS " FROM harvest_objects WHERE job_id = $1 AND "
                 "($2 = '' OR state = $2) ORDER BY seq LIMIT $4 OFFSET $3",
                 job_id, state, offset, limit),
        object_from);
  }

  std::int64_t fail_open_objects(std::string_view job_id, std::string_view error) override {
    std::lock_guard lock(mutex_);
    return c()
        .exec(
            "UPDATE harvest_objects SET state = 'ERROR', report_status = 'errored', error = $2, "
            "modified = $3 WHERE job_id = $1 AND state NOT IN ('COMPLETE', 'ERROR')",
            job_id, redact_secrets(error), now_iso8601())
        .affected();
  }

  void prune_objects(std::string_view source_id, int keep) override {
    std::lock_guard lock(mutex_);
    c().exec(
        "DELETE FROM harvest_objects WHERE source_id = $1 AND job_id NOT IN "
        "(SELECT id FROM harvest_jobs WHERE source_id = $1 ORDER BY seq DESC LIMIT $2)",
        source_id, static_cast<std::int64_t>(keep));
  }

  // ---- provenances
  std::optional<HarvestProvenance> provenance(std::string_view source_id,
                                              std::string_view remote_id) override {
    std::lock_guard lock(mutex_);
    Result r = c().exec("SELECT " PG_PROVENANCE_COLUMNS
                        " FROM harvest_provenances WHERE source_id = $1 AND remote_id = $2",
                        source_id, remote_id);
    if (r.empty()) return std::nullopt;
    return provenance_from(r, 0);
  }

  std::vector<std::optional<HarvestProvenance>> provenances(
      std::string_view source_id, const std::vector<std::string>& remote_ids) override {
    std::vector<std::optional<HarvestProvenance>> out(remote_ids.size());
    if (remote_ids.empty()) return out;
    Params params;
    params.add(source_id);
    params.add(remote_ids);
    std::lock_guard lock(mutex_);
    // One round trip for the batch; ordinality says which asked id each row answers.
    Result r = c().run(
        "SELECT w.n, p.source_id, p.remote_id, p.dataset_id, p.landing, "
        "p.content_hash, p.last_job_id, p.owner FROM unnest($2::text[]) "
        "WITH ORDINALITY AS w(remote_id, n) JOIN harvest_provenances p "
        "ON p.source_id = $1 AND p.remote_id = w.remote_id",
        params);
    for (int i = 0; i < r.rows(); ++i) {
      HarvestProvenance p;
      std::string* fields[] = {&p.source_id, &p.remote_id,    &p.dataset_id,
                               &p.landing,   &p.content_hash, &p.last_job_id};
      for (int col = 0; col < 6; ++col) *fields[col] = r.text(i, col + 1);
      p.owner = r.boolean(i, 7);
      out[static_cast<std::size_t>(r.integer(i, 0) - 1)] = std::move(p);
    }
    return out;
  }

  std::vector<HarvestProvenance> provenances_of_dataset(std::string_view dataset_id) override {
    std::lock_guard lock(mutex_);
    return all<HarvestProvenance>(
        c().exec("SELECT " PG_PROVENANCE_COLUMNS " FROM harvest_provenances WHERE dataset_id = $1 "
                 "ORDER BY owner DESC",
                 dataset_id),
        provenance_from);
  }

  std::vector<HarvestProvenance> provenances_with_landing(std::string_view landing) override {
    if (landing.empty()) return {};
    std::lock_guard lock(mutex_);
    return with_landing(c(), landing);
  }

  std::vector<std::vector<HarvestProvenance>> provenances_with_landings(
      const std::vector<std::string>& landings) override {
    std::vector<std::vector<HarvestProvenance>> out(landings.size());
    std::lock_guard lock(mutex_);
    Connection& conn = c();
    for (std::size_t i = 0; i < landings.size(); ++i)
      if (!landings[i].empty()) out[i] = with_landing(conn, landings[i]);
    return out;
  }

  void put_provenances(const std::vector<HarvestProvenance>& ps) override {
    if (ps.empty()) return;
    std::lock_guard lock(mutex_);
    in_transaction([&](Connection& conn) {
      for (const auto& p : ps)
        conn.exec("INSERT INTO harvest_provenances (" PG_PROVENANCE_COLUMNS
                  ") VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (source_id, remote_id) DO "
                  "UPDATE SET dataset_id = $3, landing = $4, content_hash = $5, "
                  "last_job_id = $6, owner = $7",
                  p.source_id, p.remote_id, p.dataset_id, p.landing, p.content_hash, p.last_job_id,
                  p.owner);
      return true;
    });
  }

  void mark_seen(std::string_view source_id, const std::vector<std::string>& remote_ids,
                 std::string_view job_id) override {
    if (remote_ids.empty()) return;
    Params params;
    params.add(source_id);
    params.add(remote_ids);
    params.add(job_id);
    std::lock_guard lock(mutex_);
    c().run(
        "UPDATE harvest_provenances SET last_job_id = $3 WHERE source_id = $1 AND "
        "remote_id = ANY($2::text[])",
        params);
  }

  std::vector<HarvestProvenance> unseen_provenances(std::string_view source_id,
                                                    std::string_view job_id,
                                                    std::int64_t limit) override {
    std::lock_guard lock(mutex_);
    return all<HarvestProvenance>(c().exec("SELECT " PG_PROVENANCE_COLUMNS
                                           " FROM harvest_provenances WHERE source_id = $1 AND "
                                           "last_job_id <> $2 LIMIT $3",
                                           source_id, job_id, limit),
                                  provenance_from);
  }

  void remove_provenance(std::string_view source_id, std::string_view remote_id) override {
    std::lock_guard lock(mutex_);
    c().exec("DELETE FROM harvest_provenances WHERE source_id = $1 AND remote_id = $2", source_id,
             remote_id);
  }

  std::int64_t count_provenances(std::string_view source_id) override {
    std::lock_guard lock(mutex_);
    return c()
        .exec("SELECT count(*) FROM harvest_provenances WHERE source_id = $1", source_id)
        .integer(0, 0);
  }

 private:
  static std::vector<HarvestProvenance> with_landing(Connection& conn, std::string_view landing) {
    return all<HarvestProvenance>(conn.exec("SELECT " PG_PROVENANCE_COLUMNS
                                            " FROM harvest_provenances WHERE landing = $1 AND "
                                            "landing <> '' LIMIT 16",
                                            landing),
                                  provenance_from);
  }

  // The source by id, else by name (locked for the transaction when `for_update`).
  static std::optional<HarvestSource> read_source_row(Connection& conn, std::string_view ref,
                                                      bool for_update) {
    Result r = conn.exec(for_update ? "SELECT " PG_SOURCE_COLUMNS
                                      " FROM harvest_sources WHERE id = $1 OR name = $1 "
                                      "ORDER BY id = $1 DESC LIMIT 1 FOR UPDATE"
                                    : "SELECT " PG_SOURCE_COLUMNS
                                      " FROM harvest_sources WHERE id = $1 OR name = $1 "
                                      "ORDER BY id = $1 DESC LIMIT 1",
                         ref);
    if (r.empty()) return std::nullopt;
    return source_from(r, 0);
  }

  static void write_source(Connection& conn, HarvestSource& s, bool insert) {
    s.modified = now_iso8601();
    if (insert) {
      if (s.id.empty()) s.id = new_id();
      if (s.created.empty()) s.created = s.modified;
    }
    try {
      conn.exec(insert ? "INSERT INTO harvest_sources (" PG_SOURCE_COLUMNS
                         ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
                       : "UPDATE harvest_sources SET name = $2, title = $3, url = $4, type = $5, "
                         "frequency = $6, config = $7, owner_org = $8, creator_user_id = $9, "
                         "state = $10, created = $11, modified = $12, etag = $13, "
                         "last_modified = $14 WHERE id = $1",
                s.id, s.name, s.title, s.url, s.type, s.frequency, s.config, s.owner_org,
                s.creator_user_id, s.state, s.created, s.modified, s.etag, s.last_modified);
    } catch (const PgError& e) {
      if (e.is_unique_violation("harvest_sources_name_key"))
        throw ValidationError("name", "A harvest source with this name already exists");
      throw;  // the primary key: put_source of an id already stored
    }
  }
};

}  // namespace
}  // namespace postgres

std::unique_ptr<HarvestRecords> open_postgres_harvest_records(const std::string& url) {
  return std::make_unique<postgres::PgHarvestRecords>(url);
}

}  // namespace datamap::catalog

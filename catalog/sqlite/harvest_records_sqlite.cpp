// HarvestRecords on SQLite: one connection of its own to the catalog file, behind a mutex.
// Harvest bookkeeping is small next to the catalog, so one connection is plenty; WAL lets it
// write beside the Store's writer (SQLite serialises the two, busy_timeout absorbs the wait).
// Claims (harvest_records.h) are not stored here: one process serves a SQLite catalog, a claim is
// the job's New -> Running step under BEGIN IMMEDIATE, and it lasts as long as the process.
#include <mutex>
#include <set>

#include "catalog/errors.h"
#include "catalog/harvest_records.h"
#include "catalog/ids.h"
#include "catalog/redact.h"
#include "catalog/sqlite/connection.h"
#include "catalog/sqlite/records.h"

namespace datamap::catalog {
namespace {

using sqlite::Connection;
using sqlite::read_integers;
using sqlite::read_texts;
using sqlite::SqliteError;
using sqlite::Statement;
using sqlite::WriteTx;

constexpr const char* kSourceColumns =
    "id, name, title, url, type, frequency, config, owner_org, creator_user_id, state, created, "
    "modified, etag, last_modified";

HarvestSource read_source(Statement& s) {
  HarvestSource h;
  read_texts(s, 0,
             {&h.id, &h.name, &h.title, &h.url, &h.type, &h.frequency, &h.config, &h.owner_org,
              &h.creator_user_id, &h.state, &h.created, &h.modified, &h.etag, &h.last_modified});
  return h;
}

HarvestJob read_job(Statement& s) {
  HarvestJob j;
  int i = read_texts(s, 0,
                     {&j.id, &j.source_id, &j.status, &j.created, &j.started, &j.gather_finished,
                      &j.finished, &j.since});
  j.complete_listing = s.integer(i++) != 0;
  j.not_modified = s.integer(i++) != 0;
  i = read_integers(s, i,
                    {&j.gathered, &j.added, &j.updated, &j.unchanged, &j.deleted, &j.errored});
  j.error = redact_secrets(s.text(i));  // rows written before errors were redacted
  return j;
}

HarvestObject read_object(Statement& s) {
  HarvestObject o;
  read_texts(s, 0,
             {&o.id, &o.job_id, &o.source_id, &o.remote_id, &o.dataset_id, &o.state,
              &o.report_status, &o.error, &o.content_hash, &o.created, &o.modified});
  o.error = redact_secrets(o.error);  // rows written before errors were redacted
  return o;
}

HarvestProvenance read_provenance(Statement& s) {
  HarvestProvenance p;
  const int i = read_texts(
      s, 0,
      {&p.source_id, &p.remote_id, &p.dataset_id, &p.landing, &p.content_hash, &p.last_job_id});
  p.owner = s.integer(i) != 0;
  return p;
}

#define JOB_COLUMNS                                                                             \
  "id, source_id, status, created, started, gather_finished, finished, since, complete_listing, " \
  "not_modified, gathered, added, updated, unchanged, deleted, errored, error"
#define OBJECT_COLUMNS                                                                         \
  "id, job_id, source_id, remote_id, dataset_id, state, report_status, error, content_hash, " \
  "created, modified"
#define PROVENANCE_COLUMNS \
  "source_id, remote_id, dataset_id, landing, content_hash, last_job_id, owner"

class SqliteHarvestRecords : public HarvestRecords, private sqlite::RecordStore {
 public:
  explicit SqliteHarvestRecords(const std::string& path) : RecordStore(path) {
    // A big job writes 100,000s of objects keyed by random ids: keep their index pages cached.
    c_.exec("PRAGMA cache_size = -32000");
    c_.exec("PRAGMA temp_store = MEMORY");
  }

  void put_source(HarvestSource& s) override {
    std::lock_guard lock(mutex_);
    write_source(s, /*insert=*/true);
  }

  std::optional<HarvestSource> source(std::string_view ref) override {
    std::lock_guard lock(mutex_);
    return read_source_row(ref);
  }

  std::optional<HarvestSource> update_source(
      std::string_view ref, const std::function<void(HarvestSource&)>& change) override {
    std::lock_guard lock(mutex_);
    WriteTx tx(c_);  // BEGIN IMMEDIATE: nobody writes the row between this read and the write
    std::optional<HarvestSource> s = read_source_row(ref);
    if (!s || s->state != "active") return std::nullopt;
    const std::string id = s->id, created = s->created;
    change(*s);
    s->id = id, s->created = created;
    write_source(*s, /*insert=*/false);
    tx.commit();
    return s;
  }

  bool put_source_validators(std::string_view source_id, const std::string& etag,
                             const std::string& last_modified) override {
    std::lock_guard lock(mutex_);
    // One statement: the check (active) and the write happen on the row as it is now.
    auto q = c_.cached(
        "UPDATE harvest_sources SET etag = ?2, last_modified = ?3 "
        "WHERE id = ?1 AND state = 'active'");
    q->bind_all(source_id, etag, last_modified);
    q->run();
    return c_.changes() > 0;
  }

  std::vector<HarvestSource> sources(std::string_view owner_org) override {
    std::lock_guard lock(mutex_);
    auto q = c_.cached(
        "SELECT id, name, title, url, type, frequency, config, owner_org, creator_user_id, "
        "state, created, modified, etag, last_modified FROM harvest_sources "
        "WHERE state = 'active' AND (?1 = '' OR owner_org = ?1) ORDER BY name");
    q->bind_all(owner_org);
    std::vector<HarvestSource> out;
    while (q->step()) out.push_back(read_source(*q));
    return out;
  }

  void put_job(HarvestJob& j) override {
    std::lock_guard lock(mutex_);
    if (j.id.empty()) j.id = new_id();
    if (j.created.empty()) j.created = now_iso8601();
    j.error = redact_secrets(j.error);
    auto q = c_.cached(
        "INSERT INTO harvest_jobs (" JOB_COLUMNS
        ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17) "
        "ON CONFLICT(id) DO UPDATE SET status = ?3, started = ?5, gather_finished = ?6, "
        "finished = ?7, since = ?8, complete_listing = ?9, not_modified = ?10, gathered = ?11, "
        "added = ?12, updated = ?13, unchanged = ?14, deleted = ?15, errored = ?16, error = ?17 "
        "WHERE harvest_jobs.status <> 'Aborted' OR ?3 = 'Aborted'");
    q->bind_all(j.id, j.source_id, j.status, j.created, j.started, j.gather_finished, j.finished,
                j.since, j.complete_listing, j.not_modified, j.gathered, j.added, j.updated,
                j.unchanged, j.deleted, j.errored, j.error);
    q->run();
  }

  std::optional<HarvestJob> job(std::string_view id) override {
    std::lock_guard lock(mutex_);
    auto q = c_.cached("SELECT " JOB_COLUMNS " FROM harvest_jobs WHERE id = ?1");
    q->bind_all(id);
    if (!q->step()) return std::nullopt;
    return read_job(*q);
  }

  std::vector<HarvestJob> jobs(std::string_view source_id, std::int64_t limit) override {
    std::lock_guard lock(mutex_);
    auto q = c_.cached("SELECT " JOB_COLUMNS
                       " FROM harvest_jobs WHERE source_id = ?1 ORDER BY rowid DESC LIMIT ?2");
    q->bind_all(source_id, limit);
    std::vector<HarvestJob> out;
    while (q->step()) out.push_back(read_job(*q));
    return out;
  }

  std::vector<HarvestJob> jobs_with_status(std::string_view status) override {
    std::lock_guard lock(mutex_);
    auto q = c_.cached("SELECT " JOB_COLUMNS
                       " FROM harvest_jobs WHERE status = ?1 ORDER BY rowid");
    q->bind_all(status);
    std::vector<HarvestJob> out;
    while (q->step()) out.push_back(read_job(*q));
    return out;
  }

  std::optional<HarvestJob> last_finished_job(std::string_view source_id) override {
    std::lock_guard lock(mutex_);
    auto q = c_.cached("SELECT " JOB_COLUMNS
                       " FROM harvest_jobs WHERE source_id = ?1 AND status = 'Finished' "
                       "ORDER BY rowid DESC LIMIT 1");
    q->bind_all(source_id);
    if (!q->step()) return std::nullopt;
    return read_job(*q);
  }

  std::optional<HarvestJob> queue_job(std::string_view source_id, std::string_view unless_since,
                                      const JobClaim* claim) override {
    std::lock_guard lock(mutex_);
    WriteTx tx(c_);  // BEGIN IMMEDIATE: the check and the insert see no other writer between
    {
      auto q = c_.cached("SELECT 1 FROM harvest_sources WHERE id = ?1 AND state = 'active'");
      q->bind_all(source_id);
      if (!q->step()) throw NotFound("Harvest source not found");
    }
    {
      auto q = c_.cached(
          "SELECT 1 FROM harvest_jobs WHERE source_id = ?1 AND (status IN ('New', 'Running') "
          "OR (?2 != '' AND created >= ?2)) LIMIT 1");
      q->bind_all(source_id, unless_since);
      if (q->step()) return std::nullopt;
    }
    HarvestJob j;
    j.id = new_id();
    j.source_id = std::string(source_id);
    j.created = now_iso8601();
    j.status = claim ? "Running" : "New";
    if (claim) j.started = j.created;
    auto q = c_.cached(
        "INSERT INTO harvest_jobs (id, source_id, status, created, started) "
        "VALUES (?1, ?2, ?3, ?4, ?5)");
    q->bind_all(j.id, j.source_id, j.status, j.created, j.started);
    q->run();
    tx.commit();
    if (claim) claimed_.insert(j.id);
    return j;
  }

  std::optional<HarvestJob> claim_next_job(const JobClaim&) override {
    std::lock_guard lock(mutex_);
    auto q = c_.cached(
        "UPDATE harvest_jobs SET status = 'Running', started = ?1 WHERE rowid = "
        "(SELECT rowid FROM harvest_jobs WHERE status = 'New' ORDER BY rowid LIMIT 1) "
        "RETURNING " JOB_COLUMNS);
    q->bind_all(now_iso8601());
    if (!q->step()) return std::nullopt;
    HarvestJob j = read_job(*q);
    q->reset();
    claimed_.insert(j.id);
    return j;
  }

  std::vector<std::string> renew_claims(const JobClaim&,
                                        const std::vector<std::string>& job_ids) override {
    std::lock_guard lock(mutex_);
    std::vector<std::string> held;
    for (const std::string& id : job_ids) {
      auto q = c_.cached("SELECT 1 FROM harvest_jobs WHERE id = ?1 AND status = 'Running'");
      q->bind_all(id);
      if (q->step()) held.push_back(id);
    }
    return held;
  }

  bool abort_job(std::string_view job_id, std::string_view error) override {
    std::lock_guard lock(mutex_);
    auto q = c_.cached(
        "UPDATE harvest_jobs SET status = 'Aborted', error = ?2, finished = ?3 WHERE id = ?1 AND "
        "status IN ('New', 'Running')");
    q->bind_all(job_id, redact_secrets(error), now_iso8601());
    q->run();
    return c_.changes() > 0;
  }

  int fail_lapsed_jobs(std::int64_t, std::string_view why) override {
    std::lock_guard lock(mutex_);
    // Only the first call finds any: what a stopped process left Running. Later ones would
    // fail a `datamap harvest run` working beside the server on the same file.
    if (looked_for_lapsed_) return 0;
    looked_for_lapsed_ = true;
    WriteTx tx(c_);
    std::vector<std::string> lapsed;
    {
      auto q = c_.cached("SELECT id FROM harvest_jobs WHERE status = 'Running' ORDER BY rowid");
      while (q->step())
        if (!claimed_.count(q->text(0))) lapsed.push_back(q->text(0));
    }
    const std::string error = redact_secrets(why), now = now_iso8601();
    for (const std::string& id : lapsed) {
      auto objects = c_.cached(
          "UPDATE harvest_objects SET state = 'ERROR', report_status = 'errored', error = ?2, "
          "modified = ?3 WHERE job_id = ?1 AND state NOT IN ('COMPLETE', 'ERROR')");
      objects->bind_all(id, error, now);
      objects->run();
      const std::int64_t failed_objects = c_.changes();
      auto job = c_.cached(
          "UPDATE harvest_jobs SET status = 'Failed', error = ?2, finished = ?3, "
          "errored = errored + ?4 WHERE id = ?1");
      job->bind_all(id, error, now, failed_objects);
      job->run();
    }
    tx.commit();
    return static_cast<int>(lapsed.size());
  }

  void put_objects(std::vector<HarvestObject>& objects) override {
    if (objects.empty()) return;
    std::lock_guard lock(mutex_);
    WriteTx tx(c_);
    std::string now = now_iso8601();
    for (auto& o : objects) {
      if (o.id.empty()) o.id = new_id();
      if (o.created.empty()) o.created = now;
      o.modified = now;
      o.error = redact_secrets(o.error);
      auto q = c_.cached(
          "INSERT INTO harvest_objects (" OBJECT_COLUMNS
          ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT(id) DO UPDATE SET "
          "dataset_id = ?5, state = ?6, report_status = ?7, error = ?8, content_hash = ?9, "
          "modified = ?11");
      q->bind_all(o.id, o.job_id, o.source_id, o.remote_id, o.dataset_id, o.state,
                  o.report_status, o.error, o.content_hash, o.created, o.modified);
      q->run();
    }
    tx.commit();
  }

  std::optional<HarvestObject> object(std::string_view id) override {
    std::lock_guard lock(mutex_);
    auto q = c_.cached("SELECT " OBJECT_COLUMNS " FROM harvest_objects WHERE id = ?1");
    q->bind_all(id);
    if (!q->step()) return std::nullopt;
    return read_object(*q);
  }

  std::vector<HarvestObject> objects(std::string_view job_id, std::string_view state,
                                     std::int64_t offset, std::int64_t limit) override {
    std::lock_guard lock(mutex_);
    auto q = c_.cached("SELECT " OBJECT_COLUMNS
                       " FROM harvest_objects WHERE job_id = ?1 AND (?2 = '' OR state = ?2) "
                       "ORDER BY rowid LIMIT ?4 OFFSET ?3");
    q->bind_all(job_id, state, offset, limit);
    std::vector<HarvestObject> out;
    while (q->step()) out.push_back(read_object(*q));
    return out;
  }

  std::int64_t fail_open_objects(std::string_view job_id, std::string_view error) override {
    std::lock_guard lock(mutex_);
    auto q = c_.cached(
        "UPDATE harvest_objects SET state = 'ERROR', report_status = 'errored', error = ?2, "
        "modified = ?3 WHERE job_id = ?1 AND state NOT IN ('COMPLETE', 'ERROR')");
    q->bind_all(job_id, redact_secrets(error), now_iso8601());
    q->run();
    return c_.changes();
  }

  void prune_objects(std::string_view source_id, int keep) override {
    std::lock_guard lock(mutex_);
    auto q = c_.cached(
        "DELETE FROM harvest_objects WHERE source_id = ?1 AND job_id NOT IN "
        "(SELECT id FROM harvest_jobs WHERE source_id = ?1 ORDER BY rowid DESC LIMIT ?2)");
    q->bind_all(source_id, static_cast<std::int64_t>(keep));
    q->run();
  }

  std::optional<HarvestProvenance> provenance(std::string_view source_id,
                                              std::string_view remote_id) override {
    std::lock_guard lock(mutex_);
    auto q = c_.cached("SELECT " PROVENANCE_COLUMNS
                       " FROM harvest_provenances WHERE source_id = ?1 AND remote_id = ?2");
    q->bind_all(source_id, remote_id);
    if (!q->step()) return std::nullopt;
    return read_provenance(*q);
  }

  std::vector<std::optional<HarvestProvenance>> provenances(
      std::string_view source_id, const std::vector<std::string>& remote_ids) override {
    std::vector<std::optional<HarvestProvenance>> out(remote_ids.size());
    std::lock_guard lock(mutex_);
    ReadTx tx(c_);  // one snapshot and one lock for the whole batch
    for (std::size_t i = 0; i < remote_ids.size(); ++i) {
      auto q = c_.cached("SELECT " PROVENANCE_COLUMNS
                         " FROM harvest_provenances WHERE source_id = ?1 AND remote_id = ?2");
      q->bind_all(source_id, remote_ids[i]);
      if (q->step()) out[i] = read_provenance(*q);
    }
    return out;
  }

  std::vector<std::vector<HarvestProvenance>> provenances_with_landings(
      const std::vector<std::string>& landings) override {
    std::vector<std::vector<HarvestProvenance>> out(landings.size());
    std::lock_guard lock(mutex_);
    ReadTx tx(c_);
    for (std::size_t i = 0; i < landings.size(); ++i) {
      if (landings[i].empty()) continue;
      auto q = c_.cached("SELECT " PROVENANCE_COLUMNS
                         " FROM harvest_provenances WHERE landing = ?1 AND landing != '' LIMIT 16");
      q->bind_all(landings[i]);
      while (q->step()) out[i].push_back(read_provenance(*q));
    }
    return out;
  }

  std::vector<HarvestProvenance> provenances_of_dataset(std::string_view dataset_id) override {
    std::lock_guard lock(mutex_);
    auto q = c_.cached("SELECT " PROVENANCE_COLUMNS
                       " FROM harvest_provenances WHERE dataset_id = ?1 ORDER BY owner DESC");
    q->bind_all(dataset_id);
    std::vector<HarvestProvenance> out;
    while (q->step()) out.push_back(read_provenance(*q));
    return out;
  }

  std::vector<HarvestProvenance> provenances_with_landing(std::string_view landing) override {
    std::vector<HarvestProvenance> out;
    if (landing.empty()) return out;
    std::lock_guard lock(mutex_);
    auto q = c_.cached("SELECT " PROVENANCE_COLUMNS
                       " FROM harvest_provenances WHERE landing = ?1 AND landing != '' LIMIT 16");
    q->bind_all(landing);
    while (q->step()) out.push_back(read_provenance(*q));
    return out;
  }

  void put_provenances(const std::vector<HarvestProvenance>& ps) override {
    if (ps.empty()) return;
    std::lock_guard lock(mutex_);
    WriteTx tx(c_);
    for (const auto& p : ps) {
      auto q = c_.cached(
          "INSERT INTO harvest_provenances (" PROVENANCE_COLUMNS
          ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(source_id, remote_id) DO UPDATE "
          "SET dataset_id = ?3, landing = ?4, content_hash = ?5, last_job_id = ?6, owner = ?7");
      q->bind_all(p.source_id, p.remote_id, p.dataset_id, p.landing, p.content_hash,
                  p.last_job_id, p.owner);
      q->run();
    }
    tx.commit();
  }

  void mark_seen(std::string_view source_id, const std::vector<std::string>& remote_ids,
                 std::string_view job_id) override {
    if (remote_ids.empty()) return;
    std::lock_guard lock(mutex_);
    WriteTx tx(c_);
    for (const auto& r : remote_ids) {
      auto q = c_.cached(
          "UPDATE harvest_provenances SET last_job_id = ?3 WHERE source_id = ?1 AND "
          "remote_id = ?2");
      q->bind_all(source_id, r, job_id);
      q->run();
    }
    tx.commit();
  }

  std::vector<HarvestProvenance> unseen_provenances(std::string_view source_id,
                                                    std::string_view job_id,
                                                    std::int64_t limit) override {
    std::lock_guard lock(mutex_);
    auto q = c_.cached("SELECT " PROVENANCE_COLUMNS
                       " FROM harvest_provenances WHERE source_id = ?1 AND last_job_id != ?2 "
                       "LIMIT ?3");
    q->bind_all(source_id, job_id, limit);
    std::vector<HarvestProvenance> out;
    while (q->step()) out.push_back(read_provenance(*q));
    return out;
  }

  void remove_provenance(std::string_view source_id, std::string_view remote_id) override {
    std::lock_guard lock(mutex_);
    auto q = c_.cached("DELETE FROM harvest_provenances WHERE source_id = ?1 AND remote_id = ?2");
    q->bind_all(source_id, remote_id);
    q->run();
  }

  std::int64_t count_provenances(std::string_view source_id) override {
    std::lock_guard lock(mutex_);
    auto q = c_.cached("SELECT count(*) FROM harvest_provenances WHERE source_id = ?1");
    q->bind_all(source_id);
    q->step();
    return q->integer(0);
  }

 private:
  // BEGIN (deferred: a read snapshot) ... COMMIT.
  class ReadTx {
   public:
    explicit ReadTx(Connection& c) : c_(c) { c_.cached("BEGIN")->run(); }
    ~ReadTx() { sqlite3_exec(c_.handle(), "COMMIT", nullptr, nullptr, nullptr); }
    ReadTx(const ReadTx&) = delete;
    ReadTx& operator=(const ReadTx&) = delete;

   private:
    Connection& c_;
  };

  std::set<std::string> claimed_;  // jobs this process claimed: never lapsed
  bool looked_for_lapsed_ = false;

  // The source by id, else by name; the caller holds mutex_.
  std::optional<HarvestSource> read_source_row(std::string_view ref) {
    auto q = c_.cached(
        "SELECT id, name, title, url, type, frequency, config, owner_org, creator_user_id, "
        "state, created, modified, etag, last_modified FROM harvest_sources "
        "WHERE id = ?1 OR name = ?1 ORDER BY id = ?1 DESC LIMIT 1");
    q->bind_all(ref);
    if (!q->step()) return std::nullopt;
    return read_source(*q);
  }

  // Inserts the source (`insert`) or rewrites its row by id; the caller holds mutex_.
  void write_source(HarvestSource& s, bool insert) {
    s.modified = now_iso8601();
    if (insert) {
      if (s.id.empty()) s.id = new_id();
      if (s.created.empty()) s.created = s.modified;
    }
    auto q = c_.cached(
        insert ? "INSERT INTO harvest_sources (id, name, title, url, type, frequency, config, "
                 "owner_org, creator_user_id, state, created, modified, etag, last_modified) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
               : "UPDATE harvest_sources SET name = ?2, title = ?3, url = ?4, type = ?5, "
                 "frequency = ?6, config = ?7, owner_org = ?8, creator_user_id = ?9, state = ?10, "
                 "created = ?11, modified = ?12, etag = ?13, last_modified = ?14 WHERE id = ?1");
    q->bind_all(s.id, s.name, s.title, s.url, s.type, s.frequency, s.config, s.owner_org,
                s.creator_user_id, s.state, s.created, s.modified, s.etag, s.last_modified);
    try {
      q->run();
    } catch (const SqliteError& e) {
      if (e.code() == SQLITE_CONSTRAINT_UNIQUE)
        throw ValidationError("name", "A harvest source with this name already exists");
      throw;  // SQLITE_CONSTRAINT_PRIMARYKEY: put_source of an id already stored
    }
  }
};

}  // namespace

std::unique_ptr<HarvestRecords> open_sqlite_harvest_records(const std::string& path) {
  return std::make_unique<SqliteHarvestRecords>(path);
}

}  // namespace datamap::catalog

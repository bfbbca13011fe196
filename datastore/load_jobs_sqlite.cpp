// LoadJobs in one SQLite file, through the catalog's RAII connection (catalog/sqlite/connection.h).
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <stdexcept>

#include "catalog/ids.h"
#include "catalog/sqlite/connection.h"
#include "datastore/load_job_rows.h"
#include "datastore/load_jobs.h"

namespace datamap::datastore {
namespace {

using catalog::sqlite::Connection;
using catalog::sqlite::Statement;

class SqliteLoadJobs final : public LoadJobs {
 public:
  explicit SqliteLoadJobs(const std::string& path)
      : db_(path, Connection::Mode::kReadWrite), lock_path_(path + ".submit-lock") {
    db_.exec("PRAGMA journal_mode = WAL");
    db_.exec(
        "CREATE TABLE IF NOT EXISTS load_job ("
        " id TEXT PRIMARY KEY, resource_id TEXT NOT NULL, status TEXT NOT NULL,"
        " file_path TEXT NOT NULL, file_hash TEXT NOT NULL, format TEXT NOT NULL,"
        " rows_done INTEGER NOT NULL, total_rows INTEGER NOT NULL, error TEXT NOT NULL,"
        " error_line INTEGER NOT NULL, error_column INTEGER NOT NULL, created TEXT NOT NULL,"
        " started TEXT NOT NULL, finished TEXT NOT NULL);"
        "CREATE INDEX IF NOT EXISTS load_job_resource ON load_job(resource_id, created);"
        "CREATE INDEX IF NOT EXISTS load_job_status ON load_job(status, created);");
    // Files made before the load's full-text phase lack the column.
    Statement has(db_.handle(),
                  "SELECT 1 FROM pragma_table_info('load_job') WHERE name = 'phase'");
    if (!has.step()) db_.exec("ALTER TABLE load_job ADD COLUMN phase TEXT NOT NULL DEFAULT ''");
    // And files made before jobs recorded their claim (a runner in another process, `attach`,
    // learns from it that its job was replaced).
    Statement claimed(db_.handle(),
                      "SELECT 1 FROM pragma_table_info('load_job') WHERE name = 'claimed_by'");
    if (!claimed.step())
      db_.exec(
          "ALTER TABLE load_job ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';"
          "ALTER TABLE load_job ADD COLUMN claimed_until INTEGER NOT NULL DEFAULT 0");
    db_.exec(
        "CREATE TABLE IF NOT EXISTS fetch_validator ("
        " resource_id TEXT PRIMARY KEY, url TEXT NOT NULL, etag TEXT NOT NULL,"
        " last_modified TEXT NOT NULL, file_hash TEXT NOT NULL)");
  }

  ~SqliteLoadJobs() override {
    if (lock_fd_ >= 0) ::close(lock_fd_);
  }

  void exclusively(const std::string&, const std::function<void()>& body) override {
    // One lock for every resource: submits are rare and short. The mutex orders this object's
    // threads (they share the file description, which flock does not tell apart).
    std::lock_guard lock(submit_mutex_);
    if (lock_fd_ < 0) {
      lock_fd_ = ::open(lock_path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
      if (lock_fd_ < 0)
        throw std::runtime_error("cannot open " + lock_path_ + ": " + std::strerror(errno));
    }
    while (::flock(lock_fd_, LOCK_EX) != 0)
      if (errno != EINTR)
        throw std::runtime_error("cannot lock " + lock_path_ + ": " + std::strerror(errno));
    struct Unlock {
      int fd;
      ~Unlock() { ::flock(fd, LOCK_UN); }
    } unlock{lock_fd_};
    body();
  }

  void put(LoadJob& j) override {
    if (j.id.empty()) j.id = catalog::new_id();
    if (j.created.empty()) j.created = catalog::now_iso8601();
    std::lock_guard lock(mutex_);
    auto s = db_.cached(
        "INSERT OR REPLACE INTO load_job (id, resource_id, status, file_path, file_hash, format,"
        " rows_done, total_rows, error, error_line, error_column, created, started, finished,"
        " phase, claimed_by, claimed_until) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    s->bind_all(j.id, j.resource_id, j.status, j.file_path, j.file_hash, j.format, j.rows_done,
                j.total_rows, j.error, j.error_line, j.error_column, j.created, j.started,
                j.finished, j.phase, j.claimed_by, j.claimed_until);
    s->run();
  }

  std::optional<LoadJob> job(const std::string& id) override {
    return one("SELECT " DATAMAP_LOAD_JOB_COLUMNS " FROM load_job WHERE id = ?", id);
  }

  std::optional<LoadJob> latest(const std::string& resource_id) override {
    return one("SELECT " DATAMAP_LOAD_JOB_COLUMNS
               " FROM load_job WHERE resource_id = ? ORDER BY created DESC LIMIT 1",
               resource_id);
  }

  std::optional<LoadJob> last_complete(const std::string& resource_id) override {
    return one("SELECT " DATAMAP_LOAD_JOB_COLUMNS
               " FROM load_job WHERE resource_id = ? AND status = 'complete'"
               " ORDER BY created DESC LIMIT 1",
               resource_id);
  }

  std::vector<LoadJob> with_status(const std::string& status) override {
    std::lock_guard lock(mutex_);
    auto s = db_.cached("SELECT " DATAMAP_LOAD_JOB_COLUMNS
                        " FROM load_job WHERE status = ? ORDER BY created");
    s->bind(1, status);
    std::vector<LoadJob> out;
    while (s->step()) out.push_back(load_job_from(*s));
    return out;
  }

  bool set_progress(const std::string& id, std::int64_t rows_done, std::int64_t total_rows,
                    const std::string& phase) override {
    std::lock_guard lock(mutex_);
    auto s = db_.cached(
        "UPDATE load_job SET rows_done = ?, total_rows = ?, phase = ? WHERE id = ? AND "
        "status = 'running'");
    s->bind_all(rows_done, total_rows, phase, id);
    s->run();
    return db_.changes() > 0;
  }

  std::optional<LoadJob> claim_next(const LoadClaim& claim) override {
    std::lock_guard lock(mutex_);
    // One statement: SQLite's write lock makes it atomic across the processes on the file.
    auto s = db_.cached(
        "UPDATE load_job SET status = 'running', started = ?, claimed_by = ?, claimed_until = ? "
        "WHERE id = (SELECT id FROM load_job WHERE status = 'pending' ORDER BY created LIMIT 1) "
        "AND status = 'pending' RETURNING " DATAMAP_LOAD_JOB_COLUMNS);
    s->bind_all(catalog::now_iso8601(), claim.owner, claim.now + claim.lease_seconds);
    if (!s->step()) return std::nullopt;
    LoadJob j = load_job_from(*s);
    while (s->step()) {
    }
    return j;
  }

  bool renew(const std::string& id, const LoadClaim& claim) override {
    std::lock_guard lock(mutex_);
    auto s = db_.cached(
        "UPDATE load_job SET claimed_until = ? WHERE id = ? AND claimed_by = ? AND "
        "status = 'running'");
    s->bind_all(claim.now + claim.lease_seconds, id, claim.owner);
    s->run();
    return db_.changes() > 0;
  }

  std::vector<LoadJob> interrupt_abandoned(const LoadClaim& claim, bool starting,
                                           const std::string& why) override {
    std::lock_guard lock(mutex_);
    auto s = db_.cached(
        "UPDATE load_job SET status = 'error', error = ?, finished = ?, phase = '' "
        "WHERE status = 'running' AND (? OR claimed_until < ?) "
        "RETURNING " DATAMAP_LOAD_JOB_COLUMNS);
    s->bind_all(why, catalog::now_iso8601(), starting ? 1 : 0, claim.now);
    std::vector<LoadJob> out;
    while (s->step()) out.push_back(load_job_from(*s));
    std::sort(out.begin(), out.end(),
              [](const LoadJob& a, const LoadJob& b) { return a.created < b.created; });
    return out;
  }

  void remove(const std::string& resource_id) override {
    std::lock_guard lock(mutex_);
    auto s = db_.cached("DELETE FROM load_job WHERE resource_id = ?");
    s->bind(1, resource_id);
    s->run();
    auto v = db_.cached("DELETE FROM fetch_validator WHERE resource_id = ?");
    v->bind(1, resource_id);
    v->run();
  }

  void put_validators(const std::string& resource_id, const FetchValidators& v) override {
    std::lock_guard lock(mutex_);
    auto s = db_.cached(
        "INSERT OR REPLACE INTO fetch_validator (resource_id, url, etag, last_modified, file_hash)"
        " VALUES (?,?,?,?,?)");
    s->bind_all(resource_id, v.url, v.etag, v.last_modified, v.file_hash);
    s->run();
  }

  std::optional<FetchValidators> validators(const std::string& resource_id) override {
    std::lock_guard lock(mutex_);
    auto s = db_.cached(
        "SELECT url, etag, last_modified, file_hash FROM fetch_validator WHERE resource_id = ?");
    s->bind(1, resource_id);
    if (!s->step()) return std::nullopt;
    return FetchValidators{s->text(0), s->text(1), s->text(2), s->text(3)};
  }

 private:
  // `sql` selects DATAMAP_LOAD_JOB_COLUMNS with one parameter.
  std::optional<LoadJob> one(const char* sql, const std::string& key) {
    std::lock_guard lock(mutex_);
    auto s = db_.cached(sql);
    s->bind(1, key);
    if (!s->step()) return std::nullopt;
    return load_job_from(*s);
  }

  std::mutex mutex_;  // the connection is single-threaded (SQLITE_OPEN_NOMUTEX)
  Connection db_;
  const std::string lock_path_;
  std::mutex submit_mutex_;  // held by exclusively(), with the file's lock
  int lock_fd_ = -1;         // opened on first use
};

}  // namespace

std::unique_ptr<LoadJobs> open_sqlite_load_jobs(const std::string& path) {
  return std::make_unique<SqliteLoadJobs>(path);
}

}  // namespace datamap::datastore

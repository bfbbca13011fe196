#include "datastore/load_queue.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <ctime>
#include <thread>

#include "catalog/errors.h"
#include "catalog/ids.h"
#include "datastore/loader.h"
#include "datastore/profile_writer.h"

namespace datamap::datastore {
namespace {

// Thrown from the loader's progress callback to stop a load whose resource was deleted or
// replaced: the table writer is destroyed uncommitted, so the old table stays.
struct Aborted {
  std::string why;
};

constexpr auto kProgressEvery = std::chrono::milliseconds(250);

constexpr const char* kInterrupted =
    "interrupted: the server running the load stopped during it; queued again";

// Host and pid make a claim readable in the job row; the random part keeps two processes that
// reuse a pid apart.
std::string new_owner_id() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host) + ":" + std::to_string(::getpid()) + ":" +
         catalog::new_id().substr(0, 8);
}

}  // namespace

bool is_loadable_format(const std::string& format) {
  std::string f = format;
  std::transform(f.begin(), f.end(), f.begin(), [](unsigned char c) { return std::toupper(c); });
  if (!f.empty() && f.front() == '.') f.erase(0, 1);
  for (const char* x : {"CSV", "TSV", "XLSX", "XLS", "JSON", "ZIP"})
    if (f == x) return true;
  return false;
}

LoadQueue::LoadQueue(catalog::Store& store, TableStore& tables, LoadJobs& jobs,
                     LoadOptions base_options, LoadQueueSettings settings)
    : store_(store),
      tables_(tables),
      jobs_(jobs),
      base_options_(std::move(base_options)),
      settings_(settings),
      owner_(new_owner_id()),
      near_(store, tables,
            {base_options_.near_within_m, NearMeasurer::Options{}.candidates,
             base_options_.near_cache_bytes}) {
  if (const char* env = std::getenv("DATAMAP_LOAD_STEP_DELAY_MS");
      env && settings_.step_delay.count() == 0)
    settings_.step_delay = std::chrono::milliseconds(std::strtoll(env, nullptr, 10));
}

LoadQueue::~LoadQueue() {
  stop();
}

LoadClaim LoadQueue::claim() const {
  return {owner_, static_cast<std::int64_t>(std::time(nullptr)), settings_.lease_seconds};
}

void LoadQueue::recover(bool starting) {
  // A job left running by a process that stopped mid-load: record that, and load it again.
  for (const auto& job : jobs_.interrupt_abandoned(claim(), starting, kInterrupted)) {
    spdlog::warn("load of resource {} (job {}, run by {}) interrupted; queued again",
                 job.resource_id, job.id, job.claimed_by);
    if (store_.resource(job.resource_id)) {
      bool fresh = false;
      queue({job.resource_id, job.file_path, job.file_hash, job.format}, "pending", false, fresh);
    }
  }
}

void LoadQueue::start() {
  recover(true);
  {
    std::lock_guard lock(mutex_);
    shutting_down_ = false;
  }
  worker_.start();
}

void LoadQueue::stop() {
  {
    std::lock_guard lock(mutex_);
    shutting_down_ = true;
    for (auto& [id, cancel] : running_) cancel->store(true);
  }
  worker_.stop();
}

LoadJob LoadQueue::queue(const LoadRequest& request, const char* status, bool force, bool& fresh) {
  std::lock_guard lock(mutex_);
  LoadJob out;
  // Across processes too: another node's submit of this resource waits, then sees this job.
  jobs_.exclusively(request.resource_id,
                    [&] { out = queue_locked(request, status, force, fresh); });
  return out;
}

LoadJob LoadQueue::queue_locked(const LoadRequest& request, const char* status, bool force,
                                bool& fresh) {
  fresh = false;
  auto latest = jobs_.latest(request.resource_id);
  if (latest && (latest->status == "pending" || latest->status == "running")) {
    if (latest->file_hash == request.file_hash && !force) return *latest;  // already on it
    if (latest->status == "pending") {
      latest->status = "error";
      latest->error = "replaced by a newer upload before it started";
      latest->finished = catalog::now_iso8601();
      jobs_.put(*latest);
    } else if (auto it = running_.find(request.resource_id); it != running_.end()) {
      it->second->store(true);  // the worker records it as replaced
    } else {
      // Run by another process (a node of the cluster, `datamap attach`): its row says so, and
      // its runner stops at its next renewal.
      latest->status = "error";
      latest->error = "replaced by a newer upload during the load";
      latest->finished = catalog::now_iso8601();
      latest->phase.clear();
      jobs_.put(*latest);
    }
  }
  if (!force)
    if (auto done = jobs_.last_complete(request.resource_id);
        done && done->file_hash == request.file_hash && tables_.info(request.resource_id))
      return *done;  // the table holds these bytes already
  LoadJob job;
  job.resource_id = request.resource_id;
  job.file_path = request.file_path;
  job.file_hash = request.file_hash;
  job.format = request.format;
  job.status = status;
  job.created = catalog::now_iso8601();
  if (job.status == "running") {
    job.started = job.created;
    const LoadClaim mine = claim();
    job.claimed_by = mine.owner;
    job.claimed_until = mine.now + mine.lease_seconds;
    running_[job.resource_id] = std::make_shared<std::atomic<bool>>(false);
  }
  jobs_.put(job);
  fresh = true;
  return job;
}

LoadJob LoadQueue::submit(const LoadRequest& request, bool force) {
  bool fresh = false;
  LoadJob job = queue(request, "pending", force, fresh);
  if (fresh) worker_.wake();
  return job;
}

LoadJob LoadQueue::run_now(const LoadRequest& request, const Progress& progress, bool force) {
  // Stored as running at once, so a server's worker on the same data dir never picks it up.
  bool fresh = false;
  LoadJob job = queue(request, "running", force, fresh);
  if (!fresh) return job;
  return run(std::move(job), progress);
}

std::optional<LoadJob> LoadQueue::status(const std::string& resource_id) {
  return jobs_.latest(resource_id);
}

void LoadQueue::forget(const std::string& resource_id) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = running_.find(resource_id); it != running_.end()) it->second->store(true);
    jobs_.remove(resource_id);
  }
  near_.forget(resource_id);
  tables_.drop(resource_id);
}

std::chrono::milliseconds LoadQueue::run_next() {
  std::optional<LoadJob> next;
  {
    std::lock_guard lock(mutex_);
    if (shutting_down_) return std::chrono::seconds(5);
  }
  try {
    recover(false);  // leases that lapsed: their nodes died mid-load
  } catch (const std::exception& e) {
    spdlog::error("load queue: {}", e.what());
  }
  {
    std::lock_guard lock(mutex_);
    if (shutting_down_) return std::chrono::seconds(5);
    try {
      // Claimed (running) under the lock: a submit() from now on aborts it instead.
      next = jobs_.claim_next(claim());
      if (next) running_[next->resource_id] = std::make_shared<std::atomic<bool>>(false);
    } catch (const std::exception& e) {
      spdlog::error("load queue: {}", e.what());
    }
  }
  // Nothing pending: look again soon even without a wake, for jobs another process queued and
  // leases that lapse (within half a lease, 1 to 5 s).
  if (!next)
    return std::chrono::seconds(std::clamp<std::int64_t>(settings_.lease_seconds / 2, 1, 5));
  run(std::move(*next), nullptr);
  return std::chrono::milliseconds(0);
}

LoadJob LoadQueue::run(LoadJob job, const Progress& progress) {
  std::shared_ptr<std::atomic<bool>> cancel;
  {
    std::lock_guard lock(mutex_);
    cancel = running_[job.resource_id];  // set when the job was marked running
    if (!cancel) cancel = running_[job.resource_id] = std::make_shared<std::atomic<bool>>(false);
  }
  // The claim is renewed while the job runs; a renewal refused (replaced or deleted on another
  // node, or interrupted there after this process stalled past its lease) stops the load.
  std::mutex renew_mutex;
  std::condition_variable renew_wake;
  bool done = false;
  std::thread renewer([&, id = job.id] {
    const auto every =
        std::chrono::milliseconds(std::max<std::int64_t>(200, settings_.lease_seconds * 1000 / 3));
    std::unique_lock lock(renew_mutex);
    while (!renew_wake.wait_for(lock, every, [&] { return done; })) {
      try {
        if (!jobs_.renew(id, claim())) cancel->store(true);
      } catch (const std::exception& e) {
        // The records unreachable for a moment: the lease has room for the next attempt.
        spdlog::warn("load of job {}: lease not renewed: {}", id, e.what());
      }
    }
  });
  struct StopRenewer {
    std::mutex& m;
    std::condition_variable& cv;
    bool& done;
    std::thread& t;
    ~StopRenewer() {
      {
        std::lock_guard lock(m);
        done = true;
      }
      cv.notify_all();
      t.join();
    }
  } stop_renewer{renew_mutex, renew_wake, done, renewer};
  auto started = std::chrono::steady_clock::now();
  auto last_report = started;
  try {
    // Deleted while it waited: no work for a table nobody can reach.
    if (!store_.resource(job.resource_id))
      throw Aborted{"aborted: the resource was deleted during the load"};
    LoadOptions options = base_options_;
    options.abort = cancel.get();
    options.progress = [&](const LoadProgress& p) {
      if (settings_.step_delay.count() > 0) std::this_thread::sleep_for(settings_.step_delay);
      // The pass over the file counts the rows (and writes them); "load" is their commit, or a
      // second pass writing them.
      if (std::string_view(p.phase) == "profile") {
        job.total_rows = p.rows;
        job.rows_done = 0;
      } else {
        job.rows_done = p.rows;
      }
      auto now = std::chrono::steady_clock::now();
      const bool new_phase = job.phase != p.phase;  // shown at once: it says what is queryable
      if (!new_phase && now - last_report < kProgressEvery) return;
      last_report = now;
      job.phase = p.phase;
      // A row no longer running was replaced or deleted by another process: stop here, sooner
      // than the next renewal.
      if (!jobs_.set_progress(job.id, job.rows_done, job.total_rows, job.phase))
        cancel->store(true);
      if (progress) progress(job);
    };
    // The rows are queryable: the profile goes into the catalog now (datastore_active), before
    // the full-text phase.
    options.rows_ready = [&](const LoadResult& result) {
      job.rows_done = result.rows;
      job.total_rows = result.rows;
      if (cancel->load()) throw Aborted{"aborted: the resource was deleted or replaced"};
      try {
        // Near pairs (near.h) are measured on the committed rows' points, against resources
        // already loaded, and go into the catalog with the profile.
        auto resource = store_.resource(job.resource_id);
        if (!resource) throw NotFound("Resource not found");
        catalog::PointSummary points = near_.measure(job.resource_id, resource->package_id);
        write_profile(store_, job.resource_id, result.columns, &result.validation, &points);
        near_.remember(job.resource_id, resource->package_id, points);
      } catch (const NotFound&) {
        tables_.drop(job.resource_id);  // deleted while loading: its table must not outlive it
        throw Aborted{"aborted: the resource was deleted during the load"};
      }
    };
    options.organization_by_code = [this](std::string_view code) -> std::string {
      if (auto org = store_.organization(code); org && org->code == code) return org->id;
      return "";
    };
    std::string path = job.file_path;
    if (settings_.files && is_sha256_hex(job.file_hash))
      if (auto stored = settings_.files->find(job.file_hash)) path = stored->path;
    load_file(path, job.format, tables_, job.resource_id, options);
    job.status = "complete";
  } catch (const LoadError& e) {
    job.status = "error";
    if (cancel->load()) {
      job.error = "aborted: the resource was deleted or replaced";
      job.error_line = job.error_column = 0;
    } else {
      job.error = e.what();
      job.error_line = e.line;
      job.error_column = e.column;
      // Where, in the message too: it is what a person reads first.
      if (e.line > 0)
        job.error += " (line " + std::to_string(e.line) +
                     (e.column > 0 ? ", column " + std::to_string(e.column) : "") + ")";
    }
  } catch (const Aborted& a) {
    job.status = "error";
    job.error = a.why;
  } catch (const std::exception& e) {
    job.status = "error";
    job.error = e.what();
  }
  {
    std::lock_guard lock(mutex_);
    if (shutting_down_ && job.status == "error" && cancel->load()) {
      // Stopped by shutdown, not by the resource: the next start() loads it again.
      job.status = "pending";
      job.error = "interrupted by a shutdown; queued again";
      job.rows_done = 0;
    }
  }
  job.phase.clear();
  if (job.status != "pending") job.finished = catalog::now_iso8601();
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (job.status == "pending")
    spdlog::info("load of resource {} interrupted by shutdown", job.resource_id);
  else if (job.status == "complete")
    spdlog::info("load of resource {}: {} rows in {:.2f} s", job.resource_id, job.rows_done,
                 seconds);
  else
    spdlog::warn("load of resource {} failed: {}", job.resource_id, job.error);
  {
    std::lock_guard lock(mutex_);
    running_.erase(job.resource_id);
    // forget() removed the records of a deleted resource: do not bring them back.
    if (jobs_.job(job.id)) jobs_.put(job);
  }
  if (progress) progress(job);
  return job;
}

}  // namespace datamap::datastore

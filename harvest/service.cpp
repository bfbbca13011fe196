#include "harvest/service.h"

#include <algorithm>
#include <ctime>

#include "catalog/errors.h"
#include "catalog/ids.h"

namespace datamap::harvest {
namespace {

std::int64_t period_seconds(const std::string& frequency) {
  if (frequency == "HOURLY") return 3600;
  if (frequency == "DAILY") return 86400;
  if (frequency == "WEEKLY") return 7 * 86400;
  return -1;
}

std::time_t parse_utc(const std::string& iso) {
  std::tm tm{};
  if (iso.size() < 19 || !strptime(iso.substr(0, 19).c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) return 0;
  return timegm(&tm);
}

std::string format_utc(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return buf;
}

}  // namespace

HarvestService::HarvestService(catalog::Store& store, catalog::HarvestRecords& records,
                               HarvestSettings settings)
    : store_(store),
      records_(records),
      settings_(settings),
      fetcher_(settings.fetch),
      runner_(store, records, fetcher_, settings),
      owner_(catalog::new_id()) {}

catalog::JobClaim HarvestService::claim() const {
  return {owner_, static_cast<std::int64_t>(std::time(nullptr)), settings_.claim_seconds};
}

HarvestService::~HarvestService() { stop(); }

void HarvestService::start() {
  fail_interrupted_jobs(records_);
  std::lock_guard lock(mutex_);
  if (worker_.joinable()) return;
  stopping_ = false;
  worker_ = std::thread([this] { loop(); });
}

void HarvestService::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (auto& [id, cancel] : running_) cancel->store(true);
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

catalog::HarvestJob HarvestService::create_job(const std::string& source_id) {
  catalog::HarvestJob job = queue_job(source_id, false);
  wake_.notify_all();
  return job;
}

catalog::HarvestJob HarvestService::queue_job(const std::string& source_id, bool run_here) {
  auto source = records_.source(source_id);
  if (!source || source->state != "active") throw NotFound("Harvest source not found");
  const catalog::JobClaim mine = claim();
  // One transaction in the records: two nodes asked at once queue one job between them.
  auto job = records_.queue_job(source->id, "", run_here ? &mine : nullptr);
  if (!job)
    throw ValidationError("source_id", "There already is an unfinished job for this source");
  return *job;
}

bool HarvestService::abort_job(const std::string& job_id) {
  std::lock_guard lock(mutex_);
  if (auto it = running_.find(job_id); it != running_.end()) {
    it->second->store(true);
    return true;
  }
  // Not running here: New, or Running on another node, which reads the row and stops. One
  // conditional update, so a job that ended meanwhile keeps its end.
  auto job = records_.job(job_id);
  if (!job) return false;
  return records_.abort_job(job_id, job->status == "New" ? "aborted before it started" : "aborted");
}

catalog::HarvestJob HarvestService::run_now(
    const std::string& source_id, const std::function<void(const JobProgress&)>& progress) {
  // Stored Running and claimed at once, so no server's worker on the same catalog picks it up.
  return run_job(queue_job(source_id, true), progress);
}

catalog::HarvestJob HarvestService::run_job(
    catalog::HarvestJob job, const std::function<void(const JobProgress&)>& progress) {
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  {
    std::lock_guard lock(mutex_);
    running_[job.id] = cancel;
  }
  // The claim is renewed while the job runs; a claim lost (this process stalled longer than the
  // lease and another failed the job) stops the run. In between, the job's row is watched: a
  // job aborted on another node stops here within settings_.watch.
  std::mutex renew_mutex;
  std::condition_variable renew_wake;
  bool done = false;
  std::thread renewer([&, id = job.id] {
    const auto every = std::chrono::seconds(std::max<std::int64_t>(1, settings_.claim_seconds / 5));
    auto renew_at = std::chrono::steady_clock::now() + every;
    std::unique_lock lock(renew_mutex);
    while (!renew_wake.wait_for(lock, std::min<std::chrono::milliseconds>(settings_.watch, every),
                                [&] { return done; })) {
      try {
        if (std::chrono::steady_clock::now() >= renew_at) {
          renew_at = std::chrono::steady_clock::now() + every;
          if (records_.renew_claims(claim(), {id}).empty()) cancel->store(true);
        } else if (auto row = records_.job(id); row && row->status != "Running") {
          cancel->store(true);
        }
      } catch (const std::exception&) {
        // The catalog unreachable for a moment: the lease has room for the next attempt.
      }
    }
  });
  catalog::HarvestJob finished;
  const std::string id = job.id;
  try {
    finished = runner_.run(std::move(job), cancel, progress);
  } catch (...) {
    {
      std::lock_guard lock(renew_mutex);
      done = true;
    }
    renew_wake.notify_all();
    renewer.join();
    std::lock_guard lock(mutex_);
    running_.erase(id);
    throw;
  }
  {
    std::lock_guard lock(renew_mutex);
    done = true;
  }
  renew_wake.notify_all();
  renewer.join();
  {
    std::lock_guard lock(mutex_);
    running_.erase(finished.id);
  }
  if (finished.status == "Finished" && settings_.after_job)
    if (auto source = records_.source(finished.source_id)) settings_.after_job(*source, finished);
  return finished;
}

std::string HarvestService::next_run(const catalog::HarvestSource& source) {
  std::int64_t period = period_seconds(source.frequency);
  if (period < 0 || source.state != "active") return "";
  auto jobs = records_.jobs(source.id, 1);
  if (jobs.empty()) return catalog::now_iso8601().substr(0, 19);
  return format_utc(parse_utc(jobs.front().created) + period);
}

void HarvestService::schedule_due_sources() {
  std::time_t now = std::time(nullptr);
  for (const auto& source : records_.sources("")) {
    std::int64_t period = period_seconds(source.frequency);
    if (period < 0) continue;
    // Due unless a job is unfinished or was created within the period: checked and queued in
    // one transaction, so every node's scheduler may ask and one job is queued.
    try {
      records_.queue_job(source.id, format_utc(now - static_cast<std::time_t>(period)), nullptr);
    } catch (const NotFound&) {
      // deleted since it was listed
    }
  }
}

void HarvestService::take_over_lapsed_jobs() {
  // The Running jobs before: those failed now as interrupted are the ones whose node died.
  const auto running = records_.jobs_with_status("Running");
  if (running.empty() || fail_interrupted_jobs(records_) == 0) return;
  for (const auto& before : running) {
    auto now = records_.job(before.id);
    if (!now || now->status != "Failed" || !now->error.starts_with("interrupted")) continue;
    try {
      // New, for any node's harvester (this one's next claim, as likely as not).
      records_.queue_job(before.source_id, "", nullptr);
    } catch (const NotFound&) {
      // the source was deleted: nothing to redo
    }
  }
}

void HarvestService::loop() {
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    try {
      // Another node's job whose claim lapsed (that node died) is closed and redone here.
      take_over_lapsed_jobs();
      schedule_due_sources();
      // Claimed one at a time: a job is taken by one harvester, whichever node queued it.
      for (;;) {
        {
          std::lock_guard lock(mutex_);
          if (stopping_) return;
        }
        auto job = records_.claim_next_job(claim());
        if (!job) break;
        run_job(*job, nullptr);
      }
    } catch (const std::exception&) {
      // A store that cannot be read now (locked, disk full) is retried on the next round.
    }
    std::unique_lock lock(mutex_);
    if (stopping_) return;
    bool more = false;
    try {
      more = !records_.jobs_with_status("New").empty();
    } catch (const std::exception&) {
    }
    // Never longer than a lease: a job whose node died is taken over soon after it lapses.
    if (!more)
      wake_.wait_for(lock, std::min<std::chrono::milliseconds>(
                               settings_.poll, std::chrono::seconds(settings_.claim_seconds)));
  }
}

}  // namespace datamap::harvest

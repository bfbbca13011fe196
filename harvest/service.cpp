#include "harvest/service.h"

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
      runner_(store, records, fetcher_, settings) {}

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
  catalog::HarvestJob job = queue_job(source_id, "New");
  wake_.notify_all();
  return job;
}

catalog::HarvestJob HarvestService::queue_job(const std::string& source_id,
                                              const std::string& status) {
  auto source = records_.source(source_id);
  if (!source || source->state != "active") throw NotFound("Harvest source not found");
  std::lock_guard lock(mutex_);
  for (const char* s : {"New", "Running"})
    for (const auto& j : records_.jobs_with_status(s))
      if (j.source_id == source->id)
        throw ValidationError("source_id", "There already is an unfinished job for this source");
  catalog::HarvestJob job;
  job.source_id = source->id;
  job.status = status;
  records_.put_job(job);
  return job;
}

bool HarvestService::abort_job(const std::string& job_id) {
  std::lock_guard lock(mutex_);
  if (auto it = running_.find(job_id); it != running_.end()) {
    it->second->store(true);
    return true;
  }
  auto job = records_.job(job_id);
  if (!job || job->status != "New") return false;
  job->status = "Aborted";
  job->error = "aborted before it started";
  job->finished = catalog::now_iso8601();
  records_.put_job(*job);
  return true;
}

catalog::HarvestJob HarvestService::run_now(
    const std::string& source_id, const std::function<void(const JobProgress&)>& progress) {
  // Stored as Running at once, so a server's worker on the same catalog never picks it up.
  return run_job(queue_job(source_id, "Running"), progress);
}

catalog::HarvestJob HarvestService::run_job(
    catalog::HarvestJob job, const std::function<void(const JobProgress&)>& progress) {
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  {
    std::lock_guard lock(mutex_);
    running_[job.id] = cancel;
  }
  catalog::HarvestJob done = runner_.run(std::move(job), cancel, progress);
  {
    std::lock_guard lock(mutex_);
    running_.erase(done.id);
  }
  if (done.status == "Finished" && settings_.after_job)
    if (auto source = records_.source(done.source_id)) settings_.after_job(*source, done);
  return done;
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
    auto jobs = records_.jobs(source.id, 1);
    if (!jobs.empty()) {
      const auto& last = jobs.front();
      if (last.status == "New" || last.status == "Running") continue;
      if (parse_utc(last.created) + period > now) continue;
    }
    new_job(records_, source.id);
  }
}

void HarvestService::loop() {
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    try {
      schedule_due_sources();
      auto queued = records_.jobs_with_status("New");
      for (auto& job : queued) {
        {
          std::lock_guard lock(mutex_);
          if (stopping_) return;
        }
        auto fresh = records_.job(job.id);  // it may have been aborted meanwhile
        if (fresh && fresh->status == "New") run_job(*fresh, nullptr);
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
    if (!more) wake_.wait_for(lock, std::chrono::seconds(30));
  }
}

}  // namespace datamap::harvest

// The harvester inside the server: a queue of jobs run one at a time on a worker thread, and a
// scheduler that queues a job for every active source whose frequency (HOURLY, DAILY, WEEKLY)
// has come round since its last job. MANUAL sources run only when asked (harvest_job_create).
// On start, jobs a previous process left Running are marked Failed (fail_interrupted_jobs).
// Several nodes on one PostgreSQL catalog: a job is run by the node that claims it; a job whose
// node died (its claim lapsed) is failed as interrupted by the next node's round and its source
// queued again, so that node does the work; a job aborted on any node stops where it runs.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "catalog/harvest_records.h"
#include "catalog/store.h"
#include "harvest/job_runner.h"
#include "net/fetcher.h"

namespace datamap::harvest {

class HarvestService {
 public:
  HarvestService(catalog::Store& store, catalog::HarvestRecords& records, HarvestSettings settings);
  ~HarvestService();  // stop()
  HarvestService(const HarvestService&) = delete;
  HarvestService& operator=(const HarvestService&) = delete;

  // Recovers interrupted jobs, then starts the worker and scheduler thread.
  void start();
  // Aborts the running job and joins the worker.
  void stop();

  catalog::HarvestRecords& records() { return records_; }
  catalog::Store& store() { return store_; }

  // Queues a New job for the source and wakes the worker. Throws ValidationError when the
  // source already has a New or Running job, NotFound when the source does not exist.
  catalog::HarvestJob create_job(const std::string& source_id);
  // Aborts a New or Running job, whichever node runs it (that node sees the job row change
  // within settings.watch and stops); false when the job is not New or Running.
  bool abort_job(const std::string& job_id);
  // Runs a job for the source now, on this thread (the CLI), with optional progress.
  catalog::HarvestJob run_now(const std::string& source_id,
                              const std::function<void(const JobProgress&)>& progress = nullptr);

  // When the scheduler would queue the source's next job (ISO 8601), "" for MANUAL.
  std::string next_run(const catalog::HarvestSource& source);

 private:
  // run_here: stored Running, claimed by this service (run_now); else New, for any node.
  catalog::HarvestJob queue_job(const std::string& source_id, bool run_here);
  catalog::JobClaim claim() const;
  void loop();
  void schedule_due_sources();
  // Fails the jobs whose claim lapsed (their node died) and queues their sources again.
  void take_over_lapsed_jobs();
  catalog::HarvestJob run_job(catalog::HarvestJob job,
                              const std::function<void(const JobProgress&)>& progress);

  catalog::Store& store_;
  catalog::HarvestRecords& records_;
  HarvestSettings settings_;
  net::Fetcher fetcher_;
  JobRunner runner_;
  const std::string owner_;  // this service's claims

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::map<std::string, net::CancelToken> running_;  // job id -> its cancel token
  std::thread worker_;
};

}  // namespace datamap::harvest

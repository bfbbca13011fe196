// Runs one harvest job: gather (the source type lists the remote catalog) -> fetch (records
// arrive with their pages) -> import (the importer's Upserter: same validation, same change
// log as every other write). Every remote record becomes a HarvestObject whose state moves
// WAITING/IMPORT -> COMPLETE or ERROR, with the reason. The job's report counts added /
// updated / not modified / deleted / errored.
//
// Deduplication: a record is matched to an existing dataset by (1) this source's provenance,
// (2) the same identifier (source_key) or dataset id, (3) the same normalised landing page
// given by exactly one dataset of another source of the same agency. A dataset another source
// of the same agency owns gets a second provenance and keeps its owner's content; any other
// dataset this source did not create is an object error and is never written (import_stage.h).
//
// Deletions happen only after a gather that saw the whole source (never after a failed,
// aborted or 304 job): datasets this source alone gave and no longer lists are deleted (CKAN
// semantics: state "deleted"); a dataset still given by another source of the same agency
// stays, and that source becomes its owner.
//
// The job writes its own row (status, counters) and, at the end, only the fetch validators of
// its source (put_source_validators): never the source row it read at its start.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "catalog/harvest_records.h"
#include "catalog/store.h"
#include "net/fetcher.h"

namespace datamap::harvest {

struct HarvestSettings {
  net::FetchOptions fetch;
  std::string spool_dir;  // spool files (mkstemp); "" = the system's temporary directory
  // Records per import transaction: larger batches write each touched index page once for many
  // records (2,000 vs 100: 4.3x faster, see docs/BENCHMARKS.md "Harvest") but hold the
  // catalog's write lock longer (API writes wait).
  std::size_t batch_size = 2000;
  int keep_object_jobs = 5;       // objects of older jobs are pruned
  int overlap_minutes = 120;      // incremental CKAN: re-read this much before the last job
  // How long a harvester's claim on a running job lasts without renewal (catalog/
  // harvest_records.h): a node that dies mid-job leaves its job to be failed this long after.
  // The claim is renewed every claim_seconds / 5 while the job runs.
  std::int64_t claim_seconds = 300;
  // How often a running job's row is read to see whether it was aborted on another node (or
  // failed as lapsed): the run stops within about this long.
  std::chrono::milliseconds watch{1000};
  // How long the server's harvester sleeps when no job is queued (a job queued on this node wakes
  // it at once; one queued on another node is found at the next round). It sleeps no longer
  // than claim_seconds, so a job whose node died is taken over within about two leases.
  std::chrono::milliseconds poll{30'000};
  // Called after every job that ends Finished, on the harvester's thread (the server fetches
  // the resources of sources whose config asks for it here). Must not throw.
  std::function<void(const catalog::HarvestSource&, const catalog::HarvestJob&)> after_job;
};

struct JobProgress {
  std::int64_t done = 0;    // records handed over by the source so far
  std::int64_t total = -1;  // records (or bytes) expected; -1 unknown
  std::int64_t added = 0, updated = 0, unchanged = 0, errored = 0;
};

class JobRunner {
 public:
  JobRunner(catalog::Store& store, catalog::HarvestRecords& records, net::Fetcher& fetcher,
            HarvestSettings settings);

  // Runs `job` (status New) to its end and returns it as stored: Finished, Failed or Aborted.
  // Remote faults and bad records never throw; they end in job.error or the objects' errors.
  catalog::HarvestJob run(catalog::HarvestJob job, net::CancelToken cancel = nullptr,
                          const std::function<void(const JobProgress&)>& progress = nullptr);

 private:
  catalog::Store& store_;
  catalog::HarvestRecords& records_;
  net::Fetcher& fetcher_;
  HarvestSettings settings_;
};

// Creates a New job for the source (and stores it).
catalog::HarvestJob new_job(catalog::HarvestRecords& records, const std::string& source_id);

// Jobs left Running by a process that stopped (whose claim lapsed: catalog/harvest_records.h):
// marked Failed, their open objects ERROR. Nothing is half-imported (each dataset is written in
// one transaction) and no deletions were applied; the next job harvests the source again.
// Returns how many jobs were closed.
int fail_interrupted_jobs(catalog::HarvestRecords& records);

}  // namespace datamap::harvest

#include "harvest/job_runner.h"

#include <ctime>
#include <filesystem>

#include "catalog/ids.h"
#include "catalog/untrusted_json.h"
#include "harvest/import_stage.h"
#include "harvest/sources/source_type.h"

namespace datamap::harvest {
namespace {

// ISO 8601 UTC `minutes` before `iso` (as now_iso8601 writes it); "" when unparseable.
std::string minus_minutes(const std::string& iso, int minutes) {
  std::tm tm{};
  if (iso.size() < 19 || !strptime(iso.substr(0, 19).c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) return "";
  std::time_t t = timegm(&tm) - static_cast<std::time_t>(minutes) * 60;
  std::tm out{};
  gmtime_r(&t, &out);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &out);
  return buf;
}

}  // namespace

JobRunner::JobRunner(catalog::Store& store, catalog::HarvestRecords& records, net::Fetcher& fetcher,
                     HarvestSettings settings)
    : store_(store), records_(records), fetcher_(fetcher), settings_(std::move(settings)) {
  if (settings_.spool_dir.empty())
    settings_.spool_dir = std::filesystem::temp_directory_path().string();
}

catalog::HarvestJob new_job(catalog::HarvestRecords& records, const std::string& source_id) {
  catalog::HarvestJob job;
  job.source_id = source_id;
  job.status = "New";
  records.put_job(job);
  return job;
}

int fail_interrupted_jobs(catalog::HarvestRecords& records) {
  return records.fail_lapsed_jobs(
      std::time(nullptr),
      "interrupted: the process stopped while this job ran; every dataset written is complete, "
      "no deletions were applied, and the next job harvests the source again");
}

catalog::HarvestJob JobRunner::run(catalog::HarvestJob job, net::CancelToken cancel,
                                   const std::function<void(const JobProgress&)>& progress) {
  if (!cancel) cancel = std::make_shared<std::atomic<bool>>(false);
  job.status = "Running";
  job.started = catalog::now_iso8601();
  records_.put_job(job);

  auto end = [&](const std::string& status, const std::string& error) {
    job.status = status;
    if (!error.empty()) job.error = error;
    job.finished = catalog::now_iso8601();
    if (status != "Finished") job.errored += records_.fail_open_objects(job.id, job.error);
    records_.put_job(job);
    records_.prune_objects(job.source_id, settings_.keep_object_jobs);
    return job;
  };

  std::optional<catalog::HarvestSource> source = records_.source(job.source_id);
  if (!source) return end("Failed", "harvest source " + job.source_id + " not found");
  // A job queued while its source was being deleted (harvest_source_delete aborts the jobs it
  // sees, after the delete) does not run.
  if (source->state != "active")
    return end("Aborted", "harvest source " + source->name + " was deleted");
  std::unique_ptr<SourceType> type = make_source_type(source->type);
  if (!type) return end("Failed", "unknown source type \"" + source->type + "\"");
  rapidjson::Document config;
  auto config_error =
      catalog::parse_untrusted_json(source->config.empty() ? "{}" : source->config, config);
  if (config_error || !config.IsObject())
    return end("Failed", "the source's config is not a JSON object" +
                             (config_error ? ": " + config_error->message() : std::string()));

  std::optional<catalog::HarvestJob> last = records_.last_finished_job(source->id);
  if (source->type == "ckan" && last && !config_bool(config, "full", false)) {
    int overlap = static_cast<int>(config_int(config, "overlap_minutes", settings_.overlap_minutes));
    job.since = minus_minutes(last->started, overlap);
  }
  records_.put_job(job);

  try {
    ImportStage stage(store_, records_, *source, job, config, settings_.batch_size);
    GatherContext ctx{fetcher_, *source, config, job.since, settings_.spool_dir, cancel,
                      last ? source->etag : "", last ? source->last_modified : "", nullptr,
                      nullptr};
    ctx.still_there = [&](const std::vector<std::string>& ids) {
      records_.mark_seen(source->id, ids, job.id);
    };
    JobProgress p;
    ctx.progress = [&](std::int64_t done, std::int64_t total) {
      p.done = done;
      p.total = total;
    };
    GatherResult result = type->gather(ctx, [&](HarvestItem&& item) {
      if (cancel->load()) return false;
      stage.add(std::move(item));
      if (progress) {
        p.added = job.added;
        p.updated = job.updated;
        p.unchanged = job.unchanged;
        p.errored = job.errored;
        progress(p);
      }
      return true;
    });
    if (!cancel->load()) stage.flush();
    job.gather_finished = catalog::now_iso8601();
    if (cancel->load()) return end("Aborted", "aborted");
    if (!result.ok) return end("Failed", result.error);
    if (result.not_modified) {
      // An unchanged remote: every record this source gives stands as it is.
      job.not_modified = true;
      job.unchanged = records_.count_provenances(source->id);
      return end("Finished", "");
    }
    job.error = result.error;  // a note (e.g. the deletion check failed), the job still counts
    job.complete_listing = result.complete_listing;
    if (result.complete_listing) stage.delete_unseen();
    // Only the validators: the source row may have been updated or deleted while this ran.
    records_.put_source_validators(source->id, result.etag, result.last_modified);
    return end("Finished", "");
  } catch (const std::exception& e) {
    return end("Failed", std::string("harvest stopped: ") + e.what());
  }
}

}  // namespace datamap::harvest

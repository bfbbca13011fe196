#include "app/harvest_wiring.h"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "catalog/untrusted_json.h"

namespace datamap::app {

harvest::HarvestSettings harvest_settings(const api::Config& config) {
  const api::HarvestConfig& c = config.harvest;
  harvest::HarvestSettings s;
  // Spool files live in the data directory, not a world-writable /tmp (harvest/sources SpoolFile).
  s.spool_dir = (std::filesystem::path(config.data.dir) / "tmp").string();
  s.fetch.policy = net::AddressPolicy(c.allow_hosts);
  s.fetch.connect_timeout = std::chrono::seconds(c.connect_timeout_s);
  s.fetch.total_timeout = std::chrono::seconds(c.timeout_s);
  s.fetch.max_bytes = c.max_bytes;
  s.fetch.max_memory_bytes = c.max_memory_bytes;
  s.fetch.max_redirects = c.max_redirects;
  s.fetch.max_attempts = c.max_attempts;
  s.fetch.per_host_connections = c.per_host_connections;
  s.fetch.politeness_delay = std::chrono::milliseconds(c.politeness_delay_ms);
  s.batch_size = static_cast<std::size_t>(c.batch_size);
  s.claim_seconds = c.job_lease_s;
  return s;
}

namespace {

bool asks_for_resources(const catalog::HarvestSource& source) {
  if (source.config.empty()) return false;
  rapidjson::Document config;
  if (catalog::parse_untrusted_json(source.config, config) || !config.IsObject()) return false;
  auto it = config.FindMember("fetch_resources");
  return it != config.MemberEnd() && it->value.IsBool() && it->value.GetBool();
}

}  // namespace

std::function<void(const catalog::HarvestSource&, const catalog::HarvestJob&)>
fetch_resources_after_job(catalog::HarvestRecords& records, catalog::Store& store,
                          datastore::ResourceFetcher& fetcher) {
  return [&records, &store, &fetcher](const catalog::HarvestSource& source,
                                      const catalog::HarvestJob& job) {
    if (!asks_for_resources(source)) return;
    try {
      std::size_t queued = 0;
      constexpr std::int64_t kPage = 500;
      for (std::int64_t offset = 0;; offset += kPage) {
        auto objects = records.objects(job.id, "COMPLETE", offset, kPage);
        for (const auto& o : objects) {
          if (o.dataset_id.empty() || o.report_status == "deleted") continue;
          auto d = store.dataset(o.dataset_id);
          if (!d || d->state != "active") continue;
          for (const auto& r : d->resources) queued += fetcher.enqueue(r);
        }
        if (static_cast<std::int64_t>(objects.size()) < kPage) break;
      }
      spdlog::info("harvest source {}: {} resources queued for fetching", source.name, queued);
    } catch (const std::exception& e) {
      spdlog::error("harvest source {}: resources not fetched: {}", source.name, e.what());
    }
  };
}

}  // namespace datamap::app

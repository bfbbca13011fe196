#include "app/harvest_wiring.h"

#include <filesystem>

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
  return s;
}

}  // namespace datamap::app

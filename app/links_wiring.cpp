#include "app/links_wiring.h"

namespace datamap::app {

quality::LinkCheckerSettings link_checker_settings(const api::Config& config) {
  const api::LinksConfig& c = config.links;
  quality::LinkCheckerSettings s;
  s.policy = net::AddressPolicy(config.harvest.allow_hosts);
  s.interval = std::chrono::seconds(c.interval_s);
  s.per_host_connections = c.per_host_connections;
  s.per_host_rate = c.per_host_rate;
  s.timeout = std::chrono::seconds(c.timeout_s);
  return s;
}

}  // namespace datamap::app

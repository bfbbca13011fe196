#include "api/config.h"

#include <filesystem>
#include <stdexcept>
#include <toml.hpp>

#include "search/service.h"

namespace datamap::api {
namespace {

template <typename T>
void read(const toml::value& table, const char* section, const char* key, T& out) {
  if (!table.contains(section)) return;
  const auto& s = table.at(section);
  if (!s.is_table() || !s.contains(key)) return;
  out = toml::get<T>(s.at(key));
}

}  // namespace

Config load_config(const std::string& path) {
  if (!std::filesystem::exists(path)) throw std::runtime_error("config file not found: " + path);
  Config c;
  c.source = path;
  try {
    const toml::value root = toml::parse(path);
    read(root, "server", "host", c.server.host);
    read(root, "server", "port", c.server.port);
    read(root, "server", "threads", c.server.threads);
    std::int64_t max_body = static_cast<std::int64_t>(c.server.max_body_bytes);
    read(root, "server", "max_body_bytes", max_body);
    if (max_body <= 0) throw std::runtime_error("server.max_body_bytes must be positive");
    c.server.max_body_bytes = static_cast<std::size_t>(max_body);
    std::int64_t max_upload = static_cast<std::int64_t>(c.server.max_upload_bytes);
    read(root, "datastore", "max_upload_bytes", max_upload);
    if (max_upload <= 0) throw std::runtime_error("datastore.max_upload_bytes must be positive");
    c.server.max_upload_bytes = static_cast<std::size_t>(max_upload);
    read(root, "server", "request_timeout_seconds", c.server.request_timeout_seconds);
    read(root, "data", "dir", c.data.dir);
    read(root, "catalog", "url", c.catalog.url);
    // A number of metres, written as 300 or 300.0.
    toml::value near = toml::value(c.data.near_within_meters);
    read(root, "datastore", "near_within_meters", near);
    c.data.near_within_meters =
        near.is_integer() ? double(near.as_integer()) : toml::get<double>(near);
    if (!(c.data.near_within_meters >= 0 && c.data.near_within_meters <= 100000))
      throw std::runtime_error("datastore.near_within_meters must be between 0 and 100000");
    read(root, "datastore", "near_cache_megabytes", c.data.near_cache_megabytes);
    if (c.data.near_cache_megabytes < 0 || c.data.near_cache_megabytes > (std::int64_t{1} << 20))
      throw std::runtime_error("datastore.near_cache_megabytes must be between 0 and 1048576");
    read(root, "datastore", "load_lease_seconds", c.data.load_lease_seconds);
    if (c.data.load_lease_seconds < 1 || c.data.load_lease_seconds > 86400)
      throw std::runtime_error("datastore.load_lease_seconds must be between 1 and 86400");
    read(root, "harvest", "allow_hosts", c.harvest.allow_hosts);
    read(root, "harvest", "enabled", c.harvest.enabled);
    read(root, "harvest", "connect_timeout_s", c.harvest.connect_timeout_s);
    read(root, "harvest", "timeout_s", c.harvest.timeout_s);
    read(root, "harvest", "max_bytes", c.harvest.max_bytes);
    read(root, "harvest", "max_memory_bytes", c.harvest.max_memory_bytes);
    read(root, "harvest", "max_redirects", c.harvest.max_redirects);
    read(root, "harvest", "max_attempts", c.harvest.max_attempts);
    read(root, "harvest", "per_host_connections", c.harvest.per_host_connections);
    read(root, "harvest", "politeness_delay_ms", c.harvest.politeness_delay_ms);
    read(root, "harvest", "batch_size", c.harvest.batch_size);
    read(root, "harvest", "job_lease_s", c.harvest.job_lease_s);
    if (c.harvest.connect_timeout_s <= 0 || c.harvest.timeout_s <= 0 || c.harvest.max_bytes <= 0 ||
        c.harvest.max_memory_bytes <= 0 || c.harvest.max_redirects < 0 ||
        c.harvest.max_attempts <= 0 || c.harvest.per_host_connections <= 0 ||
        c.harvest.politeness_delay_ms < 0 || c.harvest.batch_size <= 0 ||
        c.harvest.job_lease_s <= 0)
      throw std::runtime_error(
          "harvest: timeouts, max_bytes, max_memory_bytes, max_attempts, "
          "per_host_connections, batch_size and job_lease_s must be positive");
    read(root, "links", "enabled", c.links.enabled);
    read(root, "links", "interval_s", c.links.interval_s);
    read(root, "links", "per_host_connections", c.links.per_host_connections);
    read(root, "links", "per_host_rate", c.links.per_host_rate);
    read(root, "links", "timeout_s", c.links.timeout_s);
    if (c.links.interval_s <= 0 || c.links.per_host_connections <= 0 ||
        !(c.links.per_host_rate > 0) || c.links.timeout_s <= 0)
      throw std::runtime_error(
          "links: interval_s, per_host_connections, per_host_rate and timeout_s must be positive");
    read(root, "search", "index_dir", c.search.index_dir);
    read(root, "search", "index_memory_megabytes", c.search.index_memory_megabytes);
    if (c.search.index_memory_megabytes < 16)
      throw std::runtime_error("search: index_memory_megabytes must be at least 16");
    read(root, "search", "remote_shards", c.search.remote_shards);
    for (const auto& address : c.search.remote_shards) {
      std::string host;
      int port = 0;
      if (!search::parse_shard_address(address, host, port))
        throw std::runtime_error("search.remote_shards: '" + address + "' is not host:port");
    }
    read(root, "search", "remote_shards_writable", c.search.remote_shards_writable);
    for (const auto& address : c.search.remote_shards_writable) {
      std::string host;
      int port = 0;
      if (!search::parse_shard_address(address, host, port))
        throw std::runtime_error("search.remote_shards_writable: '" + address +
                                 "' is not host:port");
    }
    if (!c.search.remote_shards_writable.empty() &&
        c.search.remote_shards_writable.size() != c.search.remote_shards.size())
      throw std::runtime_error(
          "search.remote_shards_writable must name as many shards as remote_shards, in the same "
          "order");
    read(root, "site", "title", c.site.title);
    read(root, "site", "description", c.site.description);
    read(root, "site", "base_url", c.site.base_url);
    while (!c.site.base_url.empty() && c.site.base_url.back() == '/') c.site.base_url.pop_back();
    if (!c.site.base_url.empty() && c.site.base_url.rfind("http://", 0) != 0 &&
        c.site.base_url.rfind("https://", 0) != 0)
      throw std::runtime_error("site.base_url must start with http:// or https://");
    read(root, "site", "map_tiles_url", c.site.map_tiles_url);
    if (!c.site.map_tiles_url.empty() && c.site.map_tiles_url.rfind("http://", 0) != 0 &&
        c.site.map_tiles_url.rfind("https://", 0) != 0 && c.site.map_tiles_url.rfind("/", 0) != 0)
      throw std::runtime_error("site.map_tiles_url must start with http://, https:// or /");
    read(root, "quota", "per_second", c.quota.per_second);
    read(root, "quota", "per_day", c.quota.per_day);
    if (c.quota.per_second < 0 || c.quota.per_day < 0)
      throw std::runtime_error("quota.per_second and quota.per_day must be >= 0 (0 = unlimited)");
    read(root, "console", "session_idle_seconds", c.console.session_idle_seconds);
    read(root, "console", "session_max_seconds", c.console.session_max_seconds);
    read(root, "console", "trust_forwarded_proto", c.console.trust_forwarded_proto);
    if (c.console.session_idle_seconds <= 0 || c.console.session_max_seconds <= 0)
      throw std::runtime_error(
          "console.session_idle_seconds and session_max_seconds must be positive");
    read(root, "rate_limit", "per_minute", c.rate_limit.per_minute);
    read(root, "rate_limit", "burst", c.rate_limit.burst);
    read(root, "rate_limit", "expensive_per_minute", c.rate_limit.expensive_per_minute);
    read(root, "rate_limit", "expensive_burst", c.rate_limit.expensive_burst);
    read(root, "rate_limit", "trusted_proxies", c.rate_limit.trusted_proxies);
    std::int64_t max_clients = static_cast<std::int64_t>(c.rate_limit.max_clients);
    read(root, "rate_limit", "max_clients", max_clients);
    const auto& r = c.rate_limit;
    if (r.per_minute < 0 || r.burst < 1 || r.expensive_per_minute < 0 || r.expensive_burst < 1 ||
        max_clients < 1)
      throw std::runtime_error(
          "rate_limit: per_minute values must be >= 0 (0 = no limit), "
          "bursts and max_clients >= 1");
    c.rate_limit.max_clients = static_cast<std::size_t>(max_clients);
    read(root, "rate_limit", "exchange_ms", c.rate_limit.exchange_ms);
    if (c.rate_limit.exchange_ms < 50 || c.rate_limit.exchange_ms > 10000)
      throw std::runtime_error("rate_limit.exchange_ms must be between 50 and 10000");
    (void)net::AddressPolicy(c.rate_limit.trusted_proxies, "rate_limit.trusted_proxies");
    read(root, "limits", "map_export_max_nodes", c.limits.map_export_max_nodes);
    read(root, "limits", "map_export_max_edges", c.limits.map_export_max_edges);
    read(root, "limits", "path_max_explored", c.limits.path_max_explored);
    read(root, "limits", "data_json_variants", c.limits.data_json_variants);
    read(root, "limits", "datastore_sql_timeout_ms", c.limits.datastore_sql_timeout_ms);
    read(root, "limits", "datastore_sql_max_rows", c.limits.datastore_sql_max_rows);
    read(root, "limits", "datastore_join_max_rows", c.limits.datastore_join_max_rows);
    read(root, "limits", "datastore_join_timeout_ms", c.limits.datastore_join_timeout_ms);
    if (c.limits.map_export_max_nodes < 1 || c.limits.map_export_max_edges < 0 ||
        c.limits.path_max_explored < 1 || c.limits.data_json_variants < 1 ||
        c.limits.datastore_sql_timeout_ms < 1 || c.limits.datastore_sql_max_rows < 1 ||
        c.limits.datastore_join_max_rows < 1 || c.limits.datastore_join_timeout_ms < 1)
      throw std::runtime_error("limits: every cap must be >= 1 (map_export_max_edges >= 0)");
    read(root, "requests", "writes_per_minute", c.requests.writes_per_minute);
    read(root, "requests", "writes_burst", c.requests.writes_burst);
    read(root, "requests", "smtp_url", c.requests.smtp_url);
    read(root, "requests", "mail_from", c.requests.mail_from);
    read(root, "requests", "mail_max_attempts", c.requests.mail_max_attempts);
    read(root, "requests", "mail_retry_seconds", c.requests.mail_retry_seconds);
    if (c.requests.mail_max_attempts < 1 || c.requests.mail_retry_seconds < 0)
      throw std::runtime_error("requests: mail_max_attempts must be >= 1, mail_retry_seconds >= 0");
    if (!c.requests.smtp_url.empty() && c.requests.mail_from.empty())
      throw std::runtime_error("requests: smtp_url needs mail_from (the sender's address)");
    if (c.requests.writes_per_minute < 0 || c.requests.writes_burst < 1)
      throw std::runtime_error(
          "requests: writes_per_minute must be >= 0 (0 = no limit), writes_burst >= 1");
  } catch (const std::exception& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
  if (c.server.port < 0 || c.server.port > 65535)
    throw std::runtime_error(path + ": server.port must be 0-65535");
  if (c.server.request_timeout_seconds <= 0)
    throw std::runtime_error(path + ": server.request_timeout_seconds must be positive");
  if (c.server.threads < 0) throw std::runtime_error(path + ": server.threads must be >= 0");
  return c;
}

}  // namespace datamap::api

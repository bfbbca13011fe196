// `datamap serve`: the Open API over HTTP until SIGINT or SIGTERM.
#include <signal.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>

#include "api/action.h"
#include "api/actions/datastore_load.h"
#include "api/config.h"
#include "api/mailer.h"
#include "api/map_export_cache.h"
#include "api/quota.h"
#include "api/rate_limit.h"
#include "api/routes.h"
#include "api/server.h"
#include "api/shared_limits.h"
#include "api/write_limiter.h"
#include "app/commands.h"
#include "app/data_dir.h"
#include "app/datastore_wiring.h"
#include "app/harvest_wiring.h"
#include "app/links_wiring.h"
#include "app/site_actions.h"
#include "catalog/demand.h"
#include "catalog/harvest_records.h"
#include "catalog/link_checks.h"
#include "catalog/outbox.h"
#include "catalog/quality_history.h"
#include "graph/service.h"
#include "harvest/service.h"
#include "quality/snapshot_job.h"
#include "search/request_index.h"
#include "search/service.h"

namespace datamap::app {
namespace {

struct ServeOptions {
  std::string data_dir, host, config, catalog;
  int port = -1;
  int threads = -1;
};

// What Store::on_changes calls: pokes the search indexer and the map, until stop().
class WakeFollowers {
 public:
  WakeFollowers(search::SearchService& search, graph::MapService* map)
      : search_(&search), map_(map) {}
  void wake() {
    std::lock_guard lock(mutex_);
    if (!search_) return;
    search_->notify();
    if (map_) map_->notify();
  }
  void stop() {
    std::lock_guard lock(mutex_);
    search_ = nullptr;
    map_ = nullptr;
  }

 private:
  std::mutex mutex_;
  search::SearchService* search_;
  graph::MapService* map_;
};

int serve(const ServeOptions& o) {
  // Block the stop signals before any thread starts, so every thread inherits the mask and
  // only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  spdlog::set_default_logger(spdlog::stderr_color_mt("datamap"));

  api::Config config = o.config.empty() ? api::Config{} : api::load_config(o.config);
  if (!o.data_dir.empty()) config.data.dir = o.data_dir;
  if (!o.host.empty()) config.server.host = o.host;
  if (o.port >= 0) config.server.port = o.port;
  if (o.threads >= 0) config.server.threads = o.threads;

  if (!o.catalog.empty()) config.catalog.url = o.catalog;
  auto store = open_catalog(config);
  // The search index follows the catalog's change log from its own thread.
  search::SearchOptions search_options;
  search_options.index_dir = (std::filesystem::path(config.data.dir) / "index").string();
  search_options.index_memory_megabytes =
      static_cast<std::size_t>(config.search.index_memory_megabytes);
  search_options.remote_shards = config.search.remote_shards;
  search_options.remote_shards_writable = config.search.remote_shards_writable;
  search::SearchService search(*store, search_options);
  if (!config.search.remote_shards.empty()) {
    // Searched over the network; written by the node with remote_shards_writable (this one, if
    // it has them), whose indexer follows the change log into them.
    try {
      spdlog::info("search: {} remote shards, {} datasets at revision {}{}",
                   config.search.remote_shards.size(), search.document_count(),
                   search.applied_revision(),
                   config.search.remote_shards_writable.empty()
                       ? ""
                       : "; this node follows the change log into them");
    } catch (const std::exception& e) {
      spdlog::warn("search: remote shards not usable yet: {}", e.what());
    } catch (...) {
      spdlog::warn("search: remote shards not usable yet");
    }
  }
  search.start();
  SiteActions site(*store);
  const api::Registry& registry = site.registry();
  api::Services& services = site.services();
  services.search = &search;
  services.config = &config;
  // The data map builds in the background and then follows the change log; until its first
  // snapshot is ready, map actions wait briefly and then answer "still being built".
  std::unique_ptr<graph::MapService> map;
  try {
    map = std::make_unique<graph::MapService>(*store);
    map->start();
    services.map = map.get();
  } catch (const std::exception& e) {
    spdlog::error("data map disabled: {}", e.what());
  }
  // The harvester runs jobs and the schedule on its own thread while the server answers.
  // Link-check results are always readable; the checker runs only when [links] enables it.
  auto link_records = open_link_records(config);
  services.links = link_records.get();
  std::unique_ptr<quality::LinkChecker> link_checker;
  if (config.links.enabled) {
    link_checker = std::make_unique<quality::LinkChecker>(*store, *link_records,
                                                          link_checker_settings(config));
    link_checker->start();
    services.link_checker = link_checker.get();
  }
  // Data requests, error reports and the notification outbox (catalog/demand.h), where the
  // catalog is (on PostgreSQL, every node's).
  auto demand_records = open_demand_records(config);
  services.demand = demand_records.get();
  // Requests analysed as datasets are, in an index of their own beside the dataset index.
  search::RequestIndex request_index(
      *store, *demand_records, (std::filesystem::path(config.data.dir) / "request-index").string(),
      search.synonyms(), search.readings());
  services.request_index = &request_index;
  api::WriteLimiter demand_writes(config.requests.writes_per_minute, config.requests.writes_burst);
  services.demand_writes = &demand_writes;
  // E-mail of the outbox, only when [requests] smtp_url names a server (api/mailer.h).
  auto outbox = open_outbox(config);
  services.outbox = outbox.get();
  std::unique_ptr<api::Mailer> mailer;
  if (!config.requests.smtp_url.empty()) {
    api::MailerSettings mail;
    mail.smtp.url = config.requests.smtp_url;
    mail.from = config.requests.mail_from;
    mail.base_url = config.site.base_url;
    mail.max_attempts = config.requests.mail_max_attempts;
    mail.retry_seconds = config.requests.mail_retry_seconds;
    mailer = std::make_unique<api::Mailer>(*outbox, *store, mail);
    mailer->start();
    services.mailer = mailer.get();
  }
  // The scoreboard's history: a snapshot a day, taken on a thread of its own.
  auto quality_history = open_quality_history(config);
  services.quality_history = quality_history.get();
  quality::SnapshotJob snapshots(*store, *quality_history);
  snapshots.start();
  // Quotas and rate limits: in memory on one node; on PostgreSQL the day's usage is the
  // catalog's and the buckets are exchanged with the other nodes (api/shared_limits.h).
  auto request_limits = open_request_limits(config);
  api::QuotaTracker quotas(config.quota, {}, request_limits.get());
  services.quotas = &quotas;
  api::RateLimiter rate_limits(config.rate_limit);
  services.rate_limits = &rate_limits;
  std::unique_ptr<api::LimitExchange> limit_exchange;
  if (request_limits) {
    limit_exchange = std::make_unique<api::LimitExchange>(
        *request_limits, std::vector<api::SharedBuckets*>{&quotas, &rate_limits},
        std::chrono::milliseconds(config.rate_limit.exchange_ms));
    limit_exchange->start();
    services.limit_exchange = limit_exchange.get();
  }
  api::MapExportCache map_exports;
  services.map_exports = &map_exports;
  // The DataStore: tables (datastore.db), uploaded files and the load queue that turns an
  // upload into rows and a column profile in the catalog, one job at a time.
  DataStoreParts datastore = open_datastore(*store, config);
  services.tables = datastore.tables.get();
  services.files = datastore.files.get();
  api::wire_load_queue(services, *datastore.loads);
  datastore.loads->start();
  // The harvester runs jobs and the schedule on its own thread while the server answers; a
  // source whose config asks for it has its resources' files fetched and loaded after each job.
  std::unique_ptr<catalog::HarvestRecords> harvest_records;
  std::unique_ptr<datastore::ResourceFetcher> resource_fetcher;
  std::unique_ptr<harvest::HarvestService> harvester;
  if (config.harvest.enabled) {
    harvest_records = open_harvest_records(config);
    harvest::HarvestSettings settings = harvest_settings(config);
    net::FetchOptions fetch = settings.fetch;
    fetch.max_bytes = std::min<std::int64_t>(
        fetch.max_bytes, static_cast<std::int64_t>(config.server.max_upload_bytes));
    resource_fetcher = std::make_unique<datastore::ResourceFetcher>(
        *store, *datastore.files, *datastore.loads, fetch, settings.spool_dir);
    resource_fetcher->start();
    settings.after_job = fetch_resources_after_job(*harvest_records, *store, *resource_fetcher);
    harvester = std::make_unique<harvest::HarvestService>(*store, *harvest_records, settings);
    harvester->start();
    services.harvest = harvester.get();
  }
  // A change committed by another node (PostgreSQL catalog) wakes the followers at once; the
  // flag keeps the store's listener thread off them once they are stopping.
  auto followers = std::make_shared<WakeFollowers>(search, map.get());
  store->on_changes([followers] { followers->wake(); });
  api::Routes routes;
  api::register_all_routes(routes, services, registry);

  api::HttpServer server(routes, config.server);
  int port = server.start();
  std::cout << "datamap: serving http://" << config.server.host << ":" << port
            << " (data: " << std::filesystem::absolute(config.data.dir).string() << ")"
            << std::endl;

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  std::cout << "datamap: stopping (signal " << signal_number << ")" << std::endl;
  server.stop();
  followers->stop();
  if (map) map->stop();
  if (harvester) harvester->stop();
  if (resource_fetcher) resource_fetcher->stop();
  if (link_checker) link_checker->stop();
  if (mailer) mailer->stop();
  snapshots.stop();
  if (limit_exchange) limit_exchange->stop();
  datastore.loads->stop();
  return 0;
}

}  // namespace

void add_serve_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("serve", "Serve the Open API (CKAN Action API v3) over HTTP");
  auto o = std::make_shared<ServeOptions>();
  cmd->add_option("--data", o->data_dir, "data directory (default var/data)");
  cmd->add_option("--catalog", o->catalog,
                  "catalog on PostgreSQL (postgresql://...; default: [catalog] url of --config, "
                  "else the data directory's SQLite catalog). --data still holds this node's "
                  "search index and map");
  cmd->add_option("--port", o->port, "port to listen on (default 8080; 0 = any free port)");
  cmd->add_option("--host", o->host, "address to listen on (default 127.0.0.1)");
  cmd->add_option("--config", o->config, "TOML configuration file (see config/datamap.toml)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--threads", o->threads, "HTTP worker threads (default: one per core)");
  cmd->callback([o] { exit_code = serve(*o); });
}

}  // namespace datamap::app

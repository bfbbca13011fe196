// The server's configuration: config/datamap.toml (toml11), then command-line flags on top.
// Every key is optional; a missing one keeps the default below. A key of the wrong type or an
// unreadable file is an error naming the file and key, never a silent default.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "api/quota.h"
#include "api/rate_limit.h"

namespace datamap::api {

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 8080;
  int threads = 0;                              // 0: one per core
  std::size_t max_body_bytes = 10 * 1024 * 1024;  // larger request bodies get 413
  // [datastore] max_upload_bytes: the body limit of the upload paths only (is_upload_path in
  // api/server.h: resource_create/update/patch, the console's upload form).
  std::size_t max_upload_bytes = 200 * 1024 * 1024;
  int request_timeout_seconds = 30;  // headers and body must arrive within this (else 408)
};

struct DataConfig {
  std::string dir = "var/data";  // catalog.db and the derived index / graph live here
  // [datastore] near_within_meters: two loaded resources' points are "near" within this
  // distance (the map's near edges, datastore/near.h); 0 turns the measuring off.
  double near_within_meters = 300;
  // [datastore] near_cache_megabytes: the prepared point sets the near measuring keeps between
  // loads (datastore/near_measurer.h), so a table's points are read once, not once per pair.
  std::int64_t near_cache_megabytes = 256;
  // [datastore] load_lease_seconds: with the catalog on PostgreSQL, how long a node's claim on a
  // running load holds without renewal (renewed every third of it): a node that dies mid-load
  // has its load taken over by another this long after. Tests use a short one.
  std::int64_t load_lease_seconds = 60;
};

// [catalog] url: the catalog on PostgreSQL (postgresql://user@host:port/db), so a node's
// commands need no --catalog flag; empty: the SQLite catalog in data.dir. A --catalog flag wins.
struct CatalogConfig {
  std::string url;
};

struct HarvestConfig {
  // The SSRF guard's exceptions: sources resolving to loopback, private or link-local addresses
  // are refused unless their host name, address or CIDR block is listed here. Public hosts need
  // no entry. Tests and intranet deployments list theirs, e.g. ["127.0.0.1", "10.0.0.0/8"].
  std::vector<std::string> allow_hosts;
  bool enabled = true;                    // run the harvester (job queue, scheduler) in `serve`
  int connect_timeout_s = 10;
  int timeout_s = 300;                    // a whole response, per attempt
  std::int64_t max_bytes = 512LL << 20;   // larger responses are cut off and the job fails
  // The same for a response held in memory (CKAN pages): a gzip bomb is cut here.
  std::int64_t max_memory_bytes = 64LL << 20;
  int max_redirects = 5;
  int max_attempts = 4;                   // retries on 5xx / timeouts, with exponential backoff
  int per_host_connections = 2;
  int politeness_delay_ms = 0;            // between two requests to one host
  int batch_size = 2000;                  // harvested records per catalog transaction
  // A running job's lease on a shared (PostgreSQL) catalog: renewed every fifth of it; a node
  // that dies mid-job leaves the job to another node this long after (docs/DEPLOY.md).
  int job_lease_s = 300;
};

// The link checker (quality/link_checker.h): every resource URL and landing page of the public
// datasets, politely. It uses harvest.allow_hosts as its SSRF guard's exceptions too.
struct LinksConfig {
  // Off unless the configuration turns it on (config/datamap.toml does): a server started
  // without one, as the demo and the tests are, never reaches out to the internet unasked.
  bool enabled = false;
  std::int64_t interval_s = 86400;  // a URL that answers is rechecked after this (x1..x4)
  int per_host_connections = 2;
  double per_host_rate = 2.0;  // check starts per second per host
  int timeout_s = 10;          // a whole check (HEAD or GET)
};

struct SearchConfig {
  std::string index_dir = "search";  // relative to data.dir unless absolute
  // What a rebuild may buffer in Xapian, all shards together (search/service.h).
  std::int64_t index_memory_megabytes = 1024;
  // "host:port" of the xapian-tcpsrv servers of shard-0, shard-1, ... (`datamap reindex
  // --shards N`, in that order): searches go to them as one database instead of the local index,
  // which this node then neither keeps nor follows (docs/DEPLOY.md, "Search beyond one node").
  std::vector<std::string> remote_shards;
  // "host:port" of each shard's `xapian-tcpsrv --writable`, in the order of remote_shards: this
  // node follows the change log into the shards (one writer at a time: Xapian's write lock).
  std::vector<std::string> remote_shards_writable;
};

struct SiteConfig {
  std::string title = "datamap";
  std::string description = "Open public-data catalog and National Data Map";
  // The public address ("https://data.example.kr", no trailing slash) written into the absolute
  // links of DCAT, data.json, schema.org and the data.go.kr list. Empty: each request's Host
  // header (checked to be a plain host name), and /data.json keeps at most
  // limits.data_json_variants exports per revision, so forged Hosts cannot fill the disk.
  std::string base_url;
  // The dataset page's point map draws its points on their own (no tile server is assumed
  // reachable). Set a tile URL template with {z}, {x}, {y} (Web Mercator, 256 px), e.g.
  // "https://tiles.example.kr/{z}/{x}/{y}.png", to draw tiles beneath them. Empty: no tiles.
  std::string map_tiles_url;
};

// What one request may cost at most; over a cap the request is answered 400 with a message
// instead of working unbounded.
struct LimitsConfig {
  std::int64_t map_export_max_nodes = 250000;  // datamap_export of the whole map
  std::int64_t map_export_max_edges = 2000000;
  std::int64_t path_max_explored = 200000;  // datasets one datamap_path search may settle
  std::int64_t data_json_variants = 4;      // see SiteConfig::base_url
  std::int64_t datastore_sql_timeout_ms = 5000;  // datastore_search_sql: longer is refused
  std::int64_t datastore_sql_max_rows = 32000;   // datastore_search_sql: more rows are cut
  // datastore_join: rows read plus pairs compared, and time; past either the join is a 400.
  std::int64_t datastore_join_max_rows = 20000000;
  std::int64_t datastore_join_timeout_ms = 5000;
};

// The agency console's sign-in sessions (api/console_session.h).
struct ConsoleConfig {
  std::int64_t session_idle_seconds = 8 * 3600;      // unused this long: signed out
  std::int64_t session_max_seconds = 7 * 24 * 3600;  // signed in this long: signed out, busy or not
  // Believe X-Forwarded-Proto / X-Forwarded-Host: only behind a reverse proxy that sets them
  // (anyone can send them to a server reached directly). `https` there makes cookies Secure.
  bool trust_forwarded_proto = false;
};

// Data requests, error reports and their notifications (api/actions/request_actions.cpp).
struct RequestsConfig {
  // Writes (create, vote, comment, report) per signed-in user: a token bucket per user
  // (api/write_limiter.h). 0 = no limit.
  std::int64_t writes_per_minute = 30;
  std::int64_t writes_burst = 10;
  // E-mail is off unless an SMTP server is named ("smtp://mail.example.kr:25"): every
  // notification is written to the outbox and shown in the portal either way; with SMTP set,
  // the outbox rows of users with an address are queued for the mailer.
  std::string smtp_url;
  std::string mail_from;
  // The mailer (api/mailer.h) tries a row this many times, waiting mail_retry_seconds after the
  // first failure and twice as long after each next one, then records it failed.
  std::int64_t mail_max_attempts = 5;
  std::int64_t mail_retry_seconds = 60;
};

struct Config {
  ServerConfig server;
  DataConfig data;
  CatalogConfig catalog;  // [catalog]
  HarvestConfig harvest;
  LinksConfig links;  // [links]
  SearchConfig search;
  SiteConfig site;
  QuotaConfig quota;   // [quota] per_second, per_day: per API token; 0 = unlimited
  ConsoleConfig console;
  RateLimitConfig rate_limit;  // [rate_limit]: anonymous callers per client address
  LimitsConfig limits;         // [limits]: per-request cost caps
  RequestsConfig requests;     // [requests]: data requests, error reports, notifications
  std::string source;  // the file it was read from, empty for defaults
};

// Reads `path`; throws std::runtime_error on a missing file, bad TOML or a mistyped key.
Config load_config(const std::string& path);

}  // namespace datamap::api

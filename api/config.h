// The server's configuration: config/datamap.toml (toml11), then command-line flags on top.
// Every key is optional; a missing one keeps the default below. A key of the wrong type or an
// unreadable file is an error naming the file and key, never a silent default.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace datamap::api {

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 8080;
  int threads = 0;                              // 0: one per core
  std::size_t max_body_bytes = 10 * 1024 * 1024;  // larger request bodies get 413
  int request_timeout_seconds = 30;  // headers and body must arrive within this (else 408)
};

struct DataConfig {
  std::string dir = "var/data";  // catalog.db and the derived index / graph live here
};

struct HarvestConfig {
  std::vector<std::string> allow_hosts;  // hosts harvest jobs may fetch from; empty: none
};

struct SearchConfig {
  std::string index_dir = "search";  // relative to data.dir unless absolute
};

struct SiteConfig {
  std::string title = "datamap";
  std::string description = "Open public-data catalog and National Data Map";
};

struct Config {
  ServerConfig server;
  DataConfig data;
  HarvestConfig harvest;
  SearchConfig search;
  SiteConfig site;
  std::string source;  // the file it was read from, empty for defaults
};

// Reads `path`; throws std::runtime_error on a missing file, bad TOML or a mistyped key.
Config load_config(const std::string& path);

}  // namespace datamap::api

// The HTTP client of the harvester and the link checker: libcurl's multi interface driven by one worker thread, so many
// transfers run at once while callers wait on futures. What it guarantees:
//  - at most `per_host_connections` transfers per host, and `politeness_delay` between starts;
//  - connect and total timeouts; retries with exponential backoff on 5xx, 429, timeouts and
//    broken connections, never on other 4xx;
//  - a body never grows past `max_bytes`, nor past `max_memory_bytes` when it is kept in memory
//    (the transfer is aborted in the write callback, after decompression, so a gzip bomb is
//    cut there too); spooled to a file when asked, so a large document never sits in memory;
//  - redirects followed by hand (at most `max_redirects`, loops detected) so every hop is checked
//    by the AddressPolicy (SSRF guard) on the address actually connected to;
//  - conditional GET: pass the last ETag / Last-Modified and an unchanged remote answers 304.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "net/address_policy.h"

namespace datamap::net {

struct FetchOptions {
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds total_timeout{300'000};
  int max_redirects = 5;
  std::int64_t max_bytes = 512LL << 20;        // a body, spooled or not (decoded bytes)
  std::int64_t max_memory_bytes = 64LL << 20;  // a body kept in memory (a CKAN page)
  int max_attempts = 4;                     // the first try and up to three retries
  std::chrono::milliseconds backoff{1'000};  // before the first retry; doubles each time
  std::chrono::milliseconds max_backoff{60'000};
  int per_host_connections = 2;
  std::chrono::milliseconds politeness_delay{0};  // between two starts on one host
  int max_connections = 8;
  std::string user_agent = "datamap-harvester/0.1 (+https://github.com/datamap; open data catalog)";
  AddressPolicy policy;
};

using CancelToken = std::shared_ptr<std::atomic<bool>>;

struct FetchRequest {
  std::string url;
  std::string if_none_match;      // ETag of the last successful fetch
  std::string if_modified_since;  // Last-Modified of the last successful fetch
  // When set, the body is written to this file, not to memory. It is opened O_NOFOLLOW and
  // truncated for each attempt: make it with mkstemp (harvest/sources SpoolFile).
  std::string spool_path;
  std::vector<std::string> headers;  // extra request headers, "Name: value"
  CancelToken cancel;             // set it to true to abort the transfer (job abort)
};

enum class FetchError {
  kNone,
  kRefused,          // scheme not http(s), or the SSRF guard refused the address
  kTimeout,          // connect or total timeout, after every retry
  kConnect,          // could not connect / resolve, after every retry
  kHttpStatus,       // a 4xx, or a 5xx after every retry
  kTooLarge,         // the body passed max_bytes
  kTooManyRedirects,
  kRedirectLoop,
  kTruncated,        // the connection closed before the announced body was complete
  kAborted,          // the caller cancelled
  kOther,
};

const char* to_string(FetchError e);

struct FetchResponse {
  FetchError error = FetchError::kNone;
  std::string message;  // human-readable, for the job's error log
  long status = 0;      // the final HTTP status (0 when there was none)
  std::string url;      // the final URL after redirects
  std::string body;     // the body, unless spooled
  std::string spool_path;
  std::int64_t bytes = 0;
  std::string etag, last_modified, content_type;
  int attempts = 0;

  bool ok() const { return error == FetchError::kNone; }
  bool not_modified() const { return ok() && status == 304; }
};

class Fetcher {
 public:
  explicit Fetcher(FetchOptions options = {});
  ~Fetcher();  // aborts what is still running and joins the worker
  Fetcher(const Fetcher&) = delete;
  Fetcher& operator=(const Fetcher&) = delete;

  std::future<FetchResponse> fetch_async(FetchRequest request);
  FetchResponse fetch(FetchRequest request) { return fetch_async(std::move(request)).get(); }

  const FetchOptions& options() const { return options_; }

 private:
  struct Impl;
  FetchOptions options_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace datamap::net

// A small blocking HTTP client for tests (libcurl), loopback only. Returns what the server sent,
// including error statuses; throws only when no HTTP answer arrived at all (refused, timeout).
#pragma once

#include <rapidjson/document.h>

#include <map>
#include <string>

#include "catalog/text.h"

namespace datamap::testing {

struct HttpReply {
  long status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased; last value wins
  std::string body;

  std::string header(const std::string& lower_name) const;
  rapidjson::Document json() const;  // parses body; a parse error fails the calling test (EXPECT)
};

using Headers = std::map<std::string, std::string>;

class HttpClient {
 public:
  explicit HttpClient(std::string base_url, long timeout_seconds = 60);

  HttpReply get(const std::string& path, const Headers& headers = {}) const;
  // POST with a raw body; Content-Type defaults to application/json unless given in headers.
  HttpReply post(const std::string& path, const std::string& body,
                 const Headers& headers = {}) const;
  // Any method (PUT, DELETE, ...); body may be empty.
  HttpReply request(const std::string& method, const std::string& path, const std::string& body,
                    const Headers& headers = {}) const;

  // POSTs a JSON body to /api/3/action/<action>, with `Authorization: <token>` when token is set.
  HttpReply action(const std::string& action, const std::string& json_body = "{}",
                   const std::string& token = "") const;

  const std::string& base_url() const { return base_url_; }

 private:
  std::string base_url_;
  long timeout_seconds_;
};

// Sends raw bytes to host:port and returns what came back before the peer closed or
// `timeout_ms` passed with nothing new: for requests curl refuses to send (lying headers).
std::string raw_exchange(int port, const std::string& bytes, int timeout_ms = 3000);

// Percent-encodes a query-string value.
using catalog::url_encode;

// The OpenAPI response check (tests/openapi/validate_responses.mjs): when the environment variable
// DATAMAP_HTTP_RECORD_DIR is set, every exchange with a datamap server (a base URL TestServer has
// marked; fixture servers standing in for remote catalogs are not) is appended as one JSON line
// {method, path, status, content_type, body} to <dir>/<pid>.jsonl; each marked server is listed
// in <dir>/<pid>.servers.
void mark_datamap_server(const std::string& base_url);

}  // namespace datamap::testing

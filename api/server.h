// The HTTP server: Pistache underneath, Routes on top. Bodies over max_body_bytes get 413:
// Pistache stops buffering a request at max_body_bytes + 64 KiB (headers) and answers 413 itself
// (plain text), so a huge body is never held whole; up to that, a Content-Length or body over
// the limit gets the 413 envelope. Pistache 0.0.5 hands over a request only once its body has
// arrived, so a client that declares a big body and stalls is cut off by the request timeout
// (408). Handler exceptions become CKAN error envelopes (api/errors.h).
#pragma once

#include <memory>
#include <string_view>

#include "api/config.h"
#include "api/http.h"

namespace datamap::api {

class HttpServer {
 public:
  HttpServer(const Routes& routes, const ServerConfig& config);
  ~HttpServer();  // stops if running
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds host:port (port 0: any free port) and serves on background threads. Returns the
  // bound port. Throws std::runtime_error when it cannot bind.
  int start();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The paths that take file uploads (resource_create / resource_update / resource_patch under
// both action prefixes, and console paths ending in "/upload"): their body limit is
// ServerConfig::max_upload_bytes, every other path's is max_body_bytes.
bool is_upload_path(std::string_view path);
std::size_t body_limit(const ServerConfig& config, std::string_view path);

// Runs one request through the routes without a socket: what the server does per request
// (size limit, routing, 404/405, error envelope). Also handy in tests.
HttpResponse dispatch(const Routes& routes, const HttpRequest& request, const ServerConfig& limits);
// The same with one limit for every path.
HttpResponse dispatch(const Routes& routes, const HttpRequest& request, std::size_t max_body_bytes);

}  // namespace datamap::api

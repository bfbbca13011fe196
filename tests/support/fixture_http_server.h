// A small blocking HTTP/1.1 server on 127.0.0.1 (an ephemeral port) for harvest tests and
// benchmarks: each route is a handler with full control of the bytes it sends, so tests can
// serve real catalogs and also misbehave on purpose (hang, truncate, never end, loop).
// One thread per connection, Connection: close after every response. Plain sockets, no Pistache.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace datamap::testing {

struct FixtureRequest {
  std::string method;
  std::string path;   // without the query
  std::string query;  // raw, without '?'
  std::map<std::string, std::string> headers;  // names lower case
  std::map<std::string, std::string> params;   // decoded query parameters

  std::string header(const std::string& lower_name) const;
  std::string param(const std::string& name, const std::string& fallback = "") const;
};

class FixtureResponse {
 public:
  explicit FixtureResponse(int fd) : fd_(fd) {}
  // A whole response with Content-Length.
  void send(int status, const std::string& content_type, const std::string& body,
            const std::vector<std::string>& extra_headers = {});
  // Only the status line and headers (no Content-Length unless given); raw() writes the rest.
  void send_head(int status, const std::vector<std::string>& headers);
  // Writes bytes as they are; false once the client has gone.
  bool raw(const std::string& bytes);
  bool raw(const char* data, std::size_t size);

 private:
  int fd_;
};

class FixtureHttpServer {
 public:
  using Handler = std::function<void(const FixtureRequest&, FixtureResponse&)>;

  FixtureHttpServer();
  ~FixtureHttpServer();
  FixtureHttpServer(const FixtureHttpServer&) = delete;
  FixtureHttpServer& operator=(const FixtureHttpServer&) = delete;

  int port() const { return port_; }
  std::string url(const std::string& path_and_query = "/") const;

  // Exact path match; a later route for the same path replaces the earlier one.
  void route(const std::string& path, Handler handler);
  // How many requests reached `path`.
  int hits(const std::string& path) const;
  std::vector<FixtureRequest> requests(const std::string& path) const;

  // For handlers that hang on purpose: waits up to `d`, returns early (true) when stopping.
  bool wait_for_stop(std::chrono::milliseconds d);

 private:
  void accept_loop();
  void serve(int fd);

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::condition_variable stop_cv_;
  std::map<std::string, Handler> routes_;
  std::map<std::string, std::vector<FixtureRequest>> seen_;
  std::vector<int> open_fds_;
  std::vector<std::thread> workers_;
  std::thread acceptor_;
};

// gzip-compresses `data` (zlib), for routes that honour Accept-Encoding.
std::string gzip_compress(const std::string& data);
// Reads a whole file; throws when it cannot.
std::string read_file(const std::string& path);
// Percent-decodes a query component ('+' is a space).
std::string url_decode(const std::string& s);

}  // namespace datamap::testing

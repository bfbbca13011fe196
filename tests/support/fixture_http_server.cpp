#include "tests/support/fixture_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace datamap::testing {

std::string FixtureRequest::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? "" : it->second;
}

std::string FixtureRequest::param(const std::string& name, const std::string& fallback) const {
  auto it = params.find(name);
  return it == params.end() ? fallback : it->second;
}

std::string url_decode(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size() &&
               std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string gzip_compress(const std::string& data) {
  z_stream zs{};
  if (deflateInit2(&zs, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2 failed");
  std::string out;
  out.resize(deflateBound(&zs, static_cast<uLong>(data.size())));
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate failed");
  return out;
}

bool FixtureResponse::raw(const char* data, std::size_t size) {
  while (size > 0) {
    ssize_t n = ::send(fd_, data, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

bool FixtureResponse::raw(const std::string& bytes) { return raw(bytes.data(), bytes.size()); }

namespace {
const char* reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Status";
  }
}
}  // namespace

void FixtureResponse::send_head(int status, const std::vector<std::string>& headers) {
  std::string head = "HTTP/1.1 " + std::to_string(status) + " " + reason(status) + "\r\n";
  for (const auto& h : headers) head += h + "\r\n";
  head += "Connection: close\r\n\r\n";
  raw(head);
}

void FixtureResponse::send(int status, const std::string& content_type, const std::string& body,
                           const std::vector<std::string>& extra_headers) {
  std::vector<std::string> headers = extra_headers;
  if (!content_type.empty()) headers.push_back("Content-Type: " + content_type);
  headers.push_back("Content-Length: " + std::to_string(body.size()));
  send_head(status, headers);
  raw(body);
}

FixtureHttpServer::FixtureHttpServer() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (listen_fd_ < 0) throw std::runtime_error("socket failed");
  int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;  // the kernel picks a free port
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 128) != 0) {
    ::close(listen_fd_);
    throw std::runtime_error("bind/listen on 127.0.0.1 failed");
  }
  socklen_t len = sizeof addr;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

FixtureHttpServer::~FixtureHttpServer() {
  stopping_ = true;
  stop_cv_.notify_all();
  ::shutdown(listen_fd_, SHUT_RDWR);
  ::close(listen_fd_);
  acceptor_.join();
  {
    std::lock_guard lock(mutex_);
    for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
  }
  for (auto& w : workers_) w.join();
}

std::string FixtureHttpServer::url(const std::string& path_and_query) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path_and_query;
}

void FixtureHttpServer::route(const std::string& path, Handler handler) {
  std::lock_guard lock(mutex_);
  routes_[path] = std::move(handler);
}

int FixtureHttpServer::hits(const std::string& path) const {
  std::lock_guard lock(mutex_);
  auto it = seen_.find(path);
  return it == seen_.end() ? 0 : static_cast<int>(it->second.size());
}

std::vector<FixtureRequest> FixtureHttpServer::requests(const std::string& path) const {
  std::lock_guard lock(mutex_);
  auto it = seen_.find(path);
  return it == seen_.end() ? std::vector<FixtureRequest>{} : it->second;
}

bool FixtureHttpServer::wait_for_stop(std::chrono::milliseconds d) {
  std::unique_lock lock(mutex_);
  return stop_cv_.wait_for(lock, d, [this] { return stopping_.load(); });
}

void FixtureHttpServer::accept_loop() {
  while (!stopping_) {
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) {
      if (stopping_) return;
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return;
    }
    std::lock_guard lock(mutex_);
    open_fds_.push_back(fd);
    workers_.emplace_back([this, fd] { serve(fd); });
  }
}

void FixtureHttpServer::serve(int fd) {
  std::string head;
  char buf[4096];
  while (head.find("\r\n\r\n") == std::string::npos && head.size() < 65536) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    head.append(buf, static_cast<std::size_t>(n));
  }
  FixtureRequest req;
  std::istringstream lines(head);
  std::string line;
  if (std::getline(lines, line)) {
    std::istringstream first(line);
    std::string target;
    first >> req.method >> target;
    auto q = target.find('?');
    req.path = target.substr(0, q);
    if (q != std::string::npos) req.query = target.substr(q + 1);
  }
  while (std::getline(lines, line) && line != "\r" && !line.empty()) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), ::tolower);
    std::string value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ')) value.erase(0, 1);
    while (!value.empty() && (value.back() == '\r' || value.back() == ' ')) value.pop_back();
    req.headers[name] = value;
  }
  std::size_t start = 0;
  while (start < req.query.size()) {
    std::size_t amp = req.query.find('&', start);
    if (amp == std::string::npos) amp = req.query.size();
    std::string kv = req.query.substr(start, amp - start);
    std::size_t eq = kv.find('=');
    if (!kv.empty())
      req.params[url_decode(kv.substr(0, eq))] =
          eq == std::string::npos ? "" : url_decode(kv.substr(eq + 1));
    start = amp + 1;
  }

  Handler handler;
  {
    std::lock_guard lock(mutex_);
    seen_[req.path].push_back(req);
    auto it = routes_.find(req.path);
    if (it != routes_.end()) handler = it->second;
  }
  FixtureResponse res(fd);
  if (handler)
    handler(req, res);
  else
    res.send(404, "text/plain", "no route for " + req.path);
  ::shutdown(fd, SHUT_WR);
  // Drain until the client closes, so it reads everything before the reset a close can cause.
  while (::recv(fd, buf, sizeof buf, 0) > 0) {
  }
  std::lock_guard lock(mutex_);
  open_fds_.erase(std::remove(open_fds_.begin(), open_fds_.end(), fd), open_fds_.end());
  ::close(fd);
}

}  // namespace datamap::testing

#include "api/server.h"

#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <pistache/net.h>
#include <pistache/peer.h>
#include <pistache/transport.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>
#include <thread>

#include "api/errors.h"
#include "catalog/errors.h"
#include "catalog/text.h"

namespace datamap::api {
namespace {

using namespace Pistache;

// Room for the request line and headers on top of the body limit.
constexpr std::size_t kHeaderAllowance = 64 * 1024;

// The path of a request line ("POST /api/3/action/x?y HTTP/1.1" -> "/api/3/action/x"), as
// sent: an escaped path gets the smaller limit, which is the safe side.
std::string_view request_target(std::string_view head) {
  auto sp = head.find(' ');
  if (sp == std::string_view::npos) return {};
  std::string_view rest = head.substr(sp + 1);
  return rest.substr(0, std::min(rest.find(' '), rest.find('?')));
}

std::string read_file_range(const std::string& path, std::int64_t offset, std::size_t length) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open");
  std::string out(length, '\0');
  in.seekg(offset);
  in.read(out.data(), static_cast<std::streamsize>(length));
  if (static_cast<std::size_t>(in.gcount()) != length) throw std::runtime_error("short read");
  return out;
}

HttpRequest convert(const Http::Request& in) {
  HttpRequest out;
  out.method = Http::methodString(in.method());
  out.path = percent_decode(in.resource(), false).value_or(in.resource());
  // Pistache splits the query string but leaves the escapes in (and keeps one value per name).
  for (auto it = in.query().parameters_begin(); it != in.query().parameters_end(); ++it) {
    auto name = percent_decode(it->first, true);
    auto value = percent_decode(it->second, true);
    if (!name || !value) throw BadRequest("Bad request", "Malformed %-escape in the query string");
    out.query.emplace_back(std::move(*name), std::move(*value));
  }
  for (const auto& [name, raw] : in.headers().rawList())
    out.headers.emplace_back(catalog::to_lower_ascii(name), raw.value());
  for (const auto& h : in.headers().list()) {
    std::ostringstream value;
    h->write(value);
    out.headers.emplace_back(catalog::to_lower_ascii(h->name()), value.str());
  }
  out.body = in.body();
  out.remote_address = in.address().host();
  return out;
}

// Pistache 0.0.5 writes only typed headers into a response (raw ones are dropped), so every
// extra header travels as this one generic type.
class AnyHeader : public Http::Header::Header {
 public:
  AnyHeader(std::string name, std::string value)
      : name_(std::move(name)), value_(std::move(value)) {}
  const char* name() const override { return name_.c_str(); }
  void write(std::ostream& os) const override { os << value_; }
#ifdef SAFE_HEADER_CAST
  uint64_t hash() const override { return Http::Header::detail::hash(name_.c_str()); }
#endif

 private:
  std::string name_, value_;
};

Http::Mime::MediaType media_type(const std::string& content_type) {
  static const std::string kJson = "application/json; charset=utf-8";
  static const Http::Mime::MediaType kJsonType(kJson, Http::Mime::MediaType::DoParse);
  if (content_type == kJson) return kJsonType;
  return Http::Mime::MediaType(content_type, Http::Mime::MediaType::DoParse);
}

// Set by RequestHandler::onRequest, read by GuardedHandler on the same transport thread: tells
// whether the bytes just handed to Pistache's parser completed a request.
thread_local bool t_request_completed = false;

// Complete requests -> routes -> response.
class RequestHandler : public Http::Handler {
 public:
  HTTP_PROTOTYPE(RequestHandler)

  RequestHandler(const Routes& routes, const ServerConfig& limits)
      : routes_(routes), limits_(limits) {}

  void onRequest(const Http::Request& request, Http::ResponseWriter writer) override {
    t_request_completed = true;
    HttpResponse response;
    bool head = request.method() == Http::Method::Head;
    try {
      response = dispatch(routes_, convert(request), limits_);
    } catch (...) {
      response = error_response(std::current_exception(), "");
    }
    for (const auto& [name, value] : response.headers)
      writer.headers().add(std::make_shared<AnyHeader>(name, value));
    // Pistache answers "Connection: Close" to a request without a Connection header, but
    // HTTP/1.1 means keep-alive unless the client says close (wrk, curl and browsers rely on it).
    auto asked = request.headers().tryGet<Http::Header::Connection>();
    bool keep_alive = asked ? asked->control() == Http::ConnectionControl::KeepAlive
                            : request.version() == Http::Version::Http11;
    writer.headers().remove<Http::Header::Connection>();
    writer.headers().add<Http::Header::Connection>(keep_alive ? Http::ConnectionControl::KeepAlive
                                                              : Http::ConnectionControl::Close);
    auto code = static_cast<Http::Code>(response.status);
    // HEAD (headers and the length a GET would have, no body) and byte ranges of a file:
    // Pistache 0.0.5 can do neither, so the answer is written here and queued on the peer.
    if (head || (!response.file_path.empty() && response.file_length >= 0)) {
      send_raw(writer, response, head, keep_alive);
      return;
    }
    if (!response.file_path.empty()) {  // a large export: sendfile from disk, always 200
      Http::serveFile(writer, response.file_path, media_type(response.content_type));
      return;
    }
    if (response.content_type.empty())
      writer.send(code, response.body);
    else
      writer.send(code, response.body, media_type(response.content_type));
  }

 private:
  static void send_raw(Http::ResponseWriter& writer, HttpResponse& response, bool head,
                       bool keep_alive) {
    std::string body;
    std::size_t length = response.body.size();
    if (!response.file_path.empty()) {
      try {
        length = response.file_length >= 0 ? static_cast<std::size_t>(response.file_length)
                                           : std::filesystem::file_size(response.file_path);
        if (!head) body = read_file_range(response.file_path, response.file_offset, length);
      } catch (const std::exception& e) {
        spdlog::error("cannot read {}: {}", response.file_path, e.what());
        response =
            error_response(std::make_exception_ptr(std::runtime_error("unreadable file")), "");
        length = response.body.size();
        response.file_path.clear();
      }
    }
    if (response.file_path.empty() && !head) body = std::move(response.body);
    std::string raw = "HTTP/1.1 " + std::to_string(response.status) + " " +
                      Http::codeString(static_cast<Http::Code>(response.status)) + "\r\n";
    if (!response.content_type.empty()) raw += "Content-Type: " + response.content_type + "\r\n";
    for (const auto& [name, value] : response.headers) raw += name + ": " + value + "\r\n";
    raw += "Content-Length: " + std::to_string(length) + "\r\n";
    raw += std::string("Connection: ") + (keep_alive ? "Keep-Alive" : "Close") + "\r\n\r\n";
    raw += body;
    std::size_t size = raw.size();
    writer.peer()->send(RawBuffer(std::move(raw), size));
  }

  const Routes& routes_;
  const ServerConfig& limits_;
};

// Pistache 0.0.5 only hands over a request once its whole body is buffered, and on overflow
// answers 413 but keeps reading the rest of the body as new requests, which hangs clients. So
// the bytes go through this guard first: it reads the Content-Length as soon as the headers are
// in, and refuses (413 envelope, then closes) a declared or actual body over the limit before
// it is buffered. Everything else goes on to Pistache's parser and RequestHandler.
//
// Forwarding needs a second handler object bound to the same transport; Tcp::Handler keeps
// associateTransport() private to Transport, so it is reached through the standard's explicit
// instantiation rule (access is not checked on template arguments there).
struct AssociateTransport {
  using type = void (Tcp::Handler::*)(Tcp::Transport*);
};
AssociateTransport::type member(AssociateTransport);
template <typename Tag, typename Tag::type M>
struct Grant {
  friend typename Tag::type member(Tag) { return M; }
};
template struct Grant<AssociateTransport, &Tcp::Handler::associateTransport>;

struct PeerGuard {
  std::size_t received = 0;  // bytes of the request in progress
  std::size_t limit = 0;     // its body limit, known once its request line is in
  bool in_head = true;       // still reading its request line and headers
  std::string head;
  bool rejected = false;     // answered 413: discard whatever else arrives
};

std::optional<std::size_t> content_length(std::string_view head) {
  std::string lower = catalog::to_lower_ascii(head);
  std::size_t pos = lower.find("\r\ncontent-length:");
  if (pos == std::string::npos) return std::nullopt;
  pos += 17;
  while (pos < lower.size() && (lower[pos] == ' ' || lower[pos] == '\t')) ++pos;
  std::size_t n = 0, digits = 0;
  while (pos < lower.size() && lower[pos] >= '0' && lower[pos] <= '9' && digits < 19) {
    n = n * 10 + static_cast<std::size_t>(lower[pos++] - '0');
    ++digits;
  }
  if (digits == 0) return std::nullopt;
  if (digits == 19) return std::numeric_limits<std::size_t>::max();
  return n;
}

class GuardedHandler : public Http::Handler {
 public:
  HTTP_PROTOTYPE(GuardedHandler)

  GuardedHandler(const Routes& routes, const ServerConfig& limits, std::chrono::seconds timeout)
      : inner_(std::make_shared<RequestHandler>(routes, limits)), limits_(limits) {
    inner_->setHeaderTimeout(timeout);
    inner_->setBodyTimeout(timeout);
  }
  GuardedHandler(const GuardedHandler& other)  // clone(): one per transport thread
      : Http::Handler(other),
        inner_(std::make_shared<RequestHandler>(*other.inner_)),
        limits_(other.limits_) {}

  void onRequest(const Http::Request&, Http::ResponseWriter) override {}  // inner_ answers

 private:
  void onInput(const char* buffer, size_t len, const std::shared_ptr<Tcp::Peer>& peer) override {
    if (!inner_bound_) {
      (inner_.get()->*member(AssociateTransport{}))(transport());
      inner_bound_ = true;
    }
    PeerGuard& g = guard(peer);
    if (g.rejected) return;
    if (g.limit == 0) g.limit = limits_.max_body_bytes;
    g.received += len;
    if (g.in_head) {
      g.head.append(buffer, std::min(len, kHeaderAllowance - std::min(kHeaderAllowance, g.head.size())));
      std::size_t end = g.head.find("\r\n\r\n");
      if (end != std::string::npos) {
        std::string_view head(g.head);
        g.limit = body_limit(limits_, request_target(head.substr(0, end)));
        auto declared = content_length(head.substr(0, end));
        g.in_head = false;
        g.head.clear();
        if (declared && *declared > g.limit) return reject(peer, g);
      } else if (g.head.size() >= kHeaderAllowance) {
        return reject(peer, g);
      }
    }
    if (g.received > g.limit + kHeaderAllowance) return reject(peer, g);
    t_request_completed = false;
    static_cast<Tcp::Handler&>(*inner_).onInput(buffer, len, peer);
    if (t_request_completed) g = PeerGuard{};
  }

  PeerGuard& guard(const std::shared_ptr<Tcp::Peer>& peer) {
    static const std::string kKey = "datamap.guard";
    try {
      return *std::static_pointer_cast<PeerGuard>(peer->getData(kKey));
    } catch (const std::exception&) {  // first bytes of this connection
      auto g = std::make_shared<PeerGuard>();
      peer->putData(kKey, g);
      return *g;
    }
  }

  void reject(const std::shared_ptr<Tcp::Peer>& peer, PeerGuard& g) {
    g.rejected = true;
    HttpResponse r = error_response(
        std::make_exception_ptr(PayloadTooLarge("Request body is larger than the limit of " +
                                                std::to_string(g.limit) + " bytes")),
        "");
    std::string raw = "HTTP/1.1 413 Request Entity Too Large\r\nContent-Type: " + r.content_type +
                      "\r\nContent-Length: " + std::to_string(r.body.size()) +
                      "\r\nConnection: close\r\n\r\n" + r.body;
    // Direct, small write, then FIN: the client reads the answer and stops sending; what it
    // still sends is discarded above until it closes.
    ssize_t ignored = ::send(peer->fd(), raw.data(), raw.size(), MSG_NOSIGNAL);
    (void)ignored;
    ::shutdown(peer->fd(), SHUT_WR);
  }

  std::shared_ptr<RequestHandler> inner_;
  const ServerConfig& limits_;
  bool inner_bound_ = false;
};

}  // namespace

bool is_upload_path(std::string_view path) {
  for (std::string_view prefix : {"/api/3/action/", "/api/action/"})
    if (path.substr(0, prefix.size()) == prefix) {
      std::string_view name = path.substr(prefix.size());
      return name == "resource_create" || name == "resource_update" || name == "resource_patch";
    }
  constexpr std::string_view kConsole = "/console/", kUpload = "/upload";
  return path.substr(0, kConsole.size()) == kConsole && path.size() > kUpload.size() &&
         path.substr(path.size() - kUpload.size()) == kUpload;
}

std::size_t body_limit(const ServerConfig& config, std::string_view path) {
  return is_upload_path(path) ? config.max_upload_bytes : config.max_body_bytes;
}

HttpResponse dispatch(const Routes& routes, const HttpRequest& request,
                      const ServerConfig& limits) {
  try {
    std::size_t max_body_bytes = body_limit(limits, request.path);
    auto declared = request.header("content-length");
    if ((declared && std::strtoull(declared->c_str(), nullptr, 10) > max_body_bytes) ||
        request.body.size() > max_body_bytes)
      throw PayloadTooLarge("Request body is larger than the limit of " +
                            std::to_string(max_body_bytes) + " bytes");
    auto match = routes.match(request);
    if (!match.handler) {
      if (!match.allowed.empty())
        throw MethodNotAllowed(request.method + " is not allowed here", match.allowed);
      throw NotFound("no such path: " + request.path.substr(0, 200));
    }
    return (*match.handler)(request);
  } catch (...) {
    return error_response(std::current_exception(), "");
  }
}

HttpResponse dispatch(const Routes& routes, const HttpRequest& request,
                      std::size_t max_body_bytes) {
  ServerConfig limits;
  limits.max_body_bytes = limits.max_upload_bytes = max_body_bytes;
  return dispatch(routes, request, limits);
}

struct HttpServer::Impl {
  const Routes& routes;
  ServerConfig config;
  std::unique_ptr<Http::Endpoint> endpoint;
  bool running = false;
};

HttpServer::HttpServer(const Routes& routes, const ServerConfig& config)
    : impl_(new Impl{routes, config, nullptr, false}) {}

HttpServer::~HttpServer() { stop(); }

int HttpServer::start() {
  const ServerConfig& c = impl_->config;
  int threads = c.threads > 0 ? c.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  Address address(c.host, Port(static_cast<uint16_t>(c.port)));
  impl_->endpoint = std::make_unique<Http::Endpoint>(address);
  auto options =
      Http::Endpoint::options()
          .threads(threads)
          .flags(Tcp::Options::ReuseAddr)
          .maxRequestSize(std::max(c.max_body_bytes, c.max_upload_bytes) + kHeaderAllowance)
          .maxResponseSize(256 * 1024 * 1024)
          .headerTimeout(std::chrono::seconds(c.request_timeout_seconds))
          .bodyTimeout(std::chrono::seconds(c.request_timeout_seconds));
  impl_->endpoint->init(options);
  impl_->endpoint->setHandler(Http::make_handler<GuardedHandler>(
      impl_->routes, impl_->config, std::chrono::seconds(c.request_timeout_seconds)));
  try {
    impl_->endpoint->serveThreaded();
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot listen on " + c.host + ":" + std::to_string(c.port) + ": " +
                             e.what());
  }
  impl_->running = true;
  return static_cast<int>(static_cast<uint16_t>(impl_->endpoint->getPort()));
}

void HttpServer::stop() {
  if (!impl_ || !impl_->running) return;
  impl_->endpoint->shutdown();
  impl_->running = false;
}

}  // namespace datamap::api

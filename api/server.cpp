#include "api/server.h"

#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <pistache/net.h>
#include <spdlog/spdlog.h>

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

class Handler : public Http::Handler {
 public:
  HTTP_PROTOTYPE(Handler)

  Handler(const Routes& routes, std::size_t max_body) : routes_(routes), max_body_(max_body) {}

  void onRequest(const Http::Request& request, Http::ResponseWriter writer) override {
    HttpResponse response;
    try {
      response = dispatch(routes_, convert(request), max_body_);
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
    if (response.content_type.empty())
      writer.send(code, response.body);
    else
      writer.send(code, response.body, media_type(response.content_type));
  }

 private:
  const Routes& routes_;
  std::size_t max_body_;
};

}  // namespace

HttpResponse dispatch(const Routes& routes, const HttpRequest& request,
                      std::size_t max_body_bytes) {
  try {
    auto declared = request.header("content-length");
    if ((declared && std::strtoull(declared->c_str(), nullptr, 10) > max_body_bytes) ||
        request.body.size() > max_body_bytes)
      throw PayloadTooLarge("Request body is larger than the limit of " +
                            std::to_string(max_body_bytes) + " bytes");
    auto match = routes.match(request.method, request.path);
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
  auto options = Http::Endpoint::options()
                     .threads(threads)
                     .flags(Tcp::Options::ReuseAddr)
                     .maxRequestSize(c.max_body_bytes + kHeaderAllowance)
                     .maxResponseSize(256 * 1024 * 1024);
  impl_->endpoint->init(options);
  impl_->endpoint->setHandler(Http::make_handler<Handler>(impl_->routes, c.max_body_bytes));
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

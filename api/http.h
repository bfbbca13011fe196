// HTTP as the rest of api/ sees it: a parsed request, a response value and a route table.
// Handlers never touch Pistache; only server.cpp does. Route handlers may throw the typed errors
// of catalog/errors.h: the server turns them into CKAN's error envelope (api/errors.h).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace datamap::api {

using NameValues = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;  // "GET", "POST", ... (HEAD is routed as GET)
  std::string path;    // percent-decoded, without the query string
  NameValues query;    // decoded, in arrival order
  NameValues headers;  // names lower-cased
  std::string body;
  std::string remote_address{};  // the peer's IP address ("127.0.0.1", "::1"); "" without a socket

  std::optional<std::string> header(std::string_view lower_name) const;
  std::optional<std::string> query_param(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  NameValues headers;  // extra headers (Allow, Access-Control-*, Cache-Control, ...)
  std::string body;
  // When set, the response body is this file's content, sent by the server straight from disk
  // (large exports such as /data.json); `body` is then ignored.
  std::string file_path;
  // With file_path: only `file_length` bytes from `file_offset` (a 206 answer to Range). These
  // are read into memory, so the route keeps them bounded; -1: the whole file (sendfile).
  std::int64_t file_offset = 0;
  std::int64_t file_length = -1;
};

using RouteHandler = std::function<HttpResponse(const HttpRequest&)>;
// A route with a predicate only takes the requests it accepts (content negotiation: /dataset/*
// goes to api/formats for RDF and to the portal for HTML); the others fall through to the next
// route of the same path.
using RoutePredicate = std::function<bool(const HttpRequest&)>;

// Exact paths, or prefixes when the registered path ends with '*'. Longest match wins; a path
// that matches with another method answers 405 with Allow.
class Routes {
 public:
  void add(std::string method, std::string path, RouteHandler handler, RoutePredicate when = {});

  struct Match {
    const RouteHandler* handler = nullptr;  // null: see allowed
    std::vector<std::string> allowed;       // methods the path does accept (405 when non-empty)
  };
  Match match(std::string_view method, std::string_view path) const;  // predicates not consulted
  Match match(const HttpRequest& request) const;  // skips routes whose predicate refuses it

 private:
  struct Route;
  Match match_impl(std::string_view method, std::string_view path, const HttpRequest* request) const;
  struct Route {
    std::string method;
    std::string path;
    bool prefix = false;
    RouteHandler handler;
    RoutePredicate when;
  };
  std::vector<Route> routes_;
};

// The first value of cookie `name` in the request's Cookie header, or "".
std::string request_cookie(const HttpRequest& request, std::string_view name);

// Decodes %XX and (when plus_is_space) '+'. Returns nullopt on a malformed escape.
std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space);
// Parses "a=1&b=2" (query strings and application/x-www-form-urlencoded bodies).
// Returns nullopt on a malformed escape.
std::optional<NameValues> parse_urlencoded(std::string_view s);

}  // namespace datamap::api

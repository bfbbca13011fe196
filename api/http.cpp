#include "api/http.h"

#include <algorithm>

namespace datamap::api {

std::optional<std::string> HttpRequest::header(std::string_view lower_name) const {
  for (const auto& [k, v] : headers)
    if (k == lower_name) return v;
  return std::nullopt;
}

std::optional<std::string> HttpRequest::query_param(std::string_view name) const {
  for (const auto& [k, v] : query)
    if (k == name) return v;
  return std::nullopt;
}

void Routes::add(std::string method, std::string path, RouteHandler handler, RoutePredicate when) {
  Route r;
  r.method = std::move(method);
  r.prefix = !path.empty() && path.back() == '*';
  if (r.prefix) path.pop_back();
  r.path = std::move(path);
  r.handler = std::move(handler);
  r.when = std::move(when);
  routes_.push_back(std::move(r));
}

Routes::Match Routes::match(std::string_view method, std::string_view path) const {
  return match_impl(method, path, nullptr);
}

Routes::Match Routes::match(const HttpRequest& request) const {
  return match_impl(request.method, request.path, &request);
}

Routes::Match Routes::match_impl(std::string_view method, std::string_view path,
                                 const HttpRequest* request) const {
  Match m;
  std::size_t best = 0;
  bool found_any = false;
  std::string_view routed_method = method == "HEAD" ? std::string_view("GET") : method;
  // First the longest registered path that matches at all, then the method among its routes.
  for (const auto& r : routes_) {
    bool hit = r.prefix ? path.substr(0, r.path.size()) == r.path : path == r.path;
    if (!hit) continue;
    std::size_t len = r.path.size() + (r.prefix ? 0 : 1);  // exact beats prefix of same length
    if (!found_any || len > best) {
      best = len;
      found_any = true;
    }
  }
  if (!found_any) return m;
  for (const auto& r : routes_) {
    bool hit = r.prefix ? path.substr(0, r.path.size()) == r.path : path == r.path;
    if (!hit || r.path.size() + (r.prefix ? 0 : 1) != best) continue;
    if (r.method == routed_method) {
      if (r.when && (!request || !r.when(*request))) continue;
      m.handler = &r.handler;
      m.allowed.clear();
      return m;
    }
    if (std::find(m.allowed.begin(), m.allowed.end(), r.method) == m.allowed.end())
      m.allowed.push_back(r.method);
  }
  return m;
}

namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      int hi = hex_value(s[i + 1]);
      int lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::optional<NameValues> parse_urlencoded(std::string_view s) {
  NameValues out;
  std::size_t start = 0;
  while (start < s.size()) {
    std::size_t amp = s.find('&', start);
    if (amp == std::string_view::npos) amp = s.size();
    std::string_view pair = s.substr(start, amp - start);
    start = amp + 1;
    if (pair.empty()) continue;
    std::size_t eq = pair.find('=');
    auto name = percent_decode(pair.substr(0, eq), true);
    auto value = percent_decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
    if (!name || !value) return std::nullopt;
    out.emplace_back(std::move(*name), std::move(*value));
  }
  return out;
}

std::string request_cookie(const HttpRequest& request, std::string_view name) {
  std::string header = request.header("cookie").value_or("");
  std::string_view rest = header;
  while (!rest.empty()) {
    std::size_t end = std::min(rest.find(';'), rest.size());
    std::string_view part = rest.substr(0, end);
    rest = end < rest.size() ? rest.substr(end + 1) : std::string_view();
    while (!part.empty() && (part.front() == ' ' || part.front() == '\t')) part.remove_prefix(1);
    while (!part.empty() && (part.back() == ' ' || part.back() == '\t')) part.remove_suffix(1);
    auto eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name)
      return std::string(part.substr(eq + 1));
  }
  return "";
}

}  // namespace datamap::api

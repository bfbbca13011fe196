#include "net/url.h"

#include <algorithm>
#include <vector>

#include "catalog/text.h"
#include "net/curl_handles.h"

namespace datamap::net {
namespace {

CurlUrl new_url() {
  ensure_curl_global_init();
  CurlUrl u(curl_url());
  if (!u) throw std::bad_alloc();
  return u;
}

std::string get_part(CURLU* u, CURLUPart part, unsigned flags = 0) {
  char* raw = nullptr;
  if (curl_url_get(u, part, &raw, flags) != CURLUE_OK || !raw) return "";
  CurlString owned(raw);
  return owned.get();
}

}  // namespace

std::optional<UrlParts> parse_http_url(std::string_view url) {
  auto u = new_url();
  std::string s(url);
  if (curl_url_set(u.get(), CURLUPART_URL, s.c_str(), 0) != CURLUE_OK) return std::nullopt;
  UrlParts p;
  p.scheme = catalog::to_lower_ascii(get_part(u.get(), CURLUPART_SCHEME));
  if (p.scheme != "http" && p.scheme != "https") return std::nullopt;
  p.host = catalog::to_lower_ascii(get_part(u.get(), CURLUPART_HOST));
  if (p.host.size() > 2 && p.host.front() == '[') p.host = p.host.substr(1, p.host.size() - 2);
  if (p.host.empty()) return std::nullopt;
  std::string port = get_part(u.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
  p.port = port.empty() ? 0 : std::atoi(port.c_str());
  return p;
}

std::string resolve_url(std::string_view base, std::string_view reference) {
  auto u = new_url();
  std::string b(base), r(reference);
  if (curl_url_set(u.get(), CURLUPART_URL, b.c_str(), 0) != CURLUE_OK) return "";
  if (curl_url_set(u.get(), CURLUPART_URL, r.c_str(), 0) != CURLUE_OK) return "";
  return get_part(u.get(), CURLUPART_URL);
}

std::string normalize_landing_url(std::string_view url) {
  auto u = new_url();
  std::string s(catalog::trim(url));
  if (s.empty() ||
      curl_url_set(u.get(), CURLUPART_URL, s.c_str(), CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK)
    return "";
  std::string host = catalog::to_lower_ascii(get_part(u.get(), CURLUPART_HOST));
  if (host.empty()) return "";
  if (host.rfind("www.", 0) == 0) host = host.substr(4);
  std::string port = get_part(u.get(), CURLUPART_PORT);  // empty when default or absent
  std::string path = get_part(u.get(), CURLUPART_PATH);
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  if (path == "/") path.clear();
  std::string query = get_part(u.get(), CURLUPART_QUERY);
  std::vector<std::string> params;
  std::size_t start = 0;
  while (start < query.size()) {
    std::size_t amp = query.find('&', start);
    if (amp == std::string::npos) amp = query.size();
    std::string p = query.substr(start, amp - start);
    if (!p.empty() && p.rfind("utm_", 0) != 0) params.push_back(p);
    start = amp + 1;
  }
  std::sort(params.begin(), params.end());
  std::string out = host;
  if (!port.empty() && port != "80" && port != "443") out += ":" + port;
  out += path;
  for (std::size_t i = 0; i < params.size(); ++i) out += (i == 0 ? "?" : "&") + params[i];
  return out;
}

std::string with_query_param(std::string_view url, std::string_view name, std::string_view value) {
  std::string out(url);
  std::size_t hash = out.find('#');
  std::string fragment;
  if (hash != std::string::npos) {
    fragment = out.substr(hash);
    out.resize(hash);
  }
  if (out.find('?') == std::string::npos)
    out += '?';
  else if (out.back() != '?' && out.back() != '&')
    out += '&';
  out += url_encode(name) + "=" + url_encode(value);
  return out + fragment;
}

std::string set_query_param(std::string_view url, std::string_view name, std::string_view value) {
  std::string s(url);
  std::string fragment;
  if (auto hash = s.find('#'); hash != std::string::npos) {
    fragment = s.substr(hash);
    s.resize(hash);
  }
  auto q = s.find('?');
  std::string base = s.substr(0, q);
  std::string kept;
  if (q != std::string::npos) {
    std::string query = s.substr(q + 1);
    std::size_t start = 0;
    while (start <= query.size()) {
      std::size_t amp = query.find('&', start);
      if (amp == std::string::npos) amp = query.size();
      std::string p = query.substr(start, amp - start);
      std::string key = p.substr(0, p.find('='));
      if (!p.empty() && key != url_encode(name) && key != name)
        kept += (kept.empty() ? "" : "&") + p;
      start = amp + 1;
    }
  }
  std::string out = base + "?" + kept;
  return with_query_param(out, name, value) + fragment;
}

}  // namespace datamap::net

#include "tests/api/console_browser.h"

#include <regex>

namespace datamap::testing {

std::string ConsoleBrowser::cookie_header() const {
  std::string out;
  for (const auto& [name, value] : cookies_) out += (out.empty() ? "" : "; ") + name + "=" + value;
  return out;
}

HttpReply ConsoleBrowser::remember(HttpReply reply) {
  last_set_cookie_ = reply.header("set-cookie");
  if (!last_set_cookie_.empty()) {
    std::string pair = last_set_cookie_.substr(0, last_set_cookie_.find(';'));
    auto eq = pair.find('=');
    std::string name = pair.substr(0, eq), value = eq == std::string::npos ? "" : pair.substr(eq + 1);
    if (last_set_cookie_.find("Max-Age=0") != std::string::npos || value.empty())
      cookies_.erase(name);
    else
      cookies_[name] = value;
  }
  std::smatch m;
  static const std::regex kCsrf(R"re(name="csrf" value="([^"]*)")re");
  if (reply.status != 303) csrf_ = std::regex_search(reply.body, m, kCsrf) ? m[1].str() : "";
  return reply;
}

HttpReply ConsoleBrowser::get(const std::string& path, const Headers& extra) {
  Headers h = extra;
  if (!cookies_.empty()) h["Cookie"] = cookie_header();
  return remember(http_.get(path, h));
}

HttpReply ConsoleBrowser::post(const std::string& path, const std::string& form, const Headers& extra) {
  Headers h = extra;
  if (!h.count("Content-Type")) h["Content-Type"] = "application/x-www-form-urlencoded";
  if (!cookies_.empty()) h["Cookie"] = cookie_header();
  return remember(http_.post(path, form, h));
}

HttpReply ConsoleBrowser::sign_in(const std::string& token, const Headers& extra) {
  get("/console", extra);
  return post("/console/login", "csrf=" + url_encode(csrf_) + "&token=" + url_encode(token), extra);
}

std::string session_cookie(ConsoleBrowser& browser) {
  for (const auto& [name, value] : browser.cookies())
    if (name == "datamap_session" || name == "__Host-datamap_session") return name + "=" + value;
  return "";
}

}  // namespace datamap::testing

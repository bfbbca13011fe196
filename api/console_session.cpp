#include "api/console_session.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <ctime>

#include "api/auth.h"
#include "catalog/ids.h"
#include "catalog/text.h"

namespace datamap::api {
namespace {

std::int64_t unix_now() {
  return static_cast<std::int64_t>(std::time(nullptr));
}

// "https://host:port/path" -> "host:port" (lower-cased); "" when it is not an absolute URL.
std::string authority_of(std::string_view url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return "";
  std::string_view rest = url.substr(scheme_end + 3);
  return catalog::to_lower_ascii(
      std::string(rest.substr(0, std::min(rest.find('/'), rest.size()))));
}

}  // namespace

ConsoleTransport console_transport(const HttpRequest& req, const ConsoleConfig& config) {
  ConsoleTransport t;
  t.host = req.header("host").value_or("");
  if (config.trust_forwarded_proto) {
    std::string proto = catalog::to_lower_ascii(
        std::string(catalog::trim(req.header("x-forwarded-proto").value_or(""))));
    // A chain of proxies lists one value each; the first is what the browser used.
    t.secure = proto.substr(0, proto.find(',')) == "https";
    if (auto host = req.header("x-forwarded-host"); host && !catalog::trim(*host).empty())
      t.host = std::string(catalog::trim(host->substr(0, host->find(','))));
  }
  t.host = catalog::to_lower_ascii(t.host);
  return t;
}

bool same_origin(const HttpRequest& req, const ConsoleTransport& transport) {
  // Browsers send Origin with every POST; "null" (sandboxed frames, some redirects) is no origin
  // of ours. Referer is the fallback for older browsers; a client that sends neither is not a
  // browser another site can drive.
  if (auto origin = req.header("origin")) return authority_of(*origin) == transport.host;
  if (auto referer = req.header("referer")) return authority_of(*referer) == transport.host;
  return true;
}

ConsoleSessions::ConsoleSessions(catalog::Store& store, const ConsoleConfig& config, Clock clock)
    : store_(store), config_(config), clock_(clock ? std::move(clock) : Clock(unix_now)) {}

std::string ConsoleSessions::open(const catalog::User& user, std::string_view token_id) {
  std::string id = random_base64url(32);
  std::int64_t now = clock_();
  catalog::ConsoleSession s;
  s.user_id = user.id;
  s.token_id = std::string(token_id);
  s.created_at = now;
  s.expires_at = now + config_.session_max_seconds;
  s.idle_expires_at = std::min(s.expires_at, now + config_.session_idle_seconds);
  store_.write([&](catalog::Transaction& tx) {
    // Sessions are only added here, so cleaning up here keeps the table to the live ones.
    tx.delete_expired_sessions(now);
    tx.add_session(s, catalog::sha256_hex(id));
  });
  return id;
}

std::optional<catalog::User> ConsoleSessions::resolve(std::string_view session_id) {
  if (session_id.empty()) return std::nullopt;
  const std::string key = catalog::sha256_hex(session_id);
  auto s = store_.console_session(key);
  if (!s) return std::nullopt;
  const std::int64_t now = clock_();
  std::optional<catalog::User> user;
  if (now < s->idle_expires_at && now < s->expires_at) user = store_.user(s->user_id);
  if (!user || user->state != "active") {
    store_.write([&](catalog::Transaction& tx) { tx.delete_session(key); });
    return std::nullopt;
  }
  // Push the idle deadline forward, but write at most about once a minute per session: a page
  // view should not be a catalog write.
  const std::int64_t step = std::min<std::int64_t>(60, config_.session_idle_seconds / 10);
  const std::int64_t wanted = now + config_.session_idle_seconds;
  if (wanted - s->idle_expires_at > step && s->idle_expires_at < s->expires_at)
    store_.write([&](catalog::Transaction& tx) { tx.touch_session(key, wanted); });
  return user;
}

void ConsoleSessions::close(std::string_view session_id) {
  if (session_id.empty()) return;
  store_.write(
      [&](catalog::Transaction& tx) { tx.delete_session(catalog::sha256_hex(session_id)); });
}

std::string session_csrf(std::string_view session_id) {
  // A different prefix from the stored hash: the field never reveals the stored key, nor it the
  // field.
  return catalog::sha256_hex("datamap-console-csrf:" + std::string(session_id));
}

std::string new_login_nonce() {
  return random_base64url(32);
}

std::string login_csrf(std::string_view nonce) {
  return catalog::sha256_hex("datamap-console-login:" + std::string(nonce));
}

bool csrf_matches(std::string_view submitted, std::string_view expected) {
  return !expected.empty() && submitted.size() == expected.size() &&
         CRYPTO_memcmp(submitted.data(), expected.data(), expected.size()) == 0;
}

std::string session_cookie_name(bool secure) {
  return secure ? "__Host-datamap_session" : "datamap_session";
}
std::string login_cookie_name(bool secure) {
  return secure ? "__Host-datamap_login" : "datamap_login";
}

std::string set_cookie(const std::string& name, const std::string& value, std::int64_t max_age,
                       bool secure) {
  return name + "=" + value + "; Path=/; Max-Age=" + std::to_string(max_age) +
         "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
}

}  // namespace datamap::api

// The agency console's sign-in, as the server keeps it. Signing in with an API token opens a
// server-side session: a random 256-bit id that only the browser's cookie holds, stored in the
// catalog as its SHA-256 (so every node serving the catalog sees it, and a database leak gives
// no usable cookie), mapped to the user, ending when idle too long, at an absolute limit, on
// sign-out, or when the user's tokens are revoked (catalog/store.h). The API token itself is
// never put in a cookie.
//
// Forms are protected twice: a CSRF field (per session after sign-in; before it, bound to a
// short-lived random cookie, double-submit) and the Origin / Referer check of same_origin().
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "api/config.h"
#include "api/http.h"
#include "catalog/model.h"
#include "catalog/store.h"

namespace datamap::api {

// What the console may believe about how the browser reached it.
struct ConsoleTransport {
  bool secure = false;  // https (via a trusted proxy): cookies get Secure and the __Host- prefix
  std::string host;     // host[:port] the browser addressed
};
ConsoleTransport console_transport(const HttpRequest& req, const ConsoleConfig& config);

// False when the request names another site in Origin (or, without Origin, in Referer); true
// when it names ours or neither header is present (non-browser clients; the CSRF field guards).
bool same_origin(const HttpRequest& req, const ConsoleTransport& transport);

class ConsoleSessions {
 public:
  using Clock = std::function<std::int64_t()>;  // Unix seconds
  ConsoleSessions(catalog::Store& store, const ConsoleConfig& config, Clock clock = {});

  // Opens a session for `user` (signed in with the token whose id is `token_id`) and returns its
  // id for the cookie. Expired sessions are cleaned up in the same write.
  std::string open(const catalog::User& user, std::string_view token_id);
  // The active user of a live session, or nullopt. Ends a session found expired (or whose user
  // is no longer active) and pushes a live one's idle deadline forward.
  std::optional<catalog::User> resolve(std::string_view session_id);
  void close(std::string_view session_id);  // sign-out: the id is worthless from now on

 private:
  catalog::Store& store_;
  ConsoleConfig config_;
  Clock clock_;
};

// The CSRF field of a session's forms: derived from the id, so only its cookie's holder has it.
std::string session_csrf(std::string_view session_id);
// Before sign-in: a random nonce for the short-lived login cookie, and the field it requires.
std::string new_login_nonce();
std::string login_csrf(std::string_view nonce);
// Constant-time comparison of a submitted field with the expected one ("" never matches).
bool csrf_matches(std::string_view submitted, std::string_view expected);

// Cookie names: with the __Host- prefix over https, so no sibling host can plant one.
std::string session_cookie_name(bool secure);
std::string login_cookie_name(bool secure);
inline constexpr std::int64_t kLoginCookieSeconds = 3600;
// A Set-Cookie value: HttpOnly, SameSite=Strict, Path=/, Secure over https. max_age 0 clears.
std::string set_cookie(const std::string& name, const std::string& value, std::int64_t max_age,
                       bool secure);

}  // namespace datamap::api

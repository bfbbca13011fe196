// A browser's view of the agency console for tests: it keeps the cookies the server sets (and
// drops those it expires), sends them back, and remembers the CSRF field of the last page it
// loaded, so a test can sign in, submit forms and replay old cookies the way a person (or an
// attacker holding a stolen cookie) would.
#pragma once

#include <map>
#include <string>

#include "tests/support/http_client.h"

namespace datamap::testing {

class ConsoleBrowser {
 public:
  explicit ConsoleBrowser(const std::string& base_url) : http_(base_url) {}

  HttpReply get(const std::string& path, const Headers& extra = {});
  // POSTs an urlencoded form body as is (the caller adds csrf=... when it wants to), or another
  // body when `extra` sets Content-Type (a multipart upload form).
  HttpReply post(const std::string& path, const std::string& form, const Headers& extra = {});
  // Loads the sign-in page, then submits `token` with the page's CSRF field. Returns the reply
  // to the POST (303 to /console when it worked).
  HttpReply sign_in(const std::string& token, const Headers& extra = {});

  // The hidden csrf field of the last page loaded ("" when it had none).
  const std::string& csrf() const { return csrf_; }
  // "name=value; name2=value2" as sent in the Cookie header.
  std::string cookie_header() const;
  std::map<std::string, std::string>& cookies() { return cookies_; }
  // The raw Set-Cookie header of the last reply.
  const std::string& last_set_cookie() const { return last_set_cookie_; }

 private:
  HttpReply remember(HttpReply reply);

  HttpClient http_;
  std::map<std::string, std::string> cookies_;
  std::string csrf_;
  std::string last_set_cookie_;
};

// The session cookie's name=value pair from a cookie jar ("" when not signed in).
std::string session_cookie(ConsoleBrowser& browser);

}  // namespace datamap::testing

// Secrets out of text that is kept or shown: harvest job and object errors (which quote the URLs
// a fetch failed on, and a data.go.kr URL carries its serviceKey), and source URLs shown to
// readers who may not manage the source. Applied where harvest errors are recorded, so no job
// record ever holds a secret.
#pragma once

#include <string>
#include <string_view>

namespace datamap::catalog {

// What stands where a secret was.
inline constexpr std::string_view kRedacted = "***";

// `text` with these values replaced by kRedacted:
//  - query parameters named like a credential (serviceKey, api_key, apikey, key, token,
//    access_token, password, secret, ... in any case), as `name=value` or percent-encoded
//    inside another URL (`name%3Dvalue`), and as quoted JSON members (`"name": "value"`);
//  - the password of `scheme://user:password@host` (a userinfo without a password is replaced
//    whole: it is often a token);
//  - the value of Authorization-like headers (`Authorization: Bearer ...`, X-CKAN-API-Key,
//    X-API-Key, Cookie) up to the end of the line.
// Everything else is kept as it was; redacting twice changes nothing more.
std::string redact_secrets(std::string_view text);

}  // namespace datamap::catalog

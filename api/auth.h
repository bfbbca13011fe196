// Who is calling. The token comes from `Authorization: <token>`, `Authorization: Bearer <token>`
// or `X-CKAN-API-Key: <token>`; only its SHA-256 is ever stored or compared. No token means
// anonymous. A token that matches no live user is refused (403) rather than silently downgraded
// to anonymous, so a revoked or mistyped key is noticed at once.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "api/action.h"
#include "api/http.h"

namespace datamap::api {

std::optional<std::string> request_token(const HttpRequest& request);
// Throws NotAuthorized for a token that matches no active user.
Caller authenticate(catalog::Store& store, const HttpRequest& request);

// `bytes` random bytes (OpenSSL RAND_bytes) as unpadded base64url: 32 bytes give 43 chars.
std::string random_base64url(std::size_t bytes);
// A new secret: "dm_" + 43 chars of base64url over 32 random bytes.
std::string new_token_secret();
// The token's public id, derived from the secret (so a holder can revoke by secret), and
// unrelated to the stored SHA-256 of the secret.
std::string token_id_for(std::string_view secret);

}  // namespace datamap::api

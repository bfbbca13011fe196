#include "api/auth.h"

#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

#include "catalog/errors.h"
#include "catalog/ids.h"
#include "catalog/text.h"

namespace datamap::api {

std::optional<std::string> request_token(const HttpRequest& request) {
  auto value = request.header("authorization");
  if (!value || catalog::trim(*value).empty()) value = request.header("x-ckan-api-key");
  if (!value) return std::nullopt;
  std::string token(catalog::trim(*value));
  if (token.size() > 7 && catalog::to_lower_ascii(token.substr(0, 7)) == "bearer ")
    token = std::string(catalog::trim(std::string_view(token).substr(7)));
  if (token.empty()) return std::nullopt;
  return token;
}

Caller authenticate(catalog::Store& store, const HttpRequest& request) {
  Caller caller;
  auto token = request_token(request);
  if (!token) return caller;
  auto user = store.user_for_token(catalog::sha256_hex(*token));
  if (!user || user->state != "active")
    throw NotAuthorized("the API token is not valid (unknown or revoked)");
  caller.user = std::move(user);
  return caller;
}

std::string random_base64url(std::size_t n) {
  std::vector<unsigned char> bytes(n);
  if (RAND_bytes(bytes.data(), static_cast<int>(n)) != 1)
    throw std::runtime_error("RAND_bytes failed");
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  unsigned int buffer = 0;
  int bits = 0;
  for (unsigned char b : bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(alphabet[(buffer >> bits) & 63]);
    }
  }
  if (bits > 0) out.push_back(alphabet[(buffer << (6 - bits)) & 63]);
  return out;
}

std::string new_token_secret() {
  return "dm_" + random_base64url(32);
}

std::string token_id_for(std::string_view secret) {
  return catalog::sha256_hex("datamap-token-id:" + std::string(secret)).substr(0, 32);
}

}  // namespace datamap::api

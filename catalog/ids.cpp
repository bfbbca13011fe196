#include "catalog/ids.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <stdexcept>

namespace datamap::catalog {
namespace {

std::string format_uuid(const unsigned char* b) {
  char out[37];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return out;
}

std::string digest_hex(const char* algorithm, std::string_view data, unsigned char* raw,
                       unsigned* raw_len) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (!ctx) throw std::runtime_error("EVP_MD_CTX_new failed");
  const EVP_MD* md = EVP_get_digestbyname(algorithm);
  bool ok = md && EVP_DigestInit_ex(ctx, md, nullptr) == 1 &&
            EVP_DigestUpdate(ctx, data.data(), data.size()) == 1 &&
            EVP_DigestFinal_ex(ctx, raw, raw_len) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) throw std::runtime_error(std::string("digest failed: ") + algorithm);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(*raw_len * 2);
  for (unsigned i = 0; i < *raw_len; ++i) {
    hex.push_back(kHex[raw[i] >> 4]);
    hex.push_back(kHex[raw[i] & 15]);
  }
  return hex;
}

}  // namespace

std::string new_id() {
  unsigned char b[16];
  if (RAND_bytes(b, sizeof b) != 1) throw std::runtime_error("RAND_bytes failed");
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
  return format_uuid(b);
}

std::string time_ordered_id() {
  unsigned char b[16];
  if (RAND_bytes(b, sizeof b) != 1) throw std::runtime_error("RAND_bytes failed");
  const auto ms =
      static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count());
  for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>(ms >> (8 * (5 - i)));
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x70);
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
  return format_uuid(b);
}

std::string stable_id(std::string_view name_space, std::string_view key) {
  std::string input(name_space);
  input.push_back('\0');
  input.append(key);
  unsigned char raw[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  digest_hex("SHA1", input, raw, &len);
  raw[6] = static_cast<unsigned char>((raw[6] & 0x0F) | 0x50);
  raw[8] = static_cast<unsigned char>((raw[8] & 0x3F) | 0x80);
  return format_uuid(raw);
}

bool is_uuid(std::string_view s) {
  if (s.starts_with("urn:")) s.remove_prefix(4);
  if (s.starts_with("uuid:")) s.remove_prefix(5);
  if (s.size() >= 2 && s.front() == '{' && s.back() == '}') s = s.substr(1, s.size() - 2);
  int digits = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '-') {
      // Python drops every dash; only the canonical positions are taken here, which every
      // UUID a CKAN site hands out has.
      if (i != 8 && i != 13 && i != 18 && i != 23) return false;
      continue;
    }
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    ++digits;
  }
  return digits == 32 && (s.size() == 32 || s.size() == 36);
}

std::string now_iso8601() {
  auto now = std::chrono::system_clock::now();
  auto secs = std::chrono::system_clock::to_time_t(now);
  auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() %
      1000000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lld", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>(micros));
  return buf;
}

std::string sha256_hex(std::string_view data) {
  unsigned char raw[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  return digest_hex("SHA256", data, raw, &len);
}

}  // namespace datamap::catalog

#include "net/address_policy.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "catalog/text.h"

namespace datamap::net {
namespace {

bool prefix_matches(const unsigned char* a, const unsigned char* net, int bits) {
  int full = bits / 8;
  if (std::memcmp(a, net, static_cast<std::size_t>(full)) != 0) return false;
  int rest = bits % 8;
  if (rest == 0) return true;
  unsigned char mask = static_cast<unsigned char>(0xFF << (8 - rest));
  return (a[full] & mask) == (net[full] & mask);
}

bool internal_v4(const unsigned char* b) {
  struct Net {
    unsigned char a, b;
    int bits;
  };
  // 0/8 "this network", 10/8, 100.64/10 CGNAT, 127/8, 169.254/16, 172.16/12, 192.0.0/24,
  // 192.168/16, 198.18/15 benchmarking, 224/4 multicast, 240/4 reserved (and broadcast).
  static const Net nets[] = {{0, 0, 8},     {10, 0, 8},     {100, 64, 10}, {127, 0, 8},
                             {169, 254, 16}, {172, 16, 12},  {192, 168, 16}, {198, 18, 15},
                             {224, 0, 4},    {240, 0, 4}};
  for (const auto& n : nets) {
    unsigned char net[4] = {n.a, n.b, 0, 0};
    if (prefix_matches(b, net, n.bits)) return true;
  }
  return b[0] == 192 && b[1] == 0 && b[2] == 0;  // 192.0.0.0/24 IETF protocol assignments
}

bool internal_v6(const unsigned char* b) {
  static const unsigned char zero[16] = {};
  if (std::memcmp(b, zero, 15) == 0 && (b[15] == 0 || b[15] == 1)) return true;  // :: and ::1
  static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
  if (std::memcmp(b, mapped, 12) == 0) return internal_v4(b + 12);  // ::ffff:a.b.c.d
  static const unsigned char nat64[12] = {0, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0};
  if (std::memcmp(b, nat64, 12) == 0) return internal_v4(b + 12);  // 64:ff9b::a.b.c.d
  if ((b[0] & 0xFE) == 0xFC) return true;                 // fc00::/7 unique local
  if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) return true;  // fe80::/10 link-local
  if (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0) return true;  // fec0::/10 site-local (deprecated)
  if (b[0] == 0xFF) return true;                           // multicast
  return false;
}

// The address bytes (4 or 16) and family of a sockaddr; false for other families.
bool address_bytes(const sockaddr* addr, int& family, const unsigned char*& bytes) {
  if (!addr) return false;
  if (addr->sa_family == AF_INET) {
    family = AF_INET;
    bytes = reinterpret_cast<const unsigned char*>(
        &reinterpret_cast<const sockaddr_in*>(addr)->sin_addr);
    return true;
  }
  if (addr->sa_family == AF_INET6) {
    family = AF_INET6;
    bytes = reinterpret_cast<const unsigned char*>(
        &reinterpret_cast<const sockaddr_in6*>(addr)->sin6_addr);
    return true;
  }
  return false;
}

}  // namespace

AddressPolicy::AddressPolicy(const std::vector<std::string>& allow_hosts,
                             std::string_view setting) {
  const std::string key(setting);
  for (const auto& raw : allow_hosts) {
    std::string entry(catalog::trim(raw));
    if (entry.empty()) continue;
    std::string addr = entry;
    int prefix = -1;
    if (auto slash = entry.find('/'); slash != std::string::npos) {
      addr = entry.substr(0, slash);
      try {
        std::size_t used = 0;
        prefix = std::stoi(entry.substr(slash + 1), &used);
        if (used != entry.size() - slash - 1) throw std::invalid_argument(entry);
      } catch (const std::exception&) {
        throw std::invalid_argument(key + ": bad CIDR block \"" + entry + "\"");
      }
    }
    if (addr.size() > 2 && addr.front() == '[' && addr.back() == ']')
      addr = addr.substr(1, addr.size() - 2);
    Block b{};
    if (inet_pton(AF_INET, addr.c_str(), b.bytes) == 1) {
      b.family = AF_INET;
      b.prefix = prefix < 0 ? 32 : prefix;
      if (b.prefix > 32) throw std::invalid_argument(key + ": bad prefix in " + entry);
      blocks_.push_back(b);
    } else if (inet_pton(AF_INET6, addr.c_str(), b.bytes) == 1) {
      b.family = AF_INET6;
      b.prefix = prefix < 0 ? 128 : prefix;
      if (b.prefix > 128) throw std::invalid_argument(key + ": bad prefix in " + entry);
      blocks_.push_back(b);
    } else if (prefix >= 0) {
      throw std::invalid_argument(key + ": bad CIDR block \"" + entry + "\"");
    } else {
      names_.push_back(catalog::to_lower_ascii(entry));
    }
  }
}

bool AddressPolicy::is_internal(const sockaddr* addr) {
  int family = 0;
  const unsigned char* bytes = nullptr;
  if (!address_bytes(addr, family, bytes)) return true;  // unix sockets and the like: never
  return family == AF_INET ? internal_v4(bytes) : internal_v6(bytes);
}

std::string AddressPolicy::to_string(const sockaddr* addr) {
  int family = 0;
  const unsigned char* bytes = nullptr;
  if (!address_bytes(addr, family, bytes)) return "(non-IP address)";
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(family, bytes, buf, sizeof buf);
  return buf;
}

bool AddressPolicy::lists(const sockaddr* addr) const {
  int family = 0;
  const unsigned char* bytes = nullptr;
  if (!address_bytes(addr, family, bytes)) return false;
  for (const auto& b : blocks_)
    if (b.family == family && prefix_matches(bytes, b.bytes, b.prefix)) return true;
  return false;
}

std::string AddressPolicy::check(std::string_view host, const sockaddr* addr) const {
  if (!is_internal(addr)) return "";
  std::string h = catalog::to_lower_ascii(host);
  if (h.size() > 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  if (std::find(names_.begin(), names_.end(), h) != names_.end()) return "";
  if (lists(addr)) return "";
  return "refused: " + std::string(host) + " resolves to internal address " + to_string(addr) +
         " (not in harvest.allow_hosts)";
}

}  // namespace datamap::net

// The SSRF guard: which resolved addresses a harvest may connect to. Loopback, private,
// link-local, carrier-grade NAT, multicast and reserved addresses are refused unless the host
// name, the address, or a CIDR block containing it is listed in config `harvest.allow_hosts`.
// The check runs on the address libcurl is about to connect to (after DNS), so a public name
// that resolves to 127.0.0.1, or a redirect to an internal host, is caught as well.
#pragma once

#include <sys/socket.h>

#include <string>
#include <string_view>
#include <vector>

namespace datamap::net {

class AddressPolicy {
 public:
  AddressPolicy() = default;
  // Entries: host names ("intranet.example"), addresses ("127.0.0.1", "::1") or CIDR blocks
  // ("10.0.0.0/8"). Invalid entries throw std::invalid_argument naming the entry and `setting`
  // (the configuration key the list came from).
  explicit AddressPolicy(const std::vector<std::string>& allow_hosts,
                         std::string_view setting = "harvest.allow_hosts");

  // Empty when connecting to `addr` (resolved for `host`) is allowed; otherwise the reason.
  std::string check(std::string_view host, const sockaddr* addr) const;

  // True when `addr` is a listed address or inside a listed CIDR block (names are not consulted:
  // the API's trusted proxies are matched this way).
  bool lists(const sockaddr* addr) const;

  // True for addresses a public harvest must never reach (loopback, RFC 1918, link-local, ...).
  static bool is_internal(const sockaddr* addr);
  // "127.0.0.1" / "::1" for the address, for messages.
  static std::string to_string(const sockaddr* addr);

 private:
  struct Block {
    int family;               // AF_INET or AF_INET6
    unsigned char bytes[16];  // network address
    int prefix;               // bits
  };
  std::vector<std::string> names_;  // lower case
  std::vector<Block> blocks_;
};

}  // namespace datamap::net

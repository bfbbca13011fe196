// URL handling of harvest sources and dataset fields: parse_http_url (the SSRF address policy's
// input), resolve_url (Location headers, Hydra next pages), normalize_landing_url (duplicate
// detection), query parameter editing (paging, serviceKey), the catalog's URL checks, and the
// secret redaction applied to the URLs quoted in recorded errors (it must be idempotent).
// Input: "base\nreference".
#include <string>

#include "catalog/redact.h"
#include "catalog/text.h"
#include "catalog/validation.h"
#include "fuzz/fuzz_support.h"
#include "net/url.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace net = datamap::net;
  auto [base, reference] = datamap::fuzz::split_two(datamap::fuzz::as_text(data, size));
  if (auto parts = net::parse_http_url(base)) {
    if (parts->port < 0 || parts->port > 65535) __builtin_trap();
  }
  (void)net::resolve_url(base, reference);
  (void)net::normalize_landing_url(base);
  (void)net::normalize_landing_url(reference);
  (void)net::with_query_param(base, "pageNo", reference);
  (void)net::set_query_param(base, "serviceKey", reference);
  (void)net::set_query_param(base, reference, "1");
  (void)datamap::catalog::is_valid_url(base);
  (void)datamap::catalog::url_encode(reference);
  // A key set into a URL never survives redaction, and redacting again changes nothing.
  const std::string keyed = net::set_query_param(base, "serviceKey", "fuzz-secret-9f3a");
  const std::string once = datamap::catalog::redact_secrets(keyed);
  if (base.find("fuzz-secret-9f3a") == std::string::npos &&
      once.find("fuzz-secret-9f3a") != std::string::npos)
    __builtin_trap();
  if (datamap::catalog::redact_secrets(once) != once) __builtin_trap();
  return 0;
}

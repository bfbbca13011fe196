// URL helpers on libcurl's URL parser (CURLU), so the fetcher and the parsers agree with libcurl
// on what a URL means.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "catalog/text.h"

namespace datamap::net {

struct UrlParts {
  std::string scheme;  // lower case
  std::string host;    // lower case, IPv6 without brackets
  int port = 0;        // explicit or the scheme's default
};

// Parses an absolute http(s) URL; nullopt for anything else (other schemes, garbage).
std::optional<UrlParts> parse_http_url(std::string_view url);

// Resolves `reference` (absolute, or relative like a Location header) against `base`.
// Empty when either cannot be parsed.
std::string resolve_url(std::string_view base, std::string_view reference);

// The form two landing pages are compared in for deduplication: scheme dropped (http == https),
// host lower case without "www.", default port and fragment dropped, trailing slash dropped,
// tracking parameters (utm_*) dropped and the rest sorted. Empty for an unparseable URL.
std::string normalize_landing_url(std::string_view url);

// Appends `name=value` (both percent-encoded) to a URL's query.
std::string with_query_param(std::string_view url, std::string_view name, std::string_view value);

// The URL with every `name=...` query parameter removed and `name=value` appended.
std::string set_query_param(std::string_view url, std::string_view name, std::string_view value);

// Percent-encodes a query component.
using catalog::url_encode;

}  // namespace datamap::net

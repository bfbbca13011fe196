// What a browser (or anyone) sends the portal and the console: query strings and
// application/x-www-form-urlencoded bodies (percent decoding), and Cookie headers.
// Input: "cookie header\nform body".
#include <string>

#include "api/http.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace datamap::api;
  auto [cookie_header, body] = datamap::fuzz::split_two(datamap::fuzz::as_text(data, size));
  HttpRequest request;
  request.headers.emplace_back("cookie", std::string(cookie_header));
  (void)request_cookie(request, "datamap_console");
  (void)request_cookie(request, "lang");
  if (auto pairs = parse_urlencoded(body)) {
    for (const auto& [name, value] : *pairs) (void)name.size(), (void)value.size();
  }
  (void)percent_decode(body, false);
  return 0;
}

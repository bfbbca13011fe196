// The one entry point for untrusted JSON (catalog/untrusted_json.h: iterative, depth-bounded,
// UTF-8 checked) and api/json.h parse_json_body, which every action's request body goes through.
// Malformed JSON must come back as an error (BadRequest for a body), never anything else; the
// check-only and the building parser must agree; a parsed document must serialise again.
#include <rapidjson/document.h>

#include "api/json.h"
#include "catalog/errors.h"
#include "catalog/untrusted_json.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = datamap::fuzz::as_text(data, size);
  rapidjson::Document doc;
  auto error = datamap::catalog::parse_untrusted_json(text, doc);
  if (error.has_value() != datamap::catalog::check_untrusted_json(text).has_value())
    __builtin_trap();
  if (!error) (void)datamap::api::to_json(doc);
  rapidjson::Document body;
  try {
    datamap::api::parse_json_body(text, body);
  } catch (const datamap::BadRequest&) {
    return 0;
  }
  (void)datamap::api::to_json(body);
  return 0;
}

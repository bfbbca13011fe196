// api/json.h parse_json_body: every action's request body. Malformed JSON must come back as
// BadRequest (400), never anything else; a parsed document must serialise again.
#include <rapidjson/document.h>

#include "api/json.h"
#include "catalog/errors.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view body = datamap::fuzz::as_text(data, size);
  rapidjson::Document doc;
  try {
    datamap::api::parse_json_body(body, doc);
  } catch (const datamap::BadRequest&) {
    return 0;
  }
  (void)datamap::api::to_json(doc);
  return 0;
}

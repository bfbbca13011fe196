#include "api/json.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "catalog/errors.h"
#include "catalog/untrusted_json.h"

namespace datamap::api {

std::string to_json(const rapidjson::Value& v) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  v.Accept(w);
  return std::string(sb.GetString(), sb.GetSize());
}

void parse_json_body(std::string_view body, rapidjson::Document& doc) {
  if (auto error = catalog::parse_untrusted_json(body, doc))
    throw BadRequest(
        "Bad request - JSON Error",
        "JSON Error at offset " + std::to_string(error->offset) + ": " + error->reason);
}

}  // namespace datamap::api

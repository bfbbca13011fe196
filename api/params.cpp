#include "api/params.h"

#include <cstdlib>

#include "catalog/errors.h"
#include "catalog/text.h"
#include "catalog/untrusted_json.h"

namespace datamap::api {
namespace {
const rapidjson::Value* member(const rapidjson::Value& params, const char* key) {
  if (!params.IsObject()) return nullptr;
  auto it = params.FindMember(key);
  if (it == params.MemberEnd() || it->value.IsNull()) return nullptr;
  return &it->value;
}
}  // namespace

std::optional<std::string> opt_string(const rapidjson::Value& params, const char* key) {
  const rapidjson::Value* v = member(params, key);
  if (!v) return std::nullopt;
  if (v->IsString()) {
    std::string s(v->GetString(), v->GetStringLength());
    if (!catalog::is_valid_utf8(s)) throw ValidationError(key, "Must be valid UTF-8 text");
    return s;
  }
  if (v->IsInt64()) return std::to_string(v->GetInt64());
  if (v->IsUint64()) return std::to_string(v->GetUint64());
  throw ValidationError(key, "Must be a string");
}

std::string need_string(const rapidjson::Value& params, const char* key) {
  auto s = opt_string(params, key);
  if (!s || catalog::trim(*s).empty()) throw ValidationError(key, "Missing value");
  return *s;
}

std::int64_t opt_int(const rapidjson::Value& params, const char* key, std::int64_t fallback,
                     std::int64_t min, std::int64_t max) {
  const rapidjson::Value* v = member(params, key);
  if (!v) return fallback;
  std::int64_t n = 0;
  if (v->IsInt64()) {
    n = v->GetInt64();
  } else if (v->IsString()) {
    std::string s(catalog::trim(std::string_view(v->GetString(), v->GetStringLength())));
    if (s.empty()) return fallback;
    char* end = nullptr;
    errno = 0;
    long long parsed = std::strtoll(s.c_str(), &end, 10);
    if (errno != 0 || !end || *end != '\0') throw ValidationError(key, "Invalid integer");
    n = parsed;
  } else {
    throw ValidationError(key, "Invalid integer");
  }
  if (n < min || n > max)
    throw ValidationError(key, "Must be between " + std::to_string(min) + " and " +
                                   std::to_string(max));
  return n;
}

bool opt_bool(const rapidjson::Value& params, const char* key, bool fallback) {
  const rapidjson::Value* v = member(params, key);
  if (!v) return fallback;
  if (v->IsBool()) return v->GetBool();
  if (v->IsInt()) return v->GetInt() != 0;
  if (v->IsString()) {
    std::string s = catalog::to_lower_ascii(
        catalog::trim(std::string_view(v->GetString(), v->GetStringLength())));
    if (s == "true" || s == "1" || s == "yes" || s == "on") return true;
    if (s == "false" || s == "0" || s == "no" || s == "off" || s.empty()) return false;
  }
  throw ValidationError(key, "Must be true or false");
}

const rapidjson::Value* json_param(const rapidjson::Value& params, const char* key,
                                   rapidjson::Document& holder, const std::string& error_type) {
  const rapidjson::Value* v = member(params, key);
  if (!v || !v->IsString()) return v;
  std::string_view text(v->GetString(), v->GetStringLength());
  if (auto error = catalog::parse_untrusted_json(text, holder))
    throw BadRequest(error_type, std::string(key) + ": " + error->message());
  return &holder;
}

}  // namespace datamap::api

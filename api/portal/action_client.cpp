#include "api/portal/action_client.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <stdexcept>

#include "catalog/errors.h"
#include "catalog/untrusted_json.h"

namespace datamap::api::portal {

namespace {
rapidjson::Value string_value(std::string_view s, rapidjson::Document::AllocatorType& a) {
  return rapidjson::Value(s.data(), static_cast<rapidjson::SizeType>(s.size()), a);
}
}  // namespace

ActionParams::ActionParams() { doc_.SetObject(); }

ActionParams& ActionParams::str(std::string_view name, std::string_view value) {
  if (value.empty()) return *this;
  auto& a = doc_.GetAllocator();
  doc_.AddMember(string_value(name, a), string_value(value, a), a);
  return *this;
}

ActionParams& ActionParams::num(std::string_view name, std::int64_t value) {
  auto& a = doc_.GetAllocator();
  doc_.AddMember(string_value(name, a), rapidjson::Value(static_cast<int64_t>(value)), a);
  return *this;
}

ActionParams& ActionParams::boolean(std::string_view name, bool value) {
  auto& a = doc_.GetAllocator();
  doc_.AddMember(string_value(name, a), rapidjson::Value(value), a);
  return *this;
}

ActionParams& ActionParams::strings(std::string_view name,
                                    std::initializer_list<std::string_view> values) {
  auto& a = doc_.GetAllocator();
  rapidjson::Value list(rapidjson::kArrayType);
  for (auto v : values) list.PushBack(string_value(v, a), a);
  doc_.AddMember(string_value(name, a), list, a);
  return *this;
}

ActionParams& ActionParams::json(std::string_view name, std::string_view json_text) {
  rapidjson::Document parsed(&doc_.GetAllocator());
  if (auto error = catalog::parse_untrusted_json(json_text, parsed))
    throw std::invalid_argument("invalid JSON: " + error->message());
  auto& a = doc_.GetAllocator();
  rapidjson::Value v(parsed, a);
  doc_.AddMember(string_value(name, a), v, a);
  return *this;
}

rapidjson::Document ActionClient::call(std::string_view name, const ActionParams& params) {
  return call(name, params.doc());
}

rapidjson::Document ActionClient::call(std::string_view name, const rapidjson::Value& params) {
  rapidjson::Document result;
  result.SetNull();
  call_action(registry_, ctx_, name, params, result);
  return result;
}

rapidjson::Document ActionClient::call_with_upload(std::string_view name,
                                                   const ActionParams& params,
                                                   const MultipartFile& file) {
  const MultipartFile* before = ctx_.upload;
  ctx_.upload = &file;
  try {
    auto result = call(name, params.doc());
    ctx_.upload = before;
    return result;
  } catch (...) {
    ctx_.upload = before;
    throw;
  }
}

std::optional<rapidjson::Document> ActionClient::try_call(std::string_view name,
                                                          const ActionParams& params) {
  if (!has(name)) return std::nullopt;
  try {
    return call(name, params);
  } catch (const BadRequest&) {
    return std::nullopt;
  } catch (const NotFound&) {  // e.g. the map has not taken in a brand-new dataset yet
    return std::nullopt;
  }
}

const rapidjson::Value* json_member(const rapidjson::Value& v, const char* name) {
  if (!v.IsObject()) return nullptr;
  auto it = v.FindMember(name);
  return it == v.MemberEnd() ? nullptr : &it->value;
}

const rapidjson::Value* json_array(const rapidjson::Value& v, const char* name) {
  const rapidjson::Value* m = json_member(v, name);
  return m && m->IsArray() ? m : nullptr;
}

std::string json_str(const rapidjson::Value& v, const char* name, std::string fallback) {
  const rapidjson::Value* m = json_member(v, name);
  if (!m) return fallback;
  if (m->IsString() && m->GetStringLength() > 0) return std::string(m->GetString(), m->GetStringLength());
  if (m->IsInt64()) return std::to_string(m->GetInt64());
  return fallback;
}

std::int64_t json_int(const rapidjson::Value& v, const char* name, std::int64_t fallback) {
  const rapidjson::Value* m = json_member(v, name);
  if (!m) return fallback;
  if (m->IsInt64()) return m->GetInt64();
  if (m->IsDouble()) return static_cast<std::int64_t>(m->GetDouble());
  if (m->IsString()) {
    try {
      return std::stoll(m->GetString());
    } catch (const std::exception&) {
      return fallback;
    }
  }
  return fallback;
}

double json_num(const rapidjson::Value& v, const char* name, double fallback) {
  const rapidjson::Value* m = json_member(v, name);
  return m && m->IsNumber() ? m->GetDouble() : fallback;
}

bool json_bool(const rapidjson::Value& v, const char* name, bool fallback) {
  const rapidjson::Value* m = json_member(v, name);
  if (!m) return fallback;
  if (m->IsBool()) return m->GetBool();
  if (m->IsString()) return std::string_view(m->GetString()) == "true";
  return fallback;
}

std::string to_json_text(const rapidjson::Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace datamap::api::portal

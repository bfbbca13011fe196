#include "catalog/column_profile_json.h"

#include <charconv>
#include <cstdio>

#include "catalog/text.h"

namespace datamap::catalog {

namespace {

using rapidjson::Value;
using Alloc = rapidjson::Document::AllocatorType;

Value str(const std::string& s, Alloc& a) {
  return Value(s.c_str(), static_cast<rapidjson::SizeType>(s.size()), a);
}

struct TextMember {
  const char* key;
  std::string ColumnProfile::*member;
};
const TextMember kText[] = {{"name", &ColumnProfile::name},
                            {"type", &ColumnProfile::type},
                            {"semantic_type", &ColumnProfile::semantic_type},
                            {"standard_term", &ColumnProfile::standard_term},
                            {"min", &ColumnProfile::min},
                            {"max", &ColumnProfile::max}};
struct CountMember {
  const char* key;
  std::int64_t ColumnProfile::*member;
};
const CountMember kCounts[] = {{"rows", &ColumnProfile::rows},
                               {"nulls", &ColumnProfile::nulls},
                               {"distinct", &ColumnProfile::distinct},
                               {"invalid", &ColumnProfile::invalid}};

bool text_of(const Value& v, std::string& out) {
  if (!v.IsString() || !is_valid_utf8(std::string_view(v.GetString(), v.GetStringLength())))
    return false;
  out = to_nfc(std::string_view(v.GetString(), v.GetStringLength()));
  return true;
}

}  // namespace

Value column_profile_to_json(const ColumnProfile& c, Alloc& a) {
  Value out(rapidjson::kObjectType);
  for (const auto& t : kText) out.AddMember(Value(t.key, a), str(c.*(t.member), a), a);
  for (const auto& n : kCounts) out.AddMember(Value(n.key, a), Value(c.*(n.member)), a);
  out.AddMember("distinct_estimated", c.distinct_estimated, a);
  Value top(rapidjson::kArrayType);
  for (const auto& [value, count] : c.top_values) {
    Value item(rapidjson::kObjectType);
    item.AddMember("value", str(value, a), a);
    item.AddMember("count", Value(count), a);
    top.PushBack(item, a);
  }
  out.AddMember("top_values", top, a);
  Value orgs(rapidjson::kArrayType);
  for (const auto& o : c.organizations) orgs.PushBack(str(o, a), a);
  out.AddMember("organizations", orgs, a);
  Value sketch(rapidjson::kArrayType);
  for (auto h : c.sketch) {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    sketch.PushBack(Value(hex, 16, a), a);
  }
  out.AddMember("sketch", sketch, a);
  return out;
}

ColumnProfile column_profile_from_json(const Value& in, FieldErrors& errors,
                                       const std::string& prefix) {
  ColumnProfile c;
  if (!in.IsObject()) {
    errors[prefix.empty() ? "columns" : prefix.substr(0, prefix.size() - 1)].push_back(
        "Must be an object");
    return c;
  }
  for (const auto& t : kText) {
    auto it = in.FindMember(t.key);
    if (it == in.MemberEnd() || it->value.IsNull()) continue;
    if (!text_of(it->value, c.*(t.member))) errors[prefix + t.key].push_back("Must be a string");
  }
  for (const auto& n : kCounts) {
    auto it = in.FindMember(n.key);
    if (it == in.MemberEnd() || it->value.IsNull()) continue;
    if (it->value.IsInt64())
      c.*(n.member) = it->value.GetInt64();
    else
      errors[prefix + n.key].push_back("Must be an integer");
  }
  if (auto it = in.FindMember("distinct_estimated"); it != in.MemberEnd() && !it->value.IsNull()) {
    if (it->value.IsBool())
      c.distinct_estimated = it->value.GetBool();
    else
      errors[prefix + "distinct_estimated"].push_back("Must be a boolean");
  }
  auto list = [&](const char* key) -> const Value* {
    auto it = in.FindMember(key);
    if (it == in.MemberEnd() || it->value.IsNull()) return nullptr;
    if (it->value.IsArray()) return &it->value;
    errors[prefix + key].push_back("Must be a list");
    return nullptr;
  };
  if (const Value* top = list("top_values")) {
    for (const auto& item : top->GetArray()) {
      std::string value;
      if (!item.IsObject() || !item.HasMember("value") || !text_of(item["value"], value) ||
          !item.HasMember("count") || !item["count"].IsInt64()) {
        errors[prefix + "top_values"].push_back("Must be a list of {\"value\", \"count\"}");
        break;
      }
      c.top_values.emplace_back(std::move(value), item["count"].GetInt64());
    }
  }
  if (const Value* orgs = list("organizations")) {
    for (const auto& item : orgs->GetArray()) {
      std::string o;
      if (!text_of(item, o)) {
        errors[prefix + "organizations"].push_back("Must be a list of strings");
        break;
      }
      c.organizations.push_back(std::move(o));
    }
  }
  if (const Value* sketch = list("sketch")) {
    for (const auto& item : sketch->GetArray()) {
      std::uint64_t h = 0;
      const char* s = item.IsString() ? item.GetString() : nullptr;
      auto n = item.IsString() ? item.GetStringLength() : 0;
      if (!s || n != 16 || std::from_chars(s, s + n, h, 16).ptr != s + n) {
        errors[prefix + "sketch"].push_back("Must be a list of 16-digit hex strings");
        break;
      }
      c.sketch.push_back(h);
    }
  }
  return c;
}

}  // namespace datamap::catalog

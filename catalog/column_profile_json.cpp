#include "catalog/column_profile_json.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "catalog/json_values.h"
#include "catalog/text.h"

namespace datamap::catalog {

namespace {

using rapidjson::Value;
using Alloc = rapidjson::Document::AllocatorType;

Value str(std::string_view s, Alloc& a) {
  return json_string(s, a);
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

Value rows_to_json(const std::vector<std::int64_t>& rows, Alloc& a) {
  Value out(rapidjson::kArrayType);
  for (auto r : rows) out.PushBack(Value(r), a);
  return out;
}

Value column_validation_to_json(const ColumnValidation& v, Alloc& a) {
  Value out(rapidjson::kObjectType);
  out.AddMember("rule", str(v.rule, a), a);
  out.AddMember("missing", Value(v.missing), a);
  out.AddMember("invalid", Value(v.invalid), a);
  out.AddMember("valid", Value(v.valid), a);
  Value problems(rapidjson::kArrayType);
  for (const auto& p : v.problems) {
    Value item(rapidjson::kObjectType);
    item.AddMember("kind", str(p.kind, a), a);
    item.AddMember("count", Value(p.count), a);
    Value examples(rapidjson::kArrayType);
    for (const auto& [row, value] : p.examples) {
      Value e(rapidjson::kObjectType);
      e.AddMember("row", Value(row), a);
      e.AddMember("value", str(value, a), a);
      examples.PushBack(e, a);
    }
    item.AddMember("examples", examples, a);
    problems.PushBack(item, a);
  }
  out.AddMember("problems", problems, a);
  return out;
}

bool count_of(const Value& in, const char* key, std::int64_t& out, FieldErrors& errors,
              const std::string& prefix) {
  auto it = in.FindMember(key);
  if (it == in.MemberEnd() || it->value.IsNull()) return true;
  if (it->value.IsInt64() && it->value.GetInt64() >= 0) {
    out = it->value.GetInt64();
    return true;
  }
  errors[prefix + key].push_back("Must be a non-negative integer");
  return false;
}

bool rows_of(const Value& in, const char* key, std::vector<std::int64_t>& out, FieldErrors& errors,
             const std::string& prefix) {
  auto it = in.FindMember(key);
  if (it == in.MemberEnd() || it->value.IsNull()) return true;
  if (it->value.IsArray()) {
    for (const auto& r : it->value.GetArray()) {
      if (!r.IsInt64()) break;
      out.push_back(r.GetInt64());
    }
    if (out.size() == it->value.Size()) return true;
  }
  errors[prefix + key].push_back("Must be a list of row numbers");
  return false;
}

ColumnValidation column_validation_from_json(const Value& in, FieldErrors& errors,
                                             const std::string& prefix) {
  ColumnValidation v;
  if (!in.IsObject()) {
    errors[prefix.substr(0, prefix.size() - 1)].push_back("Must be an object");
    return v;
  }
  if (auto it = in.FindMember("rule"); it != in.MemberEnd() && !it->value.IsNull())
    if (!text_of(it->value, v.rule)) errors[prefix + "rule"].push_back("Must be a string");
  count_of(in, "missing", v.missing, errors, prefix);
  count_of(in, "invalid", v.invalid, errors, prefix);
  count_of(in, "valid", v.valid, errors, prefix);
  auto it = in.FindMember("problems");
  if (it == in.MemberEnd() || it->value.IsNull()) return v;
  const char* shape =
      "Must be a list of {\"kind\", \"count\", \"examples\": [{\"row\", \"value\"}]}";
  if (!it->value.IsArray()) {
    errors[prefix + "problems"].push_back(shape);
    return v;
  }
  for (const auto& item : it->value.GetArray()) {
    ValidationProblem p;
    bool ok = item.IsObject() && item.HasMember("kind") && text_of(item["kind"], p.kind) &&
              item.HasMember("count") && item["count"].IsInt64();
    if (ok) p.count = item["count"].GetInt64();
    if (ok && item.HasMember("examples")) {
      ok = item["examples"].IsArray();
      static const Value kNone(rapidjson::kArrayType);
      for (const auto& e : (ok ? item["examples"] : kNone).GetArray()) {
        std::string value;
        if (!e.IsObject() || !e.HasMember("row") || !e["row"].IsInt64() || !e.HasMember("value") ||
            !text_of(e["value"], value)) {
          ok = false;
          break;
        }
        p.examples.emplace_back(e["row"].GetInt64(), std::move(value));
      }
    }
    if (!ok) {
      errors[prefix + "problems"].push_back(shape);
      break;
    }
    v.problems.push_back(std::move(p));
  }
  return v;
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
  // Written only once validated: profiles from before the validator read back unchanged.
  if (!c.validation.rule.empty() || c.validation.missing || c.validation.valid ||
      c.validation.invalid)
    out.AddMember("validation", column_validation_to_json(c.validation, a), a);
  Value counts(rapidjson::kArrayType);
  for (const auto& [h, n] : c.value_counts) {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    Value item(rapidjson::kObjectType);
    item.AddMember("hash", Value(hex, 16, a), a);
    item.AddMember("rows", Value(n), a);
    counts.PushBack(item, a);
  }
  out.AddMember("value_counts", counts, a);
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
  if (auto it = in.FindMember("validation"); it != in.MemberEnd() && !it->value.IsNull())
    c.validation = column_validation_from_json(it->value, errors, prefix + "validation.");
  if (const Value* counts = list("value_counts")) {
    for (const auto& item : counts->GetArray()) {
      std::uint64_t h = 0;
      const Value* hash = item.IsObject() && item.HasMember("hash") ? &item["hash"] : nullptr;
      const char* s = hash && hash->IsString() ? hash->GetString() : nullptr;
      auto n = s ? hash->GetStringLength() : 0;
      if (!s || n != 16 || std::from_chars(s, s + n, h, 16).ptr != s + n ||
          !item.HasMember("rows") || !item["rows"].IsInt64() ||
          c.value_counts.size() >= ColumnProfile::kExactValuesMax) {
        errors[prefix + "value_counts"].push_back(
            "Must be a list of at most 2000 {\"hash\": 16-digit hex, \"rows\": integer}");
        break;
      }
      c.value_counts.emplace_back(h, item["rows"].GetInt64());
    }
    std::sort(c.value_counts.begin(), c.value_counts.end());
  }
  return c;
}

Value resource_validation_to_json(const ResourceValidation& v, Alloc& a) {
  Value out(rapidjson::kObjectType);
  out.AddMember("validated_at", str(v.validated_at, a), a);
  out.AddMember("rows", Value(v.rows), a);
  out.AddMember("checked_values", Value(v.checked_values), a);
  out.AddMember("invalid_values", Value(v.invalid_values), a);
  out.AddMember("error_rate", Value(v.error_rate()), a);
  out.AddMember("failing_rows", Value(v.failing_rows), a);
  out.AddMember("duplicate_rows", Value(v.duplicate_rows), a);
  out.AddMember("ragged_rows", Value(v.ragged_rows), a);
  out.AddMember("duplicate_examples", rows_to_json(v.duplicate_examples, a), a);
  out.AddMember("ragged_examples", rows_to_json(v.ragged_examples, a), a);
  return out;
}

ResourceValidation resource_validation_from_json(const Value& in, FieldErrors& errors,
                                                 const std::string& prefix) {
  ResourceValidation v;
  if (!in.IsObject()) {
    errors[prefix.substr(0, prefix.size() - 1)].push_back("Must be an object");
    return v;
  }
  v.done = true;
  if (auto it = in.FindMember("validated_at"); it != in.MemberEnd() && !it->value.IsNull())
    if (!text_of(it->value, v.validated_at))
      errors[prefix + "validated_at"].push_back("Must be a string");
  count_of(in, "rows", v.rows, errors, prefix);
  count_of(in, "checked_values", v.checked_values, errors, prefix);
  count_of(in, "invalid_values", v.invalid_values, errors, prefix);
  count_of(in, "failing_rows", v.failing_rows, errors, prefix);
  count_of(in, "duplicate_rows", v.duplicate_rows, errors, prefix);
  count_of(in, "ragged_rows", v.ragged_rows, errors, prefix);
  rows_of(in, "duplicate_examples", v.duplicate_examples, errors, prefix);
  rows_of(in, "ragged_examples", v.ragged_examples, errors, prefix);
  if (v.invalid_values > v.checked_values)
    errors[prefix + "invalid_values"].push_back("Must not exceed checked_values");
  return v;
}

}  // namespace datamap::catalog

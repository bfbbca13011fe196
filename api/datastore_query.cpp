#include "api/datastore_query.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <limits>

#include "api/params.h"
#include "catalog/errors.h"
#include "catalog/text.h"

namespace datamap::api {
namespace {

constexpr const char* kJsonError = "Bad request - JSON Error";

std::string scalar_text(const rapidjson::Value& v, const std::string& field) {
  if (v.IsString()) return std::string(v.GetString(), v.GetStringLength());
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (v.IsUint64()) return std::to_string(v.GetUint64());
  if (v.IsDouble()) {
    rapidjson::StringBuffer b;
    rapidjson::Writer<rapidjson::StringBuffer> w(b);
    w.Double(v.GetDouble());
    return b.GetString();
  }
  if (v.IsBool()) return v.GetBool() ? "true" : "false";
  throw ValidationError("filters", "The value of '" + field +
                                       "' must be text, a number, a boolean or a list of them");
}

// A list parameter given as a JSON list, JSON text of one, or comma-separated text.
std::vector<std::string> text_list(const rapidjson::Value& params, const char* key) {
  auto it = params.FindMember(key);
  if (it == params.MemberEnd() || it->value.IsNull()) return {};
  const rapidjson::Value* v = &it->value;
  rapidjson::Document holder;
  if (v->IsString()) {
    std::string_view text = catalog::trim(std::string_view(v->GetString(), v->GetStringLength()));
    if (text.empty()) return {};
    if (text.front() != '[') {
      std::vector<std::string> out;
      std::size_t start = 0;
      while (start <= text.size()) {
        std::size_t comma = text.find(',', start);
        if (comma == std::string_view::npos) comma = text.size();
        std::string_view part = catalog::trim(text.substr(start, comma - start));
        if (!part.empty()) out.emplace_back(part);
        start = comma + 1;
      }
      return out;
    }
    v = json_param(params, key, holder, kJsonError);
  }
  if (!v->IsArray())
    throw ValidationError(key, "Must be a list of field names or a comma-separated text");
  std::vector<std::string> out;
  for (const auto& item : v->GetArray()) {
    if (!item.IsString()) throw ValidationError(key, "Must be a list of texts");
    out.emplace_back(item.GetString(), item.GetStringLength());
  }
  return out;
}

}  // namespace

datastore::SearchQuery datastore_search_query(const rapidjson::Value& params) {
  datastore::SearchQuery query;
  query.resource_id = need_string(params, "resource_id");

  rapidjson::Document holder;
  if (const rapidjson::Value* filters = json_param(params, "filters", holder, kJsonError)) {
    if (!filters->IsObject())
      throw ValidationError("filters", "Must be a JSON object of field: value");
    for (const auto& m : filters->GetObject()) {
      std::string field(m.name.GetString(), m.name.GetStringLength());
      datastore::Condition c{field, datastore::Op::eq, {}};
      if (m.value.IsArray()) {
        c.op = datastore::Op::in;
        for (const auto& v : m.value.GetArray()) c.values.push_back(scalar_text(v, field));
      } else {
        c.values.push_back(scalar_text(m.value, field));
      }
      query.conditions.push_back(std::move(c));
    }
  }

  auto q = params.FindMember("q");
  if (q != params.MemberEnd() && !q->value.IsNull()) {
    const rapidjson::Value* v = &q->value;
    rapidjson::Document q_holder;
    if (v->IsString() && v->GetStringLength() > 0 && v->GetString()[0] == '{')
      v = json_param(params, "q", q_holder, kJsonError);
    if (v->IsString()) {
      query.q = v->GetString();
    } else if (v->IsObject()) {
      for (const auto& m : v->GetObject()) {
        if (!m.value.IsString()) throw ValidationError("q", "Must be text or {field: text}");
        query.q_fields.emplace_back(m.name.GetString(), m.value.GetString());
      }
    } else {
      throw ValidationError("q", "Must be text or {field: text}");
    }
  }

  query.fields = text_list(params, "fields");
  for (const auto& s : text_list(params, "sort")) {
    std::string_view key = catalog::trim(s);
    datastore::SortKey k;
    auto space = key.rfind(' ');
    if (space != std::string_view::npos) {
      std::string dir = catalog::to_lower_ascii(catalog::trim(key.substr(space + 1)));
      if (dir == "desc" || dir == "asc") {
        k.descending = dir == "desc";
        key = catalog::trim(key.substr(0, space));
      }
    }
    k.field = std::string(key);
    query.sort.push_back(std::move(k));
  }
  query.distinct = opt_bool(params, "distinct", false);
  query.limit = opt_int(params, "limit", 100, 0, kDatastoreMaxLimit);
  query.offset = opt_int(params, "offset", 0, 0, std::numeric_limits<std::int32_t>::max());
  query.include_total = opt_bool(params, "include_total", true);
  return query;
}

}  // namespace datamap::api

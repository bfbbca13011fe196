// datastore_join: the pairs of rows of two DataStore tables that match, on a column pair (equal
// after the loader's code normalisation) or by distance between their points, in
// datastore_search's shape. Both resources must be readable by the caller (the datastore
// actions' one check); the cost is bounded by the configured budget (a 400 past it).
#include <rapidjson/document.h>

#include <cmath>
#include <string>
#include <vector>

#include "api/action.h"
#include "api/actions/datastore_support.h"
#include "api/config.h"
#include "api/datastore_query.h"
#include "api/json.h"
#include "api/params.h"
#include "catalog/errors.h"
#include "catalog/store.h"

namespace datamap::api {
namespace {

using datastore::JoinField;
using datastore::JoinSide;
using rapidjson::Document;
using rapidjson::Value;

constexpr std::int64_t kMaxLimit = 32000;

// "left.col" / "right.col" -> side and field; anything else is ValidationError{param}.
JoinField qualified(const std::string& name, const char* param) {
  for (auto [prefix, side] : {std::pair{"left.", JoinSide::left}, {"right.", JoinSide::right}}) {
    std::string_view p(prefix);
    if (name.size() > p.size() && name.compare(0, p.size(), p) == 0)
      return {side, name.substr(p.size())};
  }
  throw ValidationError(param, "'" + name + "' must be left.<field> or right.<field>");
}

std::string member_string(const Value& o, const char* key, const char* param) {
  auto it = o.FindMember(key);
  if (it == o.MemberEnd() || !it->value.IsString() || it->value.GetStringLength() == 0)
    throw ValidationError(param, std::string("needs \"") + key + "\": a column name");
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

std::optional<std::pair<std::string, std::string>> point_param(const Value& params,
                                                               const char* key) {
  auto names = datastore_support::names(params, key);
  if (names.empty()) return std::nullopt;
  if (names.size() != 2) throw ValidationError(key, "must be [latitude column, longitude column]");
  return std::make_pair(names[0], names[1]);
}

}  // namespace

datastore::JoinQuery datastore_join_query(const Value& params) {
  datastore::JoinQuery q;
  q.left = need_string(params, "left");
  q.right = need_string(params, "right");
  Document holder;
  const Value* on = nullptr;
  if (auto it = params.FindMember("on"); it != params.MemberEnd() && !it->value.IsNull()) {
    on = &it->value;
    if (on->IsString() && on->GetStringLength() > 0 && on->GetString()[0] == '{')
      on = datastore_support::json_param(params, "on", holder);  // the object as text (GET)
  }
  if (on) {
    if (on->IsObject())
      q.on = {member_string(*on, "left", "on"), member_string(*on, "right", "on")};
    else if (on->IsString() && on->GetStringLength() > 0)
      q.on = {on->GetString(), on->GetString()};  // one name for both sides
    else
      throw ValidationError("on", "must be {\"left\": column, \"right\": column}");
  }
  if (auto it = params.FindMember("within_meters");
      it != params.MemberEnd() && !it->value.IsNull()) {
    double d = NAN;
    if (it->value.IsNumber()) {
      d = it->value.GetDouble();
    } else if (it->value.IsString()) {
      try {
        std::size_t used = 0;
        std::string s = it->value.GetString();
        d = std::stod(s, &used);
        if (used != s.size()) d = NAN;
      } catch (const std::exception&) {
      }
    }
    if (!std::isfinite(d)) throw ValidationError("within_meters", "must be a number of metres");
    q.within_meters = d;
  }
  if (!q.on && !q.within_meters)
    throw ValidationError("on", "give on {\"left\": column, \"right\": column} or within_meters");
  if (q.on && q.within_meters)
    throw ValidationError("on", "give either on or within_meters, not both");
  q.left_point = point_param(params, "left_point");
  q.right_point = point_param(params, "right_point");
  for (const auto& f : datastore_support::names(params, "fields"))
    q.fields.push_back(qualified(f, "fields"));
  for (auto& c : datastore_support::filters(params)) {
    JoinField f = qualified(c.field, "filters");
    c.field = f.field;
    (f.side == JoinSide::left ? q.left_conditions : q.right_conditions).push_back(std::move(c));
  }
  for (const auto& k : datastore_support::sort(params))
    q.sort.push_back({qualified(k.field, "sort"), k.descending});
  q.limit = std::min(opt_int(params, "limit", 100, 0, INT64_MAX), kMaxLimit);
  q.offset = opt_int(params, "offset", 0, 0, INT64_MAX);
  q.include_total = opt_bool(params, "include_total", true);
  return q;
}

void datastore_join_profile_points(catalog::Store& store, datastore::JoinQuery& q) {
  if (!q.within_meters) return;
  auto from_profile = [&](const std::string& rid,
                          std::optional<std::pair<std::string, std::string>>& point) {
    if (point) return;
    auto r = store.resource(rid);
    if (!r) return;
    std::string lat, lon;
    for (const auto& c : r->columns) {
      if (c.semantic_type == "latitude" && lat.empty()) lat = c.name;
      if (c.semantic_type == "longitude" && lon.empty()) lon = c.name;
    }
    if (!lat.empty() && !lon.empty()) point = std::make_pair(lat, lon);
  };
  from_profile(q.left, q.left_point);
  from_profile(q.right, q.right_point);
}

datastore::JoinBudget datastore_join_budget(const Services& services) {
  datastore::JoinBudget b;
  if (services.config) {
    b.max_rows_examined = services.config->limits.datastore_join_max_rows;
    b.timeout_ms = static_cast<int>(
        std::min<std::int64_t>(services.config->limits.datastore_join_timeout_ms, 600000));
  }
  return b;
}

namespace {

void datastore_join(ActionContext& ctx, const Value& params, Document& result) {
  datastore::JoinQuery q = datastore_join_query(params);
  datastore_support::require_readable(ctx, q.left);
  datastore_support::require_readable(ctx, q.right);
  std::string format = datastore_support::format(params);
  q.budget = datastore_join_budget(ctx.services);
  datastore_join_profile_points(*ctx.services.store, q);
  auto r = datastore_support::table_store(ctx).join(q);
  auto& a = result.GetAllocator();
  result.SetObject();
  result.AddMember("left", json_string(q.left, a), a);
  result.AddMember("right", json_string(q.right, a), a);
  datastore_support::records(r, format, result, a);
  if (r.total) result.AddMember("total", Value(*r.total), a);
  result.AddMember("limit", Value(q.limit), a);
  result.AddMember("offset", Value(q.offset), a);
  result.AddMember("include_total", q.include_total, a);
}

}  // namespace

void register_datastore_join_action(Registry& r) {
  r.add({"datastore_join", datastore_join, false,
         "Joins two DataStore tables: left and right (resource ids), on {\"left\": column, "
         "\"right\": column} (equal after dropping white space, hyphens and leading zeros) or "
         "within_meters (distance between the rows' points; left_point/right_point as [lat, lon] "
         "or the tables' latitude/longitude columns); fields, filters and sort name "
         "\"left.col\"/\"right.col\"; limit (default 100, at most 32000), offset, include_total, "
         "records_format. Each record is one matching pair; a join past the configured budget "
         "is refused with 400.",
         Cost::expensive});
}

}  // namespace datamap::api

#include "catalog/point_summary_json.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "catalog/json_values.h"
#include "catalog/text.h"

namespace datamap::catalog {
namespace {

using rapidjson::Value;
using Alloc = rapidjson::Document::AllocatorType;

// At most this many cells and pairs are read back: a summary is small by construction
// (datastore/near.h), so anything larger is not one the loader wrote.
constexpr std::size_t kMaxCells = 20000, kMaxNear = 256;

Value hex(std::uint64_t h, Alloc& a) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return Value(buf, 16, a);
}

bool read_hex(const Value& v, std::uint64_t& out) {
  if (!v.IsString() || v.GetStringLength() != 16) return false;
  const char* s = v.GetString();
  return std::from_chars(s, s + 16, out, 16).ptr == s + 16;
}

bool read_text(const Value& in, const char* key, std::string& out) {
  auto it = in.FindMember(key);
  if (it == in.MemberEnd() || it->value.IsNull()) return true;
  if (!it->value.IsString()) return false;
  std::string_view v(it->value.GetString(), it->value.GetStringLength());
  if (!is_valid_utf8(v)) return false;
  out = to_nfc(v);
  return true;
}

bool read_count(const Value& in, const char* key, std::int64_t& out) {
  auto it = in.FindMember(key);
  if (it == in.MemberEnd() || it->value.IsNull()) return true;
  if (!it->value.IsInt64() || it->value.GetInt64() < 0) return false;
  out = it->value.GetInt64();
  return true;
}

}  // namespace

Value point_summary_to_json(const PointSummary& p, Alloc& a) {
  Value out(rapidjson::kObjectType);
  out.AddMember("lat_column", json_string(p.lat_column, a), a);
  out.AddMember("lon_column", json_string(p.lon_column, a), a);
  out.AddMember("count", Value(p.points), a);
  out.AddMember("fingerprint", hex(p.fingerprint, a), a);
  Value cells(rapidjson::kArrayType);
  for (const auto& [cell, n] : p.cells) {
    Value item(rapidjson::kArrayType);
    item.PushBack(Value(cell), a).PushBack(Value(n), a);
    cells.PushBack(item, a);
  }
  out.AddMember("cells", cells, a);
  Value near(rapidjson::kArrayType);
  for (const auto& n : p.near) {
    Value item(rapidjson::kObjectType);
    item.AddMember("resource_id", json_string(n.resource_id, a), a);
    item.AddMember("package_id", json_string(n.package_id, a), a);
    item.AddMember("fingerprint", hex(n.fingerprint, a), a);
    item.AddMember("within_m", Value(n.within_m), a);
    item.AddMember("points_near", Value(n.points_near), a);
    item.AddMember("other_points", Value(n.other_points), a);
    item.AddMember("other_points_near", Value(n.other_points_near), a);
    near.PushBack(item, a);
  }
  out.AddMember("near", near, a);
  return out;
}

PointSummary point_summary_from_json(const Value& in, FieldErrors& errors,
                                     const std::string& prefix) {
  PointSummary p;
  auto fail = [&](const std::string& key, const char* message) {
    errors[prefix + key].push_back(message);
  };
  if (!in.IsObject()) {
    fail("", "Must be an object");
    return p;
  }
  if (!read_text(in, "lat_column", p.lat_column)) fail("lat_column", "Must be a string");
  if (!read_text(in, "lon_column", p.lon_column)) fail("lon_column", "Must be a string");
  if (!read_count(in, "count", p.points)) fail("count", "Must be a non-negative integer");
  if (auto it = in.FindMember("fingerprint"); it != in.MemberEnd() && !it->value.IsNull())
    if (!read_hex(it->value, p.fingerprint)) fail("fingerprint", "Must be a 16-digit hex string");
  if (auto it = in.FindMember("cells"); it != in.MemberEnd() && !it->value.IsNull()) {
    bool ok = it->value.IsArray() && it->value.Size() <= kMaxCells;
    if (ok)
      for (const auto& item : it->value.GetArray()) {
        if (!item.IsArray() || item.Size() != 2 || !item[0].IsUint() || !item[1].IsInt64() ||
            item[1].GetInt64() < 0) {
          ok = false;
          break;
        }
        p.cells.emplace_back(item[0].GetUint(), item[1].GetInt64());
      }
    if (!ok) {
      p.cells.clear();
      fail("cells", "Must be a list of at most 20000 [cell, points] pairs of integers");
    }
    std::sort(p.cells.begin(), p.cells.end());
  }
  if (auto it = in.FindMember("near"); it != in.MemberEnd() && !it->value.IsNull()) {
    bool ok = it->value.IsArray() && it->value.Size() <= kMaxNear;
    if (ok)
      for (const auto& item : it->value.GetArray()) {
        NearPair n;
        auto w = item.IsObject() ? item.FindMember("within_m") : Value::ConstMemberIterator{};
        ok = item.IsObject() && read_text(item, "resource_id", n.resource_id) &&
             read_text(item, "package_id", n.package_id) && item.HasMember("fingerprint") &&
             read_hex(item["fingerprint"], n.fingerprint) && w != item.MemberEnd() &&
             w->value.IsNumber() && w->value.GetDouble() > 0 &&
             read_count(item, "points_near", n.points_near) &&
             read_count(item, "other_points", n.other_points) &&
             read_count(item, "other_points_near", n.other_points_near) && !n.resource_id.empty();
        if (!ok) break;
        n.within_m = w->value.GetDouble();
        p.near.push_back(std::move(n));
      }
    if (!ok) {
      p.near.clear();
      fail("near", "Must be a list of at most 256 measured pairs");
    }
  }
  return p;
}

}  // namespace datamap::catalog

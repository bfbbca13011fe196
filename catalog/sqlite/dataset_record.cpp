#include "catalog/sqlite/dataset_record.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <stdexcept>

#include "catalog/column_profile_json.h"
#include "catalog/point_summary_json.h"

namespace datamap::catalog::sqlite {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;
using rapidjson::Value;

// The text members of Dataset and Resource, by record key. One table serves both directions.
struct TextField {
  const char* key;
  std::string Dataset::*member;
};
const TextField kDatasetText[] = {
    {"id", &Dataset::id},
    {"name", &Dataset::name},
    {"title", &Dataset::title},
    {"notes", &Dataset::notes},
    {"type", &Dataset::type},
    {"state", &Dataset::state},
    {"owner_org", &Dataset::owner_org},
    {"url", &Dataset::url},
    {"license_id", &Dataset::license_id},
    {"author", &Dataset::author},
    {"author_email", &Dataset::author_email},
    {"maintainer", &Dataset::maintainer},
    {"maintainer_email", &Dataset::maintainer_email},
    {"maintainer_phone", &Dataset::maintainer_phone},
    {"version", &Dataset::version},
    {"frequency", &Dataset::frequency},
    {"next_update", &Dataset::next_update},
    {"spatial", &Dataset::spatial},
    {"temporal", &Dataset::temporal},
    {"issued", &Dataset::issued},
    {"modified", &Dataset::modified},
    {"metadata_created", &Dataset::metadata_created},
    {"metadata_modified", &Dataset::metadata_modified},
    {"category_sub", &Dataset::category_sub},
    {"source_key", &Dataset::source_key},
    {"source", &Dataset::source},
};

struct ResourceText {
  const char* key;
  std::string Resource::*member;
};
const ResourceText kResourceText[] = {
    {"id", &Resource::id},
    {"package_id", &Resource::package_id},
    {"name", &Resource::name},
    {"description", &Resource::description},
    {"url", &Resource::url},
    {"format", &Resource::format},
    {"mimetype", &Resource::mimetype},
    {"created", &Resource::created},
    {"last_modified", &Resource::last_modified},
};

struct ColumnText {
  const char* key;
  std::string Column::*member;
};
const ColumnText kColumnText[] = {
    {"name", &Column::name},
    {"type", &Column::type},
    {"description", &Column::description},
    {"standard_term", &Column::standard_term},
};

void write_string(Writer& w, const std::string& s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

// Empty text members are left out (most records leave half the fields empty, and every byte is
// written twice, to the WAL and then the table). The decoder starts from a value-initialised
// struct, so an absent key reads back as empty: see decode_dataset for type and state.
template <typename T, typename Table>
void write_text_fields(Writer& w, const T& obj, const Table& table) {
  for (const auto& f : table) {
    const std::string& v = obj.*(f.member);
    if (v.empty()) continue;
    w.Key(f.key);
    write_string(w, v);
  }
}

void write_strings(Writer& w, const std::vector<std::string>& list) {
  w.StartArray();
  for (const auto& s : list) write_string(w, s);
  w.EndArray();
}

void write_pairs(Writer& w, const KeyValues& pairs) {
  w.StartArray();
  for (const auto& [k, v] : pairs) {
    w.StartArray();
    write_string(w, k);
    write_string(w, v);
    w.EndArray();
  }
  w.EndArray();
}

[[noreturn]] void corrupt(const char* what) {
  throw std::runtime_error(std::string("corrupt dataset record: ") + what);
}

std::string get_string(const Value& v) {
  if (!v.IsString()) corrupt("expected a string");
  return std::string(v.GetString(), v.GetStringLength());
}

const Value* member(const Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

template <typename T, typename Table>
void read_text_fields(const Value& obj, T& out, const Table& table) {
  for (const auto& f : table)
    if (const Value* v = member(obj, f.key)) out.*(f.member) = get_string(*v);
}

void read_strings(const Value* v, std::vector<std::string>& out) {
  if (!v) return;
  if (!v->IsArray()) corrupt("expected a list");
  out.reserve(v->Size());
  for (const auto& item : v->GetArray()) out.push_back(get_string(item));
}

void read_pairs(const Value* v, KeyValues& out) {
  if (!v) return;
  if (!v->IsArray()) corrupt("expected a list of pairs");
  out.reserve(v->Size());
  for (const auto& item : v->GetArray()) {
    if (!item.IsArray() || item.Size() != 2) corrupt("expected a pair");
    out.emplace_back(get_string(item[0]), get_string(item[1]));
  }
}

std::int64_t get_int(const Value* v) {
  if (!v) return 0;
  if (!v->IsInt64()) corrupt("expected an integer");
  return v->GetInt64();
}

bool get_bool(const Value* v) {
  if (!v) return false;
  if (!v->IsBool()) corrupt("expected a boolean");
  return v->GetBool();
}

}  // namespace

std::string encode_dataset(const Dataset& d) {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  write_text_fields(w, d, kDatasetText);
  w.Key("private");
  w.Bool(d.is_private);
  w.Key("national_priority");
  w.Bool(d.national_priority);
  w.Key("standard_dataset");
  w.Bool(d.standard_dataset);
  w.Key("views");
  w.Int64(d.views);
  w.Key("downloads");
  w.Int64(d.downloads);
  w.Key("tags");
  write_strings(w, d.tags);
  w.Key("groups");
  write_strings(w, d.groups);
  w.Key("resources");
  w.StartArray();
  for (const auto& r : d.resources) {
    w.StartObject();
    write_text_fields(w, r, kResourceText);
    w.Key("size");
    w.Int64(r.size);
    w.Key("extras");
    write_pairs(w, r.extras);
    // Written only when there is a profile: records of resources without one stay as they were.
    if (r.datastore_active) {
      w.Key("datastore_active");
      w.Bool(true);
    }
    if (!r.columns.empty()) {
      rapidjson::Document scratch;
      w.Key("columns");
      w.StartArray();
      for (const auto& c : r.columns) column_profile_to_json(c, scratch.GetAllocator()).Accept(w);
      w.EndArray();
    }
    if (r.validation.done) {
      rapidjson::Document scratch;
      w.Key("validation");
      resource_validation_to_json(r.validation, scratch.GetAllocator()).Accept(w);
    }
    if (!r.points.lat_column.empty()) {
      rapidjson::Document scratch;
      w.Key("points");
      point_summary_to_json(r.points, scratch.GetAllocator()).Accept(w);
    }
    w.EndObject();
  }
  w.EndArray();
  w.Key("columns");
  w.StartArray();
  for (const auto& c : d.columns) {
    w.StartObject();
    write_text_fields(w, c, kColumnText);
    w.EndObject();
  }
  w.EndArray();
  w.Key("extras");
  write_pairs(w, d.extras);
  w.EndObject();
  return std::string(sb.GetString(), sb.GetSize());
}

Dataset decode_dataset(std::string_view record) {
  rapidjson::Document doc;
  // encode_dataset wrote it: flat by construction, so not catalog/untrusted_json.h. Parsed in
  // place in a copy: Parse(data, size) reads through a byte-at-a-time encoded stream and copies
  // every string again, which was half of a whole-catalog pass (the map at a glance's).
  std::string text(record);
  doc.ParseInsitu(text.data());
  if (doc.HasParseError() || !doc.IsObject()) corrupt("not a JSON object");
  Dataset d;
  // Dataset's defaults ("dataset", "active") must not stand in for a stored empty value.
  d.type.clear();
  d.state.clear();
  read_text_fields(doc, d, kDatasetText);
  d.is_private = get_bool(member(doc, "private"));
  d.national_priority = get_bool(member(doc, "national_priority"));
  d.standard_dataset = get_bool(member(doc, "standard_dataset"));
  d.views = get_int(member(doc, "views"));
  d.downloads = get_int(member(doc, "downloads"));
  read_strings(member(doc, "tags"), d.tags);
  read_strings(member(doc, "groups"), d.groups);
  if (const Value* list = member(doc, "resources")) {
    if (!list->IsArray()) corrupt("resources");
    d.resources.reserve(list->Size());
    for (const auto& item : list->GetArray()) {
      if (!item.IsObject()) corrupt("resource");
      Resource r;
      read_text_fields(item, r, kResourceText);
      r.size = get_int(member(item, "size"));
      read_pairs(member(item, "extras"), r.extras);
      r.datastore_active = get_bool(member(item, "datastore_active"));
      if (const Value* cols = member(item, "columns")) {
        if (!cols->IsArray()) corrupt("resource columns");
        FieldErrors errors;
        for (const auto& c : cols->GetArray())
          r.columns.push_back(column_profile_from_json(c, errors, ""));
        if (!errors.empty()) corrupt("resource column profile");
      }
      if (const Value* v = member(item, "validation")) {
        FieldErrors errors;
        r.validation = resource_validation_from_json(*v, errors, "");
        if (!errors.empty()) corrupt("resource validation");
      }
      if (const Value* v = member(item, "points")) {
        FieldErrors errors;
        r.points = point_summary_from_json(*v, errors, "");
        if (!errors.empty()) corrupt("resource points");
      }
      d.resources.push_back(std::move(r));
    }
  }
  if (const Value* list = member(doc, "columns")) {
    if (!list->IsArray()) corrupt("columns");
    d.columns.reserve(list->Size());
    for (const auto& item : list->GetArray()) {
      if (!item.IsObject()) corrupt("column");
      Column c;
      read_text_fields(item, c, kColumnText);
      d.columns.push_back(std::move(c));
    }
  }
  read_pairs(member(doc, "extras"), d.extras);
  return d;
}

}  // namespace datamap::catalog::sqlite

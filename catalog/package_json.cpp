#include "catalog/package_json.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstring>
#include <set>

#include "catalog/column_profile_json.h"
#include "catalog/ids.h"
#include "catalog/json_values.h"
#include "catalog/point_summary_json.h"
#include "catalog/text.h"

namespace datamap::catalog {
namespace {

using rapidjson::Value;
using Alloc = rapidjson::Document::AllocatorType;

Value str(std::string_view s, Alloc& a) {
  return json_string(s, a);
}

void put(Value& obj, const char* key, const std::string& v, Alloc& a) {
  obj.AddMember(Value(key, a), str(v, a), a);
}
void put_or_null(Value& obj, const char* key, const std::string& v, Alloc& a) {
  if (v.empty())
    obj.AddMember(Value(key, a), Value(rapidjson::kNullType), a);
  else
    put(obj, key, v, a);
}

std::string scalar_to_string(const Value& v) {
  if (v.IsString()) return std::string(v.GetString(), v.GetStringLength());
  if (v.IsNull()) return "";
  if (v.IsBool()) return v.GetBool() ? "true" : "false";
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (v.IsUint64()) return std::to_string(v.GetUint64());
  if (v.IsDouble()) {
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    v.Accept(w);
    return sb.GetString();
  }
  rapidjson::StringBuffer sb;  // objects and arrays are kept as their JSON text
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  v.Accept(w);
  return sb.GetString();
}

// Reads a text member: strings as they are, numbers as their decimal form, null as empty.
// Objects, arrays and booleans are type errors for a text field.
bool read_text(const Value& obj, const char* key, std::string& out, FieldErrors& errors,
               const std::string& prefix = "") {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || it->value.IsNull()) return false;
  const Value& v = it->value;
  if (v.IsString()) {
    std::string_view s(v.GetString(), v.GetStringLength());
    if (!is_valid_utf8(s)) {
      errors[prefix + key].push_back("Must be valid UTF-8 text");
      return false;
    }
    out = to_nfc(s);
    return true;
  }
  if (v.IsNumber()) {
    out = scalar_to_string(v);
    return true;
  }
  errors[prefix + key].push_back("Must be a string");
  return false;
}

void read_bool(const Value& obj, const char* key, bool& out, FieldErrors& errors) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || it->value.IsNull()) return;
  const Value& v = it->value;
  if (v.IsBool()) {
    out = v.GetBool();
  } else if (v.IsString()) {
    std::string s = to_lower_ascii(trim(std::string_view(v.GetString(), v.GetStringLength())));
    if (s == "true" || s == "yes" || s == "y" || s == "1" || s == "on")
      out = true;
    else if (s == "false" || s == "no" || s == "n" || s == "0" || s == "off" || s.empty())
      out = false;
    else
      errors[key].push_back("Must be true or false");
  } else if (v.IsInt()) {
    out = v.GetInt() != 0;
  } else {
    errors[key].push_back("Must be true or false");
  }
}

void read_int(const Value& obj, const char* key, std::int64_t& out, FieldErrors& errors) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || it->value.IsNull()) return;
  const Value& v = it->value;
  if (v.IsInt64()) {
    out = v.GetInt64();
  } else if (v.IsString()) {
    std::string s(trim(std::string_view(v.GetString(), v.GetStringLength())));
    if (s.empty()) return;
    char* end = nullptr;
    long long n = std::strtoll(s.c_str(), &end, 10);
    if (end && *end == '\0')
      out = n;
    else
      errors[key].push_back("Must be an integer");
  } else {
    errors[key].push_back("Must be an integer");
  }
}

// tags / groups: ["a", "b"] or [{"name": "a"}, ...]; a comma-separated string is also accepted.
void read_names(const Value& obj, const char* key, std::vector<std::string>& out,
                FieldErrors& errors) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || it->value.IsNull()) return;
  const Value& v = it->value;
  std::set<std::string> seen;
  auto add = [&](std::string_view raw) {
    if (!is_valid_utf8(raw)) {
      errors[key].push_back("Must be valid UTF-8 text");
      return;
    }
    std::string s = to_nfc(trim(raw));
    if (!s.empty() && seen.insert(s).second) out.push_back(std::move(s));
  };
  if (v.IsString()) {
    std::string_view s(v.GetString(), v.GetStringLength());
    std::size_t start = 0;
    while (start <= s.size()) {
      std::size_t comma = s.find(',', start);
      if (comma == std::string_view::npos) comma = s.size();
      add(s.substr(start, comma - start));
      start = comma + 1;
    }
    return;
  }
  if (!v.IsArray()) {
    errors[key].push_back("Must be a list");
    return;
  }
  for (const auto& item : v.GetArray()) {
    if (item.IsString()) {
      add(std::string_view(item.GetString(), item.GetStringLength()));
    } else if (item.IsObject()) {
      auto n = item.FindMember("name");
      if (n == item.MemberEnd() || !n->value.IsString()) {
        errors[key].push_back("Each item needs a \"name\" string");
        continue;
      }
      add(std::string_view(n->value.GetString(), n->value.GetStringLength()));
    } else {
      errors[key].push_back("Each item must be a string or an object with \"name\"");
    }
  }
}

void read_extras(const Value& v, KeyValues& out, FieldErrors& errors) {
  auto add = [&](const std::string& k, const Value& val) {
    std::string text = scalar_to_string(val);
    if (!is_valid_utf8(k) || !is_valid_utf8(text)) {
      errors["extras"].push_back("Must be valid UTF-8 text");
      return;
    }
    for (auto& [ek, ev] : out)
      if (ek == k) {
        ev = to_nfc(text);
        return;
      }
    out.emplace_back(to_nfc(k), to_nfc(text));
  };
  if (v.IsObject()) {
    for (const auto& m : v.GetObject())
      add(std::string(m.name.GetString(), m.name.GetStringLength()), m.value);
  } else if (v.IsArray()) {
    for (const auto& item : v.GetArray()) {
      if (!item.IsObject() || !item.HasMember("key") || !item["key"].IsString()) {
        errors["extras"].push_back("Each extra must be an object with \"key\" and \"value\"");
        continue;
      }
      static const Value kNull;
      const Value& val = item.HasMember("value") ? item["value"] : kNull;
      add(item["key"].GetString(), val);
    }
  } else if (!v.IsNull()) {
    errors["extras"].push_back("Must be a list of {\"key\", \"value\"} objects");
  }
}

// Members read_package understands; anything else at the top level is kept as an extra.
const std::set<std::string>& known_members() {
  static const std::set<std::string> kKnown = {
      "id", "name", "title", "notes", "type", "state", "owner_org", "organization", "url",
      "license_id", "license_title", "license_url", "author", "author_email", "maintainer",
      "maintainer_email", "maintainer_phone", "version", "frequency", "next_update", "spatial",
      "temporal", "issued", "modified", "metadata_created", "metadata_modified", "category_sub",
      "source_key", "source", "private", "national_priority", "standard_dataset", "views",
      "downloads", "tags", "groups", "resources", "columns", "extras", "num_tags", "num_resources",
      "relationships_as_subject", "relationships_as_object", "isopen", "creator_user_id",
      "tracking_summary",
      // Computed on output (package_show: docs/QUALITY.md, the data requests and reuses it
      // answers), never stored: a dict sent back as it was shown (ckanapi load) must not turn
      // them into extras.
      "quality", "datarequests", "reuse_count"};
  return kKnown;
}

}  // namespace

void write_resource(const Resource& r, Value& out, Alloc& a) {
  out.SetObject();
  put(out, "id", r.id, a);
  put(out, "package_id", r.package_id, a);
  put(out, "name", r.name, a);
  put(out, "description", r.description, a);
  put(out, "url", r.url, a);
  put(out, "format", r.format, a);
  put_or_null(out, "mimetype", r.mimetype, a);
  if (r.size >= 0)
    out.AddMember("size", Value(r.size), a);
  else
    out.AddMember("size", Value(rapidjson::kNullType), a);
  put_or_null(out, "created", r.created, a);
  put_or_null(out, "last_modified", r.last_modified, a);
  // CKAN's flag for "its rows are in the DataStore"; the loader's column profile beside it.
  out.AddMember("datastore_active", r.datastore_active, a);
  Value columns(rapidjson::kArrayType);
  for (const auto& c : r.columns) columns.PushBack(column_profile_to_json(c, a), a);
  out.AddMember("columns", columns, a);
  if (r.validation.done)
    out.AddMember("validation", resource_validation_to_json(r.validation, a), a);
  if (!r.points.lat_column.empty()) out.AddMember("points", point_summary_to_json(r.points, a), a);
  for (const auto& [k, v] : r.extras) {
    if (out.HasMember(k.c_str())) continue;
    out.AddMember(str(k, a), str(v, a), a);
  }
}

Resource read_resource(const Value& in, FieldErrors& errors, const std::string& prefix) {
  Resource r;
  if (!in.IsObject()) {
    errors[prefix.empty() ? "resources" : prefix.substr(0, prefix.size() - 1)].push_back(
        "Must be an object");
    return r;
  }
  read_text(in, "id", r.id, errors, prefix);
  read_text(in, "package_id", r.package_id, errors, prefix);
  read_text(in, "name", r.name, errors, prefix);
  read_text(in, "description", r.description, errors, prefix);
  read_text(in, "url", r.url, errors, prefix);
  read_text(in, "format", r.format, errors, prefix);
  read_text(in, "mimetype", r.mimetype, errors, prefix);
  read_text(in, "created", r.created, errors, prefix);
  read_text(in, "last_modified", r.last_modified, errors, prefix);
  auto sz = in.FindMember("size");
  if (sz != in.MemberEnd()) {
    if (sz->value.IsInt64())
      r.size = sz->value.GetInt64();
    else if (sz->value.IsString() && sz->value.GetStringLength() > 0)
      r.size = std::strtoll(sz->value.GetString(), nullptr, 10);
  }
  std::string upper;
  for (char c : std::string(trim(r.format)))
    upper.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c);
  if (!upper.empty() && upper[0] == '.') upper.erase(0, 1);
  r.format = upper;
  read_bool(in, "datastore_active", r.datastore_active, errors);
  auto cols = in.FindMember("columns");
  if (cols != in.MemberEnd() && !cols->value.IsNull()) {
    if (!cols->value.IsArray()) {
      errors[prefix + "columns"].push_back("Must be a list");
    } else {
      std::size_t i = 0;
      for (const auto& c : cols->value.GetArray())
        r.columns.push_back(
            column_profile_from_json(c, errors, prefix + "columns[" + std::to_string(i++) + "]."));
    }
  }
  auto validation = in.FindMember("validation");
  if (validation != in.MemberEnd() && !validation->value.IsNull())
    r.validation = resource_validation_from_json(validation->value, errors, prefix + "validation.");
  auto points = in.FindMember("points");
  if (points != in.MemberEnd() && !points->value.IsNull())
    r.points = point_summary_from_json(points->value, errors, prefix + "points.");
  static const std::set<std::string> kKnown = {"id",
                                               "package_id",
                                               "name",
                                               "description",
                                               "url",
                                               "format",
                                               "mimetype",
                                               "size",
                                               "created",
                                               "last_modified",
                                               "position",
                                               "state",
                                               "datastore_active",
                                               "columns",
                                               "validation",
                                               "points"};
  for (const auto& m : in.GetObject()) {
    std::string k(m.name.GetString(), m.name.GetStringLength());
    if (kKnown.count(k) || m.value.IsNull()) continue;
    std::string v = scalar_to_string(m.value);
    if (is_valid_utf8(k) && is_valid_utf8(v)) r.extras.emplace_back(k, v);
  }
  return r;
}

void write_package(const Dataset& d, const Organization* org, Value& out, Alloc& a) {
  out.SetObject();
  put(out, "id", d.id, a);
  put(out, "name", d.name, a);
  put(out, "title", d.title, a);
  put(out, "notes", d.notes, a);
  put(out, "type", d.type, a);
  put(out, "state", d.state, a);
  out.AddMember("private", Value(d.is_private), a);
  put_or_null(out, "owner_org", d.owner_org, a);
  if (org) {
    Value o;
    write_organization(*org, -1, o, a);
    out.AddMember("organization", o, a);
  } else {
    out.AddMember("organization", Value(rapidjson::kNullType), a);
  }
  put(out, "url", d.url, a);
  put_or_null(out, "license_id", d.license_id, a);
  put(out, "author", d.author, a);
  put(out, "author_email", d.author_email, a);
  put(out, "maintainer", d.maintainer, a);
  put(out, "maintainer_email", d.maintainer_email, a);
  put(out, "maintainer_phone", d.maintainer_phone, a);
  put(out, "version", d.version, a);
  put(out, "frequency", d.frequency, a);
  put(out, "next_update", d.next_update, a);
  put(out, "spatial", d.spatial, a);
  put(out, "temporal", d.temporal, a);
  put(out, "issued", d.issued, a);
  put(out, "modified", d.modified, a);
  put(out, "metadata_created", d.metadata_created, a);
  put(out, "metadata_modified", d.metadata_modified, a);
  put(out, "category_sub", d.category_sub, a);
  put(out, "source_key", d.source_key, a);
  put(out, "source", d.source, a);
  out.AddMember("national_priority", Value(d.national_priority), a);
  out.AddMember("standard_dataset", Value(d.standard_dataset), a);
  out.AddMember("views", Value(d.views), a);
  out.AddMember("downloads", Value(d.downloads), a);

  Value tags(rapidjson::kArrayType);
  for (const auto& t : d.tags) {
    Value tag(rapidjson::kObjectType);
    put(tag, "name", t, a);
    put(tag, "display_name", t, a);
    tags.PushBack(tag, a);
  }
  out.AddMember("num_tags", Value(static_cast<int64_t>(d.tags.size())), a);
  out.AddMember("tags", tags, a);

  Value groups(rapidjson::kArrayType);
  for (const auto& g : d.groups) {
    Value group(rapidjson::kObjectType);
    put(group, "name", g, a);
    groups.PushBack(group, a);
  }
  out.AddMember("groups", groups, a);

  Value resources(rapidjson::kArrayType);
  for (const auto& r : d.resources) {
    Value res;
    write_resource(r, res, a);
    resources.PushBack(res, a);
  }
  out.AddMember("num_resources", Value(static_cast<int64_t>(d.resources.size())), a);
  out.AddMember("resources", resources, a);

  Value columns(rapidjson::kArrayType);
  for (const auto& c : d.columns) {
    Value col(rapidjson::kObjectType);
    put(col, "name", c.name, a);
    put(col, "type", c.type, a);
    put(col, "description", c.description, a);
    put(col, "standard_term", c.standard_term, a);
    columns.PushBack(col, a);
  }
  out.AddMember("columns", columns, a);

  Value extras(rapidjson::kArrayType);
  for (const auto& [k, v] : d.extras) {
    Value e(rapidjson::kObjectType);
    put(e, "key", k, a);
    put(e, "value", v, a);
    extras.PushBack(e, a);
  }
  out.AddMember("extras", extras, a);
}

std::string package_to_json(const Dataset& d, const Organization* organization) {
  rapidjson::Document doc;
  write_package(d, organization, doc, doc.GetAllocator());
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  doc.Accept(w);
  return std::string(sb.GetString(), sb.GetSize());
}

Dataset read_package(const Value& in, FieldErrors& errors) {
  Dataset d;
  if (!in.IsObject()) {
    errors["__root"].push_back("A package must be a JSON object");
    return d;
  }
  for (auto [key, field] : {std::pair<const char*, std::string*>{"id", &d.id},
                            {"name", &d.name},
                            {"title", &d.title},
                            {"notes", &d.notes},
                            {"type", &d.type},
                            {"state", &d.state},
                            {"owner_org", &d.owner_org},
                            {"url", &d.url},
                            {"license_id", &d.license_id},
                            {"author", &d.author},
                            {"author_email", &d.author_email},
                            {"maintainer", &d.maintainer},
                            {"maintainer_email", &d.maintainer_email},
                            {"maintainer_phone", &d.maintainer_phone},
                            {"version", &d.version},
                            {"frequency", &d.frequency},
                            {"next_update", &d.next_update},
                            {"spatial", &d.spatial},
                            {"temporal", &d.temporal},
                            {"issued", &d.issued},
                            {"modified", &d.modified},
                            {"metadata_created", &d.metadata_created},
                            {"metadata_modified", &d.metadata_modified},
                            {"category_sub", &d.category_sub},
                            {"source_key", &d.source_key},
                            {"source", &d.source}})
    read_text(in, key, *field, errors);
  if (d.type.empty()) d.type = "dataset";
  if (d.state.empty()) d.state = "active";
  read_bool(in, "private", d.is_private, errors);
  read_bool(in, "national_priority", d.national_priority, errors);
  read_bool(in, "standard_dataset", d.standard_dataset, errors);
  read_int(in, "views", d.views, errors);
  read_int(in, "downloads", d.downloads, errors);
  read_names(in, "tags", d.tags, errors);
  read_names(in, "groups", d.groups, errors);

  if (d.owner_org.empty()) {
    auto org = in.FindMember("organization");
    if (org != in.MemberEnd() && org->value.IsObject()) {
      std::string ref;
      if (!read_text(org->value, "id", ref, errors, "organization."))
        read_text(org->value, "name", ref, errors, "organization.");
      d.owner_org = ref;
    }
  }

  auto res = in.FindMember("resources");
  if (res != in.MemberEnd() && !res->value.IsNull()) {
    if (!res->value.IsArray()) {
      errors["resources"].push_back("Must be a list");
    } else {
      std::size_t i = 0;
      for (const auto& r : res->value.GetArray())
        d.resources.push_back(read_resource(r, errors, "resources[" + std::to_string(i++) + "]."));
    }
  }

  auto cols = in.FindMember("columns");
  if (cols != in.MemberEnd() && !cols->value.IsNull()) {
    if (!cols->value.IsArray()) {
      errors["columns"].push_back("Must be a list");
    } else {
      std::size_t i = 0;
      for (const auto& c : cols->value.GetArray()) {
        std::string prefix = "columns[" + std::to_string(i++) + "].";
        Column col;
        if (c.IsString()) {
          col.name = to_nfc(std::string_view(c.GetString(), c.GetStringLength()));
        } else if (c.IsObject()) {
          read_text(c, "name", col.name, errors, prefix);
          read_text(c, "type", col.type, errors, prefix);
          read_text(c, "description", col.description, errors, prefix);
          read_text(c, "standard_term", col.standard_term, errors, prefix);
        } else {
          errors[prefix.substr(0, prefix.size() - 1)].push_back("Must be an object");
          continue;
        }
        d.columns.push_back(std::move(col));
      }
    }
  }

  auto extras = in.FindMember("extras");
  if (extras != in.MemberEnd()) read_extras(extras->value, d.extras, errors);

  // Keep every member we have no field for: a source's own fields are never dropped.
  for (const auto& m : in.GetObject()) {
    std::string k(m.name.GetString(), m.name.GetStringLength());
    if (known_members().count(k) || m.value.IsNull()) continue;
    std::string v = scalar_to_string(m.value);
    if (!is_valid_utf8(k) || !is_valid_utf8(v)) {
      errors[is_valid_utf8(k) ? k : "extras"].push_back("Must be valid UTF-8 text");
      continue;
    }
    bool present = std::any_of(d.extras.begin(), d.extras.end(),
                               [&](const auto& kv) { return kv.first == k; });
    if (!present) d.extras.emplace_back(to_nfc(k), to_nfc(v));
  }
  return d;
}

bool read_embedded_organization(const Value& in, Organization& out) {
  if (!in.IsObject()) return false;
  auto org = in.FindMember("organization");
  if (org == in.MemberEnd() || !org->value.IsObject()) return false;
  FieldErrors ignored;
  read_text(org->value, "id", out.id, ignored);
  read_text(org->value, "name", out.name, ignored);
  read_text(org->value, "title", out.title, ignored);
  read_text(org->value, "description", out.description, ignored);
  read_text(org->value, "image_url", out.image_url, ignored);
  read_text(org->value, "created", out.created, ignored);
  return !out.name.empty() || !out.id.empty();
}

void write_organization(const Organization& o, std::int64_t package_count, Value& out, Alloc& a) {
  out.SetObject();
  put(out, "id", o.id, a);
  put(out, "name", o.name, a);
  put(out, "title", o.title, a);
  put(out, "display_name", o.title.empty() ? o.name : o.title, a);
  put(out, "description", o.description, a);
  put(out, "code", o.code, a);
  put(out, "image_url", o.image_url, a);
  put(out, "created", o.created, a);
  put(out, "state", o.state, a);
  put(out, "type", "organization", a);
  out.AddMember("is_organization", true, a);
  if (package_count >= 0) out.AddMember("package_count", Value(package_count), a);
}

void write_group(const Group& g, std::int64_t package_count, Value& out, Alloc& a) {
  out.SetObject();
  put(out, "id", g.id, a);
  put(out, "name", g.name, a);
  put(out, "title", g.title, a);
  put(out, "display_name", g.title.empty() ? g.name : g.title, a);
  put(out, "description", g.description, a);
  put(out, "created", g.created, a);
  put(out, "state", g.state, a);
  put(out, "type", "group", a);
  out.AddMember("is_organization", false, a);
  if (package_count >= 0) out.AddMember("package_count", Value(package_count), a);
}

std::string content_hash(const Dataset& d) {
  Dataset copy = d;
  copy.id.clear();
  copy.metadata_created.clear();
  copy.metadata_modified.clear();
  copy.views = 0;
  for (auto& r : copy.resources) {
    r.id.clear();
    r.package_id.clear();
  }
  return sha256_hex(package_to_json(copy));
}

}  // namespace datamap::catalog

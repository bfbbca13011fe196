#include "catalog/activity_rows.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace datamap::catalog {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void put(JsonWriter& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

// A compact snapshot, not the whole package dict: column profiles and sketches would make every
// activity row kilobytes, and the stream only shows what changed and to what.
std::string package_data(const Dataset& d) {
  rapidjson::StringBuffer sb;
  JsonWriter w(sb);
  w.StartObject();
  w.Key("package");
  w.StartObject();
  put(w, "id", d.id);
  put(w, "name", d.name);
  put(w, "title", d.title);
  put(w, "type", d.type);
  put(w, "state", d.state);
  w.Key("private");
  w.Bool(d.is_private);
  put(w, "owner_org", d.owner_org);
  put(w, "metadata_modified", d.metadata_modified);
  w.Key("num_resources");
  w.Int64(static_cast<std::int64_t>(d.resources.size()));
  w.EndObject();
  w.EndObject();
  return sb.GetString();
}

// CKAN keys an organization's activity data by "group" (organizations are groups there).
std::string organization_data(const Organization& o) {
  rapidjson::StringBuffer sb;
  JsonWriter w(sb);
  w.StartObject();
  w.Key("group");
  w.StartObject();
  put(w, "id", o.id);
  put(w, "name", o.name);
  put(w, "title", o.title);
  put(w, "description", o.description);
  put(w, "image_url", o.image_url);
  put(w, "state", o.state);
  put(w, "type", "organization");
  w.Key("is_organization");
  w.Bool(true);
  w.EndObject();
  w.EndObject();
  return sb.GetString();
}

}  // namespace

const char* change_verb(bool existed, std::string_view state) {
  if (!existed) return "new";
  return state == "deleted" ? "deleted" : "changed";
}

Activity dataset_activity(const Dataset& d, std::string_view what, std::string_view user_id) {
  Activity a;
  a.user_id = user_id;
  a.object_id = d.id;
  a.object_type = "package";
  a.activity_type = std::string(what) + " package";
  a.owner_org = d.owner_org;
  a.is_private = d.is_private;
  a.data = package_data(d);
  return a;
}

Activity organization_activity(const Organization& o, std::string_view what,
                               std::string_view user_id) {
  Activity a;
  a.user_id = user_id;
  a.object_id = o.id;
  a.object_type = "organization";
  a.activity_type = std::string(what) + " organization";
  a.owner_org = o.id;
  a.data = organization_data(o);
  return a;
}

bool may_read(const ActivityRow& row, const Visibility& reader) {
  if (row.activity.is_private && !reader.sees_private_of(row.activity.owner_org)) return false;
  if (!row.dataset_gone && row.dataset_private_now && !reader.sees_private_of(row.dataset_org_now))
    return false;
  return true;
}

std::vector<Activity> readable_page(const ActivityQuery& q, const Visibility& reader,
                                    const std::function<std::optional<ActivityRow>()>& next) {
  std::vector<Activity> out;
  std::int64_t skip = q.offset;
  while (static_cast<std::int64_t>(out.size()) < q.limit) {
    std::optional<ActivityRow> row = next();
    if (!row) break;
    if (!may_read(*row, reader)) continue;
    if (skip > 0) {
      --skip;
      continue;
    }
    out.push_back(std::move(row->activity));
  }
  return out;
}

}  // namespace datamap::catalog

#include "catalog/demand_activity.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>

namespace datamap::catalog {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void put(JsonWriter& w, const char* key, std::string_view value) {
  w.Key(key);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

// "created" -> "new", "closed" -> "closed", every other step -> "changed".
std::string verb(std::string_view kind) {
  if (kind == "created") return "new";
  if (kind == "closed") return "closed";
  return "changed";
}

}  // namespace

Activity request_activity(const DataRequest& r, std::string_view kind,
                          std::string_view comment_id) {
  Activity a;
  a.object_id = r.id;
  a.object_type = "datarequest";
  a.owner_org = r.organization_id;  // the agency asked: the request is in its stream
  if (kind == "comment")
    a.activity_type = "new datarequest comment";
  else if (kind == "votes")
    a.activity_type = "datarequest votes";
  else
    a.activity_type = verb(kind) + " datarequest";
  rapidjson::StringBuffer sb;
  JsonWriter w(sb);
  w.StartObject();
  w.Key("datarequest");
  w.StartObject();
  put(w, "id", r.id);
  put(w, "title", r.title);
  put(w, "status", r.status);
  put(w, "organization_id", r.organization_id);
  put(w, "scheduled_date", r.scheduled_date);
  put(w, "refusal_reason", r.refusal_reason);
  w.Key("votes");
  w.Int64(r.votes);
  w.Key("comment_count");
  w.Int64(r.comments);
  w.EndObject();
  if (kind != "created" && kind != "comment" && kind != "votes") put(w, "change", kind);
  if (!comment_id.empty()) {
    w.Key("comment");
    w.StartObject();
    put(w, "id", comment_id);
    w.EndObject();
  }
  w.EndObject();
  a.data = sb.GetString();
  return a;
}

Activity report_activity(const IssueReport& r, const Dataset& d, std::string_view kind) {
  Activity a;
  a.object_id = r.id;
  a.object_type = "issue_report";
  a.activity_type = verb(kind) + " issue report";
  a.owner_org = r.organization_id;
  a.is_private = d.is_private;
  a.dataset_id = r.dataset_id;
  rapidjson::StringBuffer sb;
  JsonWriter w(sb);
  w.StartObject();
  w.Key("issue_report");
  w.StartObject();
  put(w, "id", r.id);
  put(w, "kind", r.kind);
  put(w, "status", r.status);
  put(w, "package_id", d.id);
  put(w, "package_name", d.name);
  put(w, "package_title", d.title);
  put(w, "resource_id", r.resource_id);
  w.EndObject();
  w.EndObject();
  a.data = sb.GetString();
  return a;
}

bool is_vote_milestone(std::int64_t votes) {
  for (std::int64_t step = 10; step > 0 && step <= votes; step *= 10)
    if (votes == step || votes == step * 5) return true;
  return false;
}

}  // namespace datamap::catalog

#include "tests/support/ckan_round_trip.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

namespace datamap::testing {
namespace {

using rapidjson::Document;
using rapidjson::Value;

std::string to_text(const Value& v) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  v.Accept(writer);
  return {buffer.GetString(), buffer.GetSize()};
}

std::string quoted(const std::string& s) {
  Value v(s.c_str(), static_cast<rapidjson::SizeType>(s.size()));
  return to_text(v);
}

Document parse(const std::string& text) {
  Document d;
  d.Parse(text.c_str(), text.size());
  if (d.HasParseError()) throw std::runtime_error("not JSON: " + text.substr(0, 200));
  return d;
}

// The result of a successful call, or an exception naming the call and the answer.
Document call(const HttpClient& http, const std::string& action, const std::string& body,
              const std::string& token) {
  HttpReply r = http.action(action, body, token);
  if (r.status != 200)
    throw std::runtime_error(action + " " + body.substr(0, 200) + " -> " +
                             std::to_string(r.status) + " " + r.body.substr(0, 300));
  Document d = parse(r.body);
  Document result;
  result.CopyFrom(d["result"], result.GetAllocator());
  return result;
}

std::string str(const Value& v, const char* key) {
  if (!v.IsObject()) return "";
  auto it = v.FindMember(key);
  if (it == v.MemberEnd()) return "";
  if (it->value.IsString()) return {it->value.GetString(), it->value.GetStringLength()};
  if (it->value.IsNull()) return "";
  return to_text(it->value);
}

std::vector<std::string> names_of(const HttpClient& http, const std::string& list_action,
                                  const std::string& token) {
  std::vector<std::string> out;
  Document names = call(http, list_action, R"({"limit":100000})", token);
  for (const auto& n : names.GetArray()) out.emplace_back(n.GetString(), n.GetStringLength());
  return out;
}

void tick(const RoundTripProgress& progress, const char* kind, std::size_t done) {
  if (progress) progress(kind, done);
}

// ckanapi load's worker: the record is looked up by id, then by name; one that exists is
// updated (keeping the id the site has, and for organizations the members when the line has
// none), anything else created.
void load_one(const HttpClient& http, const std::string& token, const char* kind,
              const std::string& show, const std::string& create, const std::string& update,
              const std::string& line, LoadReport& report) {
  Document obj = parse(line);
  auto& a = obj.GetAllocator();
  Document existing;
  bool found = false;
  for (const char* key : {"id", "name"}) {
    std::string ref = str(obj, key);
    if (ref.empty() || found) continue;
    HttpReply r = http.action(show, R"({"id":)" + quoted(ref) + R"(,"include_users":true})", token);
    if (r.status == 200) {
      Document d = parse(r.body);
      existing.CopyFrom(d["result"], existing.GetAllocator());
      found = true;
    }
  }
  if (found) {
    obj.RemoveMember("id");
    obj.AddMember("id", Value(existing["id"], a), a);
    if (!obj.HasMember("users") && existing.HasMember("users"))
      obj.AddMember("users", Value(existing["users"], a), a);
  }
  const std::string& action = found ? update : create;
  HttpReply r = http.action(action, to_text(obj), token);
  if (r.status == 200)
    ++report.created;
  else
    report.failures.push_back(std::string(kind) + " " + str(obj, "name") + ": " + action + " " +
                              std::to_string(r.status) + " " + r.body.substr(0, 400));
}

// ---- comparison: the fields a client would notice, each as one comparable text.
using Fields = std::map<std::string, std::string>;

std::string sorted_list(const Value& record, const char* key, const char* member) {
  std::vector<std::string> items;
  auto it = record.FindMember(key);
  if (it != record.MemberEnd() && it->value.IsArray())
    for (const auto& v : it->value.GetArray())
      items.push_back(v.IsString() ? std::string(v.GetString()) : str(v, member));
  std::sort(items.begin(), items.end());
  std::string out;
  for (const auto& s : items) out += s + "\n";
  return out;
}

Fields dataset_fields(const Value& d) {
  Fields f;
  for (const char* key : {"name",
                          "title",
                          "notes",
                          "owner_org",
                          "private",
                          "state",
                          "type",
                          "license_id",
                          "url",
                          "source_key",
                          "maintainer",
                          "maintainer_email",
                          "author",
                          "frequency",
                          "category_sub",
                          "spatial",
                          "temporal",
                          "issued",
                          "modified",
                          "national_priority",
                          "standard_dataset"})
    f[key] = str(d, key);
  f["groups"] = sorted_list(d, "groups", "name");
  f["tags"] = sorted_list(d, "tags", "name");
  std::vector<std::string> extras;
  if (d.HasMember("extras") && d["extras"].IsArray())
    for (const auto& e : d["extras"].GetArray())
      extras.push_back(str(e, "key") + "=" + str(e, "value"));
  std::sort(extras.begin(), extras.end());
  for (const auto& e : extras) f["extras"] += e + "\n";
  if (d.HasMember("resources") && d["resources"].IsArray())
    for (const auto& r : d["resources"].GetArray())
      for (const char* key : {"id", "name", "url", "format", "description"})
        f["resources"] += str(r, key) + "|";
  return f;
}

Fields organization_fields(const Value& o) {
  Fields f;
  for (const char* key : {"name", "title", "description", "code", "image_url"})
    f[key] = str(o, key);
  std::vector<std::string> users;
  if (o.HasMember("users") && o["users"].IsArray())
    for (const auto& u : o["users"].GetArray())
      users.push_back(str(u, "name") + ":" + str(u, "capacity"));
  std::sort(users.begin(), users.end());
  for (const auto& u : users) f["users"] += u + "\n";
  return f;
}

Fields group_fields(const Value& g) {
  Fields f;
  for (const char* key : {"name", "title", "description"}) f[key] = str(g, key);
  return f;
}

Fields user_fields(const Value& u) {
  Fields f;
  for (const char* key : {"name", "fullname", "email", "sysadmin"}) f[key] = str(u, key);
  return f;
}

std::map<std::string, Fields> by_id(const std::vector<std::string>& lines,
                                    Fields (*fields)(const Value&)) {
  std::map<std::string, Fields> out;
  for (const auto& line : lines) {
    Document d = parse(line);
    out[str(d, "id")] = fields(d);
  }
  return out;
}

void compare_kind(const char* kind, const std::vector<std::string>& before,
                  const std::vector<std::string>& after, Fields (*fields)(const Value&),
                  std::size_t limit, std::vector<std::string>& out) {
  auto b = by_id(before, fields), a = by_id(after, fields);
  for (const auto& [id, want] : b) {
    if (out.size() >= limit) return;
    auto it = a.find(id);
    if (it == a.end()) {
      out.push_back(std::string(kind) + " " + id + " (" + want.at("name") + ") missing");
      continue;
    }
    for (const auto& [key, value] : want)
      if (auto got = it->second.find(key); got == it->second.end() || got->second != value) {
        out.push_back(std::string(kind) + " " + id + ": " + key + " " + value.substr(0, 200) +
                      " != " + (got == it->second.end() ? "(none)" : got->second.substr(0, 200)));
        break;
      }
  }
}

}  // namespace

SiteDump dump_site(const HttpClient& http, const std::string& token,
                   const RoundTripProgress& progress) {
  SiteDump dump;
  for (const auto& name : names_of(http, "group_list", token)) {
    dump.groups.push_back(
        to_text(call(http, "group_show", R"({"id":)" + quoted(name) + "}", token)));
    tick(progress, "groups", dump.groups.size());
  }
  std::set<std::string> user_names;
  for (const auto& name : names_of(http, "organization_list", token)) {
    Document org = call(http, "organization_show",
                        R"({"id":)" + quoted(name) + R"(,"include_users":true})", token);
    if (org.HasMember("users"))
      for (const auto& u : org["users"].GetArray()) user_names.insert(str(u, "name"));
    dump.organizations.push_back(to_text(org));
    tick(progress, "organizations", dump.organizations.size());
  }
  // CKAN's user_list where the site has it; else the users the organizations name.
  if (http.action("help_show", R"({"name":"user_list"})", token).status == 200) {
    Document users = call(http, "user_list", R"({"all_fields":false})", token);
    for (const auto& u : users.GetArray())
      user_names.insert(u.IsString() ? std::string(u.GetString()) : str(u, "name"));
  }
  for (const auto& name : user_names) {
    dump.users.push_back(to_text(call(http, "user_show", R"({"id":)" + quoted(name) + "}", token)));
    tick(progress, "users", dump.users.size());
  }
  for (const auto& name : names_of(http, "package_list", token)) {
    dump.datasets.push_back(
        to_text(call(http, "package_show", R"({"id":)" + quoted(name) + "}", token)));
    tick(progress, "datasets", dump.datasets.size());
  }
  return dump;
}

LoadReport load_site(const HttpClient& http, const std::string& token, const SiteDump& dump,
                     const RoundTripProgress& progress) {
  LoadReport report;
  struct Kind {
    const char* name;
    const std::vector<std::string>* lines;
    const char *show, *create, *update;
  };
  const Kind kinds[] = {
      {"users", &dump.users, "user_show", "user_create", "user_update"},
      {"groups", &dump.groups, "group_show", "group_create", "group_update"},
      {"organizations", &dump.organizations, "organization_show", "organization_create",
       "organization_update"},
      {"datasets", &dump.datasets, "package_show", "package_create", "package_update"},
  };
  for (const auto& k : kinds) {
    std::size_t done = 0;
    for (const auto& line : *k.lines) {
      load_one(http, token, k.name, k.show, k.create, k.update, line, report);
      tick(progress, k.name, ++done);
    }
  }
  return report;
}

std::vector<std::string> compare_dumps(const SiteDump& before, const SiteDump& after,
                                       std::size_t limit) {
  std::vector<std::string> out;
  compare_kind("user", before.users, after.users, user_fields, limit, out);
  compare_kind("group", before.groups, after.groups, group_fields, limit, out);
  compare_kind("organization", before.organizations, after.organizations, organization_fields,
               limit, out);
  compare_kind("dataset", before.datasets, after.datasets, dataset_fields, limit, out);
  return out;
}

}  // namespace datamap::testing

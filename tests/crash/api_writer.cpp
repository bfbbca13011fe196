#include "tests/crash/api_writer.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <stdexcept>

namespace datamap::testing {
namespace {

using Fields = std::map<std::string, std::string>;
using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

constexpr std::size_t kLiveDatasets = 12;  // per writer: later writes revisit the same ones
constexpr std::size_t kOwnOrganizations = 2;

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  std::size_t start = 0;
  for (;;) {
    auto end = s.find(sep, start);
    out.push_back(s.substr(start, end - start));
    if (end == std::string::npos) return out;
    start = end + 1;
  }
}

std::string join(std::vector<std::string> parts, char sep, bool sorted) {
  if (sorted) std::sort(parts.begin(), parts.end());
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : std::string(1, sep)) + p;
  return out;
}

std::string str(const rapidjson::Value& v, const char* key) {
  auto it = v.FindMember(key);
  return it != v.MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
}

// The request body that makes a dataset `fields` (package_create / package_update).
std::string dataset_body(const std::string& name, const Fields& f) {
  rapidjson::StringBuffer sb;
  JsonWriter w(sb);
  auto kv = [&](const char* k, const std::string& v) {
    w.Key(k);
    w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
  };
  w.StartObject();
  kv("name", name);
  kv("title", f.at("title"));
  kv("notes", f.at("notes"));
  kv("owner_org", f.at("org"));
  w.Key("private");
  w.Bool(f.at("private") == "true");
  w.Key("tags");
  w.StartArray();
  for (const auto& t : split(f.at("tags"), ',')) {
    w.StartObject();
    kv("name", t);
    w.EndObject();
  }
  w.EndArray();
  w.Key("resources");
  w.StartArray();
  for (const auto& r : split(f.at("resources"), ';')) {
    auto parts = split(r, '|');
    w.StartObject();
    kv("name", parts.at(0));
    kv("url", parts.at(1));
    kv("format", parts.at(2));
    w.EndObject();
  }
  w.EndArray();
  w.Key("extras");
  w.StartArray();
  w.StartObject();
  kv("key", "crash_version");
  kv("value", f.at("version"));
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return sb.GetString();
}

std::string object_body(const Fields& f) {
  rapidjson::StringBuffer sb;
  JsonWriter w(sb);
  w.StartObject();
  for (const auto& [k, v] : f) {
    w.Key(k.c_str());
    w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
  }
  w.EndObject();
  return sb.GetString();
}

bool active(const State& s) {
  return s && s->at("state") == "active";
}

}  // namespace

std::string search_word(int dataset, int version) {
  static const char kLetters[] = "bcfhjkmnpqrtvwxz";  // 16 consonants: hex digits
  std::string out = "zq";
  for (int shift = 12; shift >= 0; shift -= 4) out.push_back(kLetters[(dataset >> shift) & 15]);
  for (int shift = 12; shift >= 0; shift -= 4) out.push_back(kLetters[(version >> shift) & 15]);
  return out;
}

ApiWriter::ApiWriter(int number, std::uint64_t seed, std::vector<std::string> shared_orgs)
    : prefix_("crash-w" + std::to_string(number)),
      number_base_(number << 12),
      rng_(seed),
      shared_orgs_(std::move(shared_orgs)) {}

std::string ApiWriter::pick_org() {
  std::vector<std::string> sure = shared_orgs_;
  for (const auto& e : entities_)
    if (e.kind == Entity::Kind::organization && e.candidates.certain() &&
        !e.candidates.may_be_absent())
      sure.push_back(e.name);
  return sure[rng_() % sure.size()];
}

Fields ApiWriter::new_dataset_fields(const std::string& name) {
  int number = number_base_ + std::stoi(name.substr(name.rfind('-') + 1));
  int version = ++version_ & 0xFFFF;
  Fields f;
  f["title"] = "충돌 시험 자료 " + search_word(number, version);
  f["notes"] = "버전 " + std::to_string(version) + " of " + name;
  f["org"] = pick_org();
  f["private"] = rng_() % 5 == 0 ? "true" : "false";
  f["state"] = "active";
  std::vector<std::string> tags{"crash"};
  for (int i = 0, n = static_cast<int>(rng_() % 4); i < n; ++i)
    tags.push_back("tag" + std::to_string(rng_() % 20));
  std::sort(tags.begin(), tags.end());
  tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
  f["tags"] = join(tags, ',', true);
  std::vector<std::string> resources;
  for (int i = 0, n = 1 + static_cast<int>(rng_() % 3); i < n; ++i)
    resources.push_back("r" + std::to_string(i) + "|https://example.org/" + name + "/v" +
                        std::to_string(version) + "/" + std::to_string(i) + ".csv|" +
                        (i % 2 ? "JSON" : "CSV"));
  f["resources"] = join(resources, ';', false);
  f["version"] = std::to_string(version);
  return f;
}

ApiWriter::Write ApiWriter::create_dataset(const std::string& name) {
  Fields f = new_dataset_fields(name);
  return {"package_create", dataset_body(name, f), [f](const State& s) -> Outcome {
            if (s) return {409, s};  // the name is taken (by a create whose answer was lost)
            return {200, f};
          }};
}

ApiWriter::Write ApiWriter::update_dataset(const Entity& e) {
  Fields f = new_dataset_fields(e.name);
  return {"package_update", dataset_body(e.name, f), [f](const State& s) -> Outcome {
            if (!active(s)) return {404, s};
            return {200, f};
          }};
}

ApiWriter::Write ApiWriter::patch_dataset(const Entity& e) {
  int number = number_base_ + std::stoi(e.name.substr(e.name.rfind('-') + 1));
  int version = ++version_ & 0xFFFF;
  Fields patch{{"title", "충돌 시험 자료 (고침) " + search_word(number, version)},
               {"notes", "patched to " + std::to_string(version)}};
  Fields body = patch;
  body["id"] = e.name;
  return {"package_patch", object_body(body), [patch](const State& s) -> Outcome {
            if (!active(s)) return {404, s};
            State next = s;
            for (const auto& [k, v] : patch) (*next)[k] = v;
            return {200, next};
          }};
}

ApiWriter::Write ApiWriter::delete_dataset(const Entity& e) {
  return {"package_delete", object_body({{"id", e.name}}), [](const State& s) -> Outcome {
            if (!active(s)) return {404, s};
            State next = s;
            (*next)["state"] = "deleted";
            return {200, next};
          }};
}

ApiWriter::Write ApiWriter::create_organization(const std::string& name) {
  Fields f{{"title", "충돌 기관 " + name}, {"description", "v" + std::to_string(++version_)}};
  Fields body = f;
  body["name"] = name;
  return {"organization_create", object_body(body), [f](const State& s) -> Outcome {
            if (s) return {409, s};
            return {200, f};
          }};
}

ApiWriter::Write ApiWriter::update_organization(const Entity& e) {
  Fields f{{"title", "충돌 기관 " + e.name + " 개정 " + std::to_string(++version_)},
           {"description", "v" + std::to_string(version_)}};
  Fields body = f;
  body["id"] = e.name;
  return {"organization_update", object_body(body), [f](const State& s) -> Outcome {
            if (!s) return {404, s};
            return {200, f};
          }};
}

ApiWriter::Write ApiWriter::next_write(Entity*& target) {
  std::size_t live = 0, orgs = 0;
  for (const auto& e : entities_) {
    if (e.kind == Entity::Kind::dataset && !e.retired) ++live;
    if (e.kind == Entity::Kind::organization) ++orgs;
  }
  auto roll = rng_() % 100;
  if (roll < 4 && orgs < kOwnOrganizations) {
    entities_.push_back({Entity::Kind::organization, prefix_ + "-org-" + std::to_string(next_id_++),
                         Candidates{}, false});
    target = &entities_.back();
    return create_organization(target->name);
  }
  if (roll < 8 && orgs > 0) {
    std::vector<Entity*> own;
    for (auto& e : entities_)
      if (e.kind == Entity::Kind::organization) own.push_back(&e);
    target = own[rng_() % own.size()];
    // Surely absent (its create answered 409? never: 404 to an update): create it again.
    return target->candidates.certain() && target->candidates.may_be_absent()
               ? create_organization(target->name)
               : update_organization(*target);
  }
  if (roll < 30 && live < kLiveDatasets) {
    entities_.push_back(
        {Entity::Kind::dataset, prefix_ + "-" + std::to_string(next_id_++), Candidates{}, false});
    target = &entities_.back();
    return create_dataset(target->name);
  }
  std::vector<Entity*> datasets;
  for (auto& e : entities_)
    if (e.kind == Entity::Kind::dataset && !e.retired) datasets.push_back(&e);
  if (datasets.empty()) {
    entities_.push_back(
        {Entity::Kind::dataset, prefix_ + "-" + std::to_string(next_id_++), Candidates{}, false});
    target = &entities_.back();
    return create_dataset(target->name);
  }
  target = datasets[rng_() % datasets.size()];
  const Candidates& c = target->candidates;
  if (c.certain() && c.may_be_absent()) return create_dataset(target->name);
  if (c.may_have("state", "deleted")) return delete_dataset(*target);  // settle it first
  auto op = rng_() % 100;
  if (op < 45) return update_dataset(*target);
  if (op < 85) return patch_dataset(*target);
  if (c.may_be_absent()) return create_dataset(target->name);
  return delete_dataset(*target);
}

void ApiWriter::run(const HttpClient& client, const std::string& token,
                    const std::atomic<bool>& stop) {
  while (!stop.load()) {
    Entity* target = nullptr;
    Write w = next_write(target);
    HttpReply reply;
    try {
      reply = client.action(w.action, w.body, token);
    } catch (const std::exception&) {
      target->candidates.lost(w.effect);
      ++lost_;
      return;  // the server is gone: this round is over
    }
    if (reply.status >= 500) {
      failures_.push_back(w.action + " " + target->name + " answered " +
                          std::to_string(reply.status) + ": " + reply.body.substr(0, 300));
      target->candidates.lost(w.effect);
      ++lost_;
      continue;
    }
    ++answered_;
    std::string before = target->candidates.describe();
    if (!target->candidates.answered(w.effect, reply.status))
      failures_.push_back(w.action + " " + target->name + " answered " +
                          std::to_string(reply.status) + " (" + reply.body.substr(0, 300) +
                          "), which no state it may be in explains:\n" + before);
    if (target->kind == Entity::Kind::dataset && target->candidates.certain() &&
        target->candidates.may_have("state", "deleted"))
      target->retired = true;
  }
}

std::vector<std::string> ApiWriter::settle(const HttpClient& client, const std::string& token) {
  std::vector<std::string> failures;
  for (auto& e : entities_) {
    State actual;
    try {
      actual = fetch_state(client, e, token);
    } catch (const std::exception& ex) {
      failures.push_back(ex.what());
      continue;
    }
    if (!e.candidates.contains(actual)) {
      failures.push_back(e.name + " is " + describe(actual) + ", which its writes do not allow:\n" +
                         e.candidates.describe());
      continue;
    }
    e.candidates = Candidates::known(actual);
    e.retired = e.kind == Entity::Kind::dataset && actual && actual->at("state") == "deleted";
  }
  return failures;
}

State dataset_state(const rapidjson::Value& p) {
  Fields f;
  f["title"] = str(p, "title");
  f["notes"] = str(p, "notes");
  f["state"] = str(p, "state");
  f["private"] =
      p.HasMember("private") && p["private"].IsBool() && p["private"].GetBool() ? "true" : "false";
  f["org"] = p.HasMember("organization") && p["organization"].IsObject()
                 ? str(p["organization"], "name")
                 : "";
  std::vector<std::string> tags, resources;
  if (p.HasMember("tags") && p["tags"].IsArray())
    for (const auto& t : p["tags"].GetArray()) tags.push_back(str(t, "name"));
  f["tags"] = join(tags, ',', true);
  if (p.HasMember("resources") && p["resources"].IsArray())
    for (const auto& r : p["resources"].GetArray())
      resources.push_back(str(r, "name") + "|" + str(r, "url") + "|" + str(r, "format"));
  f["resources"] = join(resources, ';', false);
  f["version"] = "";
  if (p.HasMember("extras") && p["extras"].IsArray())
    for (const auto& x : p["extras"].GetArray())
      if (str(x, "key") == "crash_version") f["version"] = str(x, "value");
  return f;
}

State organization_state(const rapidjson::Value& o) {
  return Fields{{"title", str(o, "title")}, {"description", str(o, "description")}};
}

State fetch_state(const HttpClient& client, const Entity& e, const std::string& token) {
  bool dataset = e.kind == Entity::Kind::dataset;
  auto reply = client.action(dataset ? "package_show" : "organization_show",
                             object_body({{"id", e.name}}), token);
  if (reply.status == 404) return std::nullopt;
  if (reply.status != 200)
    throw std::runtime_error("show " + e.name + " answered " + std::to_string(reply.status) + ": " +
                             reply.body.substr(0, 300));
  rapidjson::Document doc;
  doc.Parse(reply.body.c_str());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("result"))
    throw std::runtime_error("show " + e.name + ": not a CKAN envelope");
  return dataset ? dataset_state(doc["result"]) : organization_state(doc["result"]);
}

}  // namespace datamap::testing

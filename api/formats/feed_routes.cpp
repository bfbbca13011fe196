// The Atom feeds at CKAN's addresses: /feeds/dataset/{id}.atom, /feeds/organization/{name}.atom,
// /feeds/dataset.atom (every recent change) and /feeds/custom.atom?q=... (a search's datasets,
// last changed first); and the data requests': /feeds/datarequest.atom (every request's steps)
// and /feeds/datarequest/{id}.atom (one request's). Each calls the same action as the API, as the
// caller (usually nobody), so a feed never shows what package_activity_list would not: a private
// dataset's feed is 404.
#include "api/formats/feed_routes.h"

#include "api/activity_text.h"
#include "api/formats/atom_feed.h"
#include "api/formats/format_routes.h"
#include "api/json.h"
#include "api/quota.h"
#include "catalog/errors.h"
#include "catalog/ids.h"
#include "catalog/text.h"

namespace datamap::api::formats {
namespace {

using rapidjson::Document;
using rapidjson::Value;

constexpr std::int64_t kPerPage = 20;

std::string member(const Value& v, const char* key) {
  if (!v.IsObject()) return "";
  auto it = v.FindMember(key);
  return it != v.MemberEnd() && it->value.IsString()
             ? std::string(it->value.GetString(), it->value.GetStringLength())
             : std::string();
}

HttpResponse atom_response(const AtomFeed& feed) {
  HttpResponse r;
  r.content_type = "application/atom+xml; charset=utf-8";
  r.headers.emplace_back("Access-Control-Allow-Origin", "*");
  r.body = atom_xml(feed);
  return r;
}

class Feeds {
 public:
  Feeds(Services& services, const Registry& registry) : services_(services), registry_(registry) {}

  // An activity stream as a feed: `action` with {id} (when given), newest first.
  HttpResponse activities(const HttpRequest& req, const char* action, const std::string& id,
                          AtomFeed feed) {
    std::int64_t page = int_param(req, "page", 1, 1, 1000);
    Document params(rapidjson::kObjectType);
    auto& pa = params.GetAllocator();
    if (!id.empty()) params.AddMember("id", json_string(id, pa), pa);
    params.AddMember("offset", (page - 1) * kPerPage, pa);
    params.AddMember("limit", kPerPage, pa);
    Document result;
    ActionContext ctx{services_, admit(services_, req)};
    call_action(registry_, ctx, action, params, result);
    const std::string base = site_for(services_, req).base_url;
    for (const auto& a : result.GetArray()) {
      // Korean first, as the portal.
      const ActivitySubject object = activity_subject(a["data"]);
      AtomEntry e;
      e.id = "urn:uuid:" + member(a, "id");
      e.title =
          std::string(activity_label(member(a, "activity_type"), false)) + ": " + object.title;
      e.updated = member(a, "timestamp");
      e.link = base + object.path;
      e.author = author_name(member(a, "user_id"));
      e.summary = member(a, "activity_type");
      feed.entries.push_back(std::move(e));
    }
    finish(feed, req, base);
    return atom_response(feed);
  }

  // The datasets a search finds, last changed first (CKAN's custom feed).
  HttpResponse search(const HttpRequest& req) {
    std::int64_t page = int_param(req, "page", 1, 1, 1000);
    const std::string q = req.query_param("q").value_or("");
    Document params(rapidjson::kObjectType);
    auto& pa = params.GetAllocator();
    params.AddMember("q", json_string(q, pa), pa);
    if (auto fq = req.query_param("fq")) params.AddMember("fq", json_string(*fq, pa), pa);
    params.AddMember("sort", "metadata_modified desc", pa);
    params.AddMember("rows", kPerPage, pa);
    params.AddMember("start", (page - 1) * kPerPage, pa);
    Document result;
    ActionContext ctx{services_, admit(services_, req, Cost::expensive)};
    call_action(registry_, ctx, "package_search", params, result);
    const std::string base = site_for(services_, req).base_url;
    AtomFeed feed;
    feed.title = "datamap: " + (q.empty() ? std::string("모든 데이터") : q);
    feed.alternate = base + "/dataset?q=" + catalog::url_encode(q);
    for (const auto& d : result["results"].GetArray()) {
      AtomEntry e;
      std::string name = member(d, "name");
      e.id = "urn:uuid:" + member(d, "id");
      e.title = member(d, "title").empty() ? name : member(d, "title");
      e.updated = member(d, "metadata_modified");
      e.link = base + "/dataset/" + catalog::url_encode(name);
      e.summary = member(d, "notes").substr(0, 1000);
      feed.entries.push_back(std::move(e));
    }
    finish(feed, req, base);
    return atom_response(feed);
  }

 private:
  std::string author_name(const std::string& user_id) {
    if (user_id.empty()) return "datamap";
    auto u = services_.store->user(user_id);
    return u ? u->name : "datamap";
  }

  void finish(AtomFeed& feed, const HttpRequest& req, const std::string& base) {
    std::string query;
    for (const auto& [k, v] : req.query) {
      query += query.empty() ? '?' : '&';
      query += catalog::url_encode(k);
      query += '=';
      query += catalog::url_encode(v);
    }
    feed.self = base + req.path + query;
    feed.id = feed.self;
    // Entries come newest first (activities by time, searches by metadata_modified).
    feed.updated = feed.entries.empty() ? catalog::now_iso8601() : feed.entries.front().updated;
  }

  Services& services_;
  const Registry& registry_;
};

// "{prefix}{name}.atom" -> name; anything else is 404.
std::string name_in(const std::string& path, const std::string& prefix) {
  const std::string suffix = ".atom";
  if (path.size() <= prefix.size() + suffix.size() ||
      path.compare(path.size() - suffix.size(), suffix.size(), suffix) != 0)
    throw NotFound("no such feed: " + path.substr(0, 200));
  std::string name = path.substr(prefix.size(), path.size() - prefix.size() - suffix.size());
  if (name.find('/') != std::string::npos) throw NotFound("no such feed: " + path.substr(0, 200));
  return name;
}

}  // namespace

void register_feed_routes(Routes& routes, Services& services, const Registry& registry) {
  auto feeds = std::make_shared<Feeds>(services, registry);
  routes.add("GET", "/feeds/dataset.atom", [feeds, &services](const HttpRequest& req) {
    AtomFeed feed;
    feed.title = "datamap: 최근 변경된 데이터";
    feed.alternate = site_for(services, req).base_url + "/dataset";
    return feeds->activities(req, "recently_changed_packages_activity_stream", "", feed);
  });
  routes.add("GET", "/feeds/custom.atom",
             [feeds](const HttpRequest& req) { return feeds->search(req); });
  routes.add("GET", "/feeds/dataset/*", [feeds, &services](const HttpRequest& req) {
    std::string name = name_in(req.path, "/feeds/dataset/");
    AtomFeed feed;
    feed.title = "datamap: " + name + " 변경 내역";
    feed.alternate = site_for(services, req).base_url + "/dataset/" + catalog::url_encode(name);
    return feeds->activities(req, "package_activity_list", name, feed);
  });
  routes.add("GET", "/feeds/datarequest.atom", [feeds, &services](const HttpRequest& req) {
    AtomFeed feed;
    feed.title = "datamap: 제공신청 진행 내역";
    feed.alternate = site_for(services, req).base_url + "/requests";
    return feeds->activities(req, "recently_changed_datarequests_activity_stream", "", feed);
  });
  routes.add("GET", "/feeds/datarequest/*", [feeds, &services](const HttpRequest& req) {
    std::string id = name_in(req.path, "/feeds/datarequest/");
    AtomFeed feed;
    feed.title = "datamap: 제공신청 " + id + " 진행 내역";
    feed.alternate = site_for(services, req).base_url + "/requests/" + catalog::url_encode(id);
    return feeds->activities(req, "datarequest_activity_list", id, feed);
  });
  routes.add("GET", "/feeds/organization/*", [feeds, &services](const HttpRequest& req) {
    std::string name = name_in(req.path, "/feeds/organization/");
    AtomFeed feed;
    feed.title = "datamap: " + name + " 기관 변경 내역";
    feed.alternate =
        site_for(services, req).base_url + "/organization/" + catalog::url_encode(name);
    return feeds->activities(req, "organization_activity_list", name, feed);
  });
}

}  // namespace datamap::api::formats

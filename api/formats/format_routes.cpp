// The standard outputs over HTTP: DCAT-AP (/catalog.*, /dataset/{name}.*), schema.org
// (/dataset/{name}.schema.json), DCAT-US (/data.json) and the data.go.kr-style list
// (/openapi/datasets). Handlers read through the actions (package_show, package_search), so
// visibility rules are the Action API's own.
#include "api/formats/format_routes.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "api/auth.h"
#include "api/config.h"
#include "api/formats/catalog_query.h"
#include "api/formats/data_json.h"
#include "api/formats/datago.h"
#include "api/formats/datago_gate.h"
#include "api/formats/dcat.h"
#include "api/formats/negotiation.h"
#include "api/formats/rdf_serialize.h"
#include "api/formats/schema_org.h"
#include "api/json.h"
#include "api/quota.h"
#include "api/resolve.h"
#include "api/routes.h"
#include "catalog/errors.h"
#include "catalog/ids.h"
#include "catalog/package_json.h"
#include "catalog/text.h"
#include "catalog/validation.h"

namespace datamap::api::formats {
namespace {

constexpr std::int64_t kCatalogPageSize = 100;  // ckanext-dcat's default datasets per page
constexpr std::int64_t kMaxDatagoRows = 1000;

using catalog::url_encode;

HttpResponse respond(std::string body, std::string content_type) {
  HttpResponse r;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  r.headers.emplace_back("Access-Control-Allow-Origin", "*");
  r.headers.emplace_back("Vary", "Accept");
  return r;
}

std::string rdf_content_type(RdfSyntax syntax) {
  return std::string(rdf_media_type(syntax)) + "; charset=utf-8";
}

// ---- /dataset/{name}.{ttl,rdf,jsonld,schema.json} and /dataset/{name} with an RDF Accept

catalog::Dataset shown_dataset(Services& services, const Registry& registry,
                               const HttpRequest& req, const std::string& name,
                               catalog::Organization& org, bool& has_org) {
  ActionContext ctx{services, admit(services, req)};
  rapidjson::Document params(rapidjson::kObjectType);
  params.AddMember("id", json_string(name, params.GetAllocator()), params.GetAllocator());
  rapidjson::Document result;
  call_action(registry, ctx, "package_show", params, result);
  FieldErrors ignored;
  has_org = catalog::read_embedded_organization(result, org);
  return catalog::read_package(result, ignored);
}

HttpResponse dataset_document(Services& services, const Registry& registry, const HttpRequest& req) {
  auto n = negotiate_dataset(req);
  if (!n || n->kind == Representation::kHtml) throw NotFound("no such path: " + req.path.substr(0, 200));
  catalog::Organization org;
  bool has_org = false;
  catalog::Dataset d = shown_dataset(services, registry, req, n->name, org, has_org);
  SiteInfo site = site_for(services, req);
  if (n->kind == Representation::kSchemaOrg)
    return respond(schema_org_json(d, has_org ? &org : nullptr, site),
                   "application/ld+json; charset=utf-8");
  CatalogLookup lookup = CatalogLookup::load(*services.store);
  if (has_org) lookup.add(org);
  RdfDoc doc;
  add_dcat_dataset(doc, d, lookup, site);
  return respond(serialize_rdf(doc, n->syntax), rdf_content_type(n->syntax));
}

// ---- /catalog.{ttl,rdf,jsonld} and /catalog

HttpResponse catalog_document(Services& services, const Registry& registry, const HttpRequest& req) {
  RdfSyntax syntax = RdfSyntax::kTurtle;
  std::string path = req.path;
  if (path == "/catalog") {
    syntax = preferred_rdf_syntax(req.header("accept").value_or("")).value_or(RdfSyntax::kTurtle);
    path = std::string("/catalog.") + rdf_extension(syntax);
  } else {
    rdf_syntax_from_extension(path.substr(path.find('.') + 1), syntax);
  }
  CatalogQuery query;
  query.q = req.query_param("q").value_or("");
  query.fq = req.query_param("fq").value_or("");
  query.modified_since = std::string(catalog::trim(req.query_param("modified_since").value_or("")));
  if (!query.modified_since.empty()) {
    if (!catalog::is_iso8601(query.modified_since))
      throw ValidationError("modified_since", "Must be an ISO 8601 date, e.g. 2024-05-01");
  }
  std::int64_t page = int_param(req, "page", 1, 1, 1000000);
  query.rows = kCatalogPageSize;
  query.start = (page - 1) * kCatalogPageSize;
  ActionContext ctx{services, admit(services, req, Cost::expensive)};
  CatalogResult found = find_datasets(ctx, registry, query);
  std::int64_t last = std::max<std::int64_t>(1, (found.total + kCatalogPageSize - 1) / kCatalogPageSize);
  if (page > last) throw NotFound("Page " + std::to_string(page) + " does not exist: the last is " + std::to_string(last));

  SiteInfo site = site_for(services, req);
  std::string filters;
  for (const char* p : {"q", "fq", "modified_since"}) {
    std::string v = req.query_param(p).value_or("");
    if (!v.empty()) filters += std::string("&") + p + "=" + url_encode(v);
  }
  auto page_url = [&](std::int64_t n) {
    return site.base_url + path + "?page=" + std::to_string(n) + filters;
  };
  HydraPage paging;
  paging.this_page = page_url(page);
  paging.first = page_url(1);
  paging.last = page_url(last);
  if (page < last) paging.next = page_url(page + 1);
  if (page > 1) paging.previous = page_url(page - 1);
  paging.total_items = found.total;
  paging.items_per_page = kCatalogPageSize;
  CatalogLookup lookup = CatalogLookup::load(*services.store);
  RdfDoc doc;
  add_dcat_catalog(doc, found.datasets, lookup, site, &paging);
  return respond(serialize_rdf(doc, syntax), rdf_content_type(syntax));
}

// ---- /data.json: written to a file under the data directory once per catalog revision and
// base URL, then sent from there (sendfile), so neither building nor serving holds 61k datasets
// in memory. The base URL comes from the Host header unless site.base_url is set, so the files
// of one revision are bounded (limits.data_json_variants, least recently served dropped first)
// and older revisions are removed: forged Host headers cannot fill the disk.

std::mutex data_json_mutex;

// Keeps the `keep` most recently used exports of `revision_tag` ("-r12.json") in `dir` and
// removes every other export file (older revisions, leftovers of an interrupted write).
void prune_data_json(const std::filesystem::path& dir, const std::string& revision_tag,
                     std::size_t keep) {
  namespace fs = std::filesystem;
  std::vector<std::pair<fs::file_time_type, fs::path>> current;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if (name.rfind("data-", 0) != 0) continue;
    bool is_current =
        name.size() > revision_tag.size() &&
        name.compare(name.size() - revision_tag.size(), revision_tag.size(), revision_tag) == 0;
    std::error_code ec;
    if (!is_current) {
      fs::remove(entry.path(), ec);
      continue;
    }
    current.emplace_back(fs::last_write_time(entry.path(), ec), entry.path());
  }
  if (current.size() <= keep) return;
  std::sort(current.begin(), current.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t i = keep; i < current.size(); ++i) {
    std::error_code ec;
    fs::remove(current[i].second, ec);
  }
}

HttpResponse data_json(Services& services, const HttpRequest& req) {
  admit(services, req, Cost::expensive);
  SiteInfo site = site_for(services, req);
  const LimitsConfig limits = services.config ? services.config->limits : LimitsConfig{};
  std::string dir = (services.config ? services.config->data.dir : std::string("var/data")) + "/exports";
  std::int64_t revision = services.store->head_revision();
  std::string key = catalog::sha256_hex(site.base_url).substr(0, 12);
  std::string revision_tag = "-r" + std::to_string(revision) + ".json";
  std::string path = dir + "/data-" + key + revision_tag;
  {
    std::lock_guard lock(data_json_mutex);
    std::error_code ec;
    if (std::filesystem::exists(path)) {  // served: most recently used
      std::filesystem::last_write_time(path, std::filesystem::file_time_type::clock::now(), ec);
    } else {
      std::filesystem::create_directories(dir);
      // Room for this one first: the directory never holds more than the bound.
      prune_data_json(dir, revision_tag, static_cast<std::size_t>(limits.data_json_variants - 1));
      std::string tmp = path + ".tmp";
      {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        CatalogLookup lookup = CatalogLookup::load(*services.store);
        DataJsonWriter writer(site, lookup, [&out](std::string_view s) { out.write(s.data(), static_cast<std::streamsize>(s.size())); });
        services.store->for_each_dataset([&writer](const catalog::Dataset& d) { writer.add(d); });
        writer.finish();
        if (!out.flush()) throw std::runtime_error("cannot write " + tmp);
      }
      std::filesystem::rename(tmp, path);
    }
  }
  HttpResponse r = respond("", "application/json; charset=utf-8");
  r.file_path = path;
  return r;
}

// ---- /openapi/datasets: the data.go.kr-style list

HttpResponse datago_list(Services& services, const Registry& registry, const HttpRequest& req) {
  std::string type = catalog::to_lower_ascii(catalog::trim(req.query_param("type").value_or("xml")));
  bool json = type == "json";
  if (type != "json" && type != "xml")
    return datago_error_response(DatagoCode::kInvalidParameter, "type must be json or xml", json);
  return serve_datago(services, req, json, [&](const Caller& caller) {
    DatagoPage page;
    page.page_no = int_param(req, "pageNo", 1, 1, 1000000);
    page.num_of_rows = int_param(req, "numOfRows", 10, 1, kMaxDatagoRows);
    CatalogQuery query;
    query.keyword = std::string(catalog::trim(req.query_param("keyword").value_or("")));
    query.rows = page.num_of_rows;
    query.start = (page.page_no - 1) * page.num_of_rows;
    CatalogLookup lookup = CatalogLookup::load(*services.store);
    SiteInfo site = site_for(services, req);
    std::string agency(catalog::trim(req.query_param("agency").value_or("")));
    if (!agency.empty()) {  // name, 기관명 or 기관코드
      auto org = resolve_organization(*services.store, agency);
      if (!org)
        for (const auto& o : services.store->organizations())
          if (o.title == agency || (!o.code.empty() && o.code == agency)) org = o;
      if (!org)
        return datago_response(json ? datago_json(page, lookup, site) : datago_xml(page, lookup, site), json);
      query.organization = org->name;
    }
    std::string category(catalog::trim(req.query_param("category").value_or("")));
    if (!category.empty()) {  // group name or 분류체계 title
      auto group = resolve_group(*services.store, category);
      if (!group)
        for (const auto& g : services.store->groups())
          if (g.title == category) group = g;
      query.group = group ? group->name : category;
    }
    ActionContext ctx{services, caller};
    CatalogResult found = find_datasets(ctx, registry, query);
    page.total_count = found.total;
    page.items = std::move(found.datasets);
    return datago_response(json ? datago_json(page, lookup, site) : datago_xml(page, lookup, site), json);
  });
}

}  // namespace

std::int64_t int_param(const HttpRequest& req, const char* name, std::int64_t fallback,
                       std::int64_t min, std::int64_t max) {
  auto v = req.query_param(name);
  if (!v || catalog::trim(*v).empty()) return fallback;
  std::string s(catalog::trim(*v));
  char* end = nullptr;
  errno = 0;
  long long n = std::strtoll(s.c_str(), &end, 10);
  if (errno != 0 || !end || *end != '\0' || n < min || n > max)
    throw ValidationError(name, "Must be a whole number from " + std::to_string(min) + " to " +
                                    std::to_string(max));
  return n;
}

// The public base URL: site.base_url when configured, else the Host the client used (only
// host-name characters are trusted, so a forged Host cannot inject text into IRIs).
SiteInfo site_for(const Services& services, const HttpRequest& req) {
  SiteInfo site;
  site.base_url = public_base_url(services, req);
  if (services.config) {
    site.title = services.config->site.title;
    site.description = services.config->site.description;
  }
  auto changes = services.store->changes_since(services.store->head_revision() - 1, 1);
  if (!changes.empty()) site.modified = changes.front().at;
  return site;
}

void register_format_routes(Routes& routes, Services& services, const Registry& registry) {
  auto catalog = [&services, &registry](const HttpRequest& req) {
    return catalog_document(services, registry, req);
  };
  for (const char* path : {"/catalog", "/catalog.ttl", "/catalog.rdf", "/catalog.jsonld"})
    routes.add("GET", path, catalog);
  // Only requests that ask for RDF or schema.org: the portal's page answers the rest.
  routes.add("GET", "/dataset/*", [&services, &registry](const HttpRequest& req) {
    return dataset_document(services, registry, req);
  }, dataset_wants_formats);
  routes.add("GET", "/data.json", [&services](const HttpRequest& req) { return data_json(services, req); });
  routes.add("GET", "/openapi/datasets", [&services, &registry](const HttpRequest& req) {
    return datago_list(services, registry, req);
  });
}

}  // namespace datamap::api::formats

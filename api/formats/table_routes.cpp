// The DataStore's tables over plain HTTP (see table_routes.h). A resource is as visible as its
// dataset: the handlers ask resource_show, so a private one is 404 to non-members here exactly as
// in the Action API.
#include "api/formats/table_routes.h"

#include <rapidjson/document.h>

#include <chrono>
#include <filesystem>
#include <optional>

#include "api/actions/validation.h"
#include "api/auth.h"
#include "api/config.h"
#include "api/datastore_query.h"
#include "api/formats/datago_gate.h"
#include "api/formats/file_data.h"
#include "api/formats/format_routes.h"
#include "api/json.h"
#include "api/quota.h"
#include "catalog/errors.h"
#include "catalog/ids.h"
#include "catalog/text.h"
#include "datastore/table_export.h"
#include "datastore/validator.h"

namespace datamap::api::formats {
namespace {

constexpr std::string_view kDataPrefix = "/openapi/data/";
constexpr std::string_view kDumpPrefix = "/datastore/dump/";
constexpr std::string_view kFailingPrefix = "/datastore/validation/";
constexpr std::string_view kDocumentSuffix = "/openapi.json";
constexpr std::int64_t kMaxPerPage = 1000;
// A finished download is sent from its file by the server after the handler returns, so files
// are removed by age instead: by the next download that finds them this old.
constexpr auto kDumpMaxAge = std::chrono::minutes(2);

datastore::TableStore& tables_of(Services& services) {
  if (!services.tables) throw BadRequest("The DataStore is not enabled on this server");
  return *services.tables;
}

struct VisibleResource {
  catalog::Resource resource;
  catalog::Dataset dataset;
  datastore::TableInfo table;
};

// The resource as `caller` may see it, with its table: NotFound when either is missing.
VisibleResource visible_resource(Services& services, const Registry& registry, const Caller& caller,
                                 const std::string& id) {
  if (id.empty() || id.find('/') != std::string::npos) throw NotFound("Resource not found");
  ActionContext ctx{services, caller};
  rapidjson::Document params(rapidjson::kObjectType);
  params.AddMember("id", json_string(id, params.GetAllocator()), params.GetAllocator());
  rapidjson::Document shown;
  call_action(registry, ctx, "resource_show", params, shown);  // NotFound unless visible
  VisibleResource v;
  v.resource = *services.store->resource(id);
  v.dataset = *services.store->dataset(v.resource.package_id);
  auto table = tables_of(services).info(id);
  if (!table) throw NotFound("Resource " + id + " has no DataStore table (its data is not loaded)");
  v.table = std::move(*table);
  return v;
}

// ---- GET /openapi/data/{resource}

// data.go.kr's returnType: true for json (the default), false for xml, nullopt for anything else.
std::optional<bool> return_type_is_json(const HttpRequest& req) {
  std::string type =
      catalog::to_lower_ascii(catalog::trim(req.query_param("returnType").value_or("json")));
  if (type == "json") return true;
  if (type == "xml") return false;
  return std::nullopt;
}

HttpResponse file_data_rows(Services& services, const Registry& registry, const HttpRequest& req,
                            const std::string& id) {
  std::optional<bool> wants_json = return_type_is_json(req);
  if (!wants_json)
    return datago_error_response(DatagoCode::kInvalidParameter, "returnType must be json or xml",
                                 true);
  bool json = *wants_json;
  return serve_datago(services, req, json, [&](const Caller& caller) {
    VisibleResource v = visible_resource(services, registry, caller, id);
    FileDataPage page;
    page.page = int_param(req, "page", 1, 1, 1000000);
    page.per_page = int_param(req, "perPage", 10, 1, kMaxPerPage);
    datastore::SearchQuery query;
    query.resource_id = id;
    query.conditions = parse_conds(req.query, v.table.fields);
    for (const auto& f : v.table.fields)
      query.fields.push_back(f.id);  // no _id: data.go.kr has none
    query.limit = page.per_page;
    query.offset = (page.page - 1) * page.per_page;
    query.include_total = true;
    datastore::SearchResult result = tables_of(services).search(query);
    page.total_count = v.table.row_count;
    page.match_count = result.total.value_or(0);
    page.result = &result;
    return datago_response(json ? file_data_json(page) : file_data_xml(page), json);
  });
}

// ---- GET /openapi/data/{resource}/openapi.json

HttpResponse file_data_document(Services& services, const Registry& registry,
                                const HttpRequest& req, const std::string& id) {
  Caller caller = admit(services, req);
  if (!caller.user)  // data.go.kr's serviceKey may name the reader, too
    if (auto key = req.query_param("serviceKey"); key && !key->empty()) {
      HttpRequest keyed = req;
      keyed.headers.emplace_back("authorization", *key);
      caller = authenticate(*services.store, keyed);
    }
  VisibleResource v = visible_resource(services, registry, caller, id);
  HttpResponse r;
  r.body = resource_openapi_json(v.table, v.resource, v.dataset, site_for(services, req).base_url);
  r.headers.emplace_back("Access-Control-Allow-Origin", "*");
  return r;
}

// ---- GET /openapi/join?left=…&right=…&on=…|within_meters=…

// datastore_join in data.go.kr's envelope: the action's parameters from the query string (read by
// the same code), page/perPage instead of limit/offset, each item one pair of rows.
HttpResponse join_rows(Services& services, const Registry& registry, const HttpRequest& req) {
  std::optional<bool> wants_json = return_type_is_json(req);
  if (!wants_json)
    return datago_error_response(DatagoCode::kInvalidParameter, "returnType must be json or xml",
                                 true);
  bool json = *wants_json;
  return serve_datago(services, req, json, [&](const Caller& caller) {
    rapidjson::Document params(rapidjson::kObjectType);
    auto& a = params.GetAllocator();
    for (const auto& [name, value] : req.query)
      if (!params.HasMember(name.c_str()))
        params.AddMember(json_string(name, a), json_string(value, a), a);
    datastore::JoinQuery query = datastore_join_query(params);
    visible_resource(services, registry, caller, query.left);
    visible_resource(services, registry, caller, query.right);
    FileDataPage page;
    page.page = int_param(req, "page", 1, 1, 1000000);
    page.per_page = int_param(req, "perPage", 10, 1, kMaxPerPage);
    query.limit = page.per_page;
    query.offset = (page.page - 1) * page.per_page;
    query.include_total = true;
    query.budget = datastore_join_budget(services);
    datastore_join_profile_points(*services.store, query);
    datastore::SearchResult result = tables_of(services).join(query);
    page.total_count = page.match_count = result.total.value_or(0);
    page.result = &result;
    return datago_response(json ? file_data_json(page) : file_data_xml(page), json);
  });
}

// ---- GET /datastore/dump/{resource}

// RFC 5987 / 6266: an ASCII fallback and the UTF-8 name percent-encoded.
std::string content_disposition(const std::string& name, const std::string& fallback) {
  std::string encoded;
  for (unsigned char c : name) {
    if (std::isalnum(c) ||
        std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos) {
      encoded.push_back(static_cast<char>(c));
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      encoded += buf;
    }
  }
  std::string ascii;  // for clients without RFC 5987: only characters no header can misread
  for (unsigned char c : fallback)
    ascii.push_back(std::isalnum(c) || c == '.' || c == '-' || c == '_' ? static_cast<char>(c)
                                                                        : '_');
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

// The file's name: the resource's name (or id), its own extension replaced by the format's.
std::string download_name(const catalog::Resource& r, const char* extension) {
  std::string name = r.name.empty() ? r.id : r.name;
  std::string cleaned;
  for (char c : name)
    cleaned.push_back(
        c == '/' || c == '\\' || c == '"' || static_cast<unsigned char>(c) < 0x20 ? '_' : c);
  auto dot = cleaned.rfind('.');
  if (dot != std::string::npos && dot > 0 && cleaned.size() - dot <= 5) cleaned.resize(dot);
  return cleaned + "." + extension;
}

void prune_old_dumps(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  auto now = fs::file_time_type::clock::now();
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    auto written = fs::last_write_time(entry.path(), ec);
    if (!ec && now - written > kDumpMaxAge) fs::remove_all(entry.path(), ec);
  }
}

HttpResponse dump(Services& services, const Registry& registry, const HttpRequest& req,
                  const std::string& id) {
  Caller caller = admit(services, req, Cost::expensive);
  VisibleResource v = visible_resource(services, registry, caller, id);

  datastore::ExportOptions options;
  std::string format = req.query_param("format").value_or("csv");
  auto chosen = datastore::export_format_named(catalog::trim(format));
  if (!chosen) throw ValidationError("format", "Must be csv, tsv, json or xlsx");
  options.format = *chosen;
  std::string bom = catalog::to_lower_ascii(catalog::trim(req.query_param("bom").value_or("true")));
  if (bom != "true" && bom != "false") throw ValidationError("bom", "Must be true or false");
  options.bom = bom == "true";
  std::string encoding =
      catalog::to_lower_ascii(catalog::trim(req.query_param("encoding").value_or("utf-8")));
  if (encoding == "cp949" || encoding == "euc-kr" || encoding == "ms949")
    options.cp949 = true;
  else if (encoding != "utf-8" && encoding != "utf8")
    throw ValidationError("encoding", "Must be utf-8 or cp949");
  bool delimited = options.format == datastore::ExportFormat::csv ||
                   options.format == datastore::ExportFormat::tsv;
  if (options.cp949 && !delimited)
    throw ValidationError("encoding", "Only CSV and TSV downloads can be CP949");

  // The same parameters as datastore_search, read by the same code.
  rapidjson::Document params(rapidjson::kObjectType);
  auto& a = params.GetAllocator();
  for (const auto& [name, value] : req.query)
    if (!params.HasMember(name.c_str()))
      params.AddMember(json_string(name, a), json_string(value, a), a);
  params.RemoveMember("resource_id");
  params.AddMember("resource_id", json_string(id, a), a);
  datastore::SearchQuery query = datastore_search_query(params);

  namespace fs = std::filesystem;
  fs::path dir = fs::path(services.config ? services.config->data.dir : std::string("var/data")) /
                 "exports" / "dumps";
  fs::create_directories(dir);
  prune_old_dumps(dir);
  fs::path work = dir / random_base64url(12);
  fs::create_directories(work);
  options.temp_dir = work.string();
  fs::path file = work.string() + "." + datastore::export_extension(options.format);
  datastore::ExportStats stats;
  try {
    stats = datastore::export_table(tables_of(services), query, options, file.string());
  } catch (...) {
    std::error_code ec;
    fs::remove_all(work, ec);
    fs::remove(file, ec);
    throw;
  }
  std::error_code ec;
  fs::remove_all(work, ec);

  HttpResponse r;
  r.file_path = file.string();
  r.content_type = datastore::export_media_type(options.format);
  if (options.format != datastore::ExportFormat::xlsx)
    r.content_type += options.cp949 ? "; charset=EUC-KR" : "; charset=utf-8";
  std::string name = download_name(v.resource, datastore::export_extension(options.format));
  r.headers.emplace_back(
      "Content-Disposition",
      content_disposition(name, id + "." + datastore::export_extension(options.format)));
  r.headers.emplace_back("X-Datamap-Rows", std::to_string(stats.rows));
  if (options.cp949)
    r.headers.emplace_back("X-Datamap-Replaced-Characters", std::to_string(stats.replaced));
  r.headers.emplace_back("Access-Control-Allow-Origin", "*");
  return r;
}

// ---- GET /datastore/validation/{resource}.csv: the rows the validator finds a problem in,
// computed now from the stored table (the same Validator as the recorded report), for the
// agency to fix. Written to a file and sent from disk like a dump: flat memory for any size.
HttpResponse failing_rows(Services& services, const Registry& registry, const HttpRequest& req,
                          std::string id) {
  if (id.size() > 4 && id.compare(id.size() - 4, 4, ".csv") == 0) id.resize(id.size() - 4);
  Caller caller = admit(services, req, Cost::expensive);
  VisibleResource v = visible_resource(services, registry, caller, id);
  datastore::ExportOptions options;
  std::string encoding =
      catalog::to_lower_ascii(catalog::trim(req.query_param("encoding").value_or("utf-8")));
  if (encoding == "cp949" || encoding == "euc-kr" || encoding == "ms949")
    options.cp949 = true;
  else if (encoding != "utf-8" && encoding != "utf8")
    throw ValidationError("encoding", "Must be utf-8 or cp949");
  namespace fs = std::filesystem;
  fs::path dir = fs::path(services.config ? services.config->data.dir : std::string("var/data")) /
                 "exports" / "dumps";
  fs::create_directories(dir);
  prune_old_dumps(dir);
  fs::path file = dir / (random_base64url(12) + ".csv");
  std::int64_t rows = 0;
  try {
    rows = datastore::write_failing_rows(tables_of(services), id, v.resource.columns,
                                         standard_term_index(services), file.string(), options);
  } catch (...) {
    std::error_code ec;
    fs::remove(file, ec);
    throw;
  }
  HttpResponse r;
  r.file_path = file.string();
  r.content_type = options.cp949 ? "text/csv; charset=EUC-KR" : "text/csv; charset=utf-8";
  std::string name = download_name(v.resource, "csv");
  r.headers.emplace_back("Content-Disposition",
                         content_disposition("오류행-" + name, id + "-failing.csv"));
  r.headers.emplace_back("X-Datamap-Rows", std::to_string(rows));
  r.headers.emplace_back("Access-Control-Allow-Origin", "*");
  return r;
}

}  // namespace

void register_table_routes(Routes& routes, Services& services, const Registry& registry) {
  routes.add("GET", std::string(kDataPrefix) + "*", [&services, &registry](const HttpRequest& req) {
    std::string rest = req.path.substr(kDataPrefix.size());
    if (rest.size() > kDocumentSuffix.size() &&
        rest.compare(rest.size() - kDocumentSuffix.size(), kDocumentSuffix.size(),
                     kDocumentSuffix) == 0)
      return file_data_document(services, registry, req,
                                rest.substr(0, rest.size() - kDocumentSuffix.size()));
    return file_data_rows(services, registry, req, rest);
  });
  routes.add("GET", "/openapi/join", [&services, &registry](const HttpRequest& req) {
    return join_rows(services, registry, req);
  });
  routes.add("GET", std::string(kDumpPrefix) + "*", [&services, &registry](const HttpRequest& req) {
    return dump(services, registry, req, req.path.substr(kDumpPrefix.size()));
  });
  routes.add("GET", std::string(kFailingPrefix) + "*",
             [&services, &registry](const HttpRequest& req) {
               return failing_rows(services, registry, req, req.path.substr(kFailingPrefix.size()));
             });
}

}  // namespace datamap::api::formats

// The CKAN Action API over HTTP: request -> params dict -> caller -> action -> envelope.
#include <rapidjson/document.h>

#include <string>

#include "api/auth.h"
#include "api/errors.h"
#include "api/json.h"
#include "api/multipart.h"
#include "api/quota.h"
#include "api/routes.h"
#include "api/server.h"
#include "catalog/errors.h"
#include "catalog/text.h"

namespace datamap::api {
namespace {

constexpr std::string_view kPrefixes[] = {"/api/3/action/", "/api/action/"};

std::string action_name(const HttpRequest& req) {
  for (auto prefix : kPrefixes)
    if (req.path.compare(0, prefix.size(), prefix) == 0) return req.path.substr(prefix.size());
  return "";
}

std::string help_url(const HttpRequest& req, const std::string& name) {
  std::string host = req.header("host").value_or("localhost");
  std::string safe_name;
  for (char c : name)  // the name is echoed into JSON; keep it to what an action name can be
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') safe_name.push_back(c);
  return "http://" + host + "/api/3/action/help_show?name=" + safe_name;
}

// Adds name=value to params; a repeated name becomes an array, as CKAN's form handling does.
void add_param(rapidjson::Document& params, const std::string& name, const std::string& value) {
  if (!catalog::is_valid_utf8(name) || !catalog::is_valid_utf8(value))
    throw BadRequest("Bad request", "Parameter '" +
                                        (catalog::is_valid_utf8(name) ? name : std::string("?")) +
                                        "' is not valid UTF-8");
  auto& a = params.GetAllocator();
  auto it = params.FindMember(name.c_str());
  if (it == params.MemberEnd()) {
    params.AddMember(json_string(name, a), json_string(value, a), a);
  } else {
    if (!it->value.IsArray()) {
      rapidjson::Value first(it->value, a);
      it->value.SetArray();
      it->value.PushBack(first, a);
    }
    it->value.PushBack(json_string(value, a), a);
  }
}

// multipart/form-data (ckanapi, CKAN's UI): text fields are parameters; the file part named
// `upload` is handed to the action, which must be one that takes files.
void read_multipart(const HttpRequest& req, const std::string& content_type,
                    rapidjson::Document& params, MultipartForm& form, const std::string& action) {
  form = parse_multipart(content_type, req.body);
  params.SetObject();
  for (const auto& [k, v] : form.fields) add_param(params, k, v);
  for (const auto& f : form.files) {
    if (f.field != "upload")
      throw BadRequest("Bad request", "Unexpected file field '" + f.field.substr(0, 100) +
                                          "': the file goes in the field 'upload'");
    if (!is_upload_path("/api/3/action/" + action))
      throw BadRequest("Bad request", "Action " + action + " does not take a file upload");
  }
  if (form.files.size() > 1) throw BadRequest("Bad request", "Only one file per request");
}

void read_params(const HttpRequest& req, rapidjson::Document& params, MultipartForm& form,
                 const std::string& action) {
  if (req.method == "POST") {
    std::string content_type = catalog::to_lower_ascii(req.header("content-type").value_or(""));
    // `curl -d '{...}'` labels JSON as a form; CKAN reads such a body as JSON too.
    bool json_labelled_as_form = catalog::trim(req.body).substr(0, 1) == "{";
    if (content_type.rfind("application/x-www-form-urlencoded", 0) == 0 && !json_labelled_as_form) {
      params.SetObject();
      auto form = parse_urlencoded(req.body);
      if (!form) throw BadRequest("Bad request", "Malformed percent-encoding in the form body");
      for (const auto& [k, v] : *form) add_param(params, k, v);
    } else if (content_type.rfind("multipart/", 0) == 0) {
      read_multipart(req, req.header("content-type").value_or(""), params, form, action);
    } else if (catalog::trim(req.body).empty()) {
      params.SetObject();
    } else {
      parse_json_body(req.body, params);
      if (!params.IsObject())
        throw BadRequest("Bad request - JSON Error",
                         "Request data JSON decoded to a non-object, but a dictionary is required");
    }
  } else {
    params.SetObject();
  }
  // Query-string parameters count too (for POST only where the body does not set them).
  for (const auto& [k, v] : req.query)
    if (req.method != "POST" || !params.HasMember(k.c_str())) add_param(params, k, v);
}

HttpResponse handle_action(Services& services, const Registry& registry, const HttpRequest& req) {
  std::string name = action_name(req);
  std::string help = help_url(req, name);
  HttpResponse response;
  try {
    const Action* action = registry.find(name);
    if (!action)
      throw BadRequest("Bad request - Action name not known",
                       "Action name not known: " + name.substr(0, 100));
    if (action->mutates && req.method != "POST")
      throw MethodNotAllowed(name + " changes data: use POST", {"POST"});
    // Limits before the body is parsed: a refused request costs no parsing.
    ActionContext ctx{services, admit(services, req, action->cost)};
    rapidjson::Document params;
    MultipartForm form;
    read_params(req, params, form, name);
    if (!form.files.empty()) ctx.upload = &form.files.front();
    ctx.base_url = public_base_url(services, req);
    ctx.accepts_serialized = true;
    rapidjson::Document result;
    call_action(registry, ctx, name, params, result);
    response.body = success_body(help, ctx.serialized ? *ctx.serialized : to_json(result));
  } catch (...) {
    response = error_response(std::current_exception(), help);
  }
  if (req.method == "GET" || req.method == "HEAD")
    response.headers.emplace_back("Access-Control-Allow-Origin", "*");
  response.headers.emplace_back("Cache-Control", "no-cache");
  return response;
}

HttpResponse preflight(const HttpRequest&) {
  HttpResponse r;
  r.status = 204;
  r.content_type.clear();
  r.headers = {{"Access-Control-Allow-Origin", "*"},
               {"Access-Control-Allow-Methods", "GET, POST, OPTIONS"},
               {"Access-Control-Allow-Headers", "Authorization, X-CKAN-API-Key, Content-Type"},
               {"Access-Control-Max-Age", "86400"}};
  return r;
}

}  // namespace

void register_action_routes(Routes& routes, Services& services, const Registry& registry) {
  for (auto prefix : kPrefixes) {
    std::string path = std::string(prefix) + "*";
    auto handler = [&services, &registry](const HttpRequest& req) {
      return handle_action(services, registry, req);
    };
    routes.add("GET", path, handler);
    routes.add("POST", path, handler);
    routes.add("OPTIONS", path, preflight);
  }
}

}  // namespace datamap::api

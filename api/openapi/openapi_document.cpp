// Assembles the OpenAPI document from the embedded sources (see openapi.h): base.json as is, plus
// one path per action described in spec/actions/*.json. The envelope, error responses, security
// and the GET/POST forms are the same for every action, so they are written here once rather
// than repeated in each description.
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

#include "api/json.h"
#include "api/openapi/openapi.h"

namespace datamap::api {
namespace openapi_sources {
const std::vector<std::pair<std::string_view, std::string_view>>& files();  // generated
}

namespace {

using rapidjson::Document;
using rapidjson::Value;

constexpr std::string_view kActionsDir = "actions/";
// Every action can answer these (api/errors.cpp maps the typed errors to them).
constexpr const char* kErrorResponses[][2] = {
    {"400", "BadRequest"},       {"403", "Forbidden"},       {"404", "NotFound"},
    {"409", "ValidationFailed"}, {"413", "PayloadTooLarge"}, {"429", "TooManyRequests"},
    {"500", "InternalError"},    {"501", "NotImplemented"},  {"503", "Unavailable"}};

void parse_source(std::string_view name, std::string_view text, Document& out) {
  out.Parse(text.data(), text.size());
  if (out.HasParseError())
    throw std::runtime_error("api/openapi/spec/" + std::string(name) + ": invalid JSON at offset " +
                             std::to_string(out.GetErrorOffset()) + ": " +
                             rapidjson::GetParseError_En(out.GetParseError()));
  if (!out.IsObject())
    throw std::runtime_error("api/openapi/spec/" + std::string(name) + ": must be a JSON object");
}

Value ref(const std::string& target, Alloc& a) {
  Value v(rapidjson::kObjectType);
  v.AddMember("$ref", json_string(target, a), a);
  return v;
}

Value copy(const Value& v, Alloc& a) { return Value(v, a); }

const Value* member(const Value& obj, const char* name) {
  auto it = obj.FindMember(name);
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

std::string text(const Value& obj, const char* name) {
  const Value* v = member(obj, name);
  return v && v->IsString() ? std::string(v->GetString(), v->GetStringLength()) : std::string();
}

// The fragments may write a schema's example as "example" (short); JSON Schema 2020-12 and
// OpenAPI 3.1 want "examples": [..] inside schemas.
void examples_as_arrays(Value& schema, Alloc& a) {
  if (schema.IsArray()) {
    for (auto& item : schema.GetArray()) examples_as_arrays(item, a);
    return;
  }
  if (!schema.IsObject()) return;
  for (auto& m : schema.GetObject()) {
    // Under "properties" the member names are property names, not keywords.
    if (std::string_view(m.name.GetString()) == "properties" && m.value.IsObject()) {
      for (auto& p : m.value.GetObject()) examples_as_arrays(p.value, a);
      continue;
    }
    examples_as_arrays(m.value, a);
  }
  auto it = schema.FindMember("example");
  if (it == schema.MemberEnd()) return;
  Value list(rapidjson::kArrayType);
  list.PushBack(Value(it->value, a), a);
  schema.RemoveMember(it);
  if (!schema.HasMember("examples")) schema.AddMember("examples", list, a);
}

Value security(bool mutates, Alloc& a) {
  Value list(rapidjson::kArrayType);
  if (!mutates) list.PushBack(Value(rapidjson::kObjectType), a);  // anonymous reads allowed
  for (const char* scheme : {"ApiToken", "CkanApiKey"}) {
    Value req(rapidjson::kObjectType);
    req.AddMember(rapidjson::StringRef(scheme), Value(rapidjson::kArrayType), a);
    list.PushBack(req, a);
  }
  return list;
}

Value responses(const std::string& name, const Value& fragment, Alloc& a) {
  Value out(rapidjson::kObjectType);
  // 200: CKAN's success envelope whose result is the action's result schema.
  Value result_props(rapidjson::kObjectType);
  Value result_schema = copy(*member(fragment, "result"), a);
  examples_as_arrays(result_schema, a);
  result_props.AddMember("result", result_schema, a);
  Value narrowed(rapidjson::kObjectType);
  narrowed.AddMember("type", "object", a);
  narrowed.AddMember("properties", result_props, a);
  Value all_of(rapidjson::kArrayType);
  all_of.PushBack(ref("#/components/schemas/SuccessEnvelope", a), a);
  all_of.PushBack(narrowed, a);
  Value schema(rapidjson::kObjectType);
  schema.AddMember("allOf", all_of, a);
  Value media(rapidjson::kObjectType);
  media.AddMember("schema", schema, a);
  if (const Value* example = member(fragment, "example_result")) {
    Value env(rapidjson::kObjectType);
    env.AddMember("help", json_string("http://localhost:8080/api/3/action/help_show?name=" + name, a), a);
    env.AddMember("success", true, a);
    env.AddMember("result", copy(*example, a), a);
    media.AddMember("example", env, a);
  }
  Value content(rapidjson::kObjectType);
  content.AddMember("application/json", media, a);
  Value ok(rapidjson::kObjectType);
  ok.AddMember("description", "Success: CKAN's envelope with the action's result.", a);
  ok.AddMember("content", content, a);
  out.AddMember("200", ok, a);
  for (const auto& [status, component] : kErrorResponses)
    out.AddMember(rapidjson::StringRef(status),
                  ref(std::string("#/components/responses/") + component, a), a);
  return out;
}

// The operation both forms share; `suffix` keeps operationIds unique ("" for POST, "_get").
Value operation(const std::string& name, const Value& fragment, bool mutates, const char* suffix,
                Alloc& a) {
  Value op(rapidjson::kObjectType);
  Value tags(rapidjson::kArrayType);
  tags.PushBack(json_string(text(fragment, "tag"), a), a);
  op.AddMember("tags", tags, a);
  op.AddMember("operationId", json_string(name + suffix, a), a);
  op.AddMember("summary", json_string(text(fragment, "summary"), a), a);
  std::string description = text(fragment, "description");
  description += std::string(description.empty() ? "" : "\n\n") + "Action `" + name +
                 "` (also at `/api/action/" + name + "`)." +
                 (mutates ? " Changes data: POST only (GET answers 405)."
                          : " Parameters in the query string (GET) or the body (POST).");
  op.AddMember("description", json_string(description, a), a);
  op.AddMember("security", security(mutates, a), a);
  op.AddMember("x-ckan-action", json_string(name, a), a);
  return op;
}

// GET: each top-level parameter of the action becomes a query parameter.
Value query_parameters(const Value& params, Alloc& a) {
  Value list(rapidjson::kArrayType);
  const Value* props = member(params, "properties");
  if (!props || !props->IsObject()) return list;
  const Value* required = member(params, "required");
  for (const auto& p : props->GetObject()) {
    Value param(rapidjson::kObjectType);
    param.AddMember("name", Value(p.name, a), a);
    param.AddMember("in", "query", a);
    bool is_required = false;
    if (required && required->IsArray())
      for (const auto& r : required->GetArray()) is_required = is_required || r == p.name;
    param.AddMember("required", is_required, a);
    Value schema = copy(p.value, a);
    if (auto d = schema.FindMember("description"); d != schema.MemberEnd()) {
      param.AddMember("description", Value(d->value, a), a);
      schema.RemoveMember(d);
    }
    if (auto e = schema.FindMember("example"); e != schema.MemberEnd()) {
      param.AddMember("example", Value(e->value, a), a);
      schema.RemoveMember(e);
    }
    examples_as_arrays(schema, a);
    param.AddMember("schema", schema, a);
    list.PushBack(param, a);
  }
  return list;
}

Value request_body(const Value& fragment, Alloc& a) {
  Value schema = copy(*member(fragment, "params"), a);
  examples_as_arrays(schema, a);
  Value json_media(rapidjson::kObjectType), form_media(rapidjson::kObjectType);
  json_media.AddMember("schema", Value(schema, a), a);
  if (const Value* example = member(fragment, "example_params"))
    json_media.AddMember("example", copy(*example, a), a);
  Value content(rapidjson::kObjectType);
  // "upload": true — the action also takes multipart/form-data with a file part `upload`.
  const Value* upload = member(fragment, "upload");
  if (upload && upload->IsBool() && upload->GetBool()) {
    Value multipart_media(rapidjson::kObjectType);
    multipart_media.AddMember("schema", Value(schema, a), a);
    content.AddMember("multipart/form-data", multipart_media, a);
  }
  form_media.AddMember("schema", schema, a);
  content.AddMember("application/json", json_media, a);
  content.AddMember("application/x-www-form-urlencoded", form_media, a);
  Value body(rapidjson::kObjectType);
  body.AddMember("description",
                 "The action's parameters as a JSON object (also read from a body labelled as a "
                 "form when it starts with `{`, as CKAN does) or as a form.",
                 a);
  body.AddMember("content", content, a);
  return body;
}

void add_action(const std::string& source, const std::string& name, const Value& fragment,
                Value& paths, Alloc& a) {
  for (const char* required : {"tag", "summary", "params", "result"})
    if (!member(fragment, required))
      throw std::runtime_error("api/openapi/spec/" + source + ": action " + name + " has no \"" +
                               required + "\"");
  const Value* mutates_v = member(fragment, "mutates");
  bool mutates = mutates_v && mutates_v->IsBool() && mutates_v->GetBool();
  Value item(rapidjson::kObjectType);
  if (!mutates) {
    Value get = operation(name, fragment, mutates, "_get", a);
    get.AddMember("parameters", query_parameters(*member(fragment, "params"), a), a);
    get.AddMember("responses", responses(name, fragment, a), a);
    item.AddMember("get", get, a);
  }
  Value post = operation(name, fragment, mutates, "", a);
  post.AddMember("requestBody", request_body(fragment, a), a);
  post.AddMember("responses", responses(name, fragment, a), a);
  item.AddMember("post", post, a);
  std::string path = "/api/3/action/" + name;
  if (paths.HasMember(path.c_str()))
    throw std::runtime_error("api/openapi/spec/" + source + ": action " + name + " described twice");
  paths.AddMember(json_string(path, a), item, a);
}

std::string build() {
  Document doc;
  const auto& files = openapi_sources::files();
  bool has_base = false;
  for (const auto& [name, text] : files)
    if (name == "base.json") {
      parse_source(name, text, doc);
      has_base = true;
    }
  if (!has_base) throw std::runtime_error("api/openapi/spec/base.json is missing");
  auto& a = doc.GetAllocator();
  Value& paths = doc["paths"];
  for (const auto& [name, text] : files) {
    if (name.substr(0, kActionsDir.size()) != kActionsDir) continue;
    Document fragments;
    parse_source(name, text, fragments);
    for (const auto& m : fragments.GetObject())
      add_action(std::string(name), m.name.GetString(), m.value, paths, a);
  }
  return to_json(doc);
}

}  // namespace

const std::string& openapi_document() {
  static const std::string kDocument = build();
  return kDocument;
}

}  // namespace datamap::api

// The OpenAPI 3.1 document of one DataStore table's automatic API (declared in file_data.h).
#include <rapidjson/document.h>

#include "api/formats/file_data.h"
#include "api/json.h"

namespace datamap::api::formats {
namespace {

using rapidjson::Value;

class Builder {
 public:
  explicit Builder(Alloc& a) : a_(a) {}
  Value obj() { return Value(rapidjson::kObjectType); }
  Value arr() { return Value(rapidjson::kArrayType); }
  Value str(std::string_view s) { return json_string(s, a_); }
  // RapidJSON moves values in: the argument is left null.
  void set(Value& o, std::string_view key, Value& v) { o.AddMember(str(key), v, a_); }
  void set(Value& o, std::string_view key, Value&& v) { o.AddMember(str(key), v, a_); }
  void set(Value& o, std::string_view key, std::string_view s) { set(o, key, str(s)); }
  void push(Value& arr, Value& v) { arr.PushBack(v, a_); }
  void push(Value& arr, Value&& v) { arr.PushBack(v, a_); }
  Value ref(std::string_view target) {
    Value o = obj();
    set(o, "$ref", target);
    return o;
  }
  Alloc& a() { return a_; }

 private:
  Alloc& a_;
};

// JSON Schema of a column's values; null stands for an empty cell.
Value column_schema(Builder& b, const datastore::Field& f) {
  const char* type = "string";
  if (f.type == "int")
    type = "integer";
  else if (f.type == "numeric")
    type = "number";
  else if (f.type == "bool")
    type = "boolean";
  Value s = b.obj();
  Value types = b.arr();
  b.push(types, b.str(type));
  b.push(types, b.str("null"));
  b.set(s, "type", types);
  return s;
}

std::string column_description(const datastore::Field& f) {
  std::string d = f.info.label.empty() ? f.id : f.info.label;
  if (!f.info.notes.empty()) d += ": " + f.info.notes;
  d += " (" + f.type;
  if (f.type == "date") d += ", ISO 8601 date";
  if (f.type == "timestamp") d += ", ISO 8601 date and time";
  d += ")";
  if (!f.info.standard_term.empty()) d += ". 공통표준용어: " + f.info.standard_term;
  return d;
}

const char* op_meaning(std::string_view op) {
  if (op == "EQ") return "equal to";
  if (op == "LIKE") return "containing";
  if (op == "GT") return "greater than";
  if (op == "GTE") return "greater than or equal to";
  if (op == "LT") return "less than";
  return "less than or equal to";
}

Value query_param(Builder& b, std::string_view name, std::string_view description, Value schema,
                  bool required = false) {
  Value p = b.obj();
  b.set(p, "name", name);
  b.set(p, "in", "query");
  b.set(p, "required", Value(required));
  b.set(p, "description", description);
  b.set(p, "schema", std::move(schema));
  return p;
}

Value integer_schema(Builder& b, std::int64_t min, std::int64_t max, std::int64_t def) {
  Value s = b.obj();
  b.set(s, "type", "integer");
  b.set(s, "minimum", Value(static_cast<int64_t>(min)));
  b.set(s, "maximum", Value(static_cast<int64_t>(max)));
  b.set(s, "default", Value(static_cast<int64_t>(def)));
  return s;
}

Value enum_schema(Builder& b, std::initializer_list<const char*> values, const char* def) {
  Value s = b.obj();
  b.set(s, "type", "string");
  Value e = b.arr();
  for (const char* v : values) b.push(e, b.str(v));
  b.set(s, "enum", e);
  b.set(s, "default", def);
  return s;
}

void error_responses(Builder& b, Value& responses) {
  const std::pair<const char*, const char*> errors[] = {
      {"400",
       "Code 10: an invalid parameter (an unknown column or operator in cond[...], a "
       "value that does not fit its column, perPage out of range)."},
      {"401", "Code 30: no serviceKey, or one that is not a live API token."},
      {"404", "Code 03: no such resource, no table loaded for it, or a private one."},
      {"429", "Code 22: the token's quota is used up (Retry-After says when to try again)."}};
  for (const auto& [status, text] : errors) {
    Value r = b.obj();
    b.set(r, "description", text);
    Value content = b.obj();
    Value json = b.obj();
    b.set(json, "schema", b.ref("#/components/schemas/Error"));
    b.set(content, "application/json", json);
    Value xml = b.obj();
    Value xs = b.obj();
    b.set(xs, "type", "string");
    b.set(xml, "schema", xs);
    b.set(content, "application/xml", xml);
    b.set(r, "content", content);
    b.set(responses, status, r);
  }
}

Value security(Builder& b) {
  Value list = b.arr();
  for (const char* scheme : {"serviceKey", "ApiToken"}) {
    Value s = b.obj();
    b.set(s, scheme, b.arr());
    b.push(list, s);
  }
  return list;
}

}  // namespace

std::string resource_openapi_json(const datastore::TableInfo& table,
                                  const catalog::Resource& resource,
                                  const catalog::Dataset& dataset, const std::string& base_url) {
  rapidjson::Document doc(rapidjson::kObjectType);
  Builder b(doc.GetAllocator());
  const std::string& rid = table.resource_id;
  std::string name = resource.name.empty() ? rid : resource.name;

  b.set(doc, "openapi", "3.1.0");
  Value info = b.obj();
  b.set(info, "title", (dataset.title.empty() ? dataset.name : dataset.title) + " — " + name);
  b.set(info, "version",
        resource.last_modified.empty() ? std::string("1") : resource.last_modified);
  b.set(info, "description",
        "The automatic Open API over the rows of resource " + rid + " (" +
            std::to_string(table.row_count) + " rows, " + std::to_string(table.fields.size()) +
            " columns), in the shape of data.go.kr's file-data APIs. " +
            (dataset.notes.empty() ? std::string() : "\n\n" + dataset.notes));
  b.set(doc, "info", info);
  Value servers = b.arr();
  Value server = b.obj();
  b.set(server, "url", base_url);
  b.push(servers, server);
  b.set(doc, "servers", servers);

  // GET /openapi/data/{rid}
  Value params = b.arr();
  b.push(params, query_param(b, "page", "1-based page number.", integer_schema(b, 1, 1000000, 1)));
  b.push(params, query_param(b, "perPage", "Rows per page.", integer_schema(b, 1, 1000, 10)));
  b.push(params,
         query_param(b, "returnType", "Response format.", enum_schema(b, {"json", "xml"}, "json")));
  for (const auto& f : table.fields)
    for (const char* op : kCondOperators) {
      std::string_view o(op);
      bool ordered = o != "EQ" && o != "LIKE";
      if (ordered && f.type == "bool") continue;
      Value schema = o == "LIKE" ? [&] {
        Value s = b.obj();
        b.set(s, "type", "string");
        return s;
      }() : column_schema(b, f);
      if (schema.HasMember("type") && schema["type"].IsArray()) {
        Value t = b.str(schema["type"][0].GetString());  // a condition's value is never null
        schema["type"] = t;
      }
      b.push(params, query_param(b, "cond[" + f.id + "::" + op + "]",
                                 "Rows whose " + f.id + " is " + op_meaning(o) + " this value. " +
                                     column_description(f),
                                 std::move(schema)));
    }
  Value get = b.obj();
  b.set(get, "operationId", "getRows");
  b.set(get, "summary", "Rows of " + name + ", one page at a time, filtered by cond[...]");
  b.set(get, "parameters", params);
  b.set(get, "security", security(b));
  Value responses = b.obj();
  Value ok = b.obj();
  b.set(ok, "description", "One page of rows.");
  Value content = b.obj();
  Value json = b.obj();
  b.set(json, "schema", b.ref("#/components/schemas/Page"));
  b.set(content, "application/json", json);
  Value xml = b.obj();
  Value xs = b.obj();
  b.set(xs, "type", "string");
  b.set(xml, "schema", xs);
  b.set(content, "application/xml", xml);
  b.set(ok, "content", content);
  b.set(responses, "200", ok);
  error_responses(b, responses);
  b.set(get, "responses", responses);
  Value path = b.obj();
  b.set(path, "get", get);
  Value paths = b.obj();
  b.set(paths, "/openapi/data/" + rid, path);

  // GET /datastore/dump/{rid}
  Value dump_params = b.arr();
  b.push(dump_params, query_param(b, "format", "File format.",
                                  enum_schema(b, {"csv", "tsv", "json", "xlsx"}, "csv")));
  Value bom = b.obj();
  b.set(bom, "type", "boolean");
  b.set(bom, "default", Value(true));
  b.push(dump_params,
         query_param(b, "bom", "CSV/TSV in UTF-8: start with a byte order mark (for Excel).",
                     std::move(bom)));
  b.push(dump_params, query_param(b, "encoding", "CSV/TSV character set.",
                                  enum_schema(b, {"utf-8", "cp949"}, "utf-8")));
  for (const char* p : {"q", "filters", "sort", "fields"}) {
    Value s = b.obj();
    b.set(s, "type", "string");
    b.push(dump_params,
           query_param(b, p, std::string("As datastore_search's `") + p + "`.", std::move(s)));
  }
  Value dump = b.obj();
  b.set(dump, "operationId", "downloadRows");
  b.set(dump, "summary", "The (filtered) table as a file");
  b.set(dump, "parameters", dump_params);
  Value dump_security = b.arr();
  b.push(dump_security, b.obj());
  Value token = b.obj();
  b.set(token, "ApiToken", b.arr());
  b.push(dump_security, token);
  b.set(dump, "security", dump_security);
  Value dump_responses = b.obj();
  Value file = b.obj();
  b.set(file, "description", "The rows as a file (Content-Disposition: attachment).");
  Value file_content = b.obj();
  for (const char* media : {"text/csv", "text/tab-separated-values", "application/json",
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}) {
    Value m = b.obj();
    Value s = b.obj();
    b.set(s, "type", "string");
    b.set(m, "schema", s);
    b.set(file_content, media, m);
  }
  b.set(file, "content", file_content);
  b.set(dump_responses, "200", file);
  for (const auto& [status, text] :
       {std::pair{"400", "A parameter that does not fit."},
        std::pair{"404", "No such resource or table, or a private one."}}) {
    Value r = b.obj();
    b.set(r, "description", text);
    b.set(dump_responses, status, r);
  }
  b.set(dump, "responses", dump_responses);
  Value dump_path = b.obj();
  b.set(dump_path, "get", dump);
  b.set(paths, "/datastore/dump/" + rid, dump_path);
  b.set(doc, "paths", paths);

  // components
  Value schemas = b.obj();
  Value row = b.obj();
  b.set(row, "type", "object");
  Value props = b.obj();
  for (const auto& f : table.fields) {
    Value s = column_schema(b, f);
    if (!f.info.label.empty()) b.set(s, "title", f.info.label);
    b.set(s, "description", column_description(f));
    b.set(props, f.id, s);
  }
  b.set(row, "properties", props);
  b.set(schemas, "Row", row);

  Value page = b.obj();
  b.set(page, "type", "object");
  Value required = b.arr();
  Value page_props = b.obj();
  for (const char* n : {"page", "perPage", "totalCount", "currentCount", "matchCount"}) {
    Value s = b.obj();
    b.set(s, "type", "integer");
    b.set(page_props, n, s);
    b.push(required, b.str(n));
  }
  Value data = b.obj();
  b.set(data, "type", "array");
  b.set(data, "items", b.ref("#/components/schemas/Row"));
  b.set(page_props, "data", data);
  b.push(required, b.str("data"));
  b.set(page, "required", required);
  b.set(page, "properties", page_props);
  b.set(schemas, "Page", page);

  Value error = b.obj();
  b.set(error, "type", "object");
  b.set(error, "description",
        "data.go.kr's error envelope: response.header.resultCode and resultMsg.");
  Value header = b.obj();
  b.set(header, "type", "object");
  Value header_props = b.obj();
  for (const char* n : {"resultCode", "resultMsg"}) {
    Value s = b.obj();
    b.set(s, "type", "string");
    b.set(header_props, n, s);
  }
  b.set(header, "properties", header_props);
  Value response = b.obj();
  b.set(response, "type", "object");
  Value response_props = b.obj();
  b.set(response_props, "header", header);
  b.set(response, "properties", response_props);
  Value error_props = b.obj();
  b.set(error_props, "response", response);
  b.set(error, "properties", error_props);
  b.set(schemas, "Error", error);

  Value schemes = b.obj();
  Value key = b.obj();
  b.set(key, "type", "apiKey");
  b.set(key, "in", "query");
  b.set(key, "name", "serviceKey");
  b.set(key, "description", "An API token, as data.go.kr's serviceKey.");
  b.set(schemes, "serviceKey", key);
  Value header_key = b.obj();
  b.set(header_key, "type", "apiKey");
  b.set(header_key, "in", "header");
  b.set(header_key, "name", "Authorization");
  b.set(header_key, "description", "The same API token in the Authorization header.");
  b.set(schemes, "ApiToken", header_key);
  Value components = b.obj();
  b.set(components, "schemas", schemas);
  b.set(components, "securitySchemes", schemes);
  b.set(doc, "components", components);
  return to_json(doc);
}

}  // namespace datamap::api::formats

// CKAN's DataStore actions over datastore::TableStore: datastore_create (also the data dictionary
// edit, as CKAN 2.10 does it: fields with `info` on an existing table), datastore_upsert,
// datastore_delete, datastore_info, datastore_search and datastore_search_sql. A table is as
// visible as its resource's dataset (a private one only to its organization's members; one the
// caller may not see is 404 like a missing one); writing needs editor rights in that organization.
#include <rapidjson/document.h>

#include <set>
#include <string>
#include <vector>

#include "api/action.h"
#include "api/actions/support.h"
#include "api/config.h"
#include "api/datastore_query.h"
#include "api/json.h"
#include "api/params.h"
#include "catalog/errors.h"
#include "catalog/ids.h"
#include "datastore/cell_types.h"
#include "datastore/table_store.h"

namespace datamap::api {
namespace {

using datastore::Cell;
using datastore::Field;
using datastore::Row;
using rapidjson::Document;
using rapidjson::Value;

constexpr std::int64_t kMaxLimit = 32000;

datastore::TableStore& tables(ActionContext& ctx) {
  if (!ctx.services.tables) throw BadRequest("The DataStore is not enabled on this server");
  return *ctx.services.tables;
}

struct Target {
  catalog::Resource resource;
  catalog::Dataset dataset;
};

// The resource and its dataset when the caller may see them; 404 otherwise.
Target readable(ActionContext& ctx, const std::string& rid) {
  auto r = ctx.services.store->resource(rid);
  std::optional<catalog::Dataset> d;
  if (r) d = ctx.services.store->dataset(r->package_id);
  if (!d || !actions::may_see(ctx, *d)) throw NotFound("Resource \"" + rid + "\"");
  return {*r, *d};
}

Target writable(ActionContext& ctx, const std::string& rid) {
  auto t = readable(ctx, rid);
  if (!ctx.caller.can_edit_org(t.dataset.owner_org))
    throw NotAuthorized("Not authorized to change the DataStore table of resource \"" + rid + "\"");
  return t;
}

// Records CKAN's `datastore_active` on the resource, through the catalog like any change.
void set_datastore_active(ActionContext& ctx, const std::string& rid, bool active) {
  actions::write_as_caller(ctx, [&](catalog::Transaction& tx) {
    auto r = ctx.services.store->resource(rid);
    if (!r) return;
    auto d = tx.find_dataset(r->package_id);
    if (!d) return;
    for (auto& res : d->resources) {
      if (res.id != rid) continue;
      if (res.datastore_active == active) return;
      res.datastore_active = active;  // catalog::Resource's own member (package_show's boolean)
    }
    tx.update_dataset(*d);
  });
}

// ---- parameters

// A JSON parameter that may also arrive as a string holding JSON (GET, forms).
const Value* json_arg(const Value& params, const char* key, Document& holder) {
  return json_param(params, key, holder, "Bad request - JSON Error");
}

std::string need_resource_id(const Value& params) {
  if (auto id = opt_string(params, "resource_id"); id && !id->empty()) return *id;
  if (auto id = opt_string(params, "id"); id && !id->empty()) return *id;
  throw ValidationError("resource_id", "Missing value");
}

std::string text_of(const Value& v) {
  if (v.IsString()) return std::string(v.GetString(), v.GetStringLength());
  return to_json(v);
}

// A list of strings given as a JSON list or as "a, b" (CKAN accepts both for fields).
std::vector<std::string> name_list(const Value& params, const char* key) {
  std::vector<std::string> out;
  auto it = params.FindMember(key);
  if (it == params.MemberEnd() || it->value.IsNull()) return out;
  const Value* v = &it->value;
  Document holder;
  if (v->IsString()) {
    std::string s(v->GetString(), v->GetStringLength());
    if (!s.empty() && s.front() == '[') {
      v = json_arg(params, key, holder);
    } else {
      std::size_t start = 0;
      while (start <= s.size()) {
        auto comma = s.find(',', start);
        std::string part =
            s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        auto b = part.find_first_not_of(' '), e = part.find_last_not_of(' ');
        if (b != std::string::npos) out.push_back(part.substr(b, e - b + 1));
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      return out;
    }
  }
  if (!v->IsArray()) throw ValidationError(key, "must be a list of strings");
  for (const auto& x : v->GetArray()) {
    if (!x.IsString()) throw ValidationError(key, "must be a list of strings");
    out.emplace_back(x.GetString(), x.GetStringLength());
  }
  return out;
}

Cell cell_of(const Value& v) {
  if (v.IsNull()) return std::monostate{};
  if (v.IsBool()) return v.GetBool();
  if (v.IsInt64()) return v.GetInt64();
  if (v.IsNumber()) return v.GetDouble();
  return text_of(v);  // strings; objects and lists as their JSON text
}

std::string info_text(const Value& info, const char* key) {
  auto it = info.FindMember(key);
  if (it == info.MemberEnd() || it->value.IsNull()) return {};
  if (!it->value.IsString())
    throw ValidationError("fields", std::string("info.") + key + " must be a string");
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

struct FieldArg {
  Field field;
  bool has_type = false;
  bool has_info = false;
};

std::vector<FieldArg> parse_fields(const Value& params) {
  std::vector<FieldArg> out;
  Document holder;
  const Value* list = json_arg(params, "fields", holder);
  if (!list) return out;
  if (!list->IsArray()) throw ValidationError("fields", "must be a list of {id, type, info}");
  for (const auto& f : list->GetArray()) {
    if (!f.IsObject() || !f.HasMember("id") || !f["id"].IsString())
      throw ValidationError("fields", "every field needs an id");
    FieldArg a;
    a.field.id = f["id"].GetString();
    a.field.type = "text";
    if (f.HasMember("type") && f["type"].IsString()) {
      a.field.type = f["type"].GetString();
      a.has_type = true;
    }
    if (f.HasMember("info") && f["info"].IsObject()) {
      const Value& i = f["info"];
      a.field.info = {info_text(i, "label"), info_text(i, "notes"), info_text(i, "type_override"),
                      info_text(i, "standard_term")};
      a.has_info = true;
    }
    out.push_back(std::move(a));
  }
  return out;
}

// CKAN guesses the types of fields not given from the first record's values.
std::string guess_type(const Value& v) {
  if (v.IsBool()) return "bool";
  if (v.IsInt64()) return "int";
  if (v.IsNumber()) return "numeric";
  return "text";
}

struct Records {
  std::vector<std::string> columns;  // in order of first appearance
  std::vector<Row> rows;
  std::vector<std::string> guessed_types;
};

Records parse_records(const Value& params) {
  Records out;
  Document holder;
  const Value* list = json_arg(params, "records", holder);
  if (!list) return out;
  if (!list->IsArray()) throw ValidationError("records", "must be a list of objects");
  std::map<std::string, std::size_t> position;
  for (const auto& r : list->GetArray()) {
    if (!r.IsObject()) throw ValidationError("records", "must be a list of objects");
    for (const auto& m : r.GetObject()) {
      std::string key(m.name.GetString(), m.name.GetStringLength());
      if (position.emplace(key, out.columns.size()).second) {
        out.columns.push_back(key);
        out.guessed_types.push_back(guess_type(m.value));
      }
    }
  }
  for (const auto& r : list->GetArray()) {
    Row row(out.columns.size());
    for (const auto& m : r.GetObject())
      row[position[std::string(m.name.GetString(), m.name.GetStringLength())]] = cell_of(m.value);
    out.rows.push_back(std::move(row));
  }
  return out;
}

// ---- output

void write_cell(const Cell& c, Value& out, Alloc& a) {
  if (std::holds_alternative<std::monostate>(c))
    out.SetNull();
  else if (auto* i = std::get_if<std::int64_t>(&c))
    out.SetInt64(*i);
  else if (auto* d = std::get_if<double>(&c))
    out.SetDouble(*d);
  else if (auto* b = std::get_if<bool>(&c))
    out.SetBool(*b);
  else
    out = json_string(std::get<std::string>(c), a);
}

Value field_json(const Field& f, bool with_info, Alloc& a) {
  Value o(rapidjson::kObjectType);
  o.AddMember("id", json_string(f.id, a), a);
  o.AddMember("type", json_string(f.type, a), a);
  if (with_info && f.id != "_id") {
    Value info(rapidjson::kObjectType);
    info.AddMember("label", json_string(f.info.label, a), a);
    info.AddMember("notes", json_string(f.info.notes, a), a);
    info.AddMember("type_override", json_string(f.info.type_override, a), a);
    info.AddMember("standard_term", json_string(f.info.standard_term, a), a);
    o.AddMember("info", info, a);
  }
  return o;
}

Value fields_json(const std::vector<Field>& fields, bool with_info, Alloc& a) {
  Value out(rapidjson::kArrayType);
  for (const auto& f : fields) out.PushBack(field_json(f, with_info, a), a);
  return out;
}

Value string_list(const std::vector<std::string>& v, Alloc& a) {
  Value out(rapidjson::kArrayType);
  for (const auto& s : v) out.PushBack(json_string(s, a), a);
  return out;
}

Value records_json(const std::vector<Field>& fields, const std::vector<Row>& rows, Alloc& a) {
  Value out(rapidjson::kArrayType);
  for (const auto& row : rows) {
    Value o(rapidjson::kObjectType);
    for (std::size_t i = 0; i < fields.size(); ++i) {
      Value v;
      write_cell(row[i], v, a);
      o.AddMember(json_string(fields[i].id, a), v, a);
    }
    out.PushBack(o, a);
  }
  return out;
}

// CKAN's records_format=csv/tsv: the rows (no header) as one string.
std::string delimited(const std::vector<Row>& rows, char sep) {
  std::string out;
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i) out += sep;
      std::string t = datastore::cell_text(row[i]);
      if (t.find_first_of(std::string("\"\r\n") + sep) != std::string::npos) {
        out += '"';
        for (char c : t) out += c == '"' ? std::string("\"\"") : std::string(1, c);
        out += '"';
      } else {
        out += t;
      }
    }
    out += "\r\n";
  }
  return out;
}

std::string url_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// records_format: objects (default), lists, csv or tsv.
std::string records_format(const Value& params) {
  std::string format = opt_string(params, "records_format").value_or("objects");
  if (format != "objects" && format != "lists" && format != "csv" && format != "tsv")
    throw ValidationError("records_format", "must be objects, lists, csv or tsv");
  return format;
}

// `fields`, `records` in `format` and `records_format`, as datastore_search answers them.
void write_records(const datastore::SearchResult& r, const std::string& format, Value& result,
                   Alloc& a) {
  result.AddMember("fields", fields_json(r.fields, true, a), a);
  if (format == "objects") {
    result.AddMember("records", records_json(r.fields, r.records, a), a);
  } else if (format == "lists") {
    Value rows(rapidjson::kArrayType);
    for (const auto& row : r.records) {
      Value l(rapidjson::kArrayType);
      for (const auto& c : row) {
        Value v;
        write_cell(c, v, a);
        l.PushBack(v, a);
      }
      rows.PushBack(l, a);
    }
    result.AddMember("records", rows, a);
  } else {
    result.AddMember("records", json_string(delimited(r.records, format == "csv" ? ',' : '\t'), a),
                     a);
  }
  result.AddMember("records_format", json_string(format, a), a);
}

// ---- actions

void datastore_create(ActionContext& ctx, const Value& params, Document& result) {
  auto& a = result.GetAllocator();
  std::string rid;
  std::optional<catalog::Resource> new_resource;  // added to the catalog once the table stands
  std::string dataset_id;
  Document holder;
  const Value* resource = json_arg(params, "resource", holder);
  if (resource && !resource->IsNull()) {
    // CKAN: a resource dict instead of resource_id creates the resource in package_id.
    if (!resource->IsObject()) throw ValidationError("resource", "must be a resource dict");
    auto package_id = opt_string(*resource, "package_id");
    if (!package_id || package_id->empty())
      throw ValidationError("resource", "package_id: Missing value");
    auto d = actions::visible_dataset(ctx, *package_id);
    if (!ctx.caller.can_edit_org(d.owner_org))
      throw NotAuthorized("Not authorized to add a resource to dataset \"" + d.name + "\"");
    new_resource.emplace();
    new_resource->id = catalog::new_id();
    new_resource->name = opt_string(*resource, "name").value_or("");
    new_resource->description = opt_string(*resource, "description").value_or("");
    new_resource->url = opt_string(*resource, "url").value_or("");
    new_resource->format = opt_string(*resource, "format").value_or("");
    new_resource->datastore_active = true;
    dataset_id = d.id;
    rid = new_resource->id;
  } else {
    rid = need_resource_id(params);
    writable(ctx, rid);
  }
  auto given = parse_fields(params);
  auto records = parse_records(params);
  datastore::TableOptions options;
  options.primary_key = name_list(params, "primary_key");
  options.indexes = name_list(params, "indexes");
  auto& store = tables(ctx);
  auto existing = store.info(rid);
  std::vector<Field> fields;
  for (const auto& g : given) fields.push_back(g.field);
  if (!existing) {
    // Fields the records carry but `fields` does not name: typed from the first value, as CKAN.
    for (std::size_t i = 0; i < records.columns.size(); ++i) {
      bool named = std::any_of(fields.begin(), fields.end(),
                               [&](const Field& f) { return f.id == records.columns[i]; });
      if (!named) fields.push_back({records.columns[i], records.guessed_types[i], {}});
    }
    if (fields.empty()) throw ValidationError("fields", "a new table needs fields or records");
    std::vector<Row> rows;
    for (const auto& rec : records.rows) {
      Row row(fields.size());
      for (std::size_t i = 0; i < records.columns.size(); ++i) {
        auto it = std::find_if(fields.begin(), fields.end(),
                               [&](const Field& f) { return f.id == records.columns[i]; });
        row[it - fields.begin()] = rec[i];
      }
      rows.push_back(std::move(row));
    }
    store.create(rid, fields, options, rows);
    if (new_resource) {
      try {
        actions::write_as_caller(ctx, [&](catalog::Transaction& tx) {
          auto current = tx.find_dataset(dataset_id);
          if (!current) throw NotFound("Dataset not found");
          current->resources.push_back(*new_resource);
          tx.update_dataset(*current);
        });
      } catch (...) {
        store.drop(rid);  // no table without its resource
        throw;
      }
    } else {
      set_datastore_active(ctx, rid, true);
    }
  } else {
    // Existing table: a field given with its existing type keeps it (and its type_override).
    for (auto& f : fields) {
      for (const auto& e : existing->fields)
        if (e.id == f.id && !std::any_of(given.begin(), given.end(), [&](const FieldArg& g) {
              return g.field.id == f.id && g.has_type;
            }))
          f.type = e.type;
    }
    store.create(rid, fields, options, {});
    std::vector<std::pair<std::string, datastore::FieldInfo>> infos;
    for (const auto& g : given)
      if (g.has_info) infos.emplace_back(g.field.id, g.field.info);
    if (!infos.empty()) store.set_field_info(rid, infos);
    if (!records.rows.empty())
      store.upsert(rid, datastore::TableStore::Method::insert, records.columns, records.rows);
  }
  auto info = store.info(rid);
  result.SetObject();
  result.AddMember("resource_id", json_string(rid, a), a);
  result.AddMember("fields", fields_json(info->fields, true, a), a);
  result.AddMember("primary_key", string_list(info->options.primary_key, a), a);
  result.AddMember("indexes", string_list(info->options.indexes, a), a);
  result.AddMember("method", "insert", a);
}

void datastore_upsert(ActionContext& ctx, const Value& params, Document& result) {
  auto rid = need_resource_id(params);
  writable(ctx, rid);
  std::string method = opt_string(params, "method").value_or("upsert");
  datastore::TableStore::Method m;
  if (method == "insert")
    m = datastore::TableStore::Method::insert;
  else if (method == "update")
    m = datastore::TableStore::Method::update;
  else if (method == "upsert")
    m = datastore::TableStore::Method::upsert;
  else
    throw ValidationError("method", "must be insert, update or upsert");
  auto records = parse_records(params);
  auto written = tables(ctx).upsert(rid, m, records.columns, records.rows);
  auto& a = result.GetAllocator();
  result.SetObject();
  result.AddMember("resource_id", json_string(rid, a), a);
  result.AddMember("method", json_string(method, a), a);
  result.AddMember("records_written", Value(written), a);
}

std::vector<datastore::Condition> parse_filters(const Value& params) {
  std::vector<datastore::Condition> out;
  Document holder;
  const Value* f = json_arg(params, "filters", holder);
  if (!f) return out;
  if (!f->IsObject()) throw ValidationError("filters", "must be an object {field: value}");
  for (const auto& m : f->GetObject()) {
    datastore::Condition c;
    c.field.assign(m.name.GetString(), m.name.GetStringLength());
    if (m.value.IsArray()) {
      c.op = datastore::Op::in;
      for (const auto& v : m.value.GetArray()) c.values.push_back(text_of(v));
    } else {
      c.values.push_back(text_of(m.value));
    }
    out.push_back(std::move(c));
  }
  return out;
}

void datastore_delete(ActionContext& ctx, const Value& params, Document& result) {
  auto rid = need_resource_id(params);
  writable(ctx, rid);
  auto& store = tables(ctx);
  if (!store.info(rid))
    throw NotFound("Resource \"" + rid + "\" has no DataStore table");
  auto filters = parse_filters(params);
  auto& a = result.GetAllocator();
  result.SetObject();
  result.AddMember("resource_id", json_string(rid, a), a);
  if (filters.empty()) {
    store.drop(rid);
    set_datastore_active(ctx, rid, false);
  } else {
    result.AddMember("deleted", Value(store.delete_rows(rid, filters)), a);
  }
}

void datastore_info(ActionContext& ctx, const Value& params, Document& result) {
  auto rid = need_resource_id(params);
  readable(ctx, rid);
  auto info = tables(ctx).info(rid);
  if (!info) throw NotFound("Resource \"" + rid + "\" has no DataStore table");
  auto& a = result.GetAllocator();
  result.SetObject();
  Value meta(rapidjson::kObjectType);
  meta.AddMember("id", json_string(rid, a), a);
  meta.AddMember("count", Value(info->row_count), a);
  meta.AddMember("primary_key", string_list(info->options.primary_key, a), a);
  result.AddMember("meta", meta, a);
  result.AddMember("fields", fields_json(info->fields, true, a), a);
}

std::vector<datastore::SortKey> parse_sort(const Value& params) {
  std::vector<datastore::SortKey> out;
  for (const auto& item : name_list(params, "sort")) {
    datastore::SortKey k;
    std::string s = item;
    auto space = s.find_last_of(' ');
    if (space != std::string::npos) {
      std::string dir = s.substr(space + 1);
      for (auto& c : dir) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (dir == "desc" || dir == "asc") {
        k.descending = dir == "desc";
        auto end = s.find_last_not_of(' ', space);
        s = end == std::string::npos ? std::string() : s.substr(0, end + 1);
      }
    }
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
    k.field = s;
    out.push_back(k);
  }
  return out;
}

}  // namespace

// Declared in api/datastore_query.h: the /datastore/dump download reads the same parameters.
datastore::SearchQuery datastore_search_query(const Value& params) {
  datastore::SearchQuery q;
  q.resource_id = need_resource_id(params);
  q.conditions = parse_filters(params);
  // q is text, or {field: text} given as an object or as a string holding one.
  Document holder;
  const Value* qv = nullptr;
  if (auto it = params.FindMember("q"); it != params.MemberEnd() && !it->value.IsNull()) {
    qv = &it->value;
    if (qv->IsString() && qv->GetStringLength() > 0 && qv->GetString()[0] == '{')
      qv = json_arg(params, "q", holder);
  }
  if (qv) {
    if (qv->IsObject()) {
      for (const auto& m : qv->GetObject())
        q.q_fields.emplace_back(std::string(m.name.GetString(), m.name.GetStringLength()),
                                text_of(m.value));
    } else {
      q.q = text_of(*qv);
    }
  }
  q.distinct = opt_bool(params, "distinct", false);
  q.fields = name_list(params, "fields");
  q.sort = parse_sort(params);
  q.limit = std::min(opt_int(params, "limit", 100, 0, INT64_MAX), kMaxLimit);
  q.offset = opt_int(params, "offset", 0, 0, INT64_MAX);
  q.include_total = opt_bool(params, "include_total", true);
  if (auto it = params.FindMember("total_estimation_threshold");
      it != params.MemberEnd() && !it->value.IsNull())
    q.total_estimation_threshold = opt_int(params, "total_estimation_threshold", 0, 0, INT64_MAX);
  return q;
}

namespace {

void datastore_search(ActionContext& ctx, const Value& params, Document& result) {
  auto rid = need_resource_id(params);
  readable(ctx, rid);
  datastore::SearchQuery q = datastore_search_query(params);
  std::string format = records_format(params);
  auto r = tables(ctx).search(q);

  auto& a = result.GetAllocator();
  result.SetObject();
  result.AddMember("resource_id", json_string(rid, a), a);
  write_records(r, format, result, a);
  std::string start = "/api/3/action/datastore_search?resource_id=" + url_encode(rid);
  Value links(rapidjson::kObjectType);
  links.AddMember("start", json_string(start, a), a);
  links.AddMember("next", json_string(start + "&offset=" + std::to_string(q.offset + q.limit), a),
                  a);
  result.AddMember("_links", links, a);
  if (r.total) {
    result.AddMember("total", Value(*r.total), a);
    result.AddMember("total_was_estimated", r.total_was_estimated, a);
  }
  if (q.total_estimation_threshold)
    result.AddMember("total_estimation_threshold", Value(*q.total_estimation_threshold), a);
  else
    result.AddMember("total_estimation_threshold", Value(rapidjson::kNullType), a);
  result.AddMember("limit", Value(q.limit), a);
  result.AddMember("offset", Value(q.offset), a);
  result.AddMember("include_total", q.include_total, a);
}

void datastore_search_sql(ActionContext& ctx, const Value& params, Document& result) {
  std::string sql = need_string(params, "sql");
  datastore::SqlLimits limits;
  if (ctx.services.config) {
    limits.timeout_ms = static_cast<int>(ctx.services.config->limits.datastore_sql_timeout_ms);
    limits.max_rows = std::min(ctx.services.config->limits.datastore_sql_max_rows, kMaxLimit);
  }
  // A table is readable when its resource's dataset is visible to the caller; tables of
  // resources that no longer exist are nobody's.
  auto r = tables(ctx).search_sql(sql, limits, [&](const std::string& rid) {
    try {
      readable(ctx, rid);
      return true;
    } catch (const NotFound&) {
      return false;
    }
  });
  auto& a = result.GetAllocator();
  result.SetObject();
  result.AddMember("sql", json_string(sql, a), a);
  result.AddMember("fields", fields_json(r.fields, false, a), a);
  result.AddMember("records", records_json(r.fields, r.records, a), a);
  if (r.truncated) result.AddMember("records_truncated", true, a);
}

}  // namespace

namespace datastore_support {
void require_readable(ActionContext& ctx, const std::string& rid) {
  readable(ctx, rid);
}
datastore::TableStore& table_store(ActionContext& ctx) {
  return tables(ctx);
}
std::vector<std::string> names(const Value& params, const char* key) {
  return name_list(params, key);
}
std::vector<datastore::Condition> filters(const Value& params) {
  return parse_filters(params);
}
std::vector<datastore::SortKey> sort(const Value& params) {
  return parse_sort(params);
}
const Value* json_param(const Value& params, const char* key, Document& holder) {
  return json_arg(params, key, holder);
}
std::string format(const Value& params) {
  return records_format(params);
}
void records(const datastore::SearchResult& r, const std::string& format, Value& result, Alloc& a) {
  write_records(r, format, result, a);
}
}  // namespace datastore_support

void register_datastore_actions(Registry& r) {
  r.add({"datastore_create", datastore_create, true,
         "Creates a DataStore table for resource_id (or for a new resource given as `resource` "
         "with package_id) with fields [{id, type, info}] and records; on an existing table adds "
         "fields, replaces the data dictionary of those given (info: label, notes, type_override, "
         "standard_term) and inserts records. primary_key, indexes: field ids."});
  r.add({"datastore_upsert", datastore_upsert, true,
         "Writes records into resource_id's table: method insert, update or upsert (default; "
         "update and upsert match on the primary key)."});
  r.add({"datastore_delete", datastore_delete, true,
         "Deletes the rows matching filters {field: value or [values]}; without filters drops "
         "the table."});
  r.add({"datastore_info", datastore_info, false,
         "The fields of resource_id's table with their types and data dictionary, and its row "
         "count (meta.count)."});
  r.add({"datastore_search", datastore_search, false,
         "Rows of resource_id's table: filters {field: value or [values]}, q (text over the whole "
         "row, Korean substrings included, or {field: text}), distinct, fields, sort (\"a desc, "
         "b\"), limit (default 100, at most 32000), offset, include_total, total_estimation_threshold (past it the total may be an estimate: total_was_estimated), records_format "
         "(objects, lists, csv, tsv).",
         Cost::expensive});
  r.add({"datastore_search_sql", datastore_search_sql, false,
         "Runs one read-only SELECT over DataStore tables (named by resource id, \"quoted\"), "
         "within a time limit and a row cap; writes, ATTACH, PRAGMA, extensions and other tables "
         "are refused.",
         Cost::expensive});
}

}  // namespace datamap::api

// package_search and package_autocomplete: CKAN's search actions over search::SearchService.
// Results come from the index's stored package dicts (no store round trip per result).
#include <rapidjson/document.h>

#include <cstdlib>
#include <string>

#include "api/action.h"
#include "api/params.h"
#include "api/resolve.h"
#include "catalog/errors.h"
#include "search/service.h"

namespace datamap::api {
namespace {

using rapidjson::Document;
using rapidjson::Value;

[[noreturn]] void query_error(const std::string& message) {
  throw BadRequest("Search Query Error", message);
}

search::SearchService& service(ActionContext& ctx) {
  if (!ctx.services.search) throw BadRequest("Search is not enabled on this server");
  return *ctx.services.search;
}

// Integers as CKAN takes them: a JSON number or a string of digits. Range checks are the
// search service's (they answer "Search Query Error" with the limit in the message).
std::int64_t int_param(const Value& params, const char* key, std::int64_t fallback) {
  auto it = params.FindMember(key);
  if (it == params.MemberEnd() || it->value.IsNull()) return fallback;
  const Value& v = it->value;
  if (v.IsInt64()) return v.GetInt64();
  if (v.IsNumber()) query_error(std::string(key) + " must be an integer");
  if (v.IsString()) {
    std::string s(v.GetString(), v.GetStringLength());
    if (s.empty()) return fallback;
    char* end = nullptr;
    errno = 0;
    long long n = std::strtoll(s.c_str(), &end, 10);
    if (*end != '\0' || errno == ERANGE) query_error(std::string(key) + " must be an integer");
    return n;
  }
  query_error(std::string(key) + " must be an integer");
}

std::string string_param(const Value& params, const char* key) {
  auto it = params.FindMember(key);
  if (it == params.MemberEnd() || it->value.IsNull()) return {};
  if (!it->value.IsString()) query_error(std::string(key) + " must be a string");
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

// A list of strings, given as a list or as a string holding one (CKAN's GET form): facet.field,
// fq_list. The text goes through the untrusted-JSON entry point (json_param).
std::vector<std::string> string_list(const Value& params, const char* key) {
  std::vector<std::string> out;
  Document holder;
  const Value* list = json_param(params, key, holder, "Search Query Error");
  if (!list) return out;
  const std::string wrong = std::string(key) + " must be a JSON list of strings";
  if (!list->IsArray()) query_error(wrong);
  for (const auto& f : list->GetArray()) {
    if (!f.IsString()) query_error(wrong);
    out.emplace_back(f.GetString(), f.GetStringLength());
  }
  return out;
}

// Who sees what (catalog::Visibility and Caller::can_edit_dataset, the rules package_show
// applies): private datasets of the caller's organizations and collaborations, all for a
// sysadmin, with include_private; drafts and deleted datasets the caller may edit with
// include_drafts / include_deleted. An fq naming a state asks for those states (CKAN skips its
// own state filter then); who may see them stays the same.
void set_visibility(ActionContext& ctx, const Value& params, search::SearchRequest& r) {
  const bool fq_names_state = string_param(params, "fq").find("state:") != std::string::npos;
  r.include_private = opt_bool(params, "include_private", false);
  r.include_drafts = opt_bool(params, "include_drafts", false) || fq_names_state;
  r.include_deleted = opt_bool(params, "include_deleted", false) || fq_names_state;
  const auto& user = ctx.caller.user;
  if (!user) return;
  if (ctx.caller.sysadmin()) {
    r.all_private = r.include_private;
    r.all_editable = true;
    return;
  }
  for (const auto& m : user->memberships) {
    if (r.include_private) r.private_org_ids.push_back(m.organization_id);
    if (m.role == "admin" || m.role == "editor") r.editable_org_ids.push_back(m.organization_id);
  }
  for (const auto& c : user->collaborations) {
    if (r.include_private) r.private_dataset_ids.push_back(c.dataset_id);
    if (c.capacity == "editor") r.editable_dataset_ids.push_back(c.dataset_id);
  }
}

// The filter values the index holds, from any identifier the resolver knows: an organization by
// id, name or 기관코드, a group by id or name. A value naming nothing stays as given (and finds
// nothing, as before).
void set_canonical(ActionContext& ctx, search::SearchRequest& r) {
  catalog::Store* store = ctx.services.store;
  if (!store) return;
  r.canonical = [store](const std::string& field, const std::string& value) -> std::string {
    if (field == "groups") {
      auto g = resolve_group(*store, value);
      return g ? g->name : value;
    }
    auto o = resolve_organization(*store, value);
    if (!o) return value;
    return field == "owner_org" ? o->id : o->name;
  };
}

// CKAN's `fl`: the fields each result keeps, as a list or one string of names separated by
// commas or spaces. Extras are looked up as fields too (CKAN flattens them into the result).
std::vector<std::string> result_fields(const Value& params) {
  std::vector<std::string> fields;
  auto it = params.FindMember("fl");
  if (it == params.MemberEnd() || it->value.IsNull()) return fields;
  auto add = [&](std::string_view text) {
    std::string word;
    for (char c : text) {
      if (c == ',' || c == ' ') {
        if (!word.empty()) fields.push_back(std::move(word));
        word.clear();
      } else {
        word += c;
      }
    }
    if (!word.empty()) fields.push_back(std::move(word));
  };
  if (it->value.IsString()) {
    add({it->value.GetString(), it->value.GetStringLength()});
  } else if (it->value.IsArray()) {
    for (const auto& f : it->value.GetArray()) {
      if (!f.IsString()) query_error("fl must be a list of field names");
      add({f.GetString(), f.GetStringLength()});
    }
  } else {
    query_error("fl must be a list of field names");
  }
  if (fields.size() > 100) query_error("fl names at most 100 fields");
  return fields;
}

void keep_fields(Value& pkg, const std::vector<std::string>& fields, Document::AllocatorType& a) {
  Value kept(rapidjson::kObjectType);
  for (const auto& f : fields) {
    if (kept.HasMember(f.c_str())) continue;
    if (auto m = pkg.FindMember(f.c_str()); m != pkg.MemberEnd()) {
      kept.AddMember(Value(f.c_str(), a), Value(m->value, a), a);
      continue;
    }
    auto extras = pkg.FindMember("extras");
    if (extras == pkg.MemberEnd() || !extras->value.IsArray()) continue;
    for (const auto& e : extras->value.GetArray())
      if (e.IsObject() && e.HasMember("key") && e["key"].IsString() && e["key"].GetString() == f &&
          e.HasMember("value")) {
        kept.AddMember(Value(f.c_str(), a), Value(e["value"], a), a);
        break;
      }
  }
  pkg = kept;
}

// `facet.query`: Solr's counts of the results that also match each query, answered as Solr
// names them (facet_queries: {query: count}); one count search each, at most 10.
void facet_queries(ActionContext& ctx, const Value& params, const search::SearchRequest& base,
                   Document& result) {
  auto queries = string_list(params, "facet.query");
  if (queries.empty()) return;
  if (queries.size() > 10) query_error("facet.query takes at most 10 queries");
  auto& a = result.GetAllocator();
  Value counts(rapidjson::kObjectType);
  for (const auto& q : queries) {
    search::SearchRequest r = base;
    r.fq = base.fq.empty() ? "(" + q + ")" : "(" + base.fq + ") AND (" + q + ")";
    r.rows = 0;
    r.start = 0;
    r.cursor.clear();
    r.facet_fields.clear();
    r.highlight = false;
    auto n = service(ctx).search(r).count;
    if (!counts.HasMember(q.c_str())) counts.AddMember(Value(q.c_str(), a), Value(n), a);
  }
  result.AddMember("facet_queries", counts, a);
}

void package_search(ActionContext& ctx, const Value& params, Document& result) {
  search::SearchRequest r;
  set_canonical(ctx, r);
  r.q = string_param(params, "q");
  r.fq = string_param(params, "fq");
  // CKAN 2.9's fq_list: several filters, all of which apply.
  for (const std::string& f : string_list(params, "fq_list"))
    r.fq += (r.fq.empty() ? "(" : " AND (") + f + ")";
  r.facet_fields = string_list(params, "facet.field");
  r.facet_limit = int_param(params, "facet.limit", 50);
  r.facet_mincount = int_param(params, "facet.mincount", 1);
  r.rows = int_param(params, "rows", 10);
  r.start = int_param(params, "start", 0);
  r.sort = string_param(params, "sort");
  r.cursor = string_param(params, "cursor");
  r.highlight = opt_bool(params, "highlight", true);
  set_visibility(ctx, params, r);

  search::SearchResponse res = service(ctx).search(r);

  result.SetObject();
  auto& a = result.GetAllocator();
  result.AddMember("count", Value(res.count), a);
  result.AddMember("sort", Value(res.sort.c_str(), a), a);
  Value results(rapidjson::kArrayType);
  for (const auto& hit : res.results) {
    Document pkg(&a);
    // The index's own package dict (search/document.cpp wrote it), not untrusted text.
    pkg.Parse(hit.package_json.c_str(), hit.package_json.size());
    if (!pkg.IsObject()) continue;
    if (!hit.highlight.empty()) pkg.AddMember("highlight", Value(hit.highlight.c_str(), a), a);
    results.PushBack(static_cast<Value&>(pkg).Move(), a);  // parsed with `a`: no copy
  }
  if (auto fields = result_fields(params); !fields.empty())
    for (auto& pkg : results.GetArray()) keep_fields(pkg, fields, a);
  result.AddMember("results", results, a);
  facet_queries(ctx, params, r, result);
  // CKAN answers both forms: search_facets (with display names) and the older facets map.
  Value search_facets(rapidjson::kObjectType), facets(rapidjson::kObjectType);
  for (const auto& f : res.facets) {
    Value items(rapidjson::kArrayType), counts(rapidjson::kObjectType);
    for (const auto& item : f.items) {
      Value v(rapidjson::kObjectType);
      v.AddMember("name", Value(item.name.c_str(), a), a);
      v.AddMember("display_name", Value(item.display_name.c_str(), a), a);
      v.AddMember("count", Value(item.count), a);
      items.PushBack(v, a);
      counts.AddMember(Value(item.name.c_str(), a), Value(item.count), a);
    }
    Value entry(rapidjson::kObjectType);
    entry.AddMember("title", Value(f.field.c_str(), a), a);
    entry.AddMember("items", items, a);
    search_facets.AddMember(Value(f.field.c_str(), a), entry, a);
    facets.AddMember(Value(f.field.c_str(), a), counts, a);
  }
  result.AddMember("search_facets", search_facets, a);
  result.AddMember("facets", facets, a);
  if (!res.next_cursor.empty()) result.AddMember("next_cursor", Value(res.next_cursor.c_str(), a), a);
  if (!res.suggestion.empty()) result.AddMember("suggestion", Value(res.suggestion.c_str(), a), a);
}

void package_autocomplete(ActionContext& ctx, const Value& params, Document& result) {
  const std::string q = string_param(params, "q");
  const std::int64_t limit = int_param(params, "limit", 10);
  if (limit < 1 || limit > 100) query_error("limit must be between 1 and 100");
  search::SearchRequest visibility;
  set_visibility(ctx, params, visibility);
  auto items = service(ctx).autocomplete(q, static_cast<std::size_t>(limit), visibility);
  result.SetArray();
  auto& a = result.GetAllocator();
  for (const auto& item : items) {
    Value v(rapidjson::kObjectType);
    v.AddMember("name", Value(item.name.c_str(), a), a);
    v.AddMember("title", Value(item.title.c_str(), a), a);
    v.AddMember("match_field", "title", a);
    v.AddMember("match_displayed", Value(item.title.c_str(), a), a);
    result.PushBack(v, a);
  }
}

}  // namespace

void register_search_actions(Registry& r) {
  r.add({"package_search", package_search, false,
         "Searches datasets. Parameters: q (text; field:value, \"phrases\", -word), fq (filters: "
         "field:value, -field:value, AND/OR, (groups), ranges field:[a TO b]), facet.field (JSON "
         "list), facet.limit, facet.mincount, rows (<= 1000), start, sort (score desc, "
         "metadata_modified desc, title_string asc, views desc, ...), cursor (from next_cursor), "
         "include_private, fl (the fields each result keeps: a list, or names separated by "
         "commas or spaces; extras by key), facet.query (JSON list of up to 10 queries: "
         "facet_queries answers how many results also match each), include_drafts and "
         "include_deleted (draft / deleted datasets too, only those the caller may edit: a "
         "sysadmin all, an organization's editors and admins its own, an editor collaborator "
         "that dataset; private ones only with include_private). Returns count, results, "
         "search_facets, sort, next_cursor, suggestion.",
         Cost::expensive});
  r.add({"package_autocomplete", package_autocomplete, false,
         "Datasets whose title starts with what was typed (q; Korean too), best first. "
         "Parameters: q, limit (default 10)."});
}

}  // namespace datamap::api

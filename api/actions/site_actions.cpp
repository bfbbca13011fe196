// CKAN's remaining account, tag, resource and site actions clients use: user_list, user_delete,
// tag_show, resource_search, config_option_show and package_collaborator_create/list/delete.
// Collaborators get their rights from the one permission rule (Caller::can_edit_dataset and
// catalog::Visibility): nothing here decides who may read or edit a dataset.
#include <algorithm>
#include <limits>

#include "api/actions/support.h"
#include "api/config.h"
#include "api/params.h"
#include "catalog/errors.h"
#include "catalog/ids.h"
#include "catalog/package_json.h"
#include "catalog/text.h"
#include "catalog/visibility.h"
#include "search/service.h"

namespace datamap::api {
namespace {

using rapidjson::Document;
using rapidjson::Value;

bool contains_folded(const std::string& text, const std::string& needle) {
  return catalog::to_lower_ascii(text).find(catalog::to_lower_ascii(needle)) != std::string::npos;
}

// CKAN: every account but deleted ones, as dicts (all_fields, the default) or names; q filters
// by name or full name, email (sysadmins only) by exact address; order_by display_name (the
// default), name, fullname, created, id or sysadmin.
void user_list(ActionContext& ctx, const Value& params, Document& result) {
  const std::string q = opt_string(params, "q").value_or("");
  const std::string email = opt_string(params, "email").value_or("");
  const std::string order = opt_string(params, "order_by").value_or("display_name");
  const bool all_fields = opt_bool(params, "all_fields", true);
  if (order == "edits") throw ValidationError("message", "order_by=edits is no longer supported");
  if (!email.empty() && !ctx.caller.sysadmin())
    throw NotAuthorized("only a sysadmin may filter users by email");
  std::vector<catalog::User> users;
  for (auto& u : ctx.services.store->users()) {
    if (u.state == "deleted") continue;
    if (!q.empty() && !contains_folded(u.name, q) && !contains_folded(u.fullname, q) &&
        !(ctx.caller.sysadmin() && contains_folded(u.email, q)))
      continue;
    if (!email.empty() && catalog::to_lower_ascii(u.email) != catalog::to_lower_ascii(email))
      continue;
    users.push_back(std::move(u));
  }
  auto key = [&](const catalog::User& u) -> std::string {
    if (order == "name") return u.name;
    if (order == "fullname") return u.fullname;
    if (order == "created") return u.created;
    if (order == "id") return u.id;
    if (order == "sysadmin") return u.sysadmin ? "1" : "0";
    return u.fullname.empty() ? u.name : u.fullname;  // display_name, and unknown fields
  };
  std::stable_sort(users.begin(), users.end(), [&](const auto& x, const auto& y) {
    auto kx = key(x), ky = key(y);
    return kx != ky ? kx < ky : x.name < y.name;
  });
  result.SetArray();
  auto& a = result.GetAllocator();
  for (const auto& u : users) {
    if (!all_fields) {
      result.PushBack(json_string(u.name, a), a);
      continue;
    }
    bool with_private = ctx.caller.sysadmin() || (ctx.caller.user && ctx.caller.user->id == u.id);
    Value v;
    // The listing carries no memberships: who may see them gets the user as user_show reads it.
    auto full = with_private ? ctx.services.store->user(u.id) : std::optional<catalog::User>{};
    actions::write_user(full ? *full : u, with_private, ctx, v, a);
    result.PushBack(v, a);
  }
}

// CKAN: a sysadmin deletes account `id`: its state becomes "deleted", its memberships end, and
// with them its tokens stop working (api/auth.cpp takes active users only).
void user_delete(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_sysadmin(ctx.caller);
  const std::string ref = need_string(params, "id");
  actions::write_as_caller(ctx, [&](catalog::Transaction& tx) {
    auto u = tx.find_user(ref);
    if (!u) throw NotFound("User not found");
    if (u->id == ctx.caller.user->id) throw ValidationError("id", "You cannot delete yourself");
    u->state = "deleted";
    u->memberships.clear();
    tx.put_user(*u);
  });
  result.SetNull();
}

// CKAN's tag dict: id, name, display_name, vocabulary_id (null: free tags only here) and, with
// include_datasets, up to 1000 of the public datasets carrying it (as package_search has them).
void tag_show(ActionContext& ctx, const Value& params, Document& result) {
  const std::string name = catalog::to_nfc(need_string(params, "id"));
  if (auto vocab = opt_string(params, "vocabulary_id"); vocab && !vocab->empty())
    throw NotFound("Tag not found: this site has no tag vocabularies");
  bool found = false;
  for (const auto& [tag, count] : ctx.services.store->tags(name, 1000))
    if (tag == name) found = true;
  if (!found) throw NotFound("Tag not found");
  auto& a = result.GetAllocator();
  result.SetObject();
  result.AddMember("id", json_string(catalog::stable_id("tag", name), a), a);
  result.AddMember("name", json_string(name, a), a);
  result.AddMember("display_name", json_string(name, a), a);
  result.AddMember("vocabulary_id", Value(rapidjson::kNullType), a);
  if (!opt_bool(params, "include_datasets", false)) return;
  if (!ctx.services.search) throw BadRequest("Search is not enabled on this server");
  search::SearchRequest r;
  std::string quoted;
  for (char c : name) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  r.fq = "tags:\"" + quoted + "\"";
  r.rows = 1000;
  r.sort = "name asc";
  r.highlight = false;
  Value packages(rapidjson::kArrayType);
  for (const auto& hit : ctx.services.search->search(r).results) {
    Document pkg(&a);
    pkg.Parse(hit.package_json.c_str(), hit.package_json.size());  // the index's own dict
    if (pkg.IsObject()) packages.PushBack(static_cast<Value&>(pkg).Move(), a);
  }
  result.AddMember("packages", packages, a);
}

// CKAN: resources of public active datasets matching every `query` criterion "field:term"
// (a string or a list): a case-insensitive substring of that field, a prefix for `hash`.
// count is every match; results are offset/limit of them (limit defaults to 1000 here, CKAN's
// is unbounded), ordered by `order_by` (a resource field) or catalog order.
void resource_search(ActionContext& ctx, const Value& params, Document& result) {
  // One "field:term" string, a list of them, or (GET spelling) a string holding a JSON list.
  Document holder;
  const Value* query = nullptr;
  auto q = params.FindMember("query");
  if (q != params.MemberEnd() && q->value.IsString() && q->value.GetStringLength() > 0 &&
      q->value.GetString()[0] != '[')
    query = &q->value;
  else
    query = json_param(params, "query", holder, "Validation Error");
  if (!query) throw ValidationError("query", "Missing value");
  std::vector<std::pair<std::string, std::string>> criteria;
  auto add = [&](const Value& v) {
    std::string s = v.IsString() ? std::string(v.GetString(), v.GetStringLength()) : "";
    auto colon = s.find(':');
    if (colon == std::string::npos)
      throw ValidationError("query", "Must be <field>:<value> pair(s)");
    criteria.emplace_back(s.substr(0, colon), s.substr(colon + 1));
  };
  if (query->IsArray())
    for (const auto& v : query->GetArray()) add(v);
  else
    add(*query);
  const std::string order = opt_string(params, "order_by").value_or("");
  const auto offset = opt_int(params, "offset", 0, 0, std::numeric_limits<std::int32_t>::max());
  const auto limit = opt_int(params, "limit", 1000, 0, 1000);

  Document scratch;
  auto& sa = scratch.GetAllocator();
  std::vector<Value> matches;
  bool checked_fields = false;
  ctx.services.store->for_each_dataset([&](const catalog::Dataset& d) {
    if (!catalog::is_public(d)) return;
    for (const auto& r : d.resources) {
      Value dict;
      catalog::write_resource(r, dict, sa);
      bool all = true;
      for (const auto& [field, term] : criteria) {
        auto it = dict.FindMember(field.c_str());
        if (it == dict.MemberEnd()) {
          if (!checked_fields)
            throw ValidationError("query",
                                  "Field \"" + field + "\" not recognised in resource_search.");
          all = false;
          break;
        }
        std::string value = it->value.IsString()
                                ? std::string(it->value.GetString(), it->value.GetStringLength())
                                : "";
        if (it->value.IsNumber()) value = std::to_string(it->value.GetDouble());
        if (it->value.IsInt64()) value = std::to_string(it->value.GetInt64());
        bool hit = field == "hash"
                       ? catalog::to_lower_ascii(value).rfind(catalog::to_lower_ascii(term), 0) == 0
                       : contains_folded(value, term);
        if (!hit) {
          all = false;
          break;
        }
      }
      checked_fields = true;
      if (all) matches.push_back(std::move(dict));
    }
  });
  if (!checked_fields)  // no resource at all: the fields are still checked against the dict
    for (const auto& [field, term] : criteria) {
      Value dict;
      catalog::write_resource(catalog::Resource{}, dict, sa);
      if (!dict.HasMember(field.c_str()))
        throw ValidationError("query",
                              "Field \"" + field + "\" not recognised in resource_search.");
    }
  if (!order.empty()) {
    auto text = [&](const Value& v) -> std::string {
      auto it = v.FindMember(order.c_str());
      if (it == v.MemberEnd() || !it->value.IsString()) return {};
      return {it->value.GetString(), it->value.GetStringLength()};
    };
    std::stable_sort(matches.begin(), matches.end(),
                     [&](const Value& x, const Value& y) { return text(x) < text(y); });
  }
  auto& a = result.GetAllocator();
  result.SetObject();
  result.AddMember("count", Value(static_cast<std::int64_t>(matches.size())), a);
  Value results(rapidjson::kArrayType);
  for (std::size_t i = static_cast<std::size_t>(offset);
       i < matches.size() && static_cast<std::int64_t>(i) < offset + limit; ++i)
    results.PushBack(Value(matches[i], a), a);
  result.AddMember("results", results, a);
}

// CKAN answers the runtime-editable options to sysadmins; these are the ones any visitor may
// read here (they are on every page anyway). Any other key is CKAN's ValidationError.
void config_option_show(ActionContext& ctx, const Value& params, Document& result) {
  const std::string key = need_string(params, "key");
  const Config* config = ctx.services.config;
  std::optional<std::string> value;
  if (key == "ckan.site_title") value = config ? config->site.title : "datamap";
  if (key == "ckan.site_description") value = config ? config->site.description : "";
  if (key == "ckan.site_url") value = config ? config->site.base_url : "";
  if (key == "ckan.locale_default") value = "ko";
  if (key == "ckan.auth.allow_dataset_collaborators") value = "true";
  if (!value)
    throw ValidationError("message",
                          "Configuration option '" + key.substr(0, 200) + "' can not be shown");
  result.SetString(value->c_str(), static_cast<rapidjson::SizeType>(value->size()),
                   result.GetAllocator());
}

void write_collaborator(const catalog::Collaborator& c, Value& out, Alloc& a) {
  out.SetObject();
  out.AddMember("package_id", json_string(c.dataset_id, a), a);
  out.AddMember("user_id", json_string(c.user_id, a), a);
  out.AddMember("capacity", json_string(c.capacity, a), a);
  out.AddMember("modified", json_string(c.modified, a), a);
}

// CKAN: collaborators are managed by the admins of the dataset's organization (and sysadmins).
catalog::Dataset managed_dataset(ActionContext& ctx, const std::string& ref) {
  actions::require_login(ctx.caller);
  catalog::Dataset d = actions::visible_dataset(ctx, ref);
  if (!ctx.caller.can_admin_org(d.owner_org))
    throw NotAuthorized("User " + ctx.caller.user->name +
                        " not authorized to manage collaborators of this dataset");
  return d;
}

const char* const kCapacities = "Role must be one of \"editor, member\"";

void package_collaborator_create(ActionContext& ctx, const Value& params, Document& result) {
  const std::string ref = need_string(params, "id");
  const std::string user_ref = need_string(params, "user_id");
  const std::string capacity = need_string(params, "capacity");
  if (capacity != "editor" && capacity != "member") throw ValidationError("message", kCapacities);
  catalog::Dataset d = managed_dataset(ctx, ref);
  auto user = ctx.services.store->user(user_ref);
  if (!user || user->state != "active") throw NotFound("User not found");
  catalog::Collaborator c{d.id, user->id, capacity, ""};
  actions::write_as_caller(ctx, [&](catalog::Transaction& tx) { tx.put_collaborator(c); });
  write_collaborator(c, result, result.GetAllocator());
}

void package_collaborator_list(ActionContext& ctx, const Value& params, Document& result) {
  catalog::Dataset d = managed_dataset(ctx, need_string(params, "id"));
  const std::string capacity = opt_string(params, "capacity").value_or("");
  if (!capacity.empty() && capacity != "editor" && capacity != "member")
    throw ValidationError("message", "Capacity must be one of \"editor, member\"");
  result.SetArray();
  auto& a = result.GetAllocator();
  for (const auto& c : ctx.services.store->collaborators(d.id)) {
    if (!capacity.empty() && c.capacity != capacity) continue;
    Value v;
    write_collaborator(c, v, a);
    result.PushBack(v, a);
  }
}

void package_collaborator_delete(ActionContext& ctx, const Value& params, Document& result) {
  catalog::Dataset d = managed_dataset(ctx, need_string(params, "id"));
  const std::string user_ref = need_string(params, "user_id");
  auto user = ctx.services.store->user(user_ref);
  if (!user) throw NotFound("User not found");
  actions::write_as_caller(ctx, [&](catalog::Transaction& tx) {
    try {
      tx.delete_collaborator(d.id, user->id);
    } catch (const NotFound&) {
      throw NotFound("User " + user->name + " is not a collaborator on this dataset");
    }
  });
  result.SetNull();
}

}  // namespace

void register_site_actions(Registry& r) {
  r.add({"user_list", user_list, false,
         "The site's accounts, deleted ones left out (CKAN). Parameters: q (part of the name or "
         "full name), email (exact address; sysadmins only), order_by (display_name, the "
         "default; name, fullname, created, id, sysadmin), all_fields (default true: user "
         "dicts; false: names). Email addresses only to sysadmins and the user."});
  r.add({"user_delete", user_delete, true,
         "Deletes account `id` (id or name) (CKAN: its state becomes \"deleted\"; its "
         "memberships end and its tokens stop working). Sysadmin only; not yourself. Returns "
         "null."});
  r.add({"tag_show", tag_show, false,
         "Tag `id` (its name) of the public datasets (CKAN): id, name, display_name, "
         "vocabulary_id (null: this site has free tags only). include_datasets=true adds "
         "`packages`, up to 1000 of the datasets carrying it. 404 when no public dataset has it."});
  r.add({"resource_search", resource_search, false,
         "Resources of public datasets (CKAN). query: \"field:term\" or a list of them, all of "
         "which must match: term is a case-insensitive part of the resource's field (a prefix "
         "for hash); a field resources do not have is a 409. order_by (a resource field), "
         "offset, limit (default and most 1000). Returns {count (all matches), results}.",
         Cost::expensive});
  r.add({"config_option_show", config_option_show, false,
         "The value of public configuration option `key` (CKAN): ckan.site_title, "
         "ckan.site_description, ckan.site_url, ckan.locale_default, "
         "ckan.auth.allow_dataset_collaborators. Any other key is a 409 \"can not be shown\"."});
  r.add({"package_collaborator_create", package_collaborator_create, true,
         "Makes user `user_id` (id or name) a collaborator on dataset `id` with `capacity` "
         "editor (may change the dataset and its resources) or member (may read it while "
         "private) (CKAN); again for the same user changes the capacity. Needs an admin of the "
         "dataset's organization. Returns {package_id, user_id, capacity, modified}."});
  r.add({"package_collaborator_list", package_collaborator_list, false,
         "The collaborators of dataset `id` (CKAN), optionally only those with `capacity`. Needs "
         "an admin of the dataset's organization."});
  r.add({"package_collaborator_delete", package_collaborator_delete, true,
         "Removes user `user_id` from the collaborators of dataset `id` (CKAN); 404 when the user "
         "is not one. Needs an admin of the dataset's organization. Returns null."});
}

}  // namespace datamap::api

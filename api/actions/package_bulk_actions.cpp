// The rest of CKAN's dataset actions clients use: current_package_list_with_resources,
// package_revise, package_owner_org_update and bulk_update_private/public/delete. Each takes
// CKAN's parameters and answers CKAN's result shape; the changes go through the same store
// writes (and, for package_revise, the same package_update) as the core actions.
#include <algorithm>
#include <limits>

#include "api/actions/dict_revise.h"
#include "api/actions/support.h"
#include "api/resolve.h"
#include "api/params.h"
#include "catalog/errors.h"
#include "catalog/untrusted_json.h"
#include "search/service.h"

namespace datamap::api {
namespace {

using catalog::Dataset;
using rapidjson::Document;
using rapidjson::Value;

// CKAN: package_search with q="", rows=limit (CKAN's default 10), start=offset, private
// datasets for sysadmins only; most recently modified first. `page` is the deprecated spelling.
void current_package_list_with_resources(ActionContext& ctx, const Value& params,
                                         Document& result) {
  if (!ctx.services.search) throw BadRequest("Search is not enabled on this server");
  search::SearchRequest r;
  r.rows = opt_int(params, "limit", 10, 0, 1000);
  r.start = opt_int(params, "offset", 0, 0, std::numeric_limits<std::int32_t>::max());
  if (!params.HasMember("offset") && params.HasMember("page")) {
    auto page = opt_int(params, "page", 1, 1, std::numeric_limits<std::int32_t>::max());
    r.start = (page - 1) * r.rows;
  }
  r.sort = "metadata_modified desc";
  r.highlight = false;
  r.all_private = ctx.caller.sysadmin();
  auto res = ctx.services.search->search(r);
  result.SetArray();
  auto& a = result.GetAllocator();
  for (const auto& hit : res.results) {
    Document pkg(&a);
    pkg.Parse(hit.package_json.c_str(), hit.package_json.size());  // the index's own dict
    if (pkg.IsObject()) result.PushBack(static_cast<Value&>(pkg).Move(), a);
  }
}

// CKAN's json_or_string: a string holding JSON is that JSON (the GET and form spelling).
void json_or_string(const Value& v, Value& out, actions::JsonAlloc& a) {
  if (v.IsString()) {
    Document parsed;
    std::string text(v.GetString(), v.GetStringLength());
    if (!catalog::parse_untrusted_json(text, parsed)) {
      out.CopyFrom(parsed, a);
      return;
    }
  }
  out.CopyFrom(v, a);
}

// `filter` and `include`: a list of patterns or one comma-separated string of them.
std::vector<std::string> patterns(const Value& params, const char* key) {
  std::vector<std::string> out;
  auto it = params.FindMember(key);
  if (it == params.MemberEnd() || it->value.IsNull()) return out;
  auto add = [&](std::string_view text) {
    for (std::size_t start = 0; start <= text.size();) {
      auto comma = text.find(',', start);
      auto part = text.substr(start, comma == std::string_view::npos ? text.npos : comma - start);
      while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
      while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
      if (!part.empty()) out.emplace_back(part);
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
  };
  if (it->value.IsString()) {
    add({it->value.GetString(), it->value.GetStringLength()});
  } else if (it->value.IsArray()) {
    for (const auto& p : it->value.GetArray()) {
      if (!p.IsString()) throw ValidationError(key, "Must be a list of strings");
      add({p.GetString(), p.GetStringLength()});
    }
  } else {
    throw ValidationError(key, "Must be a list of strings");
  }
  return out;
}

std::string member_name(const Value::Member& m) {
  return {m.name.GetString(), m.name.GetStringLength()};
}

std::string string_at(const Value& dict, const char* key) {
  auto it = dict.IsObject() ? dict.FindMember(key) : Value::ConstMemberIterator();
  if (!dict.IsObject() || it == dict.MemberEnd() || !it->value.IsString()) return {};
  return {it->value.GetString(), it->value.GetStringLength()};
}

// CKAN's package_revise: match (a dict, and/or match__KEY flattened keys) must agree with the
// stored dataset, filter removes members, update (a dict, and/or update__KEY) merges; the result
// goes through package_update and comes back as {"package": ...}, trimmed by `include`.
void package_revise(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_login(ctx.caller);
  Document work;
  auto& a = work.GetAllocator();
  Value match(rapidjson::kObjectType), update(rapidjson::kNullType);
  std::vector<std::pair<std::string, Value>> match_keys, update_keys;
  for (const auto& m : params.GetObject()) {
    std::string name = member_name(m);
    Value v;
    if (name == "match" || name == "update") {
      json_or_string(m.value, v, a);
      if (!v.IsObject()) throw ValidationError(name, "Unexpected value: must be a dict");
      (name == "match" ? match : update) = v;
    } else if (name.rfind("match__", 0) == 0 && name.size() > 7) {
      json_or_string(m.value, v, a);
      match_keys.emplace_back(name.substr(7), std::move(v));
    } else if (name.rfind("update__", 0) == 0 && name.size() > 8) {
      json_or_string(m.value, v, a);
      update_keys.emplace_back(name.substr(8), std::move(v));
    } else if (name != "filter" && name != "include") {
      throw ValidationError(name, "The input field " + name + " was not expected.");
    }
  }
  std::string ref;
  for (const auto& [key, v] : match_keys)
    if (key == "id" && v.IsString()) ref = v.GetString();
  if (ref.empty()) ref = string_at(match, "id");
  if (ref.empty())
    for (const auto& [key, v] : match_keys)
      if (key == "name" && v.IsString()) ref = v.GetString();
  if (ref.empty()) ref = string_at(match, "name");
  if (ref.empty()) throw ValidationError("match__id", "Missing value");

  Dataset d = actions::visible_dataset(ctx, ref);
  Document orig;
  actions::write_full_package(ctx, d, orig, orig.GetAllocator());
  std::vector<std::string> differ = actions::unmatched(orig, match);
  std::sort(match_keys.begin(), match_keys.end(),
            [](const auto& x, const auto& y) { return x.first < y.first; });
  for (const auto& [key, v] : match_keys) {
    try {
      for (auto& path : actions::unmatched_key(orig, key, v)) differ.push_back(path);
    } catch (const actions::DictError&) {
      differ.push_back(key);
    }
  }
  if (!differ.empty()) {
    FieldErrors errors;
    errors["match"] = differ;
    throw ValidationError(errors);
  }

  Value revised(static_cast<const Value&>(orig), a);
  revised.RemoveMember("metadata_modified");
  if (auto f = patterns(params, "filter"); !f.empty()) {
    actions::filter_glob(revised, f);
    if (!revised.HasMember("id")) revised.AddMember("id", Value(d.id.c_str(), a), a);
  }
  try {
    if (update.IsObject()) actions::update_merge(revised, update, a);
  } catch (const actions::DictError& e) {
    throw ValidationError("update", e.what());
  }
  // CKAN applies the __extend keys first, so a later key may address an item just added.
  std::stable_sort(update_keys.begin(), update_keys.end(), [](const auto& x, const auto& y) {
    bool xe = x.first.size() >= 6 && x.first.compare(x.first.size() - 6, 6, "extend") == 0;
    bool ye = y.first.size() >= 6 && y.first.compare(y.first.size() - 6, 6, "extend") == 0;
    if (xe != ye) return xe;
    return x.first < y.first;
  });
  for (const auto& [key, v] : update_keys) {
    try {
      actions::update_key(revised, key, v, a);
    } catch (const actions::DictError& e) {
      throw ValidationError("update__" + key, e.what());
    }
  }
  // The stored id is the dataset revised, whatever the update says.
  if (auto id = revised.FindMember("id"); id != revised.MemberEnd())
    id->value.SetString(d.id.c_str(), static_cast<rapidjson::SizeType>(d.id.size()), a);
  revised.RemoveMember("organization");  // owner_org is the reference that counts
  revised.RemoveMember("quality");       // computed, never stored

  const Action* update_action = ctx.services.registry->find("package_update");
  Document updated;
  update_action->fn(ctx, revised, updated);
  result.SetObject();
  auto& ra = result.GetAllocator();
  result.AddMember("package", Value(static_cast<const Value&>(updated), ra), ra);
  if (auto inc = patterns(params, "include"); !inc.empty()) actions::filter_glob(result, inc);
}

// CKAN: moves dataset `id` to organization `organization_id` (none: no owner, sysadmins only).
// Needs edit rights in both, as package_update does.
void package_owner_org_update(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_login(ctx.caller);
  const std::string ref = need_string(params, "id");
  const std::string org_ref = opt_string(params, "organization_id").value_or("");
  actions::write_as_caller(ctx, [&](catalog::Transaction& tx) {
    auto d = resolve_dataset(tx, ref);
    if (!d || !actions::may_see(ctx, *d)) throw NotFound("Package was not found.");
    if (!ctx.caller.can_edit_org(d->owner_org))
      throw NotAuthorized("user " + ctx.caller.user->name + " may not edit dataset " + d->name);
    std::string org_id;
    if (!org_ref.empty()) {
      auto org = resolve_organization(tx, org_ref);
      if (!org || org->state != "active") throw NotFound("Organization was not found.");
      if (!ctx.caller.can_edit_org(org->id))
        throw NotAuthorized("user " + ctx.caller.user->name +
                            " may not add datasets to organization " + org->name);
      org_id = org->id;
    } else if (!ctx.caller.sysadmin()) {
      throw NotAuthorized("only a sysadmin may leave a dataset without an organization");
    }
    if (d->owner_org == org_id) return;
    d->owner_org = org_id;
    tx.update_dataset(*d);
  });
  result.SetNull();
}

enum class Bulk { make_private, make_public, remove };

// CKAN's bulk_update_*: the datasets of `datasets` (ids) that organization `org_id` owns; the
// others are left alone, as CKAN's query does. Needs an admin of the organization.
void bulk_update(ActionContext& ctx, const Value& params, Document& result, Bulk what) {
  actions::require_login(ctx.caller);
  const std::string org_ref = need_string(params, "org_id");
  std::vector<std::string> ids;
  Document holder;
  const Value* list = json_param(params, "datasets", holder, "Validation Error");
  if (!list) throw ValidationError("datasets", "Missing value");
  if (!list->IsArray()) throw ValidationError("datasets", "Must be a list of dataset ids");
  for (const auto& v : list->GetArray()) {
    if (!v.IsString()) throw ValidationError("datasets", "Must be a list of dataset ids");
    ids.emplace_back(v.GetString(), v.GetStringLength());
  }
  if (ids.size() > 10000) throw ValidationError("datasets", "At most 10000 datasets at once");
  actions::write_as_caller(ctx, [&](catalog::Transaction& tx) {
    auto org = resolve_organization(tx, org_ref);
    if (!org) throw NotFound("Organization not found");
    if (!ctx.caller.can_admin_org(org->id))
      throw NotAuthorized("only an admin of " + org->name + " may update its datasets in bulk");
    for (const auto& id : ids) {
      auto d = resolve_dataset(tx, id);
      if (!d || d->id != id || d->owner_org != org->id || d->state == "deleted") continue;
      if (what == Bulk::remove) {
        tx.delete_dataset(d->id);
        continue;
      }
      bool to_private = what == Bulk::make_private;
      if (d->is_private == to_private) continue;
      d->is_private = to_private;
      tx.update_dataset(*d);
    }
  });
  result.SetNull();
}

void bulk_update_private(ActionContext& ctx, const Value& params, Document& result) {
  bulk_update(ctx, params, result, Bulk::make_private);
}
void bulk_update_public(ActionContext& ctx, const Value& params, Document& result) {
  bulk_update(ctx, params, result, Bulk::make_public);
}
void bulk_update_delete(ActionContext& ctx, const Value& params, Document& result) {
  bulk_update(ctx, params, result, Bulk::remove);
}

}  // namespace

void register_package_bulk_actions(Registry& r) {
  r.add({"current_package_list_with_resources", current_package_list_with_resources, false,
         "The site's datasets with their resources, most recently modified first (CKAN). "
         "Parameters: limit (datasets per page, default 10, at most 1000), offset (default 0), "
         "page (deprecated: use offset; page N of `limit`). Private datasets are listed to "
         "sysadmins only. Returns a list of package dicts as package_search returns them.",
         Cost::expensive});
  r.add({"package_revise", package_revise, true,
         "Revises a dataset selectively (CKAN). Parameters: match (a dict with the dataset's id "
         "or name; every value given must equal the stored one, or nothing changes and the "
         "error lists the keys that differ under \"match\"), filter (patterns of members to "
         "remove, a list or a comma-separated string: \"-resources__1\" removes the second "
         "resource, \"+title, -*\" removes everything but title; id and type are kept), update "
         "(a dict merged into the dataset: dicts merge, lists merge item by item), include "
         "(patterns trimming the answer, e.g. \"-*\"). match and update also take flattened "
         "keys: match__name=\"xyz\", update__notes=\"new notes\", "
         "update__resources__0={\"name\": \"first\"}, update__resources__-1__description=\"last\", "
         "update__resources__1f9ab__url=... (a resource by the first 5 or more characters of its "
         "id), update__resources__extend=[{...}] (adds resources). Needs edit rights in the "
         "dataset's organization. Returns {\"package\": the updated dataset}."});
  r.add({"package_owner_org_update", package_owner_org_update, true,
         "Moves dataset `id` (id or name) to the organization `organization_id` (id or name; "
         "empty leaves it without one, sysadmins only) (CKAN). Needs edit rights in both "
         "organizations. Returns null; 404 \"Package was not found.\" or \"Organization was not "
         "found.\"."});
  r.add({"bulk_update_private", bulk_update_private, true,
         "Makes the datasets `datasets` (a list of ids) of organization `org_id` private "
         "(CKAN). Datasets of other organizations in the list are left alone. Needs an admin of "
         "the organization. Returns null."});
  r.add({"bulk_update_public", bulk_update_public, true,
         "Makes the datasets `datasets` (a list of ids) of organization `org_id` public (CKAN). "
         "Needs an admin of the organization. Returns null."});
  r.add({"bulk_update_delete", bulk_update_delete, true,
         "Deletes the datasets `datasets` (a list of ids) of organization `org_id` (CKAN: their "
         "state becomes \"deleted\"). Needs an admin of the organization. Returns null."});
}

}  // namespace datamap::api

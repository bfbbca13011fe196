// package_* and resource_show: CKAN's dataset actions over catalog::Store.
#include <limits>

#include "api/actions/support.h"
#include "api/params.h"
#include "api/resolve.h"
#include "catalog/errors.h"
#include "catalog/ids.h"
#include "catalog/package_json.h"
#include "catalog/validation.h"

namespace datamap::api {
namespace {

using catalog::Dataset;
using rapidjson::Document;
using rapidjson::Value;

void package_list(ActionContext& ctx, const Value& params, Document& result) {
  auto limit = opt_int(params, "limit", std::numeric_limits<std::int32_t>::max(), 0,
                       std::numeric_limits<std::int32_t>::max());
  auto offset = opt_int(params, "offset", 0, 0, std::numeric_limits<std::int32_t>::max());
  result.SetArray();
  auto& a = result.GetAllocator();
  for (const auto& name : ctx.services.store->dataset_names(offset, limit))
    result.PushBack(json_string(name, a), a);
}

void package_show(ActionContext& ctx, const Value& params, Document& result) {
  Dataset d = actions::visible_dataset(ctx, need_string(params, "id"));
  actions::write_full_package(ctx, d, result, result.GetAllocator());
}

void resource_show(ActionContext& ctx, const Value& params, Document& result) {
  // A resource is as visible as its dataset, and one the caller may not see does not exist.
  auto r = ctx.services.store->resource(need_string(params, "id"));
  std::optional<Dataset> d;
  if (r) d = ctx.services.store->dataset(r->package_id);
  if (!d || !actions::may_see(ctx, *d)) throw NotFound("Resource not found");
  catalog::write_resource(*r, result, result.GetAllocator());
}

// Resolves d.owner_org (id or name) to the organization's id. An unknown one is a field error;
// one the caller may not edit is 403.
void resolve_owner(ActionContext& ctx, catalog::Transaction& tx, Dataset& d,
                   FieldErrors& errors) {
  if (d.owner_org.empty()) {
    if (!ctx.caller.sysadmin())
      errors["owner_org"].push_back("Missing value: a dataset belongs to an organization");
    return;
  }
  auto org = resolve_organization(tx, d.owner_org);
  if (!org) {
    errors["owner_org"].push_back("Organization does not exist");
    return;
  }
  d.owner_org = org->id;
  if (!ctx.caller.can_edit_org(org->id))
    throw NotAuthorized("user " + ctx.caller.user->name + " may not add datasets to organization " +
                        org->name);
}

// Groups are named by name or id and must exist (CKAN); they are stored by name.
void check_groups(catalog::Transaction& tx, Dataset& d, FieldErrors& errors) {
  for (auto& g : d.groups) {
    auto group = resolve_group(tx, g);
    if (!group)
      errors["groups"].push_back("That group name or ID does not exist: " + g);
    else
      g = group->name;
  }
}

void prepare_resources(Dataset& d) {
  for (auto& r : d.resources) {
    if (r.id.empty()) r.id = catalog::new_id();
    r.package_id = d.id;
  }
}

// Uniqueness the store also enforces, checked first for CKAN's messages.
void check_unique(catalog::Transaction& tx, const Dataset& d) {
  if (auto other = tx.find_dataset(d.name); other && other->name == d.name && other->id != d.id)
    throw ValidationError("name", "That URL is already in use.");
  if (!d.source_key.empty())
    if (auto other = tx.find_dataset(d.source_key);
        other && other->source_key == d.source_key && other->id != d.id)
      throw ValidationError("source_key", "Already the source key of dataset " + other->name);
}

void package_create(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_login(ctx.caller);
  FieldErrors errors;
  Dataset d = catalog::read_package(params, errors);
  d.id = actions::chosen_id(ctx.caller, d.id);
  // Anyone may give a new resource its id (CKAN), a UUID no other dataset's resource has.
  for (const auto& r : d.resources)
    if (!r.id.empty()) actions::check_uuid("resources", r.id);
  if (d.source.empty()) d.source = "api";
  d.metadata_created.clear();
  d.metadata_modified.clear();
  prepare_resources(d);
  actions::write_as_caller(ctx, [&](catalog::Transaction& tx) {
    resolve_owner(ctx, tx, d, errors);
    check_groups(tx, d, errors);
    catalog::validate_dataset(d, errors);
    if (!errors.empty()) throw ValidationError(errors);
    if (auto other = tx.find_dataset(d.id); other && other->id == d.id)
      throw ValidationError("id", "Dataset id already exists");
    check_unique(tx, d);
    tx.insert_dataset(d);
  });
  actions::write_full_package(ctx, d, result, result.GetAllocator());
}

// package_update and package_patch: `params` is the full new dict.
void update_package(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_login(ctx.caller);
  std::string ref;
  if (auto id = opt_string(params, "id"); id && !id->empty())
    ref = *id;
  else
    ref = need_string(params, "name");
  FieldErrors errors;
  Dataset d = catalog::read_package(params, errors);
  actions::write_as_caller(ctx, [&](catalog::Transaction& tx) {
    auto old = resolve_dataset(tx, ref);
    if (!old || !actions::may_see(ctx, *old)) throw NotFound("Dataset not found");
    if (!ctx.caller.can_edit_dataset(*old))
      throw NotAuthorized("user " + ctx.caller.user->name + " may not edit dataset " + old->name);
    d.id = old->id;
    // What the catalog manages, or the caller left out, stays as it was.
    if (d.name.empty()) d.name = old->name;
    if (!params.HasMember("owner_org") && !params.HasMember("organization"))
      d.owner_org = old->owner_org;
    if (!params.HasMember("resources")) d.resources = old->resources;
    if (!params.HasMember("source_key")) d.source_key = old->source_key;
    if (!params.HasMember("source")) d.source = old->source;
    if (!params.HasMember("private")) d.is_private = old->is_private;  // never leak by omission
    if (!params.HasMember("type")) d.type = old->type;
    if (!params.HasMember("views")) d.views = old->views;
    if (!params.HasMember("downloads")) d.downloads = old->downloads;
    d.metadata_created = old->metadata_created;
    if (d.owner_org != old->owner_org) {
      resolve_owner(ctx, tx, d, errors);  // moving needs edit rights in the new org too
    }
    prepare_resources(d);
    check_groups(tx, d, errors);
    catalog::validate_dataset(d, errors);
    if (!errors.empty()) throw ValidationError(errors);
    check_unique(tx, d);
    tx.update_dataset(d);
  });
  actions::write_full_package(ctx, d, result, result.GetAllocator());
}

void package_update(ActionContext& ctx, const Value& params, Document& result) {
  update_package(ctx, params, result);
}

// The stored dict with the given members replaced, then the same path as package_update.
void package_patch(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_login(ctx.caller);
  std::string ref = need_string(params, "id");
  Dataset old = actions::visible_dataset(ctx, ref);
  Document merged;
  catalog::write_package(old, nullptr, merged, merged.GetAllocator());
  merged.RemoveMember("organization");  // owner_org is the reference that counts
  auto& a = merged.GetAllocator();
  for (const auto& m : params.GetObject()) {
    if (m.name == "id") continue;
    Value copy(m.value, a);
    auto it = merged.FindMember(m.name);
    if (it != merged.MemberEnd())
      it->value = copy;
    else
      merged.AddMember(Value(m.name, a), copy, a);
  }
  merged["id"].SetString(old.id.c_str(), static_cast<rapidjson::SizeType>(old.id.size()), a);
  update_package(ctx, merged, result);
}

void package_delete(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_login(ctx.caller);
  std::string ref = need_string(params, "id");
  actions::write_as_caller(ctx, [&](catalog::Transaction& tx) {
    auto d = resolve_dataset(tx, ref);
    if (!d || d->state == "deleted" || !actions::may_see(ctx, *d))
      throw NotFound("Dataset not found");
    if (!ctx.caller.can_edit_dataset(*d))
      throw NotAuthorized("user " + ctx.caller.user->name + " may not delete dataset " + d->name);
    tx.delete_dataset(d->id);
  });
  result.SetNull();
}

// CKAN's dataset_purge: the dataset leaves the catalog for good (sysadmins only, deleted or not),
// and its resources' tables, load jobs and stored files go after the catalog has committed; a
// crash in between leaves tables no resource names, which no action can reach.
void dataset_purge(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_sysadmin(ctx.caller);
  std::string ref = need_string(params, "id");
  Dataset gone;
  actions::write_as_caller(ctx, [&](catalog::Transaction& tx) {
    auto d = resolve_dataset(tx, ref);
    if (!d) throw NotFound("Dataset not found");
    tx.purge_dataset(d->id);
    gone = std::move(*d);
  });
  for (const auto& resource : gone.resources) delete_resource_data(ctx.services, resource);
  result.SetNull();
}

}  // namespace

void register_package_actions(Registry& r) {
  r.add({"package_list", package_list, false,
         "Names of the active public datasets, sorted. Parameters: limit, offset.",
         Cost::expensive});
  r.add({"package_show", package_show, false,
         "One dataset with its organization, groups, tags, resources and columns. "
         "Parameter: id (the dataset's id, name or source key such as a data.go.kr 목록키). "
         "Private datasets need a token of a member of their organization; to anyone else "
         "they are 404, like a dataset that does not exist."});
  r.add({"package_create", package_create, true,
         "Creates a dataset from a CKAN package dict (name, title, owner_org, ...). Needs an "
         "editor or admin token of owner_org, or a sysadmin token. Returns the new dataset."});
  r.add({"package_update", package_update, true,
         "Replaces a dataset (id or name) with the dict given. Resources, source_key, views and "
         "downloads left out are kept. Needs edit rights in its organization (and in the new "
         "one when owner_org changes)."});
  r.add({"package_patch", package_patch, true,
         "Changes only the members given of dataset `id`; everything else is kept."});
  r.add({"package_delete", package_delete, true,
         "Marks dataset `id` deleted (CKAN semantics: its state becomes \"deleted\")."});
  r.add({"dataset_purge", dataset_purge, true,
         "Removes dataset `id` for good, with its resources' DataStore tables and stored files "
         "(CKAN semantics; sysadmins only). The name becomes free."});
  r.add({"resource_show", resource_show, false,
         "One resource by id, visible when its dataset is."});
}

}  // namespace datamap::api

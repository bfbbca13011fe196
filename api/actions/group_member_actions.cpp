// CKAN's group and organization actions beyond create/show/list: *_patch, group_update,
// *_delete (state "deleted", hidden from listings), *_purge (gone for good), member_list /
// member_create / member_delete, organization_list_for_user and group_list_authz.
//
// How CKAN's members map here: a user is a member of an organization with a role (admin,
// editor, member: catalog::Membership); a dataset belongs to one organization (owner_org, moved
// with package_owner_org_update) and to any number of groups (stored with the dataset, by name).
// Groups have no user members: sysadmins manage groups, and whoever may edit a dataset may file
// it in a group (as package_update's `groups` allows).
#include <algorithm>

#include "api/actions/support.h"
#include "api/resolve.h"
#include "api/params.h"
#include "catalog/errors.h"
#include "catalog/ids.h"
#include "catalog/package_json.h"
#include "catalog/text.h"
#include "catalog/validation.h"

namespace datamap::api {
namespace {

using catalog::Group;
using catalog::Organization;
using rapidjson::Document;
using rapidjson::Value;

// Another action by name, with this caller: *_patch reuse *_update as CKAN's do.
void call(ActionContext& ctx, const char* name, const Value& params, Document& result) {
  ctx.services.registry->find(name)->fn(ctx, params, result);
}

// Ours keeps the members left out (organization_update's documented behaviour), which is what
// CKAN's organization_patch does.
void organization_patch(ActionContext& ctx, const Value& params, Document& result) {
  call(ctx, "organization_update", params, result);
}

std::int64_t group_count(ActionContext& ctx, const std::string& name) {
  for (const auto& [key, n] : ctx.services.store->dataset_counts_by_group(ctx.caller.visibility()))
    if (key == name) return n;
  return 0;
}

// Refiles the active datasets of group `from` under `to` (empty: out of the group). Datasets
// store their groups by name, so a rename or a removal rewrites them, in the caller's write.
void refile_datasets(catalog::Transaction& tx, const std::vector<std::string>& ids,
                     const std::string& from, const std::string& to) {
  for (const auto& id : ids) {
    auto d = resolve_dataset(tx, id);
    if (!d || d->id != id) continue;
    auto& g = d->groups;
    g.erase(std::remove(g.begin(), g.end(), from), g.end());
    if (!to.empty() && std::find(g.begin(), g.end(), to) == g.end()) g.push_back(to);
    tx.update_dataset(*d);
  }
}

// CKAN's group_update (and group_patch: members left out are kept either way). Sysadmins only:
// groups have no admins here. A new name is carried to the datasets filed under the group.
void group_update(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_sysadmin(ctx.caller);
  const std::string ref = need_string(params, "id");
  auto& store = *ctx.services.store;
  auto before = store.group(ref);
  if (!before || before->state != "active") throw NotFound("Group was not found.");
  Group g = *before;
  if (auto v = opt_string(params, "name")) g.name = *v;
  if (auto v = opt_string(params, "title")) g.title = catalog::to_nfc(*v);
  if (auto v = opt_string(params, "description")) g.description = catalog::to_nfc(*v);
  FieldErrors errors;
  catalog::validate_group(g, errors);
  if (!errors.empty()) throw ValidationError(errors);
  std::vector<std::string> filed;
  if (g.name != before->name) filed = store.dataset_ids_in_group(before->name);
  store.write([&](catalog::Transaction& tx) {
    if (auto other = tx.find_group(g.name); other && other->id != g.id)
      throw ValidationError("name", "Group name already exists in database");
    tx.put_group(g);
    if (g.name != before->name) refile_datasets(tx, filed, before->name, g.name);
  });
  catalog::write_group(g, group_count(ctx, g.name), result, result.GetAllocator());
}

// Users are few (agency staff); a membership change is rare. The memberships of `org_id` go.
void drop_memberships(ActionContext& ctx, catalog::Transaction& tx, const std::string& org_id) {
  for (const auto& listed : ctx.services.store->users()) {
    auto u = tx.find_user(listed.id);
    if (!u) continue;
    auto& ms = u->memberships;
    auto kept = std::remove_if(ms.begin(), ms.end(), [&](const catalog::Membership& m) {
      return m.organization_id == org_id;
    });
    if (kept == ms.end()) continue;
    ms.erase(kept, ms.end());
    tx.put_user(*u);
  }
}

std::int64_t datasets_of(ActionContext& ctx, const std::string& org_id) {
  for (const auto& [key, n] :
       ctx.services.store->dataset_counts_by_organization(catalog::Visibility::everything()))
    if (key == org_id) return n;
  return 0;
}

// CKAN: an organization that still has datasets is neither deleted nor purged.
void delete_organization(ActionContext& ctx, const Value& params, Document& result, bool purge) {
  actions::require_login(ctx.caller);
  const std::string ref = need_string(params, "id");
  auto org = resolve_organization(*ctx.services.store, ref);
  if (!org || (!purge && org->state != "active")) throw NotFound("Organization was not found.");
  if (purge) actions::require_sysadmin(ctx.caller);
  if (!ctx.caller.can_admin_org(org->id))
    throw NotAuthorized("only an admin of " + org->name + " may delete it");
  if (datasets_of(ctx, org->id) > 0)
    throw ValidationError("message", "Organization cannot be deleted while it still has datasets");
  actions::write_as_caller(ctx, [&](catalog::Transaction& tx) {
    if (purge) {
      tx.purge_organization(org->id);
      return;
    }
    drop_memberships(ctx, tx, org->id);
    org->state = "deleted";
    tx.put_organization(*org);
  });
  result.SetNull();
}

void organization_delete(ActionContext& ctx, const Value& params, Document& result) {
  delete_organization(ctx, params, result, false);
}
void organization_purge(ActionContext& ctx, const Value& params, Document& result) {
  delete_organization(ctx, params, result, true);
}

// CKAN: the group's dataset memberships go with it, then the group is marked deleted (or, purged,
// removed for good).
void delete_group(ActionContext& ctx, const Value& params, Document& result, bool purge) {
  actions::require_sysadmin(ctx.caller);
  const std::string ref = need_string(params, "id");
  auto& store = *ctx.services.store;
  auto g = store.group(ref);
  if (!g || (!purge && g->state != "active")) throw NotFound("Group was not found.");
  auto filed = store.dataset_ids_in_group(g->name);
  store.write([&](catalog::Transaction& tx) {
    refile_datasets(tx, filed, g->name, "");
    if (purge) {
      tx.purge_group(g->id);
      return;
    }
    g->state = "deleted";
    tx.put_group(*g);
  });
  result.SetNull();
}

void group_delete(ActionContext& ctx, const Value& params, Document& result) {
  delete_group(ctx, params, result, false);
}
void group_purge(ActionContext& ctx, const Value& params, Document& result) {
  delete_group(ctx, params, result, true);
}

// The group or organization `id`, which CKAN's member actions take alike.
struct Target {
  std::optional<Group> group;
  std::optional<Organization> org;
  const std::string& id() const { return group ? group->id : org->id; }
};

Target find_target(ActionContext& ctx, const std::string& ref) {
  Target t;
  if (auto g = resolve_group(*ctx.services.store, ref); g && g->state == "active")
    t.group = std::move(g);
  else if (auto o = resolve_organization(*ctx.services.store, ref); o && o->state == "active")
    t.org = std::move(o);
  else
    throw NotFound("Group was not found.");
  return t;
}

void push_member(Document& result, const std::string& id, const char* type,
                 const std::string& capacity) {
  auto& a = result.GetAllocator();
  Value row(rapidjson::kArrayType);
  row.PushBack(json_string(id, a), a);
  row.PushBack(Value(type, a), a);
  row.PushBack(json_string(capacity, a), a);
  result.PushBack(row, a);
}

// CKAN: [[object id, object type, capacity], ...]. Datasets are listed as the caller may see
// them; an organization's users only to those who may read the organization's private data.
void member_list(ActionContext& ctx, const Value& params, Document& result) {
  Target t = find_target(ctx, need_string(params, "id"));
  const std::string type = opt_string(params, "object_type").value_or("");
  const std::string capacity = opt_string(params, "capacity").value_or("");
  if (!type.empty() && type != "package" && type != "user")
    throw ValidationError("object_type", "Must be package or user");
  auto& store = *ctx.services.store;
  result.SetArray();
  if (type.empty() || type == "package") {
    const std::string cap = t.group ? "public" : "organization";
    if (capacity.empty() || capacity == cap) {
      std::vector<std::string> ids;
      if (t.group) {
        ids = store.dataset_ids_in_group(t.group->name);
      } else {
        store.for_each_dataset([&](const catalog::Dataset& d) {
          if (d.owner_org == t.org->id && actions::may_see(ctx, d)) ids.push_back(d.id);
        });
      }
      store.for_each_dataset_of(ids, [&](const catalog::Dataset& d) {
        if (actions::may_see(ctx, d)) push_member(result, d.id, "package", cap);
      });
    }
  }
  if (t.org && (type.empty() || type == "user") && ctx.caller.can_read_org(t.org->id)) {
    for (const auto& listed : store.users()) {
      auto u = store.user(listed.id);
      if (!u || u->state != "active") continue;
      for (const auto& m : u->memberships)
        if (m.organization_id == t.org->id && (capacity.empty() || capacity == m.role))
          push_member(result, u->id, "user", m.role);
    }
  }
}

void write_member(Document& result, const std::string& group_id, const std::string& object_id,
                  const std::string& type, const std::string& capacity) {
  auto& a = result.GetAllocator();
  result.SetObject();
  // Memberships are not rows of their own here: the id is derived from what it joins.
  result.AddMember("id", json_string(catalog::stable_id("member", group_id + "/" + object_id), a),
                   a);
  result.AddMember("table_id", json_string(object_id, a), a);
  result.AddMember("table_name", json_string(type, a), a);
  result.AddMember("group_id", json_string(group_id, a), a);
  result.AddMember("capacity", json_string(capacity, a), a);
  result.AddMember("state", "active", a);
}

// member_create and member_delete. A dataset joins or leaves a group (needs edit rights on the
// dataset); a user joins or leaves an organization with a role (needs an admin of it, exactly
// as organization_member_create / _delete).
void change_member(ActionContext& ctx, const Value& params, Document& result, bool remove) {
  actions::require_login(ctx.caller);
  const std::string ref = need_string(params, "id");
  const std::string object = need_string(params, "object");
  const std::string type = need_string(params, "object_type");
  std::string capacity;
  if (!remove) capacity = need_string(params, "capacity");
  if (type != "package" && type != "user")
    throw ValidationError("object_type", "Must be package or user");
  Target t = find_target(ctx, ref);
  if (type == "user") {
    if (t.group)
      throw ValidationError("object_type",
                            "Groups have no user members on this site: sysadmins manage them");
    if (!ctx.services.store->user(object)) throw NotFound("User was not found.");
    Value forwarded(rapidjson::kObjectType);
    Document holder;
    auto& a = holder.GetAllocator();
    forwarded.AddMember("id", json_string(t.org->id, a), a);
    forwarded.AddMember("username", json_string(object, a), a);
    if (!remove) forwarded.AddMember("role", json_string(capacity, a), a);
    Document inner;
    call(ctx, remove ? "organization_member_delete" : "organization_member_create", forwarded,
         inner);
    if (remove) {
      result.SetNull();
      return;
    }
    write_member(result, t.org->id, ctx.services.store->user(object)->id, "user", capacity);
    return;
  }
  if (t.org)
    throw ValidationError("object_type",
                          "A dataset belongs to its organization through owner_org: use "
                          "package_owner_org_update");
  std::string dataset_id;
  actions::write_as_caller(ctx, [&](catalog::Transaction& tx) {
    auto d = resolve_dataset(tx, object);
    if (!d || !actions::may_see(ctx, *d)) throw NotFound("Package was not found.");
    if (!ctx.caller.can_edit_dataset(*d))
      throw NotAuthorized("user " + ctx.caller.user->name + " may not edit dataset " + d->name);
    dataset_id = d->id;
    auto& g = d->groups;
    bool filed = std::find(g.begin(), g.end(), t.group->name) != g.end();
    if (remove == !filed) return;  // already as asked
    if (remove)
      g.erase(std::remove(g.begin(), g.end(), t.group->name), g.end());
    else
      g.push_back(t.group->name);
    tx.update_dataset(*d);
  });
  if (remove)
    result.SetNull();
  else
    write_member(result, t.group->id, dataset_id, "package", capacity);
}

void member_create(ActionContext& ctx, const Value& params, Document& result) {
  change_member(ctx, params, result, false);
}
void member_delete(ActionContext& ctx, const Value& params, Document& result) {
  change_member(ctx, params, result, true);
}

// CKAN's permissions by role ("manage_group" is CKAN's default question).
bool role_has(const std::string& role, const std::string& permission) {
  if (role == "admin") return true;
  static const char* const editor[] = {"read", "delete_dataset", "create_dataset", "update_dataset",
                                       "manage_group"};
  static const char* const member[] = {"read", "manage_group"};
  auto has = [&](const auto& list) {
    return std::find(std::begin(list), std::end(list), permission) != std::end(list);
  };
  if (role == "editor") return has(editor);
  if (role == "member") return has(member);
  return false;
}

// CKAN: the organizations user `id` (default: the caller) has `permission` in (default
// manage_group), each with the user's `capacity`; all of them, as admin, for a sysadmin.
void organization_list_for_user(ActionContext& ctx, const Value& params, Document& result) {
  std::optional<catalog::User> user = ctx.caller.user;
  if (auto id = opt_string(params, "id"); id && !id->empty()) {
    user = ctx.services.store->user(*id);
    if (!user) throw NotFound("User not found");
    bool self = ctx.caller.user && ctx.caller.user->id == user->id;
    if (!self && !ctx.caller.sysadmin())
      throw NotAuthorized("only the user or a sysadmin may list the user's organizations");
  }
  result.SetArray();
  if (!user) return;
  const std::string permission = opt_string(params, "permission").value_or("manage_group");
  const bool counts = opt_bool(params, "include_dataset_count", false);
  std::vector<std::pair<std::string, std::int64_t>> by_org;
  if (counts)
    by_org = ctx.services.store->dataset_counts_by_organization(catalog::Visibility::of(*user));
  auto& a = result.GetAllocator();
  for (const auto& o : ctx.services.store->organizations()) {
    if (o.state != "active") continue;
    std::string capacity = user->sysadmin ? "admin" : "";
    if (!user->sysadmin)
      for (const auto& m : user->memberships)
        if (m.organization_id == o.id && role_has(m.role, permission)) capacity = m.role;
    if (capacity.empty()) continue;
    std::int64_t n = -1;
    if (counts) {
      n = 0;
      for (const auto& [key, c] : by_org)
        if (key == o.id) n = c;
    }
    Value v;
    catalog::write_organization(o, n, v, a);
    v.AddMember("capacity", json_string(capacity, a), a);
    result.PushBack(v, a);
  }
}

// CKAN: the groups the caller may file datasets in. Groups have no members here, so that is
// every active group for a sysadmin, and none otherwise (am_member: none either way).
void group_list_authz(ActionContext& ctx, const Value& params, Document& result) {
  result.SetArray();
  if (!ctx.caller.sysadmin() || opt_bool(params, "am_member", false)) return;
  const bool counts = opt_bool(params, "include_dataset_count", false);
  std::vector<std::pair<std::string, std::int64_t>> by_group;
  if (counts) by_group = ctx.services.store->dataset_counts_by_group(ctx.caller.visibility());
  auto& a = result.GetAllocator();
  for (const auto& g : ctx.services.store->groups()) {
    if (g.state != "active") continue;
    std::int64_t n = -1;
    if (counts) {
      n = 0;
      for (const auto& [key, c] : by_group)
        if (key == g.name) n = c;
    }
    Value v;
    catalog::write_group(g, n, v, a);
    result.PushBack(v, a);
  }
}

}  // namespace

void register_group_member_actions(Registry& r) {
  r.add({"organization_patch", organization_patch, true,
         "Changes only the members given of organization `id` (id or name): name, title, "
         "description, image_url, code (CKAN). Same rights as organization_update. Returns the "
         "organization."});
  r.add({"group_update", group_update, true,
         "Changes group `id` (id or name): name, title, description; members left out are kept "
         "(CKAN's group_update replaces them: send them all to be safe). A new name is carried "
         "to the datasets filed under the group. Sysadmin only. Returns the group."});
  r.add({"group_patch", group_update, true,
         "Changes only the members given of group `id`: name, title, description (CKAN). "
         "Sysadmin only. Returns the group."});
  r.add({"organization_delete", organization_delete, true,
         "Deletes organization `id` (CKAN: its state becomes \"deleted\", it leaves the "
         "listings and its users' memberships end). Refused (409) while it still has datasets. "
         "Needs an admin of it or a sysadmin. Returns null."});
  r.add({"organization_purge", organization_purge, true,
         "Removes organization `id` for good, deleted or not (CKAN). Refused (409) while it "
         "still has datasets. Sysadmin only. Returns null."});
  r.add({"group_delete", group_delete, true,
         "Deletes group `id` (CKAN: its state becomes \"deleted\" and its datasets leave it). "
         "Sysadmin only. Returns null."});
  r.add({"group_purge", group_purge, true,
         "Removes group `id` for good, deleted or not; its datasets leave it (CKAN). Sysadmin "
         "only. Returns null."});
  r.add({"member_list", member_list, false,
         "The members of group or organization `id` (CKAN): a list of [id, type, capacity]. "
         "Parameters: object_type (package or user), capacity (e.g. public, organization, admin, "
         "editor, member). Datasets are those the caller may see; an organization's users are "
         "listed to its members and sysadmins."});
  r.add({"member_create", member_create, true,
         "Makes `object` (id or name) of `object_type` a member of group or organization `id` "
         "with `capacity` (CKAN). A dataset joins a group (needs edit rights on the dataset); a "
         "user joins an organization with the role `capacity` (needs an admin of it). Returns "
         "the membership: id, table_id, table_name, group_id, capacity, state."});
  r.add({"member_delete", member_delete, true,
         "Removes `object` of `object_type` from group or organization `id` (CKAN); the same "
         "rights as member_create. Returns null."});
  r.add({"organization_list_for_user", organization_list_for_user, false,
         "The organizations a user has a permission in (CKAN). Parameters: id (user id or name; "
         "default the caller; another user needs a sysadmin), permission (default manage_group, "
         "which every role has; e.g. create_dataset for editors and admins, admin for admins), "
         "include_dataset_count. Each organization dict has the user's `capacity`; a sysadmin "
         "gets every organization as admin. Anonymous callers get []."});
  r.add({"group_list_authz", group_list_authz, false,
         "The groups the caller may file datasets in (CKAN): every group for a sysadmin, none "
         "for others (groups have no members on this site). Parameters: am_member, "
         "include_dataset_count, available_only (accepted)."});
}

}  // namespace datamap::api

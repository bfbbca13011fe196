// organization_* and group_*: agencies (기관) and categories (분류체계).
#include <algorithm>
#include <map>

#include "api/actions/support.h"
#include "api/params.h"
#include "api/resolve.h"
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

struct Listed {
  std::string name, title;
  std::int64_t count = 0;
  std::size_t index = 0;
};

// CKAN's sort parameter: "name", "title" or "package_count", optionally followed by asc|desc.
void sort_listed(std::vector<Listed>& items, const std::string& sort) {
  std::string field = sort, dir;
  if (auto space = sort.find(' '); space != std::string::npos) {
    field = sort.substr(0, space);
    dir = catalog::to_lower_ascii(catalog::trim(sort.substr(space + 1)));
  }
  if (field != "name" && field != "title" && field != "package_count")
    throw ValidationError("sort", "Sort by name, title or package_count, then asc or desc");
  if (!dir.empty() && dir != "asc" && dir != "desc")
    throw ValidationError("sort", "Direction must be asc or desc");
  bool desc = dir == "desc" || (dir.empty() && field == "package_count");
  std::stable_sort(items.begin(), items.end(), [&](const Listed& x, const Listed& y) {
    if (field == "package_count") {
      if (x.count != y.count) return desc ? x.count > y.count : x.count < y.count;
      return x.name < y.name;
    }
    const std::string& l = field == "title" ? x.title : x.name;
    const std::string& r = field == "title" ? y.title : y.name;
    return desc ? l > r : l < r;
  });
}

struct Page {
  bool all_fields;
  std::int64_t offset, limit;
  std::string sort;
};

// CKAN: names up to 1000 by default; with all_fields, 25 dicts by default.
Page read_page(const Value& params) {
  Page p;
  p.all_fields = opt_bool(params, "all_fields", false);
  p.offset = opt_int(params, "offset", 0, 0, std::numeric_limits<std::int32_t>::max());
  std::int64_t max = p.all_fields ? 1000 : 100000;
  p.limit = opt_int(params, "limit", p.all_fields ? 25 : 1000, 0, max);
  p.sort = opt_string(params, "sort").value_or("name");
  return p;
}

// The counts are only read when shown (all_fields) or sorted by: a name list needs none.
bool needs_counts(const Page& p) {
  return p.all_fields || p.sort.rfind("package_count", 0) == 0;
}

template <typename T, typename Writer>
void list_page(const std::vector<T>& all, const std::map<std::string, std::int64_t>& counts,
               bool by_id, const Page& p, Document& result, Writer write) {
  std::vector<Listed> items;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].state != "active") continue;  // deleted (organization_delete, group_delete)
    auto c = counts.find(by_id ? all[i].id : all[i].name);
    items.push_back({all[i].name, all[i].title, c == counts.end() ? 0 : c->second, i});
  }
  sort_listed(items, p.sort);
  result.SetArray();
  auto& a = result.GetAllocator();
  for (std::size_t i = static_cast<std::size_t>(p.offset);
       i < items.size() && static_cast<std::int64_t>(i) < p.offset + p.limit; ++i) {
    if (p.all_fields) {
      Value v;
      write(all[items[i].index], items[i].count, v, a);
      result.PushBack(v, a);
    } else {
      result.PushBack(json_string(items[i].name, a), a);
    }
  }
}

std::map<std::string, std::int64_t> to_map(std::vector<std::pair<std::string, std::int64_t>> v) {
  return {v.begin(), v.end()};
}

// package_count counts what the caller may see: public datasets, and the private ones of the
// caller's organizations (CKAN's semantics); anything else would count hidden datasets.
void organization_list(ActionContext& ctx, const Value& params, Document& result) {
  Page p = read_page(params);
  auto& store = *ctx.services.store;
  std::map<std::string, std::int64_t> counts;
  if (needs_counts(p))
    counts = to_map(store.dataset_counts_by_organization(ctx.caller.visibility()));
  list_page(store.organizations(), counts, true, p, result, catalog::write_organization);
}

void group_list(ActionContext& ctx, const Value& params, Document& result) {
  Page p = read_page(params);
  auto& store = *ctx.services.store;
  std::map<std::string, std::int64_t> counts;
  if (needs_counts(p)) counts = to_map(store.dataset_counts_by_group(ctx.caller.visibility()));
  list_page(store.groups(), counts, false, p, result, catalog::write_group);
}

std::int64_t count_of(const std::vector<std::pair<std::string, std::int64_t>>& counts,
                      const std::string& key) {
  for (const auto& [k, n] : counts)
    if (k == key) return n;
  return 0;
}

// CKAN's include_users: the members with their capacity. Who belongs to an agency is its
// members' and the sysadmins' business; to anyone else the list is left out.
void write_members(ActionContext& ctx, const Organization& org, Document& result) {
  if (!ctx.caller.can_read_org(org.id)) return;
  auto& a = result.GetAllocator();
  Value users(rapidjson::kArrayType);
  for (const auto& u : ctx.services.store->members(org.id)) {
    Value v;
    actions::write_user(u, false, ctx, v, a);
    for (const auto& m : u.memberships)
      if (m.organization_id == org.id) v.AddMember("capacity", json_string(m.role, a), a);
    users.PushBack(v, a);
  }
  result.AddMember("users", users, a);
}

void organization_show(ActionContext& ctx, const Value& params, Document& result) {
  auto& store = *ctx.services.store;
  auto org = resolve_organization(store, need_string(params, "id"));
  if (!org) throw NotFound("Organization not found");
  catalog::write_organization(
      *org, count_of(store.dataset_counts_by_organization(ctx.caller.visibility()), org->id),
      result, result.GetAllocator());
  if (opt_bool(params, "include_users", false)) write_members(ctx, *org, result);
}

void group_show(ActionContext& ctx, const Value& params, Document& result) {
  auto& store = *ctx.services.store;
  auto group = resolve_group(store, need_string(params, "id"));
  if (!group) throw NotFound("Group not found");
  catalog::write_group(
      *group, count_of(store.dataset_counts_by_group(ctx.caller.visibility()), group->name), result,
      result.GetAllocator());
}

// Reads the organization members a create or update may set; absent ones keep `o`'s values.
void read_organization(const Value& params, Organization& o) {
  if (auto v = opt_string(params, "name")) o.name = catalog::to_nfc(*v);
  if (auto v = opt_string(params, "title")) o.title = catalog::to_nfc(*v);
  if (auto v = opt_string(params, "description")) o.description = catalog::to_nfc(*v);
  if (auto v = opt_string(params, "image_url")) o.image_url = *v;
  if (auto v = opt_string(params, "code")) o.code = std::string(catalog::trim(*v));
}

// Inside the write that stores `o`, so no other write slips between the check and the store
// (the store's unique index on code is the last word; this gives the clearer message first).
void check_organization(catalog::Transaction& tx, const Organization& o) {
  FieldErrors errors;
  catalog::validate_organization(o, errors);
  if (!errors.empty()) throw ValidationError(errors);
  if (auto other = tx.find_organization(o.name); other && other->id != o.id)
    throw ValidationError("name", "Group name already exists in database");
  if (o.code.empty()) return;
  // Lookups by reference try id, then name, then code: a code that is another organization's
  // name or id would be shadowed by it, so it is as taken as a code another one holds.
  if (auto other = tx.find_organization(o.code); other && other->id != o.id)
    throw ValidationError("code", "Organization code (기관코드) " + o.code +
                                      " is already used by organization " + other->name);
}

using Members = std::vector<std::pair<std::string, std::string>>;  // (user name or id, role)

// CKAN's `users` member of an organization dict: [{"name": ..., "capacity": ...}], capacity
// "member" when left out. Absent: nullopt (the members stay as they are).
std::optional<Members> read_members(const Value& params) {
  auto it = params.FindMember("users");
  if (it == params.MemberEnd() || it->value.IsNull()) return std::nullopt;
  const std::string wrong = "Must be a list of {\"name\", \"capacity\"} objects";
  if (!it->value.IsArray()) throw ValidationError("users", wrong);
  Members out;
  for (const auto& m : it->value.GetArray()) {
    if (!m.IsObject()) throw ValidationError("users", wrong);
    std::string name = opt_string(m, "name").value_or("");
    if (name.empty()) name = opt_string(m, "id").value_or("");
    if (name.empty()) throw ValidationError("users", "Missing value: name");
    std::string role = opt_string(m, "capacity").value_or("member");
    if (role != "admin" && role != "editor" && role != "member")
      throw ValidationError("users", "Capacity must be one of: admin, editor, member");
    out.emplace_back(std::move(name), std::move(role));
  }
  return out;
}

// Makes `members` the organization's members (CKAN: the users given replace the old ones), in
// the caller's transaction. `previous` are the members before (Store::members); each user is
// read again here, so a concurrent change to another of the user's memberships stays.
void set_members(catalog::Transaction& tx, const std::string& org_id, const Members& members,
                 const std::vector<catalog::User>& previous) {
  std::map<std::string, std::string> role_of;  // user id -> role
  for (const auto& [ref, role] : members) {
    auto u = tx.find_user(ref);
    if (!u) throw ValidationError("users", "User not found: " + ref.substr(0, 100));
    role_of[u->id] = role;
  }
  std::vector<std::string> touched;
  for (const auto& u : previous) touched.push_back(u.id);
  for (const auto& [id, role] : role_of) touched.push_back(id);
  std::sort(touched.begin(), touched.end());
  touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
  for (const auto& id : touched) {
    auto u = tx.find_user(id);
    if (!u) continue;
    std::erase_if(u->memberships,
                  [&](const catalog::Membership& m) { return m.organization_id == org_id; });
    if (auto r = role_of.find(id); r != role_of.end())
      u->memberships.push_back({org_id, r->second});
    tx.put_user(*u);
  }
}

void organization_create(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_sysadmin(ctx.caller);
  Organization o;
  read_organization(params, o);
  if (o.name.empty()) throw ValidationError("name", "Missing value");
  o.id = actions::chosen_id(ctx.caller, opt_string(params, "id").value_or(""));
  o.created = catalog::now_iso8601();
  auto members = read_members(params);
  actions::write_as_caller(ctx, [&](catalog::Transaction& tx) {
    if (auto other = tx.find_organization(o.id); other && other->id == o.id)
      throw ValidationError("id", "Id already exists");
    check_organization(tx, o);
    tx.put_organization(o);
    if (members) set_members(tx, o.id, *members, {});
  });
  catalog::write_organization(o, 0, result, result.GetAllocator());
}

void organization_update(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_login(ctx.caller);
  std::string ref = need_string(params, "id");
  Organization o;
  auto members = read_members(params);
  std::vector<catalog::User> previous;
  if (members)
    if (auto found = resolve_organization(*ctx.services.store, ref))
      previous = ctx.services.store->members(found->id);
  actions::write_as_caller(ctx, [&](catalog::Transaction& tx) {
    auto old = resolve_organization(tx, ref);
    if (!old) throw NotFound("Organization not found");
    if (!ctx.caller.can_admin_org(old->id))
      throw NotAuthorized("only an admin of " + old->name + " may change it");
    o = *old;
    read_organization(params, o);
    check_organization(tx, o);
    // Imports and sysadmin harvests file an agency's datasets under the organization holding
    // its 기관코드: an org admin who could claim a code not yet registered would receive that
    // agency's datasets. A code already used is a 409 above, for anyone.
    if (o.code != old->code && !ctx.caller.sysadmin())
      throw NotAuthorized("only a sysadmin may change an organization's code (기관코드)");
    tx.put_organization(o);
    if (members) set_members(tx, o.id, *members, previous);
  });
  auto& store = *ctx.services.store;
  catalog::write_organization(
      o, count_of(store.dataset_counts_by_organization(ctx.caller.visibility()), o.id), result,
      result.GetAllocator());
}

void group_create(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_sysadmin(ctx.caller);
  Group g;
  g.name = need_string(params, "name");
  g.title = catalog::to_nfc(opt_string(params, "title").value_or(""));
  g.description = catalog::to_nfc(opt_string(params, "description").value_or(""));
  g.id = actions::chosen_id(ctx.caller, opt_string(params, "id").value_or(""));
  g.created = catalog::now_iso8601();
  FieldErrors errors;
  catalog::validate_group(g, errors);
  if (!errors.empty()) throw ValidationError(errors);
  actions::write_as_caller(ctx, [&](catalog::Transaction& tx) {
    if (auto other = tx.find_group(g.id); other && other->id == g.id)
      throw ValidationError("id", "Id already exists");
    if (tx.find_group(g.name))
      throw ValidationError("name", "Group name already exists in database");
    tx.put_group(g);
  });
  catalog::write_group(g, 0, result, result.GetAllocator());
}

// organization_member_create / _delete: an org admin (or sysadmin) manages who has which role.
// The user's memberships are read, changed and written in one transaction: two changes to the
// same user at once (added to two agencies) both land.
void change_member(ActionContext& ctx, const Value& params, Document& result, bool remove) {
  actions::require_login(ctx.caller);
  const std::string org_ref = need_string(params, "id");
  const std::string user_ref = need_string(params, "username");
  std::string role;
  if (!remove) {
    role = need_string(params, "role");
    if (role != "admin" && role != "editor" && role != "member")
      throw ValidationError("role", "Role must be one of: admin, editor, member");
  }
  Organization org;
  catalog::User user;
  actions::write_as_caller(ctx, [&](catalog::Transaction& tx) {
    auto found_org = resolve_organization(tx, org_ref);
    if (!found_org) throw NotFound("Organization not found");
    org = *found_org;
    if (!ctx.caller.can_admin_org(org.id))
      throw NotAuthorized("only an admin of " + org.name + " may manage its members");
    auto found_user = tx.find_user(user_ref);
    if (!found_user) throw NotFound("User not found");
    user = *found_user;
    auto& ms = user.memberships;
    ms.erase(
        std::remove_if(ms.begin(), ms.end(),
                       [&](const catalog::Membership& m) { return m.organization_id == org.id; }),
        ms.end());
    if (!remove) ms.push_back({org.id, role});
    tx.put_user(user);
  });
  if (remove) {
    result.SetNull();
    return;
  }
  auto& a = result.GetAllocator();
  result.SetObject();
  result.AddMember("organization", json_string(org.name, a), a);
  result.AddMember("username", json_string(user.name, a), a);
  result.AddMember("capacity", json_string(role, a), a);
}

void organization_member_create(ActionContext& ctx, const Value& params, Document& result) {
  change_member(ctx, params, result, false);
}
void organization_member_delete(ActionContext& ctx, const Value& params, Document& result) {
  change_member(ctx, params, result, true);
}

void tag_list(ActionContext& ctx, const Value& params, Document& result) {
  std::string query = opt_string(params, "query").value_or("");
  auto limit = opt_int(params, "limit", 1000, 0, 100000);
  bool all_fields = opt_bool(params, "all_fields", false);
  result.SetArray();
  auto& a = result.GetAllocator();
  for (const auto& [name, count] : ctx.services.store->tags(catalog::to_nfc(query), limit)) {
    if (all_fields) {
      Value t(rapidjson::kObjectType);
      t.AddMember("name", json_string(name, a), a);
      t.AddMember("display_name", json_string(name, a), a);
      t.AddMember("count", Value(count), a);
      result.PushBack(t, a);
    } else {
      result.PushBack(json_string(name, a), a);
    }
  }
}

void license_list(ActionContext& ctx, const Value&, Document& result) {
  result.SetArray();
  auto& a = result.GetAllocator();
  for (const auto& l : ctx.services.store->licenses()) {
    Value v(rapidjson::kObjectType);
    v.AddMember("id", json_string(l.id, a), a);
    v.AddMember("title", json_string(l.title, a), a);
    v.AddMember("url", json_string(l.url, a), a);
    result.PushBack(v, a);
  }
}

}  // namespace

void register_organization_actions(Registry& r) {
  r.add({"organization_list", organization_list, false,
         "Organization (agency) names, or with all_fields=true their dicts with package_count. "
         "Parameters: all_fields, sort (name|title|package_count [asc|desc]), limit (default "
         "1000 names or 25 dicts), offset."});
  r.add({"organization_show", organization_show, false,
         "One organization by id, name or code (기관코드), with its package_count; with "
         "include_users=true also its members and their capacity (to its members and "
         "sysadmins)."});
  r.add({"organization_create", organization_create, true,
         "Creates an organization (id, name, title, description, image_url, code, users: "
         "[{name, capacity}]). Sysadmin only; a given id (a UUID no record has) is kept, as "
         "ckanapi load needs. "
         "`code` (기관코드) is unique: a code another organization holds is a 409."});
  r.add({"organization_update", organization_update, true,
         "Changes organization `id`: the members given replace the stored ones (`users` too: "
         "[{name, capacity}] become its members). Needs an admin "
         "of that organization or a sysadmin; changing `code` (기관코드, unique: 409 when "
         "another organization holds it) needs a sysadmin."});
  r.add({"organization_member_create", organization_member_create, true,
         "Gives user `username` the role `role` (admin|editor|member) in organization `id`. "
         "Needs an admin of that organization or a sysadmin."});
  r.add({"organization_member_delete", organization_member_delete, true,
         "Removes user `username` from organization `id`. Needs an admin of it or a sysadmin."});
  r.add({"group_list", group_list, false,
         "Group (category) names, or with all_fields=true their dicts. Same parameters as "
         "organization_list."});
  r.add({"group_create", group_create, true,
         "Creates a group (category): id (kept: a UUID no group has), name, title, description. "
         "Sysadmin only."});
  r.add({"group_show", group_show, false, "One group by id or name, with its package_count."});
  r.add({"tag_list", tag_list, false,
         "Tags of public datasets, most used first. Parameters: query (prefix), limit, "
         "all_fields (adds counts)."});
  r.add({"license_list", license_list, false, "The licenses a dataset may declare."});
}

}  // namespace datamap::api

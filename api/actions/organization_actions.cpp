// organization_* and group_*: agencies (기관) and categories (분류체계).
#include <algorithm>
#include <map>

#include "api/actions/support.h"
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

void organization_show(ActionContext& ctx, const Value& params, Document& result) {
  auto& store = *ctx.services.store;
  auto org = store.organization(need_string(params, "id"));
  if (!org) throw NotFound("Organization not found");
  catalog::write_organization(
      *org, count_of(store.dataset_counts_by_organization(ctx.caller.visibility()), org->id),
      result, result.GetAllocator());
}

void group_show(ActionContext& ctx, const Value& params, Document& result) {
  auto& store = *ctx.services.store;
  auto group = store.group(need_string(params, "id"));
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

void organization_create(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_sysadmin(ctx.caller);
  Organization o;
  read_organization(params, o);
  if (o.name.empty()) throw ValidationError("name", "Missing value");
  o.id = catalog::new_id();
  o.created = catalog::now_iso8601();
  ctx.services.store->write([&](catalog::Transaction& tx) {
    check_organization(tx, o);
    tx.put_organization(o);
  });
  catalog::write_organization(o, 0, result, result.GetAllocator());
}

void organization_update(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_login(ctx.caller);
  std::string ref = need_string(params, "id");
  Organization o;
  ctx.services.store->write([&](catalog::Transaction& tx) {
    auto old = tx.find_organization(ref);
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
  g.id = catalog::new_id();
  g.created = catalog::now_iso8601();
  FieldErrors errors;
  catalog::validate_group(g, errors);
  if (!errors.empty()) throw ValidationError(errors);
  ctx.services.store->write([&](catalog::Transaction& tx) {
    if (tx.find_group(g.name)) throw ValidationError("name", "Group name already exists in database");
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
  ctx.services.store->write([&](catalog::Transaction& tx) {
    auto found_org = tx.find_organization(org_ref);
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
         "One organization by id or name, with its package_count."});
  r.add({"organization_create", organization_create, true,
         "Creates an organization (name, title, description, image_url, code). Sysadmin only. "
         "`code` (기관코드) is unique: a code another organization holds is a 409."});
  r.add({"organization_update", organization_update, true,
         "Changes organization `id`: the members given replace the stored ones. Needs an admin "
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
         "Creates a group (category): name, title, description. Sysadmin only."});
  r.add({"group_show", group_show, false, "One group by id or name, with its package_count."});
  r.add({"tag_list", tag_list, false,
         "Tags of public datasets, most used first. Parameters: query (prefix), limit, "
         "all_fields (adds counts)."});
  r.add({"license_list", license_list, false, "The licenses a dataset may declare."});
}

}  // namespace datamap::api

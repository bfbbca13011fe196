#include "api/actions/support.h"

#include "api/resolve.h"
#include "catalog/errors.h"
#include "catalog/ids.h"
#include "catalog/package_json.h"
#include "catalog/quality_inputs.h"
#include "catalog/quality_json.h"

namespace datamap::api::actions {

void require_login(const Caller& caller) {
  if (!caller.user)
    throw NotAuthorized("this action needs an API token (Authorization header)");
}

void require_sysadmin(const Caller& caller) {
  require_login(caller);
  if (!caller.sysadmin()) throw NotAuthorized("only a sysadmin may do this");
}

void write_as_caller(ActionContext& ctx, const std::function<void(catalog::Transaction&)>& fn) {
  const std::string actor = ctx.caller.user ? ctx.caller.user->id : std::string();
  ctx.services.store->write([&](catalog::Transaction& tx) {
    tx.set_actor(actor);
    fn(tx);
  });
}

void check_uuid(const std::string& field, const std::string& id) {
  if (!catalog::is_uuid(id)) throw ValidationError(field, "Invalid id provided");
}

std::string chosen_id(const Caller& caller, const std::string& given) {
  if (given.empty()) return catalog::new_id();
  if (!caller.sysadmin()) throw ValidationError("id", "The input field id was not expected.");
  check_uuid("id", given);
  return given;
}

bool may_see(const ActionContext& ctx, const catalog::Dataset& d) {
  if (d.state != "active") return ctx.caller.can_edit_dataset(d);  // deleted, draft
  return ctx.caller.visibility().may_read(d);
}

catalog::Dataset visible_dataset(ActionContext& ctx, const std::string& ref) {
  auto d = resolve_dataset(*ctx.services.store, ref);
  if (!d || !may_see(ctx, *d)) throw NotFound("Dataset not found");
  return std::move(*d);
}

void write_full_package(ActionContext& ctx, const catalog::Dataset& d, rapidjson::Value& out,
                        Alloc& a) {
  auto& store = *ctx.services.store;
  std::optional<catalog::Organization> org;
  if (!d.owner_org.empty()) org = store.organization(d.owner_org);
  catalog::write_package(d, org ? &*org : nullptr, out, a);
  rapidjson::Value quality;
  namespace q = catalog::quality;
  q::write_summary(
      q::score_dataset(d, org ? &*org : nullptr, q::link_results(store, d), q::today_utc()),
      quality, a);
  out.AddMember("quality", quality, a);
  rapidjson::Value requests;
  write_dataset_requests(ctx, d.id, requests, a);
  out.AddMember("datarequests", requests, a);
  // Reuses (활용사례) built on it: the dataset page lists them, reuse_list gives them.
  out.AddMember("reuse_count", store.count_reuses(d.id), a);
  auto groups = out.FindMember("groups");
  if (groups == out.MemberEnd() || !groups->value.IsArray()) return;
  for (auto& g : groups->value.GetArray()) {
    if (!g.IsObject() || !g.HasMember("name") || !g["name"].IsString()) continue;
    auto group = store.group(std::string(g["name"].GetString(), g["name"].GetStringLength()));
    if (!group) continue;
    g.AddMember("id", json_string(group->id, a), a);
    g.AddMember("title", json_string(group->title, a), a);
    g.AddMember("display_name",
                json_string(group->title.empty() ? group->name : group->title, a), a);
    g.AddMember("description", json_string(group->description, a), a);
  }
}

void write_user(const catalog::User& u, bool with_private, ActionContext& ctx,
                rapidjson::Value& out, Alloc& a) {
  out.SetObject();
  out.AddMember("id", json_string(u.id, a), a);
  out.AddMember("name", json_string(u.name, a), a);
  out.AddMember("fullname", json_string(u.fullname, a), a);
  out.AddMember("display_name", json_string(u.fullname.empty() ? u.name : u.fullname, a), a);
  out.AddMember("created", json_string(u.created, a), a);
  out.AddMember("state", json_string(u.state, a), a);
  out.AddMember("sysadmin", u.sysadmin, a);
  if (!with_private) return;
  out.AddMember("email", json_string(u.email, a), a);
  rapidjson::Value orgs(rapidjson::kArrayType);
  for (const auto& m : u.memberships) {
    rapidjson::Value o(rapidjson::kObjectType);
    o.AddMember("id", json_string(m.organization_id, a), a);
    auto org = ctx.services.store->organization(m.organization_id);
    o.AddMember("name", json_string(org ? org->name : "", a), a);
    o.AddMember("capacity", json_string(m.role, a), a);
    orgs.PushBack(o, a);
  }
  out.AddMember("organizations", orgs, a);
}

}  // namespace datamap::api::actions

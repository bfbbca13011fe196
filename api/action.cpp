#include "api/action.h"

#include "catalog/errors.h"

namespace datamap::api {

std::string Caller::role_in(std::string_view organization_id) const {
  if (!user) return "";
  for (const auto& m : user->memberships)
    if (m.organization_id == organization_id) return m.role;
  return "";
}

bool Caller::can_read_org(std::string_view organization_id) const {
  return visibility().sees_private_of(organization_id);
}

catalog::Visibility Caller::visibility() const {
  return user ? catalog::Visibility::of(*user) : catalog::Visibility::anonymous();
}

bool Caller::can_edit_org(std::string_view organization_id) const {
  if (sysadmin()) return true;
  std::string role = role_in(organization_id);
  return role == "admin" || role == "editor";
}

bool Caller::can_admin_org(std::string_view organization_id) const {
  return sysadmin() || role_in(organization_id) == "admin";
}

bool Caller::can_edit_dataset(const catalog::Dataset& d) const {
  if (can_edit_org(d.owner_org)) return true;
  if (!user) return false;
  for (const auto& c : user->collaborations)
    if (c.dataset_id == d.id) return c.capacity == "editor";
  return false;
}

void Registry::add(Action action) {
  std::string name = action.name;
  actions_[name] = std::move(action);
}

const Action* Registry::find(std::string_view name) const {
  auto it = actions_.find(name);
  return it == actions_.end() ? nullptr : &it->second;
}

void call_action(const Registry& registry, ActionContext& ctx, std::string_view name,
                 const rapidjson::Value& params, rapidjson::Document& result) {
  const Action* action = registry.find(name);
  if (!action) throw BadRequest("Bad request - Action name not known", "Action name not known: " + std::string(name));
  action->fn(ctx, params, result);
}

}  // namespace datamap::api

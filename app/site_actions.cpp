#include "app/site_actions.h"

#include "api/json.h"
#include "catalog/errors.h"

namespace datamap::app {

SiteActions::SiteActions(catalog::Store& store) {
  api::register_all_actions(registry_);
  services_.store = &store;
  services_.registry = &registry_;
}

rapidjson::Document SiteActions::call(const std::string& action, const rapidjson::Value& params,
                                      const api::MultipartFile* upload) {
  catalog::User site;
  site.id = "site";
  site.name = "site";
  site.sysadmin = true;
  api::ActionContext ctx{services_, api::Caller{site}};
  ctx.upload = upload;
  rapidjson::Document result;
  api::call_action(registry_, ctx, action, params, result);
  return result;
}

rapidjson::Document action_params(
    std::initializer_list<std::pair<const char*, std::string>> members) {
  rapidjson::Document d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  for (const auto& [k, v] : members)
    d.AddMember(rapidjson::StringRef(k), api::json_string(v, a), a);
  return d;
}

std::string describe_error(const std::exception& e) {
  if (auto* v = dynamic_cast<const ValidationError*>(&e)) {
    std::string s;
    for (const auto& [field, messages] : v->fields())
      for (const auto& m : messages) s += (s.empty() ? "" : "; ") + field + ": " + m;
    return s;
  }
  return e.what();
}

}  // namespace datamap::app

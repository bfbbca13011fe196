// The site's actions as every command sets them up: the registry of all actions over the
// catalog, with the services the command adds (search, map, harvester, ...). `serve` hands the
// registry and services to the HTTP routes; the CLI commands (`user add`, `harvest run`) call the
// same actions through call(), as the site's own sysadmin, so no command has rules of its own.
#pragma once

#include <rapidjson/document.h>

#include <exception>
#include <string>

#include "api/action.h"
#include "catalog/store.h"

namespace datamap::app {

class SiteActions {
 public:
  explicit SiteActions(catalog::Store& store);
  SiteActions(const SiteActions&) = delete;
  SiteActions& operator=(const SiteActions&) = delete;

  api::Services& services() { return services_; }
  const api::Registry& registry() const { return registry_; }

  // Runs `action` with `params` (and an uploaded file, as a multipart request carries one) as
  // the site's sysadmin ("site"); the action's typed errors (ValidationError, NotFound, ...)
  // propagate.
  rapidjson::Document call(const std::string& action, const rapidjson::Value& params,
                           const api::MultipartFile* upload = nullptr);

 private:
  api::Registry registry_;
  api::Services services_;
};

// A params object of string members, for call().
rapidjson::Document action_params(
    std::initializer_list<std::pair<const char*, std::string>> members);

// What a command prints for an action's error: a ValidationError's fields and messages
// ("name: Must be ..."), else what().
std::string describe_error(const std::exception& e);

}  // namespace datamap::app

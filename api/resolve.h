// The one identifier resolver. Every action, route and page that takes a dataset, organization
// or group turns the caller's reference into the record here, so all of them (catalog, search,
// map, harvest, DataStore, the DCAT and export routes, portal pages) accept exactly what
// package_show, organization_show and group_show accept:
//   dataset       id, name, source key (a data.go.kr 목록키)
//   organization  id, name, code (기관코드)
//   group         id, name
// An empty reference names nothing. Who may see the record is not decided here
// (actions::visible_dataset and the actions' own checks do that on top).
#pragma once

#include <optional>
#include <string_view>

#include "catalog/store.h"

namespace datamap::api {

std::optional<catalog::Dataset> resolve_dataset(catalog::Store& store, std::string_view ref);
std::optional<catalog::Dataset> resolve_dataset(catalog::Transaction& tx, std::string_view ref);
std::optional<catalog::Organization> resolve_organization(catalog::Store& store,
                                                          std::string_view ref);
std::optional<catalog::Organization> resolve_organization(catalog::Transaction& tx,
                                                          std::string_view ref);
std::optional<catalog::Group> resolve_group(catalog::Store& store, std::string_view ref);
std::optional<catalog::Group> resolve_group(catalog::Transaction& tx, std::string_view ref);

}  // namespace datamap::api

#include "api/formats/site.h"

namespace datamap::api::formats {

CatalogLookup CatalogLookup::load(catalog::Store& store) {
  CatalogLookup lookup;
  for (auto& o : store.organizations()) lookup.add(std::move(o));
  for (auto& g : store.groups()) lookup.add(std::move(g));
  return lookup;
}

void CatalogLookup::add(catalog::Organization o) {
  std::string id = o.id;
  organizations_[id] = std::move(o);
}

void CatalogLookup::add(catalog::Group g) {
  std::string name = g.name;
  groups_[name] = std::move(g);
}

const catalog::Organization* CatalogLookup::organization(std::string_view id) const {
  auto it = organizations_.find(id);
  return it == organizations_.end() ? nullptr : &it->second;
}

const catalog::Group* CatalogLookup::group(std::string_view name) const {
  auto it = groups_.find(name);
  return it == groups_.end() ? nullptr : &it->second;
}

std::string dataset_url(const SiteInfo& site, const catalog::Dataset& d) {
  return site.base_url + "/dataset/" + d.name;
}

std::string organization_url(const SiteInfo& site, const catalog::Organization& o) {
  return site.base_url + "/organization/" + o.name;
}

std::string group_url(const SiteInfo& site, std::string_view group_name) {
  return site.base_url + "/group/" + std::string(group_name);
}

}  // namespace datamap::api::formats

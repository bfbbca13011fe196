// What every standard output needs to know about this catalog beyond the datasets: its public
// base URL (IRIs are minted under it), its title and description, and the agencies and
// categories datasets refer to by id / name.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "catalog/model.h"
#include "catalog/store.h"

namespace datamap::api::formats {

struct SiteInfo {
  std::string base_url;  // "https://data.example.kr", no trailing slash
  std::string title = "datamap";
  std::string description = "Open public-data catalog and National Data Map";
  std::string modified;  // the catalog's last change (ISO 8601), "" when unknown
};

// Agencies by id and categories by name: one read of the store per request (992 agencies in
// the full data.go.kr list), instead of one per dataset.
class CatalogLookup {
 public:
  static CatalogLookup load(catalog::Store& store);
  void add(catalog::Organization o);
  void add(catalog::Group g);

  const catalog::Organization* organization(std::string_view id) const;  // null when unknown
  const catalog::Group* group(std::string_view name) const;

 private:
  std::map<std::string, catalog::Organization, std::less<>> organizations_;
  std::map<std::string, catalog::Group, std::less<>> groups_;
};

// "https://h/dataset/<name>", "https://h/organization/<name>", ...: the pages the portal serves,
// which are also the resources' IRIs.
std::string dataset_url(const SiteInfo& site, const catalog::Dataset& d);
std::string organization_url(const SiteInfo& site, const catalog::Organization& o);
std::string group_url(const SiteInfo& site, std::string_view group_name);

}  // namespace datamap::api::formats

// The catalog's datasets as DCAT-AP 3 (https://semiceu.github.io/DCAT-AP/releases/3.0.1/):
// dcat:Dataset with its mandatory and recommended properties, publisher as foaf:Agent, contact
// point as vcard:Kind, themes from the EU data-theme table (and the catalog's own categories),
// frequencies from the EU frequency table, formats as EU file types and IANA media types, and
// Korean / English literals tagged by language. The output conforms to the official SHACL shapes
// (tests/formats/validate_dcat.mjs runs them). Where DCAT-AP requires a value the record lacks
// (dct:description, dcat:accessURL) the nearest honest value is used and said below.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "api/formats/rdf_doc.h"
#include "api/formats/site.h"
#include "catalog/model.h"

namespace datamap::api::formats {

// Adds the dataset, its distributions and the nodes they refer to (publisher, contact point,
// themes, license, formats). A dataset without notes gets its title as dct:description; a
// resource without a usable URL gets the dataset's page as dcat:accessURL.
void add_dcat_dataset(RdfDoc& doc, const catalog::Dataset& d, const CatalogLookup& lookup,
                      const SiteInfo& site);

// Hydra paging of a catalog page (ckanext-dcat's hydra:PagedCollection): absolute page URLs.
struct HydraPage {
  std::string this_page, first, last, next, previous;  // next / previous "" when none
  std::int64_t total_items = 0;
  std::int64_t items_per_page = 0;
};

// The dcat:Catalog (at <base>/catalog) listing `datasets`, each described in full; `paging`
// may be null for an unpaged document.
void add_dcat_catalog(RdfDoc& doc, const std::vector<catalog::Dataset>& datasets,
                      const CatalogLookup& lookup, const SiteInfo& site, const HydraPage* paging);

std::string catalog_iri(const SiteInfo& site);

}  // namespace datamap::api::formats

// DCAT-US 1.1 (Project Open Data) data.json of the whole catalog, written one dataset at a time
// into a sink, so 61k datasets never sit in memory as one document.
//   DataJsonWriter w(site, lookup, sink); for each public dataset: w.add(d); w.finish();
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "api/formats/site.h"
#include "catalog/model.h"

namespace datamap::api::formats {

class DataJsonWriter {
 public:
  using Sink = std::function<void(std::string_view)>;
  // Writes the catalog's opening (conformsTo, describedBy, "dataset": [) at once.
  DataJsonWriter(const SiteInfo& site, const CatalogLookup& lookup, Sink sink);
  // One dataset. Private and deleted datasets are skipped: data.json is the public listing.
  void add(const catalog::Dataset& d);
  // Closes the array and the catalog. Call once.
  void finish();
  std::int64_t written() const { return written_; }

 private:
  const SiteInfo& site_;
  const CatalogLookup& lookup_;
  Sink sink_;
  std::int64_t written_ = 0;
};

// The ISO 8601 repeating interval DCAT-US uses for a frequency ("R/P1D"), "irregular", or "".
std::string iso8601_frequency(std::string_view frequency);

}  // namespace datamap::api::formats

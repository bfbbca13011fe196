#include "search/shard_facets.h"

#include "search/schema.h"

namespace datamap::search {

ShardFacetCounter::ShardFacetCounter(const std::vector<const FacetField*>& fields)
    : spy_(schema::kFacets) {
  for (const FacetField* f : fields) codes_.push_back(f->code);
}

FacetCounts ShardFacetCounter::counts(std::size_t i) const {
  FacetCounts out;
  const char code = codes_[i];
  for (auto it = spy_.values_begin(); it != spy_.values_end(); ++it) {
    const std::string blob = *it;
    const auto documents = static_cast<std::int64_t>(it.get_termfreq());
    std::size_t entries = 0;  // the doc table keeps a document's first 255 known entries
    for_each_facet_entry(blob, [&](char c, std::string_view value) {
      if (facet_field_index(c) < 0) return true;
      if (c == code) {
        auto found = out.find(value);
        if (found == out.end()) found = out.emplace(std::string(value), 0).first;
        found->second += documents;
      }
      return ++entries < 255;
    });
  }
  return out;
}

}  // namespace datamap::search

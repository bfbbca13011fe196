// Facet counts for a search over remote shards (xapian-tcpsrv, SearchOptions::remote_shards). A
// shard server runs only Xapian's own match spies, not the doc table's FacetCounter, so each
// shard counts its facet slot (schema::kFacets) whole with ValueCountMatchSpy — one count per
// distinct blob, merged across shards by Xapian — and the blobs are split here: a value's count is
// the sum of the counts of the blobs holding it, each entry counted as FacetCounter counts it.
// Exact; its cost grows with the distinct blobs among the matches (about one per match).
#pragma once

#include <xapian.h>

#include <vector>

#include "search/facets.h"

namespace datamap::search {

class ShardFacetCounter {
 public:
  explicit ShardFacetCounter(const std::vector<const FacetField*>& fields);
  // Add it to the Enquire of the pass that sees every match (check_at_least = database size).
  Xapian::MatchSpy* spy() { return &spy_; }
  // Counts of field i of the constructor's list.
  FacetCounts counts(std::size_t i) const;

 private:
  std::vector<char> codes_;
  Xapian::ValueCountMatchSpy spy_;
};

}  // namespace datamap::search

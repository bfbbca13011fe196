// The page of a search sorted by fields, over remote shards (searcher.h). Xapian's remote backend
// sorts by one value slot only (it runs no KeyMaker), but the full sort key begins with that
// slot's value, so the page sorted by the full key holds, position by position, the same
// first-field values as the page sorted by the slot alone. This takes the slot-sorted page, reads
// every match whose first-field value lies between the page's first and last, orders those by
// the full key and cuts the page from them after the matches that sort before that range.
// Exact; it reads all the matches that share the page's first-field values (few when the field is
// a timestamp, every match when all have the same value).
#pragma once

#include <xapian.h>

#include <vector>

namespace datamap::search {

struct PageItem {
  Xapian::Document doc;
  double weight = 0;
};

// `slot_page`: positions [start, start + its size) of `query` sorted by `slot` (set_sort_by_value
// with `descending`); `matches`: how many documents `query` matches; `keys`: the full sort key,
// ascending, whose first part is `slot` in that direction.
std::vector<PageItem> remote_sorted_page(const Xapian::Database& db, const Xapian::Query& query,
                                         const Xapian::Weight& weight, Xapian::valueno slot,
                                         bool descending, const Xapian::KeyMaker& keys,
                                         const Xapian::MSet& slot_page, Xapian::doccount start,
                                         Xapian::doccount matches);

}  // namespace datamap::search

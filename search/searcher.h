// One search over an open index: parses q / fq / sort, finds the page, the exact count and the
// facets, and fills the response from the stored package dicts. Stateless; the service gives
// each thread its own Xapian::Database.
#pragma once

#include <xapian.h>

#include "search/doc_table.h"
#include "search/readings.h"
#include "search/request.h"
#include "search/synonyms.h"

namespace datamap::search {

// `table` must mirror `db` (doc_table.h): facets and the popularity prior are read from it.
// Null when `db` is made of remote shards (xapian-tcpsrv runs only Xapian's own posting sources,
// match spies and sorts): the prior is then read from the popularity slot, facets are counted
// from the facet slot (shard_facets.h), a sort by fields orders by the first field only (ties in
// index order) and pages by offset, and search-after cursors are refused.
SearchResponse run_search(const Xapian::Database& db, const DocTable* table,
                          const SynonymTable& synonyms, const QueryReadings& readings,
                          const SearchRequest& request);

std::vector<AutocompleteItem> run_autocomplete(const Xapian::Database& db, const std::string& q,
                                               std::size_t limit, const SearchRequest& visibility);

}  // namespace datamap::search

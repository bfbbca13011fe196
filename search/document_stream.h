// Datasets read from the catalog and turned into search documents, for the writers of the
// index: the change-log followers (SearchService's batches, ShardIndexer's) and the rebuild (its
// runs).
//
// DocumentBuilder gives build_document() what it needs besides the dataset — the organization,
// the groups, the link checker's answers — asking the store for each organization and group once.
// build_documents() reads a list of datasets in one pass over the store and hands their
// documents to a writer, optionally building them on a second thread while the calling thread
// writes the previous ones (a bulk batch: Xapian's indexing and the analysis then run on two
// cores instead of one after the other).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "catalog/store.h"
#include "search/document.h"

namespace datamap::search {

// Not thread-safe: one per thread.
class DocumentBuilder {
 public:
  explicit DocumentBuilder(catalog::Store& store);
  DocumentBuilder(const DocumentBuilder&) = delete;
  DocumentBuilder& operator=(const DocumentBuilder&) = delete;
  BuiltDocument build(const catalog::Dataset& d);

 private:
  catalog::Store& store_;
  std::map<std::string, std::optional<catalog::Organization>> organizations_;
  std::map<std::string, std::optional<catalog::Group>> groups_;
  GroupLookup group_of_;
};

// Calls write(document) on the calling thread for each dataset of `ids` the store has (unknown
// ids skipped), in the order the store returns them (for_each_dataset_of: the order given).
// With `second_thread`, the reading and building run on a thread of its own, at most a few
// hundred documents ahead of the writer. An exception from either side stops both and is
// rethrown here, after the second thread has ended.
void build_documents(catalog::Store& store, std::span<const std::string> ids, bool second_thread,
                     const std::function<void(BuiltDocument&)>& write);

// The documents a run of changes touches, as index terms: a changed dataset's id term, and the
// owner term of a changed organization or group (its datasets carry its title in their package
// dicts and facets). The indexers rebuild these documents; the doc table re-reads them.
std::set<std::string> touched_terms(catalog::Store& store,
                                    const std::vector<catalog::Change>& changes);

// The dataset ids of the documents of `db` carrying `term` (the datasets of a changed
// organization or group).
std::vector<std::string> ids_with_term(const Xapian::Database& db, const std::string& term);

}  // namespace datamap::search

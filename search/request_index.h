// Data requests (catalog/demand.h) searchable as datasets are: the same analysis on both sides
// (a request's title is indexed as a dataset title is, document.h, plus two adjacent words that
// together are one vocabulary word, as 주차장 정보 -> 주차장정보; its description, wanted fields
// and agency as weighted text), queries built by the dataset search's QueryBuilder with
// its synonym table (common standard terms, the standard words' English names) and readings
// (jamo typos, romanisation). The requests live in a Xapian database of their own, so
// package_search can never return one, and a request search never returns a dataset.
//
// The index follows the catalog's change log ("datarequest" rows, which the demand records
// append in the same transaction as the request; "organization" rows re-read the agency's
// requests) and records the last revision it applied in its metadata, as the dataset index
// does. match() catches up first: a request is findable as soon as its write has committed.
// No index yet, or one written with another kSchemaVersion: rebuilt from the records.
//
// Thread safety: every method may be called from any thread (they take turns on one mutex).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "catalog/demand.h"
#include "catalog/store.h"
#include "search/readings.h"

namespace datamap::search {

class SynonymTable;

class RequestIndex {
 public:
  // The database lives in `dir` (created when missing). `synonyms` must outlive the index.
  // Throws std::runtime_error naming the directory when another process (a running server)
  // holds the index: one writer at a time.
  RequestIndex(catalog::Store& store, catalog::DemandRecords& records, std::string dir,
               const SynonymTable& synonyms, QueryReadings readings = {});
  ~RequestIndex();
  RequestIndex(const RequestIndex&) = delete;
  RequestIndex& operator=(const RequestIndex&) = delete;

  // Applies the change log's pending request changes; returns the revision applied.
  std::int64_t catch_up();
  // Every request indexed again from the records (`datamap reindex`); returns how many.
  std::int64_t rebuild();

  // The ids of the requests matching `q`, best first, at most `limit`: those with every word
  // (as package_search reads q), or, when none has every word, those with any of them.
  // Throws BadRequest("Search Query Error", ...) for a malformed q. With `plain_words`, q is
  // text (a draft title: brackets, quotes and colons are punctuation) and never malformed.
  std::vector<std::string> match(const std::string& q, std::size_t limit, bool plain_words = false);

  std::int64_t document_count();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace datamap::search

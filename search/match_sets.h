// The documents a query matches, as a set of docids computed from posting lists: how a ranked
// search counts its matches and their facets exactly without running Xapian's matcher a second
// time over every match (docs/BENCHMARKS.md "Search at 1M").
//
// Boolean operators become set operations: AND and FILTER intersect, OR and SYNONYM unite,
// AND_NOT subtracts, XOR keeps what an odd number of sides has; AND_MAYBE and SCALE_WEIGHT add
// weight, never documents, so they are their first side. A term is its posting list, MatchAll
// every document. A query with anything else in it (a phrase, a value range, a wildcard, a posting
// source, ...) has no set here: the caller counts with Xapian's matcher instead. So a set is
// exactly the documents Xapian would match, by construction; tests/search/match_sets_test.cpp
// compares the two over many queries.
//
// The sets of frequent terms are kept (a cache bounded in bytes, least recently used first out),
// because the words people search are few and common ones are the expensive ones to read. They
// belong to one revision of one index generation: a lookup by a database at another revision
// neither reads nor fills them, and the owner (DocTable) drops them when it moves forward.
//
// Thread safety: evaluate() may be called from many threads at once, each with its own
// Xapian::Database of the same generation.
#pragma once

#include <xapian.h>

#include <bit>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace datamap::search {

// A set of docids 0..size()-1, one bit each.
class DocSet {
 public:
  explicit DocSet(std::size_t docids) : words_((docids + 63) / 64, 0) {}
  void add(Xapian::docid did) { words_[did >> 6] |= std::uint64_t{1} << (did & 63); }
  std::size_t count() const;
  // Calls fn(docid) for each member, in increasing order.
  template <typename Fn>
  void for_each(Fn fn) const {
    for (std::size_t w = 0; w < words_.size(); ++w) {
      for (std::uint64_t bits = words_[w]; bits != 0; bits &= bits - 1) {
        fn(static_cast<Xapian::docid>(w * 64 + static_cast<std::size_t>(std::countr_zero(bits))));
      }
    }
  }
  void intersect(const DocSet& other);
  void unite(const DocSet& other);
  void subtract(const DocSet& other);
  void toggle(const DocSet& other);  // symmetric difference
  std::size_t bytes() const { return words_.size() * sizeof(std::uint64_t); }

 private:
  std::vector<std::uint64_t> words_;
};

class MatchSets {
 public:
  // cache_bytes: how much the kept term sets may take (a set is lastdocid / 8 bytes).
  explicit MatchSets(std::size_t cache_bytes = 32u << 20) : cache_bytes_(cache_bytes) {}

  // The documents of `db` that `query` matches, or null when the query has an operator a set
  // cannot answer (the caller then asks Xapian's matcher).
  std::shared_ptr<const DocSet> evaluate(const Xapian::Database& db, const Xapian::Query& query);

  // Forgets every kept set (the index changed).
  void clear();

  // For tests and benchmarks: term sets read from the index, and found kept.
  std::uint64_t terms_read() const { return terms_read_; }
  std::uint64_t terms_kept_hits() const { return hits_; }

 private:
  std::shared_ptr<const DocSet> term_set(const Xapian::Database& db, const std::string& term,
                                         std::size_t docids);
  std::shared_ptr<const DocSet> set_of(const Xapian::Database& db, const Xapian::Query& q,
                                       std::size_t docids);

  struct Entry {
    std::shared_ptr<const DocSet> set;
    std::list<std::string>::iterator age;  // position in lru_
  };
  std::mutex mu_;
  std::size_t cache_bytes_;
  std::size_t used_bytes_ = 0;
  Xapian::rev revision_ = 0;  // of the kept sets
  std::size_t docids_ = 0;    // their size
  std::unordered_map<std::string, Entry> kept_;
  std::list<std::string> lru_;  // most recently used first
  std::uint64_t terms_read_ = 0, hits_ = 0;
};

}  // namespace datamap::search

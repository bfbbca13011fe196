// What a search reads for every match besides its terms — the facet values and the popularity
// prior — held in memory by Xapian docid. Reading them from the index's value slots cost a
// B-tree block read (a pread) per match and was most of a search's time at 1M datasets
// (docs/BENCHMARKS.md "Search").
//
// A table mirrors one index generation at one catalog revision: it is read from the index once
// (two value streams), then brought forward by re-reading only the documents the change log says
// changed (see SearchService). Entries of deleted documents may linger: a deleted docid is in no
// posting list, so no search ever reaches it.
//
// Thread safety: none of its own. The service reads it under a shared lock and updates it under
// an exclusive one.
#pragma once

#include <xapian.h>

#include <array>
#include <cstdint>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "search/facets.h"
#include "search/match_sets.h"

namespace datamap::search {

class DocTable {
 public:
  // Reads every document's facet values and popularity from `db`.
  explicit DocTable(const Xapian::Database& db);

  // Re-reads from `db` every document indexed by one of these terms (a dataset's id term, an
  // organization's or group's term: see SearchService). Memory stays proportional to the live
  // documents: superseded values are dropped once they outnumber the live ones.
  void update(const Xapian::Database& db, const std::set<std::string>& terms);

  // log10(1 + views) + the quality share of a document (schema::kPopularity); 0 for a docid the
  // table does not know.
  float popularity(Xapian::docid did) const {
    return did < popularity_.size() ? popularity_[did] : 0.0f;
  }
  // An upper bound of popularity() over the documents numbered `did` and above. The index
  // numbers documents most viewed first (SearchService::reindex), so the bound falls as a match
  // advances and lets the matcher stop early.
  float max_popularity_from(Xapian::docid did) const {
    return did < suffix_max_.size() ? suffix_max_[did] : 0.0f;
  }
  Xapian::docid last_docid() const { return static_cast<Xapian::docid>(popularity_.size()) - 1; }

  // The facet values of a document, as value ids: field index (in facet_fields()) << 24 | the
  // value's number within its field.
  std::span<const std::uint32_t> values(Xapian::docid did) const {
    if (did >= first_.size()) return {};
    return {values_.data() + first_[did], count_[did]};
  }
  // Ask the CPU for a document's entries, then for its values, ahead of reading them
  // (FacetCounter::add_all).
  void prefetch_entry(Xapian::docid did) const {
    if (did >= first_.size()) return;
    __builtin_prefetch(first_.data() + did);
    __builtin_prefetch(count_.data() + did);
  }
  void prefetch_values(Xapian::docid did) const {
    if (did >= first_.size()) return;
    const std::uint32_t* values = values_.data() + first_[did];
    __builtin_prefetch(values);
    __builtin_prefetch(values + 16);  // ~20 values: two cache lines
  }
  static constexpr int kFieldShift = 24;
  static std::size_t field_of(std::uint32_t value) { return value >> kFieldShift; }
  static std::uint32_t number_of(std::uint32_t value) { return value & ((1u << kFieldShift) - 1); }
  // How many distinct values field `field` has, and the text of one.
  std::size_t value_count(std::size_t field) const { return texts_[field].size(); }
  std::size_t arena_size() const { return values_.size(); }  // live and superseded value ids
  std::string_view value_text(std::size_t field, std::uint32_t number) const {
    return *texts_[field][number];
  }

  // The match sets of this generation's searches (match_sets.h): internally synchronised, and
  // emptied when the table moves forward.
  MatchSets& match_sets() const { return match_sets_; }

 private:
  void set(Xapian::docid did, const std::string& facet_blob, const std::string& popularity);
  std::uint32_t intern(std::size_t field, std::string_view text);

  void compute_suffix_max();
  void compact_if_wasteful();

  std::vector<float> popularity_;
  std::vector<float> suffix_max_;
  std::vector<std::uint32_t> first_;  // by docid: where its value ids start in values_
  std::vector<std::uint8_t> count_;   // by docid: how many
  std::vector<std::uint32_t> values_;
  // Per facet field: value text -> number, and number -> text (pointing into the map's keys,
  // which do not move).
  std::vector<std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>>> numbers_;
  std::vector<std::vector<const std::string*>> texts_;
  mutable MatchSets match_sets_;
};

// Counts the values of the requested facet fields over every match: as a match spy, over each
// match the matcher reports (set check_at_least to the database size for exact counts), or over
// the members of a match set (add_all).
class FacetCounter : public Xapian::MatchSpy {
 public:
  FacetCounter(const DocTable& table, const std::vector<const FacetField*>& fields);
  void operator()(const Xapian::Document& doc, double) override { add(doc.get_docid()); }
  // Counts every member of a set (match_sets.h).
  void add_all(const DocSet& matches);
  // Counts one matching document.
  void add(Xapian::docid did) {
    for (std::uint32_t v : table_.values(did)) {
      const std::size_t field = DocTable::field_of(v);
      if (!(wanted_ & (1u << field))) continue;
      if (counts_[field][DocTable::number_of(v)]++ == 0) seen_.push_back(v);
    }
  }
  // Counts of field i of the constructor's list.
  FacetCounts counts(std::size_t i) const;

 private:
  const DocTable& table_;
  std::vector<std::size_t> fields_;              // field indexes, in the constructor's order
  std::uint32_t wanted_ = 0;                     // bit per field index
  std::vector<std::vector<std::uint32_t>> counts_;  // by field index, by value number
  std::vector<std::uint32_t> seen_;              // value ids counted at least once
};

// The popularity prior as a posting source: weight factor * log10(1 + views) for every
// document, read from the table, with a maximum weight that falls as it advances. The factor is applied here rather than with OP_SCALE_WEIGHT:
// with Xapian 1.4 a scaled posting source let the matcher stop early and return wrong first
// pages (measured: the top ten of 45 of 70 queries differed from the exhaustive match).
class PopularitySource : public Xapian::PostingSource {
 public:
  PopularitySource(const DocTable& table, double factor);
  void init(const Xapian::Database& db) override;
  Xapian::doccount get_termfreq_min() const override { return 0; }
  Xapian::doccount get_termfreq_est() const override { return doccount_; }
  Xapian::doccount get_termfreq_max() const override { return doccount_; }
  void next(double min_wt) override;
  void skip_to(Xapian::docid did, double min_wt) override;
  bool check(Xapian::docid did, double min_wt) override;
  bool at_end() const override { return did_ > last_; }
  Xapian::docid get_docid() const override { return did_; }
  double get_weight() const override { return factor_ * table_.popularity(did_); }
  PopularitySource* clone() const override { return new PopularitySource(table_, factor_); }
  std::string name() const override { return "datamap::PopularitySource"; }

 private:
  const DocTable& table_;
  double factor_;
  void lower_bound();  // tells the matcher the bound of the documents still ahead

  Xapian::docid did_ = 0;
  Xapian::docid last_ = 0;
  Xapian::doccount doccount_ = 0;
};

}  // namespace datamap::search

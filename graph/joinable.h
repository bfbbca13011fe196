// Joinable relations measured on values. Two datasets are joinable on a column pair when both
// columns carry the same key — a code semantic type (제공기관코드, 법정동코드, 행정동코드,
// 사업자등록번호, 우편번호) or else the same standard term — and their normalised value sets
// overlap. The figures come from the loader's column profiles in the catalog (never from the
// DataStore): exact value sets with row counts when both columns have at most 2,000 distinct
// values, else the bottom-k MinHash sketches (shared values estimated from the Jaccard index and
// the distinct counts; row shares then assume evenly spread values, and the reason says so).
//
// JoinIndex keeps every measured pair and, through an inverted index key -> datasets, re-measures
// only the pairs of a dataset whose profile changed: a (re)load costs its candidates, not the
// catalog.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "catalog/model.h"

namespace datamap::graph {

// One joinable column of a dataset's loaded resources.
struct JoinColumn {
  std::string key;     // what both columns must carry, e.g. "제공기관코드"
  std::string column;  // the column's name in its table
  std::string resource;  // the resource whose table holds it
  std::int64_t rows = 0;
  std::int64_t distinct = 0;
  std::vector<std::uint64_t> sketch;                                 // bottom-k, sorted
  std::vector<std::pair<std::uint64_t, std::int64_t>> value_counts;  // exact, sorted by hash
};
// The joinable columns of a dataset's resources (those with a value profile).
std::vector<JoinColumn> join_columns(const catalog::Dataset& d);

// What joining two columns yields, read from A's side (A = the first column given).
struct JoinMeasure {
  std::string key, column_a, column_b;
  std::string resource_a, resource_b;  // the resources holding the columns
  std::int64_t shared = 0;  // distinct normalised values in both
  double share_a = 0;       // of A's rows, the share whose value B has
  double share_b = 0;
  bool exact = false;  // exact value sets; false: MinHash estimate
  JoinMeasure swapped() const;
  // "joinable on 제공기관코드: 229 shared codes; 89% of A's rows and 88% of B's rows match
  // (exact value sets)"
  std::string text() const;
};
// Nothing when the values do not overlap or a side lacks a value profile.
std::optional<JoinMeasure> measure_join(const JoinColumn& a, const JoinColumn& b);

// Every measured pair between datasets (by id): the best column pair per key, strongest first.
struct JoinEdge {
  std::string a, b;  // dataset ids, a < b; measures read from a's side
  std::vector<JoinMeasure> measures;
};

class JoinIndex {
 public:
  // Replaces a dataset's columns (empty: it has none) and re-measures its pairs with the datasets
  // sharing a key. Returns how many pairs were measured.
  std::size_t update(const std::string& id, std::vector<JoinColumn> columns);
  void remove(const std::string& id) { update(id, {}); }
  void clear();
  // The measured pairs the map shows: each dataset's `per_dataset` strongest (best column pair's
  // share_a * share_b), so a key every loaded dataset carries (제공기관코드) does not hand the map
  // n^2/2 pairs; 0: all of them.
  std::vector<std::shared_ptr<const JoinEdge>> edges(std::size_t per_dataset = 32) const;
  std::size_t datasets() const { return columns_.size(); }

 private:
  std::unordered_map<std::string, std::vector<JoinColumn>> columns_;
  std::unordered_map<std::string, std::unordered_set<std::string>> postings_;  // key -> ids
  std::map<std::pair<std::string, std::string>, std::shared_ptr<const JoinEdge>> edges_;
  std::unordered_map<std::string, std::unordered_set<std::string>> partners_;  // id -> ids
};

}  // namespace datamap::graph

// Profiles one column from its raw text values, in one pass with bounded memory: the storage type
// every non-empty value fits (int, numeric, bool, date, timestamp, text — "0164A" and "01234"
// stay text so nothing is lost), null and distinct counts (exact up to a byte budget, then a
// HyperLogLog estimate), min/max, the 10 most frequent values, the semantic type (semantic.h),
// and for code-like columns a bottom-k value sketch.
#pragma once

#include <absl/container/flat_hash_map.h>
#include <absl/hash/hash.h>

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/model.h"
#include "datastore/loader.h"
#include "datastore/loader/semantic.h"
#include "datastore/loader/sketch.h"
#include "datastore/table_store.h"

namespace datamap::datastore::loader {

// The storage type of one trimmed value, as a set of the types it fits.
enum TypeBit : unsigned { kInt = 1, kNumeric = 2, kBool = 4, kDate = 8, kTimestamp = 16 };
unsigned fitting_types(std::string_view v);
// The storage type a column whose values all fit `bits` gets ("text" for 0).
const char* type_name(unsigned bits);
// Leading and trailing ASCII white space removed.
std::string_view trim_value(std::string_view v);
// A trimmed value's 64-bit hash: the key of the profiler's distinct-value table, and what the
// validator's duplicate-row hash is made of (the loader computes it once for both).
inline std::uint64_t value_hash(std::string_view trimmed) {
  return absl::Hash<std::string_view>{}(trimmed);
}
// The typed cell of a raw value for a column of `type` (a type chosen by the profiler, so the
// value fits); empty -> null.
Cell to_cell(std::string_view raw, std::string_view type);
// The same into `out`, reusing the string `out` holds (the loader's row, cell after cell).
void to_cell(std::string_view raw, std::string_view type, Cell& out);

class ColumnProfiler {
 public:
  ColumnProfiler(std::string name, std::string standard_term, const LoadOptions& options,
                 std::size_t distinct_budget);
  void add(std::string_view raw);
  // add() on each of `raw` in order, with the same result. Every value's distinct-value table
  // entry is prefetched first: the lookups of a column of thousands of distinct values miss
  // the cache (85 % of their time waiting for memory in `perf annotate`), and one by one each
  // waits for its own miss; issued together for a batch they overlap.
  // `hashes[i]` is value_hash(trim_value(raw[i])).
  void add(const std::vector<std::string_view>& raw, const std::vector<std::uint64_t>& hashes);
  // The storage type finish() would choose from the values added so far ("int", "numeric",
  // "bool", "date", "timestamp", "text"; "text" while there is no value). Types only widen as
  // values come: once it changes it never comes back.
  const char* type() const;
  // The TypeBits type() is decided from (0 while there is no value): a cheap "has it changed?".
  unsigned type_bits() const { return nonempty_ == 0 ? 0 : types_; }
  const std::string& name() const { return name_; }
  const std::string& standard_term() const { return term_; }
  catalog::ColumnProfile finish(std::int64_t rows);

 private:
  struct Candidate {
    Semantic kind;
    bool hinted;
    std::int64_t fits = 0;
    std::int64_t plausible = 0;
    bool dropped = false;
  };
  void add_trimmed(std::string_view v, std::uint64_t hash);
  void add_distinct(std::string_view v, std::uint64_t hash);
  // Every value of every column is looked up here, so the table is keyed by the value's 64-bit
  // hash (open addressing, one cache line per lookup), not by its text: a node-based
  // std::unordered_map of strings spent a third of a load's time in cache misses, and a flat
  // one of strings still half of that reading each value's text to compare it. Two different
  // values with one hash would count as one: with 64 bits, about one chance in 10^9 for a
  // column of 100,000 distinct values (the budget's most) — the exact counts ClickHouse's
  // uniqExact keeps are hashes too. Each distinct value's text is kept once, for the top values.
  // A slot is 16 bytes (the hash, the count and the value's number), so that a column's table
  // is half the memory (and of the cache) that one holding the text's offset and length needs:
  // those are read only at the end, from ends_. 32 bits are enough for both: a value counts at
  // most once per row (a file is at most a few GB), and the distinct values' text is bounded by
  // the column's budget (add_distinct stops counting new ones before 4 GB).
  struct Distinct {
    std::uint32_t count = 0;
    std::uint32_t index = 0;  // its number in ends_
  };
  using Counts = absl::flat_hash_map<std::uint64_t, Distinct>;
  std::string_view text_of(const Distinct& d) const {
    const std::uint32_t from = d.index == 0 ? 0 : ends_[d.index - 1];
    return std::string_view(values_).substr(from, ends_[d.index] - from);
  }
  // (Debian's abseil has its own string_view: std::string_view lookups need these functors.)
  struct ViewHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return value_hash(s); }
  };
  struct ViewEq {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const { return a == b; }
  };

  std::string name_, term_;
  const LoadOptions& options_;
  std::size_t budget_;
  std::int64_t nonempty_ = 0;
  unsigned types_ = kInt | kNumeric | kBool | kDate | kTimestamp;
  bool have_num_ = false;
  double min_num_ = 0, max_num_ = 0;
  std::string min_text_, max_text_;
  std::size_t max_len_ = 0;
  Counts counts_;
  std::string values_;               // the distinct values' text, end to end
  std::vector<std::uint32_t> ends_;  // each distinct value's end in values_, in order of arrival
  std::size_t bytes_ = 0;
  bool overflow_ = false;
  HyperLogLog hll_;
  BottomK sketch_;
  bool sketching_ = false;  // a code-like column by its name or hinted semantic type
  // Rows per normalised value (by its sketch hash) while there are at most
  // ColumnProfile::kExactValuesMax of them; past that the sketch alone (exact_overflow_).
  absl::flat_hash_map<std::uint64_t, std::int64_t> exact_;
  bool exact_overflow_ = false;
  std::vector<Candidate> candidates_;
  // 제공기관코드: organization lookups, one per distinct code.
  bool match_orgs_ = false;
  absl::flat_hash_map<std::string, std::string, ViewHash, ViewEq> org_of_code_;
  std::int64_t org_matches_ = 0;
};

}  // namespace datamap::datastore::loader

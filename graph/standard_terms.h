// The common standard terms (공통표준용어, data/standard/terms.csv) and their detection in a
// dataset. Two datasets that carry the same standard term can be joined on it, which makes the
// term the strongest relation on the map. A term is carried when a column names it (its term,
// name or English abbreviation) or when the term or one of its synonyms (용어 이음동의어 목록)
// occurs in the title, description or keywords. Immutable after load; safe to share.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "catalog/model.h"
#include "catalog/standard_terms.h"
#include "graph/aho_corasick.h"

namespace datamap::graph {

using StandardTerm = catalog::StandardTerm;  // read by catalog/standard_terms.h

class StandardTerms {
 public:
  // Reads terms.csv (catalog::StandardTermIndex::load, shared with other holders of the same
  // file). Throws std::runtime_error when the file is missing or lacks the term-name column.
  static std::shared_ptr<const StandardTerms> load(const std::string& csv_path);
  // For tests: terms given directly.
  static std::shared_ptr<const StandardTerms> from_terms(std::vector<StandardTerm> terms);

  std::size_t size() const { return index_->size(); }
  const StandardTerm& term(std::uint32_t id) const { return index_->term(id); }
  // Exact lookup of a term by its name, a synonym or its abbreviation (ASCII case-insensitive).
  // Returns -1 when unknown.
  std::int64_t find(std::string_view text) const { return index_->find(text); }
  const catalog::StandardTermIndex& index() const { return *index_; }

  // The terms a dataset carries, sorted, unique.
  std::vector<std::uint32_t> detect(const catalog::Dataset& d) const;
  // Terms occurring in free text: maximal occurrences only (법정동코드 hides 법정동 and 코드
  // inside it), and terms of two syllables or fewer only where a word starts, since short ones
  // like 경도 occur inside unrelated words. Sorted, unique.
  std::vector<std::uint32_t> detect_in_text(std::string_view text) const;
  // The spelling of `term` (its name or a synonym) that occurs in `text`, or "" if none does.
  std::string occurrence(std::uint32_t term, std::string_view text) const;

 private:
  StandardTerms() = default;
  void build_matcher();

  // The matcher over an index (load's shared one, or from_terms' own).
  static std::shared_ptr<const StandardTerms> from_index(
      std::shared_ptr<const catalog::StandardTermIndex> index);
  std::shared_ptr<const catalog::StandardTermIndex> index_;
  AhoCorasick matcher_;
  struct Pattern {
    std::string text;  // lower-cased ASCII
    std::uint32_t term;
    bool needs_word_start;
  };
  std::vector<Pattern> patterns_;
};

}  // namespace datamap::graph

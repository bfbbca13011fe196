// The common standard terms (공통표준용어, data/standard/terms.csv): reading the list and looking a
// column name up in it. One piece of code for every layer that needs the terms: graph/ builds its
// free-text detection on top of it, and datastore/ matches the header of a loaded file's columns.
// Immutable after construction; safe to share between threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace datamap::catalog {

struct StandardTerm {
  std::string name;          // 공통표준용어명, e.g. "법정동코드"
  std::string abbreviation;  // 공통표준용어영문약어명, e.g. "STDG_CD" ("" if none)
  std::vector<std::string> synonyms;  // 이음동의어
  // 공통표준도메인명, e.g. "연월일C8", "여부C1", "명V200" ("" if none): the domain's name
  // carries its type letter and length, which is what data validation checks values against.
  std::string domain;
};

// Reads terms.csv (UTF-8 or CP949, header row, columns found by header name; names and synonyms
// NFC). Throws std::runtime_error when the file is missing or lacks the term-name column.
std::vector<StandardTerm> read_standard_terms(const std::string& csv_path);

class StandardTermIndex {
 public:
  // The list names a few terms twice (e.g. 상호): one id per distinct name, synonyms merged.
  explicit StandardTermIndex(std::vector<StandardTerm> terms);
  // read_standard_terms(csv_path) indexed. One index per path while any holder keeps it: the
  // map's term detection and the DataStore's header matching share it in a server (reading and
  // indexing the 14k terms is ~8% of a server's start).
  static std::shared_ptr<const StandardTermIndex> load(const std::string& csv_path);

  std::size_t size() const { return terms_.size(); }
  const StandardTerm& term(std::uint32_t id) const { return terms_[id]; }
  // Exact lookup of a term by its name, a synonym or its abbreviation (ASCII case-insensitive,
  // surrounding white space ignored). A string that is one term's name and another's synonym
  // means the former. Returns -1 when unknown.
  std::int64_t find(std::string_view text) const;
  // The id of a synonym or name spelling as find() would resolve it, for callers that index
  // spellings themselves (graph/'s text detection).
  bool resolves_to(std::string_view spelling, std::uint32_t id) const {
    return find(spelling) == id;
  }

 private:
  std::vector<StandardTerm> terms_;
  std::unordered_map<std::string, std::uint32_t> exact_;  // lower-cased name/synonym/abbr -> term
};

}  // namespace datamap::catalog

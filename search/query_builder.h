// Turns parsed q / fq trees into Xapian queries. q: analysed text (particle stripping, bigrams,
// stemming, synonyms) over the weighted free-text terms, with a boost for title, phrase and
// exact-title matches. fq: boolean filters on facet fields, ids, names and value ranges.
#pragma once

#include <xapian.h>

#include <functional>
#include <string>
#include <unordered_set>
#include <vector>

#include "search/query_parser.h"
#include "search/readings.h"
#include "search/synonyms.h"

namespace datamap::search {

// Field names valid in q and fq.
bool is_query_field(std::string_view name);

struct BuiltQuery {
  Xapian::Query match;  // what must match (MatchAll when there is no text)
  Xapian::Query boost;  // optional extra weight (title terms, phrases, exact title); may be empty
  bool has_text = false;
  std::unordered_set<std::string> highlight_terms;  // stems and surface forms to mark
  std::vector<std::string> words;                    // the query's words, for spelling
  // Per word of `words`, the jamo-level corrections searched with it (typo.h; empty for most
  // words), for "did you mean".
  std::vector<std::vector<std::string>> corrections;
};

class QueryBuilder {
 public:
  // `canonical`: SearchRequest::canonical, applied to organization, owner_org and groups values.
  using Canonical = std::function<std::string(const std::string&, const std::string&)>;
  // A term's rarity in the index, BM25's idf (> 0), or 0 when no document has it: a Latin word
  // is searched as a romanised title word (schema::kRomanized) only when some title has it,
  // weighted by how rare it is. Without it, never.
  using TermRarity = std::function<double(const std::string&)>;
  explicit QueryBuilder(const SynonymTable& synonyms, Canonical canonical = {},
                        QueryReadings readings = {}, TermRarity term_rarity = {})
      : synonyms_(synonyms),
        canonical_(std::move(canonical)),
        readings_(readings),
        term_rarity_(std::move(term_rarity)) {}

  // `relaxed`: text runs match when any of their words do (the fallback when the strict
  // query finds nothing).
  BuiltQuery build_q(const QueryNode& root, bool relaxed);
  Xapian::Query build_filter(const QueryNode& root);

 private:
  Xapian::Query node(const QueryNode& n, bool scoring, bool relaxed, BuiltQuery& out, int& terms);
  Xapian::Query text(const std::string& value, const std::string& prefix, bool phrase,
                     bool relaxed, BuiltQuery& out, int& terms);
  Xapian::Query field(const QueryNode& n, bool scoring, bool relaxed, BuiltQuery& out, int& terms);
  Xapian::Query range(const QueryNode& n);

  const SynonymTable& synonyms_;
  Canonical canonical_;
  QueryReadings readings_;
  TermRarity term_rarity_;
};

}  // namespace datamap::search

// Query-time synonym groups: the common standard terms' 이음동의어 (data/standard/terms.csv) and a
// curated Korean<->English list (data/search/synonyms.txt, one comma-separated group per line).
// Entries are analysed like queries, so "Fine Dust" and "미세먼지를" look up the same group.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace datamap::search {

class SynonymTable {
 public:
  // Each load_* adds groups; a missing file is an error (std::runtime_error).
  void load_curated(const std::string& path);
  void load_standard_terms(const std::string& terms_csv_path);
  // The common standard words (data/standard/words.csv): each English name leads to its Korean
  // word (Hospital -> 병원, Library -> 도서관; one way), so English queries reach Korean titles
  // through a real bilingual list. English names of more than kMaxEnglishNameWords words
  // are left out (nobody types "Reference Amount For One Serving"), and so is an English name
  // shared by more than kMaxWordsPerEnglishName Korean words (too vague to expand).
  void load_standard_words(const std::string& words_csv_path);
  // A hand-written English -> Korean dictionary of the catalog's most frequent title words
  // (data/search/english.txt: `한국어: english, english phrase` a line), one way like the
  // standard words' English names: English queries reach Korean titles for everyday words the
  // standard words do not name (bicycle, bus, library's neighbours).
  void load_english(const std::string& path);
  // Related words learnt from the catalog's own text (data/search/related.txt, made by
  // scripts/learn_related.sh: `word: title word, title word` a line): a word leads to its nearest
  // title-vocabulary words in word vectors trained on the catalog's titles and descriptions.
  // One way; looked up with related() and searched below the word as typed (query_builder.cpp).
  void load_related(const std::string& path);
  void add_group(const std::vector<std::string>& phrases);
  // The title words `stem` (one Hangul stem) is related to; empty for most words.
  const std::vector<std::string>& related(const std::string& stem) const;
  std::size_t related_count() const { return related_.size(); }

  // The other phrases of every group `phrase` (a sequence of token stems joined by ' ')
  // belongs to, each as its own sequence of stems.
  std::vector<std::vector<std::string>> expansions(const std::string& phrase) const;
  std::size_t group_count() const { return groups_.size(); }
  // Longest phrase length (in tokens) of any entry: how far the query side looks ahead.
  std::size_t max_phrase_tokens() const { return max_tokens_; }

 private:
  std::vector<std::vector<std::vector<std::string>>> groups_;  // group -> phrases -> stems
  std::unordered_map<std::string, std::vector<std::size_t>> index_;  // phrase key -> groups
  std::size_t max_tokens_ = 1;
  std::unordered_map<std::string, std::vector<std::string>> related_;  // stem -> title words

  // A group only `from` leads to: `from` finds `to`, `to` does not find `from`.
  void add_one_way(std::vector<std::string> from, std::vector<std::string> to);
};

// The key of a sequence of stems.
std::string phrase_key(const std::vector<std::string>& stems);

}  // namespace datamap::search

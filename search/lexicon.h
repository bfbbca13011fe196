// The compound splitter. Korean titles run words together (전국자전거대여소표준데이터), so a
// Hangul word is split into the words of a vocabulary learnt from the catalog's titles
// (data/search/vocabulary.txt: words seen standing alone in several titles, plus the common
// standard words). Both the index and the query use the split, so 자전거 대여소 finds
// 전국자전거대여소표준데이터 through whole words, not only through syllable bigrams.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace datamap::search {

inline constexpr std::size_t kMaxVocabularySyllables = 10;

class Lexicon {
 public:
  // Adds the words of a vocabulary file (one a line, '#' comments); throws when unreadable.
  void load(const std::string& path);
  void add(std::string_view word);
  bool contains(std::string_view word) const { return words_.count(std::string(word)) > 0; }
  std::size_t size() const { return words_.size(); }
  const std::unordered_set<std::string>& words() const { return words_; }

  // The best split of a Hangul word into pieces: vocabulary words, with the unknown stretches
  // between them as pieces of their own (야영 of 전국야영). Best = fewest syllables left
  // unknown, then fewest pieces. Empty when no vocabulary word (other than the word itself)
  // is inside, or the word is too long to bother (over 24 syllables).
  std::vector<std::string> split(std::string_view word) const;

  // Every vocabulary word on any split that leaves as few syllables unknown as the best one,
  // plus the unknown stretches of the best split; never the word itself nor single syllables:
  // 전국도시공원정보표준데이터 -> 전국, 도시공원정보, 도시공원, 도시, 공원, 정보, 표준데이터, ...
  std::vector<std::string> nested_words(std::string_view word) const;

 private:
  std::unordered_set<std::string> words_;
};

// The vocabulary the index and the queries use: data/search/vocabulary.txt, found like the
// synonym files (service.h default_data_file), loaded once per process.
const Lexicon& default_lexicon();

}  // namespace datamap::search

// Typo tolerance at the jamo level. A Hangul syllable is three keystrokes or so (ㅂ+ㅕ+ㅇ), and
// the usual typing mistakes are one jamo wrong, missing, doubled or swapped (병윈 for 병원, 겨찰서
// for 경찰서). Compared syllable by syllable these look as far apart as unrelated words; compared
// jamo by jamo they are one edit away. The corrector decomposes the vocabulary's words (the
// compound splitter's, lexicon.h: words standing alone in catalog titles plus the common
// standard words) with the arithmetic decomposition of U+AC00..U+D7A3 and keeps their one-jamo
// deletions in a table (the symmetric-deletion scheme), so a lookup costs a few hash probes.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace datamap::search {

// The jamo of a Hangul word, one byte each (initial, medial, final consonant codes); empty when
// the word holds anything but precomposed Hangul syllables.
std::string hangul_jamo(std::string_view word);

// Optimal-string-alignment distance (insertions, deletions, substitutions, adjacent swaps).
std::size_t osa_distance(std::string_view a, std::string_view b);

class TypoCorrector {
 public:
  void add(std::string_view word);
  // Vocabulary words one jamo edit from `word` (never `word` itself), at most `limit`, the
  // longest first (a longer word is the more specific reading); empty for a word in the
  // vocabulary, for a non-Hangul word and below two syllables.
  std::vector<std::string> corrections(std::string_view word, std::size_t limit = 3) const;
  std::size_t size() const { return words_.size(); }

 private:
  std::unordered_map<std::string, std::string> words_;                 // jamo -> word
  std::unordered_map<std::string, std::vector<std::string>> deletes_;  // jamo minus one -> jamo
};

// The corrector over default_lexicon(), built once per process.
const TypoCorrector& default_typo_corrector();

}  // namespace datamap::search

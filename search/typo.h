// Typo tolerance at the jamo level. A Hangul syllable is three keystrokes or so (ㅂ+ㅕ+ㅇ), and
// the usual typing mistakes are one jamo wrong, missing, doubled or swapped (병윈 for 병원, 겨찰서
// for 경찰서). Compared syllable by syllable these look as far apart as unrelated words; compared
// jamo by jamo they are one edit away. The corrector decomposes the vocabulary's words (the
// compound splitter's, lexicon.h: words standing alone in catalog titles plus the common
// standard words) with the arithmetic decomposition of U+AC00..U+D7A3 and keeps their one-jamo
// deletions in a table (the symmetric-deletion scheme), so a lookup costs a few hash probes.
// The table is one sorted array of (hash of a key, word): every server builds it at start, and
// a hash map of strings to lists of strings cost ~0.1 CPU s there (2.9 s under ASan, where the
// suite starts hundreds of servers); a hash that collides only adds a candidate that the
// distance check drops.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace datamap::search {

// The jamo of a Hangul word, one byte each (initial, medial, final consonant codes); empty when
// the word holds anything but precomposed Hangul syllables.
std::string hangul_jamo(std::string_view word);

// Optimal-string-alignment distance (insertions, deletions, substitutions, adjacent swaps).
std::size_t osa_distance(std::string_view a, std::string_view b);

class TypoCorrector {
 public:
  // Over these words; those below two syllables or holding anything but Hangul are left out.
  explicit TypoCorrector(const std::vector<std::string_view>& words);
  // Vocabulary words one jamo edit from `word` (never `word` itself), at most `limit`, the
  // longest first (a longer word is the more specific reading); empty for a word in the
  // vocabulary, for a non-Hangul word and below two syllables.
  std::vector<std::string> corrections(std::string_view word, std::size_t limit = 3) const;
  std::size_t size() const { return words_.size(); }

 private:
  struct Word {
    std::string jamo, text;
  };
  struct Key {
    std::uint64_t hash;  // of the word's jamo or of one of its one-jamo deletions
    std::uint32_t word;  // index into words_
    bool operator<(const Key& o) const { return hash != o.hash ? hash < o.hash : word < o.word; }
  };
  // The words whose jamo or a deletion of it hash as `jamo` minus its byte `skip` (npos: none).
  template <typename Fn>
  void for_each_word_keyed(std::string_view jamo, std::size_t skip, Fn fn) const;

  std::vector<Word> words_;
  std::vector<Key> keys_;  // sorted
};

// The corrector over default_lexicon(), built once per process.
const TypoCorrector& default_typo_corrector();

}  // namespace datamap::search

// Romanised Korean in English queries. People abroad write place and agency names in Latin
// letters (Busan, Incheon, Gyeonggi, Jeju) while titles write them in Hangul. The vocabulary's
// words (lexicon.h) are romanised once with ICU's "Hangul-Latin" transliterator (close to the
// Revised Romanization) and looked up by a loose key, so a query word finds the Hangul word it
// spells. The key forgives what differs between ICU's letter-by-letter output and the spellings
// people use: hyphens and apostrophes, k/g t/d p/b r/l (RR writes a final ㄱ as k), doubled
// letters (jeollabukdo) — busan, Busan and BUSAN give one key.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace datamap::search {

// The loose key of a romanised word (ASCII letters only; empty for anything else).
std::string romanization_key(std::string_view latin);

// A Hangul word romanised syllable by syllable (ICU's "Hangul-Latin" of each syllable, kept in a
// table built once: the same letters as ICU gives the whole word, without its separators, and
// thread-safe and cheap enough for every title word of a reindex). Empty when the word holds
// anything but Hangul syllables (이사ㆍ감사, 2022년), as ICU's output is no key then.
std::string romanize_hangul(std::string_view hangul);

// Whether a case-folded English word names the administrative unit a Hangul place name ends with
// (city / si / hall for 구미시, district / gu / office for 강남구, metropolitan / city for
// 부산광역시): the words of local governments' English names, which an English query may write
// after the romanised name and the Hangul name already says.
bool names_administrative_unit(std::string_view english, std::string_view place);

// The loose keys a Hangul word is indexed under for romanised queries (schema::kRomanized): its
// own, and without its administrative unit or as a province's short name (see RomanizedLexicon);
// keys shorter than the lexicon's minimum are left out. Empty for a word with no Hangul.
std::vector<std::string> romanized_keys(const std::string& hangul);

class RomanizedLexicon {
 public:
  // Adds a Hangul word under the key of its romanisation (`romanised`, e.g. ICU's output).
  void add(const std::string& hangul, std::string_view romanised);
  // The Hangul words a Latin word spells, at most a few (ambiguous keys keep the first ones).
  const std::vector<std::string>* hangul_of(std::string_view latin) const;
  std::size_t size() const { return by_key_.size(); }

 private:
  std::unordered_map<std::string, std::vector<std::string>> by_key_;
};

// The vocabulary (lexicon.h) romanised, built once per process.
const RomanizedLexicon& default_romanized_lexicon();

}  // namespace datamap::search

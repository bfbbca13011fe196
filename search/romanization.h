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

// Text analysis shared by indexing and querying, so both sides always agree on terms.
// Korean: a Hangul word loses its trailing particle or ending (주차장을 / 주차장은 -> 주차장) and
// long words are also indexed as syllable bigrams (the CJK n-gram scheme) and as the vocabulary
// words inside them (lexicon.h), so a compound such as 공공자전거 is found by 자전거. English: lower case plus Snowball stemming. Numbers and codes
// (2022, B552895, pm2.5, covid-19) stay whole. Input must be valid NFC UTF-8: the catalog stores
// NFC and queries are normalised before they get here.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace datamap::search {

enum class Script { Hangul, Latin, Number, Code, Other };

struct Token {
  std::string text;   // case-folded surface form
  std::string stem;   // Hangul: particle stripped; Latin: Snowball English stem; else == text
  Script script = Script::Other;
  bool part = false;  // a piece of the code token just before it (covid of covid-19)
  std::size_t begin = 0, end = 0;  // byte range in the analysed string (for highlighting)
};

// NFC + case folding + splitting into tokens (punctuation and spaces separate them; a change of
// script too: 2022년 -> 2022, 년). A code joined by . - _ between letters/digits (pm2.5,
// covid-19) yields the whole code followed by its parts.
std::vector<Token> tokenize(std::string_view text);

// The stem of one case-folded Hangul word: the longest known particle/ending removed, keeping at
// least two syllables (국가 stays 국가, 주차장에서는 becomes 주차장).
std::string strip_korean_ending(std::string_view word);

// Words people add to a question that carry no topic: 찾고, 싶어요, 알려줘, 관련, 있는, please ...
bool is_query_stopword(const Token& token);

// Syllable bigrams of a Hangul word ("자전거" -> 자전, 전거); empty below three syllables.
std::vector<std::string> hangul_bigrams(std::string_view word);

// Case-folded copy (no tokenizing), for sort keys and exact-title keys.
std::string fold(std::string_view text);

// Generic words (정보, 현황, 조회, 서비스, 목록 ...) that nearly every title has: in a query with
// other words they only add weight, they are not required.
bool is_generic_word(std::string_view stem);

// The terms a token contributes to the index: its stem and surface form; for a Hangul word
// also its syllable bigrams and the words the compound splitter (lexicon.h) finds inside it.
std::vector<std::string> index_terms(const Token& token);

// The bigrams and compound parts of a Hangul stem (index_terms without stem and surface form).
std::vector<std::string> hangul_terms(const std::string& stem);

// The words a title writes with an alternative in brackets, read both ways: 야영(캠핑)장 ->
// 야영장, 캠핑장; 노인(요양)복지시설 -> 노인복지시설, 요양복지시설. Only Hangul on every side,
// with no space around the brackets.
std::vector<std::string> bracket_readings(std::string_view text);

// Number of Unicode code points.
std::size_t utf8_length(std::string_view s);

}  // namespace datamap::search

// Text analysis shared by indexing and querying, so both sides always agree on terms.
// Korean: a Hangul word loses its trailing particle or ending (주차장을 / 주차장은 -> 주차장) and
// long words are also indexed as syllable bigrams (the CJK n-gram scheme), so a compound such as
// 공공자전거 is found by 자전거. English: lower case plus Snowball stemming. Numbers and codes
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

// Words inside a Hangul compound of a public-data title, found by peeling the affixes such titles
// are built from: 전국어린이집표준데이터 -> 어린이집표준데이터, 어린이집, 표준데이터, 전국;
// 버스정류소위치정보 -> 버스정류소위치, 버스정류소, 정보, 위치. Empty when there is nothing to peel.
std::vector<std::string> decompound(std::string_view stem);

// Generic words (정보, 현황, 조회, 서비스, 목록 ...) that nearly every title has: in a query with
// other words they only add weight, they are not required.
bool is_generic_word(std::string_view stem);

// The terms a token contributes to the index (and that the query side looks for).
std::vector<std::string> index_terms(const Token& token);

// Number of Unicode code points.
std::size_t utf8_length(std::string_view s);

}  // namespace datamap::search

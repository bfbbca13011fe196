// Korean-aware full text for the DataStore's `q`, independent of the engine. SQLite's unicode61
// tokenizer keeps 율하체육공원 as one token, so 공원 would never match it; every run of Hangul
// syllables is therefore also indexed as its character bigrams (율하 하체 체육 육공 공원), and a
// Korean query word becomes the phrase of its bigrams: any substring of two or more syllables
// matches, in order. Other words match as token prefixes (park → parking).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace datamap::datastore {

// Appends to `doc` the text to index for one value: the value, then its Hangul bigrams.
void append_fulltext(std::string_view value, std::string& doc);

// The FTS5 MATCH expression for a user's query (words ANDed); "" when it has no words.
// Every word is quoted, so FTS5 syntax in the query (NEAR, *, ^, ") is only text.
std::string fulltext_match(std::string_view query);

// The words of a user's query as the index is searched for them: a Korean word of two or more
// syllables as the phrase of its bigrams (space-separated, prefix false), any other word as
// given, matching as a prefix of its last token. Lone punctuation is dropped.
struct FulltextWord {
  std::string text;
  bool prefix = false;
};
std::vector<FulltextWord> fulltext_words(std::string_view query);

// The tokens of a document or a word as SQLite FTS5's `ascii` tokenizer makes them (the one the
// SQLite backend uses): runs of ASCII letters and digits and of non-ASCII bytes, ASCII letters
// lower-cased. Another engine tokenizing with this finds exactly what FTS5 finds.
std::vector<std::string> fulltext_tokens(std::string_view text);

// True when every value holding `text` as a substring is found by fulltext_match(text): a word of
// two or more Hangul syllables and nothing else (its bigrams are indexed in order wherever it
// appears). A contains-filter on such a word can be narrowed by the index and then checked.
bool fulltext_finds_substring(std::string_view text);

}  // namespace datamap::datastore

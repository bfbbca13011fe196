#include "datastore/fulltext.h"

#include <cstdint>

namespace datamap::datastore {
namespace {

// One UTF-8 code point from s at i (advancing i); malformed bytes are taken one at a time.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  auto b = static_cast<unsigned char>(s[i]);
  int n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 1;
  if (i + n > s.size()) n = 1;
  char32_t c = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
  for (int k = 1; k < n; ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += n;
  return c;
}

bool is_hangul(char32_t c) {
  return c >= 0xAC00 && c <= 0xD7A3;
}

// The Hangul runs of `s` as lists of their syllables (each a UTF-8 slice of s).
std::vector<std::vector<std::string_view>> hangul_runs(std::string_view s) {
  std::vector<std::vector<std::string_view>> runs;
  std::vector<std::string_view> run;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t start = i;
    char32_t c = next_code_point(s, i);
    if (is_hangul(c)) {
      run.push_back(s.substr(start, i - start));
    } else if (!run.empty()) {
      runs.push_back(std::move(run));
      run.clear();
    }
  }
  if (!run.empty()) runs.push_back(std::move(run));
  return runs;
}

void append_quoted(std::string_view text, std::string& out) {
  out += '"';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

bool all_hangul(std::string_view word) {
  for (std::size_t i = 0; i < word.size();)
    if (!is_hangul(next_code_point(word, i))) return false;
  return true;
}

bool has_word_character(std::string_view word) {
  for (char c : word) {
    auto b = static_cast<unsigned char>(c);
    if (b >= 0x80 || (b >= '0' && b <= '9') || ((b | 0x20) >= 'a' && (b | 0x20) <= 'z'))
      return true;
  }
  return false;
}

}  // namespace

void append_fulltext(std::string_view value, std::string& doc) {
  if (value.empty()) return;
  if (!doc.empty()) doc += ' ';
  // A Hangul run that is a whole word is written as its bigrams only (its phrase finds it,
  // and every substring); one inside a longer token (공영42) stays, and its bigrams follow.
  // Fewer tokens make the bulk load's index build faster.
  std::string extra;
  auto is_word_byte = [](unsigned char b) {
    return b >= 0x80 || (b >= '0' && b <= '9') || ((b | 0x20) >= 'a' && (b | 0x20) <= 'z');
  };
  std::size_t i = 0;
  while (i < value.size()) {
    std::size_t start = i;
    std::vector<std::string_view> run;
    std::size_t end = i;
    for (std::size_t j = i; j < value.size();) {
      std::size_t at = j;
      if (!is_hangul(next_code_point(value, j))) break;
      run.push_back(value.substr(at, j - at));
      end = j;
    }
    if (run.empty()) {
      doc += value[i++];
      continue;
    }
    bool whole = (start == 0 || !is_word_byte(static_cast<unsigned char>(value[start - 1]))) &&
                 (end == value.size() || !is_word_byte(static_cast<unsigned char>(value[end])));
    std::string bigrams;
    for (std::size_t k = 0; k + 1 < run.size(); ++k) {
      if (!bigrams.empty()) bigrams += ' ';
      bigrams.append(run[k]);
      bigrams.append(run[k + 1]);
    }
    if (whole && run.size() >= 2) {
      doc += bigrams;
    } else {
      doc.append(value.substr(start, end - start));
      if (!bigrams.empty()) extra += ' ' + bigrams;
    }
    i = end;
  }
  doc += extra;
}

bool fulltext_finds_substring(std::string_view text) {
  return all_hangul(text) && hangul_runs(text).size() == 1 && hangul_runs(text)[0].size() >= 2;
}

std::vector<FulltextWord> fulltext_words(std::string_view query) {
  std::vector<FulltextWord> words;
  std::size_t i = 0;
  while (i < query.size()) {
    while (i < query.size() && (query[i] == ' ' || query[i] == '\t' || query[i] == '\n')) ++i;
    std::size_t start = i;
    while (i < query.size() && query[i] != ' ' && query[i] != '\t' && query[i] != '\n') ++i;
    std::string_view word = query.substr(start, i - start);
    if (!has_word_character(word)) continue;  // lone punctuation: no token to look for
    auto runs = hangul_runs(word);
    if (all_hangul(word) && runs.size() == 1 && runs[0].size() >= 2) {
      std::string phrase;
      for (std::size_t k = 0; k + 1 < runs[0].size(); ++k) {
        if (!phrase.empty()) phrase += ' ';
        phrase.append(runs[0][k]);
        phrase.append(runs[0][k + 1]);
      }
      words.push_back({std::move(phrase), false});
    } else {
      words.push_back({std::string(word), true});
    }
  }
  return words;
}

std::string fulltext_match(std::string_view query) {
  std::string match;
  for (const auto& w : fulltext_words(query)) {
    if (!match.empty()) match += " AND ";
    append_quoted(w.text, match);
    if (w.prefix) match += '*';
  }
  return match;
}

std::vector<std::string> fulltext_tokens(std::string_view text) {
  std::vector<std::string> tokens;
  std::string token;
  for (char c : text) {
    auto b = static_cast<unsigned char>(c);
    if (b >= 0x80 || (b >= '0' && b <= '9') || ((b | 0x20) >= 'a' && (b | 0x20) <= 'z')) {
      token += (b >= 'A' && b <= 'Z') ? static_cast<char>(b | 0x20) : c;
    } else if (!token.empty()) {
      tokens.push_back(std::move(token));
      token.clear();
    }
  }
  if (!token.empty()) tokens.push_back(std::move(token));
  return tokens;
}

}  // namespace datamap::datastore

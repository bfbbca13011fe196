#include "search/analysis.h"

#include <xapian.h>

#include <algorithm>
#include <array>
#include <unordered_map>
#include <unordered_set>

#include "catalog/text.h"
#include "search/lexicon.h"

namespace datamap::search {
namespace {

// Decodes one code point of valid UTF-8 at s[i], advancing i.
char32_t next_cp(std::string_view s, std::size_t& i) {
  auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    ++i;
    return c;
  }
  int extra = (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : 3;
  char32_t cp = c & (0x3F >> extra);
  ++i;
  for (int k = 0; k < extra && i < s.size(); ++k, ++i) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[i]) & 0x3F);
  }
  return cp;
}

void append_cp(std::string& out, char32_t cp) {
  char buf[4];
  unsigned n = Xapian::Unicode::to_utf8(static_cast<unsigned>(cp), buf);
  out.append(buf, n);
}

bool is_hangul(char32_t cp) {
  return (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0x1100 && cp <= 0x11FF) ||
         (cp >= 0x3131 && cp <= 0x318E);
}
bool is_ascii_alnum(char32_t cp) {
  return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
}
bool is_joiner(char32_t cp) { return cp == '.' || cp == '-' || cp == '_' || cp == '/'; }

char32_t fold_cp(char32_t cp) {
  if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
  return static_cast<char32_t>(Xapian::Unicode::tolower(static_cast<unsigned>(cp)));
}

enum class Group { None, Hangul, Ascii, Other };

Group group_of(char32_t cp) {
  if (is_ascii_alnum(cp)) return Group::Ascii;
  if (is_hangul(cp)) return Group::Hangul;
  if (cp >= 0x80 && Xapian::Unicode::is_wordchar(static_cast<unsigned>(cp))) return Group::Other;
  return Group::None;
}

Script classify_ascii(std::string_view word) {
  bool letters = false, digits = false;
  for (char c : word) {
    if (c >= '0' && c <= '9') {
      digits = true;
    } else if (c >= 'a' && c <= 'z') {
      letters = true;
    }
  }
  if (letters && digits) return Script::Code;
  return digits ? Script::Number : Script::Latin;
}

std::string english_stem(const std::string& word) {
  if (word.size() < 3) return word;
  thread_local Xapian::Stem stemmer("english");  // a Stem is not safe to share between threads
  return stemmer(word);
}

// Particles and endings, matched longest first at the end of a Hangul word.
const std::vector<std::string>& korean_endings() {
  static const std::vector<std::string> endings = [] {
    std::vector<std::string> e = {
        // case particles and their combinations
        "에서부터", "으로부터", "에서는", "에서도", "에서의", "으로는", "으로도", "으로서", "으로써",
        "에게서", "까지는", "까지도", "부터는", "에게는", "이라는", "이라고", "에서", "에게", "한테",
        "으로", "까지", "부터", "처럼", "보다", "마다", "이나", "이랑", "이며", "에는", "에도",
        "와의", "과의", "로의", "로서", "로써", "라는", "이란", "들이", "들을", "들은", "들의",
        "들에", "들도", "를", "을", "은", "는", "이", "가", "의", "에", "로", "와", "과", "도",
        "만", "랑", "란",
        // copula and question endings people type into a search box
        "입니다", "입니까", "인가요", "이에요", "이예요", "예요", "이다", "인지", "인데",
        // verb endings on nouns made verbs (운영하는, 조사된, 등록되어 있는)
        "하는", "되는", "되어", "되었", "했던", "하기", "하여", "해서", "합니다", "됩니다", "한다",
        "된다", "하고", "하며", "된", "했다", "있는", "없는"};
    std::sort(e.begin(), e.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    return e;
  }();
  return endings;
}

}  // namespace

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string fold(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) append_cp(out, fold_cp(next_cp(text, i)));
  return out;
}

std::string strip_korean_ending(std::string_view word) {
  const std::size_t syllables = utf8_length(word);
  if (syllables < 3) return std::string(word);
  for (const auto& e : korean_endings()) {
    if (word.size() > e.size() && word.substr(word.size() - e.size()) == e &&
        syllables - utf8_length(e) >= 2) {
      return std::string(word.substr(0, word.size() - e.size()));
    }
  }
  return std::string(word);
}

std::vector<std::string> hangul_bigrams(std::string_view word) {
  std::vector<std::string> out;
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < word.size();) {
    starts.push_back(i);
    next_cp(word, i);
  }
  if (starts.size() < 3) return out;
  starts.push_back(word.size());
  for (std::size_t k = 0; k + 2 < starts.size(); ++k) {
    out.emplace_back(word.substr(starts[k], starts[k + 2] - starts[k]));
  }
  return out;
}

bool is_query_stopword(const Token& t) {
  static const std::unordered_set<std::string> stop = {
      // Korean question words and verbs that say "find me", not what to find
      "찾고", "찾아", "찾는", "찾기", "찾아줘", "찾아주세요", "싶어요", "싶어", "싶습니다", "싶은",
      "싶다", "알려줘", "알려주세요", "알고", "보여줘", "보여주세요", "주세요", "있나요", "있어요",
      "있습니까", "있을까요", "어디", "어디서", "어디에", "무엇", "뭐", "좀", "관련", "관한",
      "관련된", "대한", "대해", "대해서", "위한", "원해요", "필요해요", "필요한", "어떤", "있는",
      "입니다", "그리고", "또는", "및", "등", "데이터를", "자료를",
      // English
      "the", "a", "an", "of", "for", "in", "on", "to", "and", "or", "with", "about", "data",
      "dataset", "datasets", "please", "find", "show", "me", "i", "want", "where", "is", "are",
      "list", "information", "info", "by", "per", "from", "at", "how", "what", "which"};
  return stop.count(t.text) > 0 || stop.count(t.stem) > 0;
}

std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t start = i;
    char32_t cp = next_cp(text, i);
    Group g = group_of(cp);
    if (g == Group::None) continue;
    std::string folded;
    append_cp(folded, fold_cp(cp));
    bool joined = false;
    std::size_t end = i;
    while (i < text.size()) {
      std::size_t j = i;
      char32_t c = next_cp(text, j);
      if (group_of(c) == g) {
        append_cp(folded, fold_cp(c));
        i = end = j;
        continue;
      }
      // pm2.5, covid-19, 2020-01-01: a joiner between two ASCII letters/digits
      if (g == Group::Ascii && is_joiner(c) && j < text.size()) {
        std::size_t k = j;
        char32_t after = next_cp(text, k);
        if (is_ascii_alnum(after)) {
          folded.push_back(static_cast<char>(c));
          append_cp(folded, fold_cp(after));
          joined = true;
          i = end = k;
          continue;
        }
      }
      break;
    }
    Token t;
    t.text = folded;
    t.begin = start;
    t.end = end;
    if (g == Group::Hangul) {
      t.script = Script::Hangul;
      t.stem = strip_korean_ending(folded);
      tokens.push_back(std::move(t));
    } else if (g == Group::Ascii) {
      t.script = joined ? Script::Code : classify_ascii(folded);
      t.stem = t.script == Script::Latin ? english_stem(folded) : folded;
      bool decimal = joined && classify_ascii(folded) == Script::Number;
      tokens.push_back(t);
      if (joined && !decimal) {
        // the parts, so that covid-19 is found by covid too
        std::size_t p = 0;
        while (p < folded.size()) {
          std::size_t q = p;
          while (q < folded.size() && !is_joiner(static_cast<unsigned char>(folded[q]))) ++q;
          if (q > p) {
            Token part;
            part.part = true;
            part.text = folded.substr(p, q - p);
            part.script = classify_ascii(part.text);
            part.stem = part.script == Script::Latin ? english_stem(part.text) : part.text;
            part.begin = t.begin + p;
            part.end = t.begin + q;
            tokens.push_back(std::move(part));
          }
          p = q + 1;
        }
      }
    } else {
      t.script = Script::Other;
      t.stem = folded;
      tokens.push_back(std::move(t));
    }
  }
  return tokens;
}

bool is_generic_word(std::string_view stem) {
  static const std::unordered_set<std::string_view> generic = {
      "정보", "현황", "조회", "서비스", "목록", "자료", "데이터", "위치", "검색", "내역", "리스트",
      "안내", "제공", "상세", "조회서비스", "정보서비스", "info", "service", "list"};
  return generic.count(stem) > 0;
}

std::vector<std::string> bracket_readings(std::string_view text) {
  std::vector<std::string> out;
  // the run of Hangul ending at byte `end` / starting at byte `begin`
  auto run_before = [&](std::size_t end) {
    std::size_t b = end;
    while (b > 0) {
      std::size_t p = b - 1;
      while (p > 0 && (static_cast<unsigned char>(text[p]) & 0xC0) == 0x80) --p;
      std::size_t q = p;
      if (!is_hangul(next_cp(text, q))) break;
      b = p;
    }
    return text.substr(b, end - b);
  };
  auto run_after = [&](std::size_t begin) {
    std::size_t e = begin;
    while (e < text.size()) {
      std::size_t q = e;
      if (!is_hangul(next_cp(text, q))) break;
      e = q;
    }
    return text.substr(begin, e - begin);
  };
  for (std::size_t open = text.find('('); open != std::string_view::npos;
       open = text.find('(', open + 1)) {
    const std::size_t close = text.find(')', open);
    if (close == std::string_view::npos) break;
    const std::string_view before = run_before(open), inside = text.substr(open + 1, close - open - 1);
    const std::string_view after = run_after(close + 1);
    if (before.empty() || after.empty() || inside.empty() || run_after(open + 1) != inside) continue;
    out.push_back(std::string(before) + std::string(after));
    out.push_back(std::string(inside) + std::string(after));
  }
  return out;
}

std::vector<std::string> hangul_terms(const std::string& stem) {
  // Titles repeat the same words thousands of times: remember each word's terms (per thread,
  // bounded) instead of splitting it again.
  thread_local std::unordered_map<std::string, std::vector<std::string>> cache;
  if (auto it = cache.find(stem); it != cache.end()) return it->second;
  std::vector<std::string> terms = hangul_bigrams(stem);
  for (auto& w : default_lexicon().nested_words(stem)) terms.push_back(std::move(w));
  if (cache.size() > 200000) cache.clear();
  cache.emplace(stem, terms);
  return terms;
}

std::vector<std::string> index_terms(const Token& t) {
  std::vector<std::string> terms;
  terms.push_back(t.stem);
  if (t.text != t.stem) terms.push_back(t.text);
  if (t.script == Script::Hangul) {
    for (auto& term : hangul_terms(t.stem)) terms.push_back(std::move(term));
  }
  return terms;
}

}  // namespace datamap::search

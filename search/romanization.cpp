#include "search/romanization.h"

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <memory>

#include "search/lexicon.h"

namespace datamap::search {
namespace {

constexpr std::size_t kMaxPerKey = 3;
// Shorter keys collide with English words (ma, do, gun) more than they name places.
constexpr std::size_t kMinKeyLetters = 4;

}  // namespace

std::string romanization_key(std::string_view latin) {
  std::string key;
  for (char ch : latin) {
    char c = ch;
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c == '-' || c == '\'' || c == ' ') continue;
    if (c < 'a' || c > 'z') return {};
    switch (c) {
      case 'k':
        c = 'g';
        break;
      case 't':
        c = 'd';
        break;
      case 'p':
        c = 'b';
        break;
      case 'r':
        c = 'l';
        break;
      default:
        break;
    }
    if (!key.empty() && key.back() == c) continue;
    key.push_back(c);
  }
  return key;
}

void RomanizedLexicon::add(const std::string& hangul, std::string_view romanised) {
  std::string key = romanization_key(romanised);
  if (key.size() < kMinKeyLetters) return;
  auto& words = by_key_[key];
  if (words.size() < kMaxPerKey) words.push_back(hangul);
}

const std::vector<std::string>* RomanizedLexicon::hangul_of(std::string_view latin) const {
  auto it = by_key_.find(romanization_key(latin));
  return it == by_key_.end() ? nullptr : &it->second;
}

const RomanizedLexicon& default_romanized_lexicon() {
  static const RomanizedLexicon lexicon = [] {
    RomanizedLexicon r;
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t(
        icu::Transliterator::createInstance("Hangul-Latin", UTRANS_FORWARD, status));
    if (U_FAILURE(status) || !t) return r;
    // Sorted, so an ambiguous key keeps the same words on every run.
    std::vector<std::string> words(default_lexicon().words().begin(),
                                   default_lexicon().words().end());
    std::sort(words.begin(), words.end());
    for (const auto& w : words) {
      icu::UnicodeString u =
          icu::UnicodeString::fromUTF8(icu::StringPiece(w.data(), static_cast<int32_t>(w.size())));
      t->transliterate(u);
      std::string latin;
      u.toUTF8String(latin);
      r.add(w, latin);
    }
    return r;
  }();
  return lexicon;
}

}  // namespace datamap::search

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

// The name before a trailing administrative unit (옥천군 -> 옥천, 부산광역시 -> 부산), when at
// least two syllables remain; empty otherwise.
std::string without_administrative_unit(const std::string& word) {
  static const char* const kUnits[] = {"특별자치시", "특별자치도", "광역시", "특별시",
                                       "시",         "군",         "구",     "도"};
  for (const char* unit : kUnits) {
    const std::string_view u(unit);
    if (word.size() >= u.size() + 6 && word.compare(word.size() - u.size(), u.size(), u) == 0) {
      return word.substr(0, word.size() - u.size());  // Hangul syllables are 3 bytes each
    }
  }
  return {};
}

// The short name of a province named by two syllables and 북도/남도 (충청북도 -> 충북, 경상남도 ->
// 경남), as Koreans and English texts write it (Chungbuk, Gyeongnam): the first syllable and
// 북/남. The analyser reads 충청북도 as the stem 충청북 (도 looks like a particle), so both forms
// are recognised. Empty for every other word.
std::string short_province_name(const std::string& word) {
  constexpr std::size_t kSyllable = 3;  // bytes of one Hangul syllable in UTF-8
  const bool with_do =
      word.size() == 4 * kSyllable && word.compare(3 * kSyllable, kSyllable, "도") == 0;
  if (word.size() != 3 * kSyllable && !with_do) return {};
  const std::string half = word.substr(2 * kSyllable, kSyllable);
  if (half != "북" && half != "남") return {};
  return word.substr(0, kSyllable) + half;
}

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
      // Place names stand in titles with their administrative unit (옥천군, 계양구,
      // 세종특별자치시) and in English queries without it (Okcheon, Gyeyang, Sejong).
      // Provinces also by their short name (Chungbuk for 충청북도).
      for (const auto& base : {without_administrative_unit(w), short_province_name(w)}) {
        if (base.empty()) continue;
        icu::UnicodeString b = icu::UnicodeString::fromUTF8(
            icu::StringPiece(base.data(), static_cast<int32_t>(base.size())));
        t->transliterate(b);
        std::string base_latin;
        b.toUTF8String(base_latin);
        r.add(w, base_latin);
      }
    }
    return r;
  }();
  return lexicon;
}

}  // namespace datamap::search

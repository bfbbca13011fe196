#include "search/romanization.h"

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <memory>
#include <utility>

#include "search/lexicon.h"

namespace datamap::search {
namespace {

constexpr std::size_t kMaxPerKey = 3;
// Shorter keys collide with English words (ma, do, gun) more than they name places.
constexpr std::size_t kMinKeyLetters = 4;

constexpr const char* kUnits[] = {"특별자치시", "특별자치도", "광역시", "특별시",
                                  "시",         "군",         "구",     "도"};

// The administrative unit a place name ends with (옥천군 -> 군, 부산광역시 -> 광역시) when at
// least two syllables come before it; empty otherwise.
std::string_view administrative_unit(std::string_view word) {
  for (const char* unit : kUnits) {
    const std::string_view u(unit);
    if (word.size() >= u.size() + 6 && word.substr(word.size() - u.size()) == u) return u;
  }
  return {};
}

// The name before a trailing administrative unit (옥천군 -> 옥천, 부산광역시 -> 부산), when at
// least two syllables remain; empty otherwise.
std::string without_administrative_unit(const std::string& word) {
  const std::string_view unit = administrative_unit(word);
  return unit.empty() ? std::string() : word.substr(0, word.size() - unit.size());
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

// ICU's romanisation of each of the 11,172 Hangul syllables (U+AC00..U+D7A3).
constexpr char32_t kFirstSyllable = 0xAC00, kLastSyllable = 0xD7A3;

const std::vector<std::string>& syllable_table() {
  static const std::vector<std::string> table = [] {
    std::vector<std::string> t(kLastSyllable - kFirstSyllable + 1);
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> tr(
        icu::Transliterator::createInstance("Hangul-Latin", UTRANS_FORWARD, status));
    if (U_FAILURE(status) || !tr) return t;
    for (char32_t c = kFirstSyllable; c <= kLastSyllable; ++c) {
      icu::UnicodeString u(static_cast<UChar32>(c));
      tr->transliterate(u);
      u.toUTF8String(t[c - kFirstSyllable]);
    }
    return t;
  }();
  return table;
}

}  // namespace

bool names_administrative_unit(std::string_view english, std::string_view place) {
  // How official English names and people write each unit: 강남구 Gangnam-gu (Office), Gangnam
  // District; 구미시 Gumi-si, Gumi City (Hall); 부산광역시 Busan Metropolitan City; 서울특별시
  // Seoul Special City, Seoul Metropolitan Government; 제주특별자치도 Jeju Special Self-Governing
  // Province.
  static const std::pair<const char*, std::vector<std::string_view>> kNames[] = {
      {"특별자치시", {"special", "self", "governing", "self-governing", "city", "government"}},
      {"특별자치도", {"special", "self", "governing", "self-governing", "province", "government"}},
      {"광역시", {"metropolitan", "metro", "city", "government", "hall", "office"}},
      {"특별시", {"special", "metropolitan", "city", "government", "hall", "office"}},
      {"시", {"city", "si", "hall", "office"}},
      {"군", {"county", "gun", "office"}},
      {"구", {"district", "gu", "ward", "office"}},
      {"도", {"province", "provincial", "do", "government", "office"}},
  };
  const std::string_view unit = administrative_unit(place);
  if (unit.empty()) return false;
  for (const auto& [korean, names] : kNames) {
    if (unit == korean) return std::find(names.begin(), names.end(), english) != names.end();
  }
  return false;
}

std::string romanize_hangul(std::string_view hangul) {
  const auto& table = syllable_table();
  std::string out;
  for (std::size_t i = 0; i < hangul.size();) {
    const auto b0 = static_cast<unsigned char>(hangul[i]);
    // Hangul syllables are three bytes in UTF-8 (1110xxxx 10xxxxxx 10xxxxxx).
    if ((b0 & 0xF0) == 0xE0 && i + 2 < hangul.size()) {
      const char32_t c = ((b0 & 0x0Fu) << 12) |
                         ((static_cast<unsigned char>(hangul[i + 1]) & 0x3Fu) << 6) |
                         (static_cast<unsigned char>(hangul[i + 2]) & 0x3Fu);
      if (c < kFirstSyllable || c > kLastSyllable) return {};
      out += table[c - kFirstSyllable];
      i += 3;
    } else {
      return {};
    }
  }
  return out;
}

std::vector<std::string> romanized_keys(const std::string& hangul) {
  std::vector<std::string> keys;
  for (const auto& form :
       {hangul, without_administrative_unit(hangul), short_province_name(hangul)}) {
    if (form.empty()) continue;
    std::string key = romanization_key(romanize_hangul(form));
    if (key.size() >= kMinKeyLetters && std::find(keys.begin(), keys.end(), key) == keys.end()) {
      keys.push_back(std::move(key));
    }
  }
  return keys;
}

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
    // Sorted, so an ambiguous key keeps the same words on every run.
    std::vector<std::string> words(default_lexicon().words().begin(),
                                   default_lexicon().words().end());
    std::sort(words.begin(), words.end());
    for (const auto& w : words) {
      // Place names stand in titles with their administrative unit (옥천군, 계양구,
      // 세종특별자치시) and in English queries without it (Okcheon, Gyeyang, Sejong).
      // Provinces also by their short name (Chungbuk for 충청북도).
      for (const auto& form : {w, without_administrative_unit(w), short_province_name(w)}) {
        if (!form.empty()) r.add(w, romanize_hangul(form));
      }
    }
    return r;
  }();
  return lexicon;
}

}  // namespace datamap::search

#include "search/typo.h"

#include <algorithm>

#include "search/analysis.h"
#include "search/lexicon.h"

namespace datamap::search {
namespace {

constexpr char32_t kFirstSyllable = 0xAC00, kLastSyllable = 0xD7A3;
constexpr int kMedials = 21, kFinals = 28;
constexpr std::size_t kMinSyllables = 2;

}  // namespace

std::string hangul_jamo(std::string_view word) {
  std::string out;
  for (std::size_t i = 0; i < word.size();) {
    // Precomposed syllables are three UTF-8 bytes: 1110xxxx 10xxxxxx 10xxxxxx.
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(word[i + k]); };
    if (i + 3 > word.size() || (b(0) & 0xF0) != 0xE0) return {};
    const char32_t c = ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
    if (c < kFirstSyllable || c > kLastSyllable) return {};
    const int s = static_cast<int>(c - kFirstSyllable);
    out.push_back(static_cast<char>(1 + s / (kMedials * kFinals)));       // 1..19
    out.push_back(static_cast<char>(20 + (s / kFinals) % kMedials));      // 20..40
    if (s % kFinals) out.push_back(static_cast<char>(40 + s % kFinals));  // 41..67
    i += 3;
  }
  return out;
}

std::size_t osa_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      d[i][j] = std::min(
          {d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

namespace {

// FNV-1a over `jamo` without its byte `skip` (npos: the whole string).
std::uint64_t key_hash(std::string_view jamo, std::size_t skip) {
  std::uint64_t h = 14695981039346656037ull;
  for (std::size_t i = 0; i < jamo.size(); ++i) {
    if (i == skip) continue;
    h = (h ^ static_cast<unsigned char>(jamo[i])) * 1099511628211ull;
  }
  return h;
}

// The positions whose deletion gives a distinct string: of a run of equal jamo, the first.
template <typename Fn>
void for_each_deletion(std::string_view jamo, Fn fn) {
  for (std::size_t i = 0; i < jamo.size(); ++i)
    if (i == 0 || jamo[i] != jamo[i - 1]) fn(i);
}

}  // namespace

TypoCorrector::TypoCorrector(const std::vector<std::string_view>& words) {
  for (std::string_view w : words) {
    if (utf8_length(w) < kMinSyllables) continue;
    std::string jamo = hangul_jamo(w);
    if (!jamo.empty()) words_.push_back({std::move(jamo), std::string(w)});
  }
  // The decomposition is one to one, so equal jamo are equal words: keep one of each.
  std::sort(words_.begin(), words_.end(),
            [](const Word& a, const Word& b) { return a.jamo < b.jamo; });
  words_.erase(std::unique(words_.begin(), words_.end(),
                           [](const Word& a, const Word& b) { return a.jamo == b.jamo; }),
               words_.end());
  for (std::uint32_t i = 0; i < words_.size(); ++i) {
    const std::string& jamo = words_[i].jamo;
    keys_.push_back({key_hash(jamo, std::string_view::npos), i});
    for_each_deletion(jamo, [&](std::size_t skip) { keys_.push_back({key_hash(jamo, skip), i}); });
  }
  std::sort(keys_.begin(), keys_.end());
}

template <typename Fn>
void TypoCorrector::for_each_word_keyed(std::string_view jamo, std::size_t skip, Fn fn) const {
  const std::uint64_t h = key_hash(jamo, skip);
  auto it = std::lower_bound(keys_.begin(), keys_.end(), Key{h, 0});
  for (; it != keys_.end() && it->hash == h; ++it) fn(words_[it->word]);
}

std::vector<std::string> TypoCorrector::corrections(std::string_view word,
                                                    std::size_t limit) const {
  if (utf8_length(word) < kMinSyllables) return {};
  const std::string jamo = hangul_jamo(word);
  if (jamo.empty()) return {};
  bool known = false;
  for_each_word_keyed(jamo, std::string_view::npos,
                      [&](const Word& w) { known = known || w.jamo == jamo; });
  if (known) return {};
  // Every word within one edit shares the query itself or one of its deletions with one of its
  // own deletions (or itself); the distance check drops the pairs two edits apart (and hash
  // collisions).
  std::vector<const Word*> candidates;
  auto consider = [&](const Word& w) {
    if (osa_distance(w.jamo, jamo) <= 1) candidates.push_back(&w);
  };
  for_each_word_keyed(jamo, std::string_view::npos, consider);
  for_each_deletion(jamo, [&](std::size_t skip) { for_each_word_keyed(jamo, skip, consider); });
  std::vector<std::string> out;
  for (const Word* w : candidates) out.push_back(w->text);
  std::sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  if (out.size() > limit) out.resize(limit);
  return out;
}

const TypoCorrector& default_typo_corrector() {
  static const TypoCorrector corrector = [] {
    const auto& lexicon = default_lexicon().words();
    return TypoCorrector(std::vector<std::string_view>(lexicon.begin(), lexicon.end()));
  }();
  return corrector;
}

}  // namespace datamap::search

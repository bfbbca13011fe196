#include "search/typo.h"

#include <algorithm>
#include <unordered_set>

#include "search/analysis.h"
#include "search/lexicon.h"

namespace datamap::search {
namespace {

constexpr char32_t kFirstSyllable = 0xAC00, kLastSyllable = 0xD7A3;
constexpr int kMedials = 21, kFinals = 28;
constexpr std::size_t kMinSyllables = 2;

// One-jamo deletions of a jamo string.
std::vector<std::string> deletions(const std::string& jamo) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < jamo.size(); ++i) {
    std::string d = jamo;
    d.erase(i, 1);
    if (i == 0 || jamo[i] != jamo[i - 1]) out.push_back(std::move(d));
  }
  return out;
}

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

void TypoCorrector::add(std::string_view word) {
  if (utf8_length(word) < kMinSyllables) return;
  std::string jamo = hangul_jamo(word);
  if (jamo.empty() || !words_.emplace(jamo, std::string(word)).second) return;
  deletes_[jamo].push_back(jamo);
  for (auto& d : deletions(jamo)) deletes_[d].push_back(jamo);
}

std::vector<std::string> TypoCorrector::corrections(std::string_view word,
                                                    std::size_t limit) const {
  if (utf8_length(word) < kMinSyllables) return {};
  const std::string jamo = hangul_jamo(word);
  if (jamo.empty() || words_.count(jamo)) return {};
  // Every word within one edit shares the query itself or one of its deletions with one of its
  // own deletions (or itself); the distance check drops the pairs two edits apart.
  std::unordered_set<std::string> candidates;
  auto probe = [&](const std::string& key) {
    auto it = deletes_.find(key);
    if (it == deletes_.end()) return;
    for (const auto& j : it->second) {
      if (osa_distance(j, jamo) <= 1) candidates.insert(j);
    }
  };
  probe(jamo);
  for (const auto& d : deletions(jamo)) probe(d);
  std::vector<std::string> out;
  for (const auto& j : candidates) out.push_back(words_.at(j));
  std::sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

const TypoCorrector& default_typo_corrector() {
  static const TypoCorrector corrector = [] {
    TypoCorrector c;
    for (const auto& w : default_lexicon().words()) c.add(w);
    return c;
  }();
  return corrector;
}

}  // namespace datamap::search

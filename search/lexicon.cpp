#include "search/lexicon.h"

#include <algorithm>
#include <fstream>
#include <stdexcept>
#include <unordered_set>

#include "catalog/text.h"
#include "search/service.h"

namespace datamap::search {
namespace {

constexpr std::size_t kMaxSplitSyllables = 24;

// Byte offsets where each UTF-8 character of `s` starts, plus s.size() at the end.
std::vector<std::size_t> char_starts(std::string_view s) {
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) starts.push_back(i);
  }
  starts.push_back(s.size());
  return starts;
}

}  // namespace

void Lexicon::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read vocabulary " + path);
  std::string line;
  while (std::getline(in, line)) {
    auto w = catalog::trim(line);
    if (!w.empty() && w[0] != '#') add(w);
  }
}

void Lexicon::add(std::string_view word) {
  if (catalog::is_valid_utf8(word)) words_.insert(catalog::to_nfc(word));
}

std::vector<std::string> Lexicon::split(std::string_view word) const {
  const auto starts = char_starts(word);
  const std::size_t n = starts.size() - 1;
  if (n < 3 || n > kMaxSplitSyllables || words_.empty()) return {};
  struct Cell {
    std::size_t unknown = SIZE_MAX, pieces = 0, from = 0;
    bool known = false;  // the piece ending here is a vocabulary word
  };
  std::vector<Cell> best(n + 1);
  best[0].unknown = 0;
  auto better = [](std::size_t u, std::size_t p, const Cell& c) {
    return u < c.unknown || (u == c.unknown && p < c.pieces);
  };
  std::string piece;
  for (std::size_t i = 1; i <= n; ++i) {
    // one syllable left unknown
    const Cell& prev = best[i - 1];
    best[i] = {prev.unknown + 1, prev.pieces + 1, i - 1, false};
    const std::size_t lo = i > kMaxVocabularySyllables ? i - kMaxVocabularySyllables : 0;
    for (std::size_t j = lo; j + 2 <= i; ++j) {
      if (j == 0 && i == n) continue;  // the word itself is not a split
      if (best[j].unknown == SIZE_MAX) continue;
      piece.assign(word.substr(starts[j], starts[i] - starts[j]));
      if (!words_.count(piece)) continue;
      if (better(best[j].unknown, best[j].pieces + 1, best[i])) {
        best[i] = {best[j].unknown, best[j].pieces + 1, j, true};
      }
    }
  }
  // Walk back, joining runs of unknown syllables into one piece.
  std::vector<std::pair<std::size_t, std::size_t>> spans;  // [from, to) in syllables
  bool any_known = false;
  for (std::size_t i = n; i > 0;) {
    const Cell& c = best[i];
    if (c.known) {
      spans.emplace_back(c.from, i);
      any_known = true;
      i = c.from;
      continue;
    }
    std::size_t j = i;
    while (j > 0 && !best[j].known) j = best[j].from;
    spans.emplace_back(j, i);
    i = j;
  }
  if (!any_known) return {};
  std::vector<std::string> out;
  for (auto it = spans.rbegin(); it != spans.rend(); ++it) {
    out.emplace_back(word.substr(starts[it->first], starts[it->second] - starts[it->first]));
  }
  return out;
}

std::vector<std::string> Lexicon::nested_words(std::string_view word) const {
  const auto starts = char_starts(word);
  const std::size_t n = starts.size() - 1;
  if (n < 3 || n > kMaxSplitSyllables || words_.empty()) return {};
  // known[j][len]: the piece of `len` syllables at j is a vocabulary word (not the word itself)
  std::vector<std::vector<bool>> known(n);
  std::string piece;
  for (std::size_t j = 0; j < n; ++j) {
    known[j].assign(kMaxVocabularySyllables + 1, false);
    for (std::size_t len = 2; len <= kMaxVocabularySyllables && j + len <= n; ++len) {
      if (j == 0 && len == n) continue;
      piece.assign(word.substr(starts[j], starts[j + len] - starts[j]));
      known[j][len] = words_.count(piece) > 0;
    }
  }
  // Fewest unknown syllables from the start to i (fwd) and from i to the end (bwd).
  std::vector<std::size_t> fwd(n + 1, SIZE_MAX), bwd(n + 1, SIZE_MAX);
  fwd[0] = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (fwd[i] == SIZE_MAX) continue;
    fwd[i + 1] = std::min(fwd[i + 1], fwd[i] + 1);
    for (std::size_t len = 2; len <= kMaxVocabularySyllables && i + len <= n; ++len) {
      if (known[i][len]) fwd[i + len] = std::min(fwd[i + len], fwd[i]);
    }
  }
  bwd[n] = 0;
  for (std::size_t i = n; i-- > 0;) {
    bwd[i] = bwd[i + 1] + 1;
    for (std::size_t len = 2; len <= kMaxVocabularySyllables && i + len <= n; ++len) {
      if (known[i][len]) bwd[i] = std::min(bwd[i], bwd[i + len]);
    }
  }
  const std::size_t best = fwd[n];
  // Every vocabulary word on some split with that fewest unknown: 도시공원정보 gives 도시공원,
  // 공원정보, 도시, 공원 and 정보, not 시공 (that split leaves 도 and 원 unknown).
  std::vector<std::string> out;
  bool any_known = false;
  std::unordered_set<std::string> seen;
  for (std::size_t j = 0; j < n; ++j) {
    if (fwd[j] == SIZE_MAX) continue;
    for (std::size_t len = 2; len <= kMaxVocabularySyllables && j + len <= n; ++len) {
      if (known[j][len] && fwd[j] + bwd[j + len] == best) {
        any_known = true;
        std::string w(word.substr(starts[j], starts[j + len] - starts[j]));
        if (seen.insert(w).second) out.push_back(std::move(w));
      }
    }
  }
  if (!any_known) return {};
  // The unknown stretches of the best split, as words of their own (야영 of 전국야영).
  for (auto& p : split(word)) {
    if (char_starts(p).size() >= 3 && !words_.count(p) && seen.insert(p).second) {
      out.push_back(std::move(p));
    }
  }
  return out;
}

const Lexicon& default_lexicon() {
  static const Lexicon lexicon = [] {
    Lexicon l;
    l.load(default_data_file("search/vocabulary.txt"));
    return l;
  }();
  return lexicon;
}

}  // namespace datamap::search

#include "search/synonyms.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "catalog/text.h"
#include "search/analysis.h"

namespace datamap::search {
namespace {

std::vector<std::string> phrase_stems(std::string_view phrase) {
  std::vector<std::string> stems;
  if (!catalog::is_valid_utf8(phrase)) return stems;
  for (const auto& t : tokenize(catalog::to_nfc(phrase))) {
    if (!t.part) stems.push_back(t.stem);
  }
  return stems;
}

// One record of RFC 4180 CSV (quoted fields may hold commas and new lines).
bool read_csv_record(std::istream& in, std::vector<std::string>& fields) {
  fields.clear();
  std::string field;
  bool quoted = false, any = false;
  char c;
  while (in.get(c)) {
    any = true;
    if (quoted) {
      if (c == '"') {
        if (in.peek() == '"') {
          field.push_back('"');
          in.get(c);
        } else {
          quoted = false;
        }
      } else {
        field.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      break;
    } else if (c != '\r') {
      field.push_back(c);
    }
  }
  if (!any) return false;
  fields.push_back(std::move(field));
  return true;
}

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, ',')) {
    auto t = catalog::trim(cur);
    if (!t.empty() && t != "-") out.emplace_back(t);
  }
  return out;
}

// Each "key: value, value" line of a word list (blank lines and # comments skipped, a line
// without a colon ignored): fn(key, values). Throws when the file cannot be read.
template <class Fn>
void for_each_colon_line(const std::string& path, const char* what, Fn fn) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(std::string("cannot read ") + what + " " + path);
  std::string line;
  while (std::getline(in, line)) {
    auto t = catalog::trim(line);
    if (t.empty() || t[0] == '#') continue;
    const auto colon = t.find(':');
    if (colon == std::string_view::npos) continue;
    fn(t.substr(0, colon), split_list(std::string(t.substr(colon + 1))));
  }
}

}  // namespace

std::string phrase_key(const std::vector<std::string>& stems) {
  std::string key;
  for (const auto& s : stems) {
    if (!key.empty()) key.push_back(' ');
    key += s;
  }
  return key;
}

void SynonymTable::add_group(const std::vector<std::string>& phrases) {
  std::vector<std::vector<std::string>> group;
  for (const auto& p : phrases) {
    auto stems = phrase_stems(p);
    if (!stems.empty()) group.push_back(std::move(stems));
  }
  if (group.size() < 2) return;
  const std::size_t id = groups_.size();
  for (const auto& stems : group) {
    auto& ids = index_[phrase_key(stems)];
    if (ids.empty() || ids.back() != id) ids.push_back(id);
    max_tokens_ = std::max(max_tokens_, stems.size());
  }
  groups_.push_back(std::move(group));
}

void SynonymTable::load_curated(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read synonyms file " + path);
  std::string line;
  while (std::getline(in, line)) {
    auto t = catalog::trim(line);
    if (t.empty() || t[0] == '#') continue;
    add_group(split_list(std::string(t)));
  }
}

void SynonymTable::load_standard_terms(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read standard terms " + path);
  std::vector<std::string> header, row;
  if (!read_csv_record(in, header)) return;
  int name_col = -1, syn_col = -1;
  for (std::size_t i = 0; i < header.size(); ++i) {
    auto h = catalog::trim(header[i]);
    if (h == "공통표준용어명") name_col = static_cast<int>(i);
    if (h == "용어 이음동의어 목록") syn_col = static_cast<int>(i);
  }
  if (name_col < 0 || syn_col < 0) throw std::runtime_error("unexpected header in " + path);
  while (read_csv_record(in, row)) {
    if (static_cast<int>(row.size()) <= std::max(name_col, syn_col)) continue;
    auto synonyms = split_list(row[syn_col]);
    if (synonyms.empty()) continue;
    synonyms.insert(synonyms.begin(), row[name_col]);
    add_group(synonyms);
  }
}

void SynonymTable::load_standard_words(const std::string& path) {
  constexpr std::size_t kMaxEnglishNameWords = 3;
  constexpr std::size_t kMaxWordsPerEnglishName = 2;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read standard words " + path);
  std::vector<std::string> header, row;
  if (!read_csv_record(in, header)) return;
  int word_col = -1, english_col = -1;
  for (std::size_t i = 0; i < header.size(); ++i) {
    auto h = catalog::trim(header[i]);
    if (h == "공통표준단어명") word_col = static_cast<int>(i);
    if (h == "공통표준단어 영문명") english_col = static_cast<int>(i);
  }
  if (word_col < 0 || english_col < 0) throw std::runtime_error("unexpected header in " + path);
  std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>> pairs;
  std::unordered_map<std::string, std::size_t> per_english;
  while (read_csv_record(in, row)) {
    if (static_cast<int>(row.size()) <= std::max(word_col, english_col)) continue;
    auto english = phrase_stems(row[english_col]);
    auto korean = phrase_stems(row[word_col]);
    if (english.empty() || korean.empty() || english.size() > kMaxEnglishNameWords) continue;
    ++per_english[phrase_key(english)];
    pairs.emplace_back(std::move(english), std::move(korean));
  }
  // One way: English finds the Korean word. The other way (병원 also looking for "hospital")
  // measured worse on Korean typo queries (bench/relevance: 0.778 -> 0.615 with both ways).
  for (auto& [english, korean] : pairs) {
    if (per_english[phrase_key(english)] > kMaxWordsPerEnglishName) continue;
    add_one_way(std::move(english), std::move(korean));
  }
}

void SynonymTable::load_english(const std::string& path) {
  for_each_colon_line(path, "English dictionary", [&](std::string_view key, const auto& values) {
    auto korean = phrase_stems(key);
    if (korean.empty()) return;
    for (const auto& english : values) {
      auto stems = phrase_stems(english);
      if (!stems.empty()) add_one_way(std::move(stems), korean);
    }
  });
}

void SynonymTable::add_one_way(std::vector<std::string> from, std::vector<std::string> to) {
  const std::size_t id = groups_.size();
  auto& ids = index_[phrase_key(from)];
  ids.push_back(id);
  max_tokens_ = std::max(max_tokens_, from.size());
  groups_.push_back({std::move(from), std::move(to)});
}

void SynonymTable::load_related(const std::string& path) {
  // The 36k lines name ~9k distinct related words 66k times: each is analysed once (every server
  // loads this file at start).
  std::unordered_map<std::string, std::string> stem_of;  // related word -> its one stem, or ""
  for_each_colon_line(path, "related words", [&](std::string_view key, const auto& values) {
    auto word = phrase_stems(key);
    if (word.size() != 1) return;
    std::vector<std::string> to;
    for (const auto& r : values) {
      auto [it, fresh] = stem_of.try_emplace(r);
      if (fresh) {
        auto stems = phrase_stems(r);
        if (stems.size() == 1) it->second = std::move(stems[0]);
      }
      if (!it->second.empty() && it->second != word[0]) to.push_back(it->second);
    }
    if (!to.empty()) related_[word[0]] = std::move(to);
  });
}

const std::vector<std::string>& SynonymTable::related(const std::string& stem) const {
  static const std::vector<std::string> kNone;
  auto it = related_.find(stem);
  return it == related_.end() ? kNone : it->second;
}

std::vector<std::vector<std::string>> SynonymTable::expansions(const std::string& phrase) const {
  std::vector<std::vector<std::string>> out;
  auto it = index_.find(phrase);
  if (it == index_.end()) return out;
  for (std::size_t id : it->second) {
    for (const auto& stems : groups_[id]) {
      if (phrase_key(stems) != phrase) out.push_back(stems);
    }
  }
  return out;
}

}  // namespace datamap::search

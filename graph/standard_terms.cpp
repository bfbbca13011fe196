#include "graph/standard_terms.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "catalog/import/csv_reader.h"
#include "catalog/import/encoding.h"
#include "catalog/text.h"

namespace datamap::graph {

namespace {

bool is_absent(std::string_view v) {
  v = catalog::trim(v);
  return v.empty() || v == "-";
}

std::vector<std::string> split_synonyms(std::string_view list) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t comma = list.find(',', start);
    if (comma == std::string_view::npos) comma = list.size();
    std::string_view item = catalog::trim(list.substr(start, comma - start));
    if (!is_absent(item)) out.emplace_back(item);
    start = comma + 1;
  }
  return out;
}

// Decodes the code point that ends just before `pos` (0 when at the start).
char32_t code_point_before(std::string_view s, std::size_t pos) {
  if (pos == 0) return 0;
  std::size_t b = pos - 1;
  while (b > 0 && (static_cast<unsigned char>(s[b]) & 0xC0) == 0x80) --b;
  auto lead = static_cast<unsigned char>(s[b]);
  std::size_t len = pos - b;
  char32_t cp = (len == 1)   ? lead
                : (len == 2) ? (lead & 0x1F)
                : (len == 3) ? (lead & 0x0F)
                             : (lead & 0x07);
  for (std::size_t k = b + 1; k < pos; ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(s[k]) & 0x3F);
  return cp;
}

bool is_word_char(char32_t cp) {
  if (cp < 0x80)
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  return (cp >= 0xAC00 && cp <= 0xD7A3);  // Hangul syllables
}

bool is_ascii_word_byte(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

std::shared_ptr<const StandardTerms> StandardTerms::load(const std::string& csv_path) {
  std::ifstream in(csv_path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read standard terms: " + csv_path);
  std::stringstream buf;
  buf << in.rdbuf();
  // The importer's CSV reading: any of UTF-8, UTF-8 with BOM or CP949; quoted multi-line fields.
  catalog::importer::Encoding encoding;
  std::string text = catalog::importer::to_utf8_text(buf.str(), encoding);
  std::vector<std::vector<std::string>> rows;
  catalog::importer::CsvReader reader(text);
  for (catalog::importer::CsvRecord record; reader.next(record);)
    if (record.error.empty()) rows.push_back(std::move(record.fields));
  if (rows.empty()) throw std::runtime_error("standard terms file is empty: " + csv_path);
  const auto& header = rows[0];
  auto column = [&](std::string_view name) -> std::int64_t {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (catalog::trim(header[i]) == name) return static_cast<std::int64_t>(i);
    return -1;
  };
  std::int64_t name_col = column("공통표준용어명");
  std::int64_t abbr_col = column("공통표준용어영문약어명");
  std::int64_t syn_col = column("용어 이음동의어 목록");
  if (name_col < 0)
    throw std::runtime_error("standard terms file lacks 공통표준용어명: " + csv_path);
  auto cell = [](const std::vector<std::string>& row, std::int64_t col) -> std::string_view {
    return (col >= 0 && static_cast<std::size_t>(col) < row.size()) ? std::string_view(row[col])
                                                                    : std::string_view();
  };
  std::vector<StandardTerm> terms;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    std::string_view name = catalog::trim(cell(rows[r], name_col));
    if (is_absent(name) || !catalog::is_valid_utf8(name)) continue;
    StandardTerm t;
    t.name = catalog::to_nfc(name);
    std::string_view abbr = catalog::trim(cell(rows[r], abbr_col));
    if (!is_absent(abbr)) t.abbreviation = std::string(abbr);
    std::string_view syn = cell(rows[r], syn_col);
    if (catalog::is_valid_utf8(syn))
      for (auto& s : split_synonyms(syn))
        if (s != t.name) t.synonyms.push_back(catalog::to_nfc(s));
    terms.push_back(std::move(t));
  }
  return from_terms(std::move(terms));
}

std::shared_ptr<const StandardTerms> StandardTerms::from_terms(std::vector<StandardTerm> terms) {
  // The list names a few terms twice (e.g. 상호): one id per distinct name, synonyms merged.
  std::shared_ptr<StandardTerms> st(new StandardTerms());
  std::unordered_map<std::string, std::uint32_t> by_name;
  for (auto& t : terms) {
    auto [it, fresh] = by_name.emplace(t.name, static_cast<std::uint32_t>(st->terms_.size()));
    if (fresh) {
      st->terms_.push_back(std::move(t));
      continue;
    }
    StandardTerm& kept = st->terms_[it->second];
    for (auto& s : t.synonyms)
      if (std::find(kept.synonyms.begin(), kept.synonyms.end(), s) == kept.synonyms.end())
        kept.synonyms.push_back(std::move(s));
    if (kept.abbreviation.empty()) kept.abbreviation = t.abbreviation;
  }
  st->index();
  return st;
}

void StandardTerms::index() {
  // Names first, so that a string that is one term's name and another's synonym means the former.
  for (std::uint32_t id = 0; id < terms_.size(); ++id)
    exact_.emplace(catalog::to_lower_ascii(terms_[id].name), id);
  for (std::uint32_t id = 0; id < terms_.size(); ++id) {
    for (const auto& s : terms_[id].synonyms) exact_.emplace(catalog::to_lower_ascii(s), id);
    if (!terms_[id].abbreviation.empty())
      exact_.emplace(catalog::to_lower_ascii(terms_[id].abbreviation), id);
  }
  auto add_pattern = [&](const std::string& spelling, std::uint32_t id) {
    std::string lower = catalog::to_lower_ascii(spelling);
    bool short_word = code_points(lower) <= 2 || is_ascii_word_byte(lower.front());
    patterns_.push_back(Pattern{lower, id, short_word});
    matcher_.add(lower, static_cast<std::uint32_t>(patterns_.size() - 1));
  };
  for (std::uint32_t id = 0; id < terms_.size(); ++id) {
    add_pattern(terms_[id].name, id);
    for (const auto& s : terms_[id].synonyms) {
      auto it = exact_.find(catalog::to_lower_ascii(s));
      if (it != exact_.end() && it->second == id) add_pattern(s, id);  // not another term's name
    }
  }
  matcher_.build();
}

std::int64_t StandardTerms::find(std::string_view text) const {
  auto it = exact_.find(catalog::to_lower_ascii(catalog::trim(text)));
  return it == exact_.end() ? -1 : static_cast<std::int64_t>(it->second);
}

std::vector<std::uint32_t> StandardTerms::detect_in_text(std::string_view raw) const {
  std::string text = catalog::to_lower_ascii(raw);
  auto found = matcher_.matches(text);
  // Keep maximal occurrences: sort by begin, longest first; one inside an earlier one is dropped.
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  std::vector<std::uint32_t> terms;
  std::size_t max_end = 0;
  for (const auto& m : found) {
    const Pattern& p = patterns_[m.id];
    if (p.needs_word_start) {
      if (is_word_char(code_point_before(text, m.begin))) continue;
      if (is_ascii_word_byte(p.text.back()) && m.end < text.size() &&
          is_ascii_word_byte(text[m.end]))
        continue;
    }
    if (m.end <= max_end) continue;
    max_end = m.end;
    terms.push_back(p.term);
  }
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  return terms;
}

std::vector<std::uint32_t> StandardTerms::detect(const catalog::Dataset& d) const {
  std::string text = d.title;
  text += '\n';
  text += d.notes;
  for (const auto& tag : d.tags) (text += '\n') += tag;
  for (const auto& c : d.columns) {
    (text += '\n') += c.name;
    (text += '\n') += c.description;
  }
  std::vector<std::uint32_t> terms = detect_in_text(text);
  for (const auto& c : d.columns) {
    // A column is the strongest evidence: its declared term, or a name that is a term's spelling.
    for (const std::string* s : {&c.standard_term, &c.name}) {
      std::int64_t id = s->empty() ? -1 : find(*s);
      if (id >= 0) terms.push_back(static_cast<std::uint32_t>(id));
    }
  }
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  return terms;
}

std::string StandardTerms::occurrence(std::uint32_t term, std::string_view raw) const {
  std::string text = catalog::to_lower_ascii(raw);
  const StandardTerm& t = terms_[term];
  if (text.find(catalog::to_lower_ascii(t.name)) != std::string::npos) return t.name;
  for (const auto& s : t.synonyms)
    if (text.find(catalog::to_lower_ascii(s)) != std::string::npos) return s;
  if (!t.abbreviation.empty() &&
      text.find(catalog::to_lower_ascii(t.abbreviation)) != std::string::npos)
    return t.abbreviation;
  return "";
}

}  // namespace datamap::graph

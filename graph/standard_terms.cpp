#include "graph/standard_terms.h"

#include <algorithm>

#include "catalog/text.h"

namespace datamap::graph {

namespace {

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
  return from_index(catalog::StandardTermIndex::load(csv_path));
}

std::shared_ptr<const StandardTerms> StandardTerms::from_terms(std::vector<StandardTerm> terms) {
  return from_index(std::make_shared<const catalog::StandardTermIndex>(std::move(terms)));
}

std::shared_ptr<const StandardTerms> StandardTerms::from_index(
    std::shared_ptr<const catalog::StandardTermIndex> index) {
  std::shared_ptr<StandardTerms> st(new StandardTerms());
  st->index_ = std::move(index);
  st->build_matcher();
  return st;
}

void StandardTerms::build_matcher() {
  auto add_pattern = [&](const std::string& spelling, std::uint32_t id) {
    std::string lower = catalog::to_lower_ascii(spelling);
    bool short_word = code_points(lower) <= 2 || is_ascii_word_byte(lower.front());
    patterns_.push_back(Pattern{lower, id, short_word});
    matcher_.add(lower, static_cast<std::uint32_t>(patterns_.size() - 1));
  };
  for (std::uint32_t id = 0; id < index_->size(); ++id) {
    const StandardTerm& t = index_->term(id);
    add_pattern(t.name, id);
    for (const auto& s : t.synonyms)
      if (index_->resolves_to(s, id)) add_pattern(s, id);  // not another term's name
  }
  matcher_.build();
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
  const StandardTerm& t = index_->term(term);
  if (text.find(catalog::to_lower_ascii(t.name)) != std::string::npos) return t.name;
  for (const auto& s : t.synonyms)
    if (text.find(catalog::to_lower_ascii(s)) != std::string::npos) return s;
  if (!t.abbreviation.empty() &&
      text.find(catalog::to_lower_ascii(t.abbreviation)) != std::string::npos)
    return t.abbreviation;
  return "";
}

}  // namespace datamap::graph

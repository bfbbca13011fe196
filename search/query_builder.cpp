#include "search/query_builder.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>

#include "catalog/errors.h"
#include "catalog/text.h"
#include "search/analysis.h"
#include "search/document.h"
#include "search/facets.h"
#include "search/lexicon.h"
#include "search/request.h"
#include "search/romanization.h"
#include "search/schema.h"
#include "search/typo.h"

namespace datamap::search {
namespace {

using Xapian::Query;

[[noreturn]] void fail(const std::string& message) {
  throw BadRequest("Search Query Error", message);
}

constexpr double kSynonymWeight = 0.5;
constexpr double kTitleBoost = 2.0;
constexpr double kBigramWeight = 0.5;  // a word inside a compound counts less than the word
constexpr double kSplitWeight = 0.8;  // a compound's parts found apart
constexpr double kPhraseBoost = 2.0;
constexpr double kExactTitleBoost = 8.0;
// A word read as a typo of a vocabulary word (typo.h), or a Latin word read as a romanised
// Hangul word (romanization.h): an alternative below the word as typed, always added (not only
// when nothing is found), so 병윈 also finds 병원 while a real 병윈 still ranks first.
constexpr double kTypoWeight = 0.5;
constexpr double kRomanizedWeight = 0.5;
// A Latin word that spells a title or agency word the vocabulary does not know (궁을가 for
// Gungeulga; document.cpp index_romanized): an exact match of a rare name, below the word as
// typed.
constexpr double kRomanizedTitleWeight = 0.5;
// A word's related words learnt from the catalog's text (synonyms.h related(): 장애우 ->
// 장애인): below a synonym, since a neighbour in word vectors is a looser match than a synonym.
constexpr double kRelatedWeight = 0.3;

// Xapian's Query::MatchAll is one static object whose reference count is not atomic: copying
// it from two searching threads at once corrupted it (a crash under concurrent HTTP load). Every
// search builds its own.
Query match_all() { return Query(std::string()); }

Query term(const std::string& prefix, const std::string& t) {
  if (prefix.size() + t.size() > schema::kMaxTermBytes) return Query();
  return Query(prefix + t);
}

Query boolean(Query q) { return Query(Query::OP_SCALE_WEIGHT, q, 0.0); }

// A word as it appears in the index: see analysis.h index_terms().
// `relaxed`: a long Hangul word matches on any of its bigrams, ranked by how many (a typo
// inside 어린이보호구억 still leaves most of them).
Query word_query(const Token& t, const std::vector<Token>& parts, const std::string& prefix,
                 bool relaxed = false) {
  std::vector<Query> alts;
  alts.push_back(term(prefix, t.stem));
  if (t.text != t.stem) alts.push_back(term(prefix, t.text));
  if (t.script == Script::Hangul) {
    // A compound typed as one word that the vocabulary does not know (어린이보호구역조회) also
    // matches its parts where they stand apart, a little below the compound itself. A known
    // word needs no split: the index holds it wherever it is part of a compound.
    std::vector<Query> pieces;
    const Lexicon& lexicon = default_lexicon();
    if (!lexicon.contains(t.stem)) {
      for (const auto& p : lexicon.split(t.stem)) {
        if (utf8_length(p) >= 2) pieces.push_back(term(prefix, p));
      }
    }
    if (pieces.size() >= 2) {
      alts.emplace_back(Query::OP_SCALE_WEIGHT, Query(Query::OP_AND, pieces.begin(), pieces.end()),
                        kSplitWeight);
    }
    // Syllable bigrams find a word the vocabulary does not know inside longer words (실거래 in
    // 실거래가). A known word needs none: the index holds it wherever it stands, compounds too,
    // and its bigrams only matched it across different words of a description (measured:
    // MRR@10 0.819 -> 0.836, the blind long tail unchanged, and 1M searches ~1.5x faster).
    std::vector<std::string> bigrams;
    if (!lexicon.contains(t.stem)) bigrams = hangul_bigrams(t.stem);
    if (!bigrams.empty()) {
      std::vector<Query> bq;
      for (const auto& b : bigrams) bq.push_back(term(prefix, b));
      alts.emplace_back(Query::OP_SCALE_WEIGHT,
                        Query(relaxed && bq.size() >= 3 ? Query::OP_OR : Query::OP_AND,
                              bq.begin(), bq.end()),
                        kBigramWeight);
    }
  }
  if (!parts.empty()) {
    std::vector<Query> pq;
    for (const auto& p : parts) pq.push_back(term(prefix, p.stem));
    alts.emplace_back(Query::OP_AND, pq.begin(), pq.end());
  }
  return alts.size() == 1 ? alts[0] : Query(Query::OP_OR, alts.begin(), alts.end());
}

// The other readings of a word the user may have meant: jamo-level typo corrections of a Hangul
// word the vocabulary does not know, and the Hangul words a Latin word spells in romanisation.
// `corrected` gets the typo corrections (for "did you mean").
Query alternative_readings(const Token& t, const std::string& prefix, const QueryReadings& readings,
                           std::vector<std::string>& corrected,
                           std::vector<std::string>& romanised) {
  std::vector<std::string> words;
  double weight = kTypoWeight;
  const Lexicon& lexicon = default_lexicon();
  if (readings.typos && t.script == Script::Hangul && !lexicon.contains(t.stem) &&
      !lexicon.contains(t.text)) {
    // The word as typed first: a typo may look like a particle (자전가 is 자전 + 가).
    words = default_typo_corrector().corrections(t.text);
    if (words.empty() && t.stem != t.text) words = default_typo_corrector().corrections(t.stem);
    corrected = words;
  } else if (readings.romanized &&
             (t.script == Script::Latin || t.script == Script::Code)) {  // Gangnam-gu too
    if (const auto* hangul = default_romanized_lexicon().hangul_of(t.text)) words = *hangul;
    weight = kRomanizedWeight;
    romanised = words;
  }
  if (words.empty()) return Query();
  std::vector<Query> qs;
  for (const auto& w : words) {
    auto toks = tokenize(w);
    if (toks.size() == 1) qs.push_back(word_query(toks[0], {}, prefix));
  }
  if (qs.empty()) return Query();
  return Query(Query::OP_SCALE_WEIGHT, Query(Query::OP_OR, qs.begin(), qs.end()), weight);
}

Query stems_query(const std::vector<std::string>& stems, const std::string& prefix) {
  std::vector<Query> qs;
  for (const auto& s : stems) {
    auto toks = tokenize(s);
    if (toks.empty()) continue;
    std::vector<Token> parts(toks.begin() + 1, toks.end());
    qs.push_back(word_query(toks[0], parts, prefix));
  }
  if (qs.empty()) return Query();
  return Query(Query::OP_AND, qs.begin(), qs.end());
}

struct Unit {
  Token main;
  std::vector<Token> parts;
};

// Local governments' English names: "Gangnam-gu Office", "Gumi City", "Busan Metropolitan City".
// The English words after a romanised place name that name its administrative unit
// (romanization.h names_administrative_unit) say nothing its Hangul name (강남구, 구미시,
// 부산광역시) does not: they are left out instead of being searched as 도시 or 구역.
void drop_unit_words(std::vector<Unit>& units) {
  std::vector<Unit> kept;
  const std::vector<std::string>* places = nullptr;
  for (auto& u : units) {
    if (places && u.main.script == Script::Latin &&
        std::any_of(places->begin(), places->end(), [&](const std::string& w) {
          return names_administrative_unit(u.main.text, w);
        })) {
      continue;  // the place stays, for the next unit word (Metropolitan City)
    }
    places = u.main.script == Script::Latin || u.main.script == Script::Code
                 ? default_romanized_lexicon().hangul_of(u.main.text)
                 : nullptr;
    kept.push_back(std::move(u));
  }
  units = std::move(kept);
}

// "Minimum should match": with three to six words, a document may miss one of them
// (CKAN's Solr does the same with mm); all of them still rank first.
Query combine_concepts(const std::vector<Query>& concepts, bool relaxed) {
  if (concepts.size() == 1) return concepts[0];
  if (relaxed) return Query(Query::OP_OR, concepts.begin(), concepts.end());
  Query all(Query::OP_AND, concepts.begin(), concepts.end());
  if (concepts.size() < 3 || concepts.size() > 6) return all;
  std::vector<Query> alternatives{all};
  for (std::size_t skip = 0; skip < concepts.size(); ++skip) {
    std::vector<Query> rest;
    for (std::size_t i = 0; i < concepts.size(); ++i) {
      if (i != skip) rest.push_back(concepts[i]);
    }
    alternatives.push_back(Query(Query::OP_SCALE_WEIGHT,
                                 Query(Query::OP_AND, rest.begin(), rest.end()), 0.0));
  }
  return Query(Query::OP_OR, alternatives.begin(), alternatives.end());
}

// ---- ranges

std::string now_minus(long seconds) {
  std::time_t t = std::time(nullptr) - seconds;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return buf;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Solr date forms: 2020-01-01, 2020-01-01T00:00:00Z, ...T00:00:00.123Z, NOW, NOW-1YEAR,
// NOW/DAY-7DAYS (rounding is ignored). Returns the ISO prefix to compare stored values with.
std::string parse_date(const std::string& v, const std::string& field) {
  if (v.rfind("NOW", 0) == 0) {
    std::string rest = v.substr(3);
    if (auto slash = rest.find('/'); slash != std::string::npos) {
      std::size_t end = slash + 1;
      while (end < rest.size() && std::isalpha(static_cast<unsigned char>(rest[end]))) ++end;
      rest.erase(slash, end - slash);
    }
    long offset = 0;
    while (!rest.empty()) {
      char sign = rest[0];
      if (sign != '-' && sign != '+') fail("invalid date math '" + v + "' in " + field);
      std::size_t i = 1;
      while (i < rest.size() && std::isdigit(static_cast<unsigned char>(rest[i]))) ++i;
      if (i == 1 || i > 7) fail("invalid date math '" + v + "' in " + field);
      long n = std::stol(rest.substr(1, i - 1));
      std::size_t j = i;
      while (j < rest.size() && std::isalpha(static_cast<unsigned char>(rest[j]))) ++j;
      std::string unit = rest.substr(i, j - i);
      if (!unit.empty() && unit.back() == 'S') unit.pop_back();
      long secs = unit == "YEAR" ? 365L * 86400 : unit == "MONTH" ? 30L * 86400
                  : unit == "DAY" ? 86400 : unit == "HOUR" ? 3600 : unit == "MINUTE" ? 60
                  : unit == "SECOND" ? 1 : -1;
      if (secs < 0) fail("invalid date unit '" + unit + "' in " + field);
      offset += (sign == '-' ? 1 : -1) * n * secs;
      rest = rest.substr(j);
    }
    return now_minus(offset);
  }
  // YYYY-MM-DD, optionally THH:MM[:SS[.frac]][Z]
  std::string s = v;
  if (!s.empty() && s.back() == 'Z') s.pop_back();
  bool ok = s.size() >= 10 && all_digits(s.substr(0, 4)) && s[4] == '-' &&
            all_digits(s.substr(5, 2)) && s[7] == '-' && all_digits(s.substr(8, 2));
  if (ok && s.size() > 10) {
    ok = s[10] == 'T' && s.size() >= 16 && all_digits(s.substr(11, 2)) && s[13] == ':' &&
         all_digits(s.substr(14, 2));
    if (ok && s.size() > 16) {
      ok = s.size() >= 19 && s[16] == ':' && all_digits(s.substr(17, 2)) &&
           (s.size() == 19 || (s[19] == '.' && all_digits(s.substr(20))));
    }
  }
  if (!ok) fail("invalid date '" + v + "' in " + field + " (use 2020-01-01T00:00:00Z)");
  return s;
}

double parse_number(const std::string& v, const std::string& field) {
  char* end = nullptr;
  double d = std::strtod(v.c_str(), &end);
  if (v.empty() || *end != '\0' || !std::isfinite(d)) {
    fail("invalid number '" + v + "' in " + field);
  }
  return d;
}

bool parse_bool(const std::string& v, const std::string& field) {
  std::string l = catalog::to_lower_ascii(v);
  if (l == "true" || l == "y" || l == "yes" || l == "1") return true;
  if (l == "false" || l == "n" || l == "no" || l == "0") return false;
  fail("invalid boolean '" + v + "' in " + field + " (use true or false)");
}

Xapian::valueno range_slot(const std::string& field, bool& numeric) {
  numeric = false;
  if (field == "metadata_modified") return schema::kModified;
  if (field == "metadata_created") return schema::kCreated;
  if (field == "issued") return schema::kIssued;
  if (field == "modified") return schema::kModifiedSource;
  numeric = true;
  if (field == "views") return schema::kViews;
  if (field == "downloads") return schema::kDownloads;
  return Xapian::BAD_VALUENO;
}

const char* const kTextFields[] = {"title", "text", "notes", "description"};
const char* const kOtherFields[] = {"owner_org", "name", "id", "capacity", "state", "dataset_type",
                                    "metadata_modified", "metadata_created", "issued", "modified",
                                    "views", "downloads"};

}  // namespace

bool is_query_field(std::string_view name) {
  if (find_facet_field(name)) return true;
  for (const char* f : kTextFields) {
    if (name == f) return true;
  }
  for (const char* f : kOtherFields) {
    if (name == f) return true;
  }
  return false;
}

BuiltQuery QueryBuilder::build_q(const QueryNode& root, bool relaxed) {
  BuiltQuery out;
  int terms = 0;
  out.match = node(root, true, relaxed, out, terms);
  return out;
}

Xapian::Query QueryBuilder::build_filter(const QueryNode& root) {
  BuiltQuery ignored;
  int terms = 0;
  return node(root, false, false, ignored, terms);
}

Xapian::Query QueryBuilder::node(const QueryNode& n, bool scoring, bool relaxed, BuiltQuery& out,
                                 int& terms) {
  using K = QueryNode::Kind;
  switch (n.kind) {
    case K::All:
      return match_all();
    case K::Text:
    case K::Phrase: {
      Query q = text(n.value, "", n.kind == K::Phrase, relaxed, out, terms);
      return scoring ? q : boolean(q);
    }
    case K::Field:
      return field(n, scoring, relaxed, out, terms);
    case K::Range:
      return boolean(range(n));
    case K::Not: {
      BuiltQuery discard;  // what is excluded is not highlighted
      return Query(Query::OP_AND_NOT, match_all(),
                   node(n.children[0], false, relaxed, discard, terms));
    }
    case K::And: {
      std::vector<Query> positive, negative;
      for (const auto& c : n.children) {
        if (c.kind == K::Not) {
          BuiltQuery discard;
          negative.push_back(node(c.children[0], false, relaxed, discard, terms));
        } else {
          positive.push_back(node(c, scoring, relaxed, out, terms));
        }
      }
      Query q = positive.empty() ? match_all()
                                 : Query(Query::OP_AND, positive.begin(), positive.end());
      if (!negative.empty()) {
        q = Query(Query::OP_AND_NOT, q, Query(Query::OP_OR, negative.begin(), negative.end()));
      }
      return q;
    }
    case K::Or: {
      std::vector<Query> parts;
      for (const auto& c : n.children) parts.push_back(node(c, scoring, relaxed, out, terms));
      return Query(Query::OP_OR, parts.begin(), parts.end());
    }
  }
  return Query();
}

Xapian::Query QueryBuilder::text(const std::string& value, const std::string& prefix, bool phrase,
                                 bool relaxed, BuiltQuery& out, int& terms) {
  if (!catalog::is_valid_utf8(value)) fail("query is not valid UTF-8");
  std::vector<Unit> units;
  for (auto& t : tokenize(catalog::to_nfc(value))) {
    if (t.part && !units.empty()) {
      units.back().parts.push_back(std::move(t));
    } else {
      units.push_back(Unit{std::move(t), {}});
    }
  }
  terms += static_cast<int>(units.size());
  if (terms > static_cast<int>(kMaxQueryTerms)) {
    fail("query has too many terms (at most " + std::to_string(kMaxQueryTerms) + ")");
  }
  if (!phrase) {
    std::vector<Unit> kept;
    for (auto& u : units) {
      if (!is_query_stopword(u.main)) kept.push_back(u);
    }
    if (!kept.empty()) units = std::move(kept);
    if (readings_.romanized && readings_.unit_names) drop_unit_words(units);
  }
  if (units.empty()) return match_all();  // only punctuation: like an empty q
  out.has_text = true;

  const bool has_hangul = std::any_of(
      units.begin(), units.end(), [](const Unit& u) { return u.main.script == Script::Hangul; });
  std::vector<Query> concepts;
  std::vector<bool> generic;
  std::vector<Query> title_terms;  // the words' stems as title terms
  for (std::size_t i = 0; i < units.size();) {
    std::size_t span = 1;
    std::vector<std::vector<std::string>> expansions;
    for (std::size_t len = std::min(synonyms_.max_phrase_tokens(), units.size() - i); len >= 1;
         --len) {
      std::vector<std::string> stems;
      for (std::size_t k = i; k < i + len; ++k) stems.push_back(units[k].main.stem);
      expansions = synonyms_.expansions(phrase_key(stems));
      if (!expansions.empty() || len == 1) {
        span = len;
        break;
      }
    }
    std::vector<Query> words;
    bool has_reading = false;
    for (std::size_t k = i; k < i + span; ++k) {
      const Unit& u = units[k];
      words.push_back(word_query(u.main, u.parts, prefix, relaxed));
      std::vector<std::string> corrected, romanised;
      if (u.parts.empty() || u.main.script == Script::Code) {
        if (Query alt = alternative_readings(u.main, prefix, readings_, corrected, romanised);
            !alt.empty()) {
          words.back() = Query(Query::OP_OR, words.back(), alt);
          has_reading = true;
        }
      }
      if (readings_.romanized_titles && term_rarity_ &&
          (u.main.script == Script::Latin || u.main.script == Script::Code)) {
        if (const std::string key = romanization_key(u.main.text); !key.empty()) {
          const std::string xr = schema::kRomanized + key;
          if (const double idf = term_rarity_(xr); idf > 0) {
            // The term has wdf 0 (schema.h): its weight is a fixed share of its rarity.
            Query weight(
                (new Xapian::FixedWeightPostingSource(kRomanizedTitleWeight * idf))->release());
            words.back() =
                Query(Query::OP_OR, words.back(), Query(Query::OP_AND, Query(xr), weight));
            has_reading = true;
          }
        }
      }
      if (readings_.related_words && u.parts.empty() && u.main.script == Script::Hangul) {
        std::vector<Query> related;
        for (const auto& w : synonyms_.related(u.main.stem)) {
          related.push_back(stems_query({w}, prefix));
        }
        if (!related.empty()) {
          words.back() =
              Query(Query::OP_OR, words.back(),
                    Query(Query::OP_SCALE_WEIGHT,
                          Query(Query::OP_OR, related.begin(), related.end()), kRelatedWeight));
          has_reading = true;
        }
      }
      if (readings_.translated_title_boost) {
        for (const auto& w : romanised) title_terms.push_back(term(schema::kTitle, w));
      }
      out.corrections.push_back(std::move(corrected));
      title_terms.push_back(term(schema::kTitle, u.main.stem));
      out.highlight_terms.insert(u.main.text);
      out.highlight_terms.insert(u.main.stem);
      out.words.push_back(u.main.text);
    }
    Query idea = words.size() == 1 ? words[0] : Query(Query::OP_AND, words.begin(), words.end());
    if (!expansions.empty()) {
      std::vector<Query> alts{idea};
      std::vector<Query> syn;
      for (const auto& e : expansions) {
        syn.push_back(stems_query(e, prefix));
        for (const auto& s : e) out.highlight_terms.insert(s);
      }
      alts.emplace_back(Query::OP_SCALE_WEIGHT, Query(Query::OP_OR, syn.begin(), syn.end()),
                        kSynonymWeight);
      idea = Query(Query::OP_OR, alts.begin(), alts.end());
      // An English word's Korean translations are what a Korean title can hold: they get the
      // title boost the typed word would get in a Korean query.
      if (readings_.translated_title_boost && units[i].main.script == Script::Latin) {
        for (const auto& e : expansions) {
          if (e.size() == 1) title_terms.push_back(term(schema::kTitle, e[0]));
        }
      }
    }
    concepts.push_back(idea);
    // In an English query, a word nothing translates (no synonym, no romanised reading) next to
    // words that do reach Korean titles only adds weight: requiring it would demand English in a
    // Korean title (`national health insurance elderly statistics` found nothing for `elderly`).
    // Not in a query that has Hangul: there a Latin word is a name or code the title has (CCTV).
    const bool untranslated = readings_.english_names && !has_hangul && span == 1 &&
                              expansions.empty() && !has_reading &&
                              units[i].main.script == Script::Latin;
    generic.push_back(span == 1 && (is_generic_word(units[i].main.stem) || untranslated));
    i += span;
  }

  // Generic words (정보, 현황, 조회 ...) next to real ones only add weight.
  std::vector<Query> required, optional;
  for (std::size_t k = 0; k < concepts.size(); ++k) {
    (generic[k] && !phrase ? optional : required).push_back(concepts[k]);
  }
  if (required.empty()) {
    required.swap(optional);
  }
  Query match = phrase ? Query(Query::OP_AND, required.begin(), required.end())
                       : combine_concepts(required, relaxed);
  if (!optional.empty()) {
    match = Query(Query::OP_AND_MAYBE, match,
                  Query(Query::OP_OR, optional.begin(), optional.end()));
  }
  if (prefix.empty()) {
    // Ranking help: the words in the title, the whole query being the title, and for a quoted
    // phrase the words as that phrase in the title. Measured on bench/relevance and at 1M
    // (docs/BENCHMARKS.md): a phrase boost for unquoted words cost over a third of a search,
    // reading positions of every candidate, and ranked worse (MRR@10 0.776 -> 0.794 without
    // it); the words' stems alone as the title boost ranked better than each word's every form
    // (bigrams, parts) and are cheaper (0.794 -> 0.819; the blind long-tail queries 0.839 ->
    // 0.844).
    std::vector<Query> boosts;
    boosts.emplace_back(Query::OP_SCALE_WEIGHT,
                        Query(Query::OP_OR, title_terms.begin(), title_terms.end()), kTitleBoost);
    if (phrase && title_terms.size() >= 2) {
      boosts.emplace_back(Query::OP_SCALE_WEIGHT,
                          Query(Query::OP_PHRASE, title_terms.begin(), title_terms.end(),
                                static_cast<Xapian::termcount>(title_terms.size() + 1)),
                          kPhraseBoost);
    }
    if (auto key = exact_title_key(value); !key.empty()) {
      boosts.emplace_back(Query::OP_SCALE_WEIGHT, term(schema::kExactTitle, key),
                          kExactTitleBoost);
    }
    Query boost(Query::OP_OR, boosts.begin(), boosts.end());
    out.boost = out.boost.empty() ? boost : Query(Query::OP_OR, out.boost, boost);
  }
  return match;
}

Xapian::Query QueryBuilder::field(const QueryNode& n, bool scoring, bool relaxed, BuiltQuery& out,
                                  int& terms) {
  const std::string& f = n.field;
  if (f == "title") {
    Query q = text(n.value, schema::kTitle, n.quoted, relaxed, out, terms);
    return scoring ? q : boolean(q);
  }
  if (f == "text" || f == "notes" || f == "description") {
    Query q = text(n.value, "", n.quoted, relaxed, out, terms);
    return scoring ? q : boolean(q);
  }
  if (++terms > static_cast<int>(kMaxQueryTerms) * 4) fail("query has too many clauses");
  if (n.value == "*") fail("'" + f + ":*' is not supported: give a value");
  if (!catalog::is_valid_utf8(n.value)) fail("query is not valid UTF-8");
  std::string value = catalog::to_nfc(n.value);
  if (canonical_ && (f == "organization" || f == "owner_org" || f == "groups"))
    value = canonical_(f, value);
  bool numeric;
  if (range_slot(f, numeric) != Xapian::BAD_VALUENO) {
    fail("'" + f + "' needs a range: " + f + ":[FROM TO TO]");
  }
  if (f == "national_priority" || f == "standard_dataset") {
    const FacetField* ff = find_facet_field(f);
    return boolean(term(ff->term_prefix, parse_bool(value, f) ? "true" : "false"));
  }
  if (f == "res_format") {
    std::string upper = value;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return boolean(term(schema::kFormat, upper));
  }
  if (f == "dataset_type") return boolean(term(schema::kType, value));
  if (const FacetField* ff = find_facet_field(f)) return boolean(term(ff->term_prefix, value));
  if (f == "owner_org") return boolean(term(schema::kOrgId, value));
  if (f == "name") return boolean(term(schema::kName, value));
  if (f == "id") return boolean(term(schema::kId, value));
  if (f == "state") {
    // Only active datasets lack a state term (schema.h); which states a caller may see at all is
    // the visibility filter's business.
    if (value == "active")
      return Query(Query::OP_AND_NOT, match_all(),
                   Query(Query::OP_OR, Query(term(schema::kState, "draft")),
                         Query(term(schema::kState, "deleted"))));
    return boolean(term(schema::kState, value));
  }
  if (f == "capacity") {
    if (value == "public")
      return Query(Query::OP_AND_NOT, match_all(), Query(schema::kCapacityPrivate));
    if (value == "private") return boolean(Query(schema::kCapacityPrivate));
    fail("capacity is 'public' or 'private'");
  }
  fail("unknown field '" + f + "'");
}

Xapian::Query QueryBuilder::range(const QueryNode& n) {
  bool numeric;
  Xapian::valueno slot = range_slot(n.field, numeric);
  if (slot == Xapian::BAD_VALUENO) fail("'" + n.field + "' does not take a range");
  std::string lo, hi;
  const bool open_lo = n.lo == "*", open_hi = n.hi == "*";
  if (numeric) {
    if (!open_lo) {
      double d = parse_number(n.lo, n.field);
      if (!n.lo_inclusive) d = std::nextafter(d, INFINITY);
      lo = Xapian::sortable_serialise(d);
    }
    if (!open_hi) {
      double d = parse_number(n.hi, n.field);
      if (!n.hi_inclusive) d = std::nextafter(d, -INFINITY);
      hi = Xapian::sortable_serialise(d);
    }
  } else {
    // Stored timestamps are longer than the bounds (fractions of seconds): a bound that
    // includes a second includes every value starting with it.
    if (!open_lo) lo = parse_date(n.lo, n.field) + (n.lo_inclusive ? "" : "\xff");
    if (!open_hi) hi = parse_date(n.hi, n.field) + (n.hi_inclusive ? "\xff" : "");
  }
  if (open_lo && open_hi) return Query(Query::OP_VALUE_GE, slot, std::string(1, '\0'));
  if (open_lo) return Query(Query::OP_VALUE_LE, slot, hi);
  if (open_hi) return Query(Query::OP_VALUE_GE, slot, lo);
  if (lo > hi) return Query();
  return Query(Query::OP_VALUE_RANGE, slot, lo, hi);
}

}  // namespace datamap::search

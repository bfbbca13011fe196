// Which other readings of a query's words a search adds (issue 18). All on in production; the
// relevance harness (bench/search_bench relevance --without ...) switches them off one at a
// time to measure what each contributes.
#pragma once

namespace datamap::search {

struct QueryReadings {
  bool typos = true;          // jamo-level corrections of unknown Hangul words (typo.h)
  bool romanized = true;      // Latin words read as romanised Hangul (romanization.h)
  bool english_names = true;  // the standard words' English names as synonyms (synonyms.h)
  bool translated_title_boost = true;  // an English word's translations boosted in titles
  bool english_dictionary = true;      // data/search/english.txt, English -> Korean (synonyms.h)
  bool related_words = true;           // data/search/related.txt (synonyms.h)
  bool agency_names = true;            // data/search/english_agencies.txt (synonyms.h)
  bool romanized_titles = true;        // Latin words as romanised title words (schema::kRomanized)
  bool unit_names = true;  // "Gangnam-gu Office": the unit's English words after a place name
};

}  // namespace datamap::search

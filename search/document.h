// A catalog Dataset as a Xapian document: weighted free-text terms, title terms with positions,
// boolean filter terms, sort/facet values, and the full CKAN package dict as the document data
// (so search results need no store round trip).
#pragma once

#include <xapian.h>

#include <functional>
#include <string>
#include <vector>

#include "catalog/model.h"
#include "catalog/quality_score.h"

namespace datamap::search {

struct BuiltDocument {
  Xapian::Document doc;
  std::string id_term;                    // unique "Q"+id, for replace_document
  // For the spelling dictionary, which every caller shares: public datasets' words only
  // (catalog::is_public), so a private title never becomes someone's "did you mean".
  std::vector<std::string> title_words;
};

// The catalog's group of a name (nullptr when unknown).
using GroupLookup = std::function<const catalog::Group*(const std::string& name)>;

// `organization` is embedded in the stored package dict and named in the organization facet;
// the groups `groups` knows are embedded as CKAN's group dicts (id, title, display_name, ...)
// and give the groups facet its display names. The metadata quality score (catalog/
// quality_score.h, scored on the day of indexing with the dataset's link-check answers `links`)
// gives the quality_rating facet, sort=quality and the stored dict's `quality` member.
BuiltDocument build_document(const catalog::Dataset& d, const catalog::Organization* organization,
                             const GroupLookup& groups = {},
                             const catalog::quality::LinkResults& links = {});

// The terms of a title, as every searchable title is indexed (a dataset's, a data request's):
// weighted free text, positional "S" terms for phrases and prefixes, the bracket readings and
// the exact-title key. The words a spelling dictionary may learn go to `spelling_words` when
// it is given.
void index_title(Xapian::Document& doc, std::string_view title,
                 std::vector<std::string>* spelling_words = nullptr);
// The unprefixed free-text terms of `text` with a field's weight (schema::kWeight*).
void index_text(Xapian::Document& doc, std::string_view text, int weight);

// The romanisation keys (schema::kRomanized, wdf 1 each) of the Hangul words of `text` and of
// the pieces of its compounds that the vocabulary does not know: 담양군궁을가 -> XRgungeulga.
void index_romanized(Xapian::Document& doc, std::string_view text);

// The exact-title key of a text: folded, with everything but letters and digits removed.
std::string exact_title_key(std::string_view title);

}  // namespace datamap::search

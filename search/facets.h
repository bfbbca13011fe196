// Facet fields (CKAN's facet.field names) and the match spy that counts them. Every facet value
// of a document lives in one value slot (schema::kFacets) as <code byte><value>\0 entries, so
// counting three facets over a match set reads one value per document, not three.
#pragma once

#include <xapian.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace datamap::search {

struct FacetField {
  const char* name;         // as in facet.field and fq: "organization", "tags", ...
  char code;                // its byte in the facet slot
  const char* term_prefix;  // its boolean filter prefix (schema.h)
};

const std::vector<FacetField>& facet_fields();
const FacetField* find_facet_field(std::string_view name);

// Appends one entry to a facet blob. The organization's and a group's entry are
// "name\x1ftitle" so that the facet can show titles without asking the store.
void append_facet(std::string& blob, char code, std::string_view value);

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using FacetCounts = std::unordered_map<std::string, std::int64_t, StringHash, std::equal_to<>>;

// Counts the values of the requested facet fields over every document the match looks at
// (set check_at_least to the database size for exact counts). The matcher visits documents in
// docid order, so the facet values are read by walking the slot's value stream forwards, not
// by a B-tree lookup per document.
class FacetSpy : public Xapian::MatchSpy {
 public:
  FacetSpy(const Xapian::Database& db, const std::vector<const FacetField*>& fields);
  void operator()(const Xapian::Document& doc, double wt) override;
  // Counts of field i of the constructor's list.
  const FacetCounts& counts(std::size_t i) const { return counts_[i]; }

 private:
  void count(const std::string& blob);

  Xapian::Database db_;
  Xapian::ValueIterator values_, values_end_;
  Xapian::docid last_ = 0;
  std::array<int, 256> slot_of_code_{};  // code byte -> index in counts_ + 1 (0: not requested)
  std::vector<FacetCounts> counts_;
};

}  // namespace datamap::search

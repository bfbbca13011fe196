// Facet fields (CKAN's facet.field names). Every facet value of a document lives in one value
// slot (schema::kFacets) as <code byte><value>\0 entries; searches count them from the in-memory
// copy of that slot (doc_table.h).
#pragma once

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

// Appends one entry to a facet blob. The organization's, a group's and the quality rating's entry
// are "name\x1ftitle" so that the facet can show titles without asking the store.
void append_facet(std::string& blob, char code, std::string_view value);

// Calls fn(code, value) for each entry of a facet blob, in order, until it returns false. The one
// reader of the blob format: the doc table and the remote shards' facet counts both use it.
template <typename Fn>
void for_each_facet_entry(std::string_view blob, Fn fn) {
  for (std::size_t p = 0; p < blob.size();) {
    std::size_t end = blob.find('\0', p);
    if (end == std::string_view::npos) end = blob.size();
    if (end > p + 1 && !fn(blob[p], blob.substr(p + 1, end - p - 1))) return;
    p = end + 1;
  }
}

// Facet field index (in facet_fields()) by code byte; -1 for a code no field has.
int facet_field_index(char code);

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using FacetCounts = std::unordered_map<std::string, std::int64_t, StringHash, std::equal_to<>>;

}  // namespace datamap::search

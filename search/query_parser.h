// The Solr-like query syntax people send to CKAN's q and fq, parsed into a small tree:
// words, "quoted phrases", field:value, field:"quoted", field:[a TO b] / {a TO *}, -x / NOT x /
// +x, AND / OR (AND binds tighter; juxtaposition means AND, as in CKAN's Solr schema), (groups),
// *:*. Malformed input (unbalanced quotes or brackets, too deep, too long) throws
// BadRequest("Search Query Error", ...), which the API answers with 400.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace datamap::search {

struct QueryNode {
  enum class Kind { All, And, Or, Not, Text, Phrase, Field, Range };
  Kind kind = Kind::All;
  std::string field;   // Field / Range, and Text / Phrase when fielded (title:bus)
  std::string value;   // Text / Phrase / Field
  std::string lo, hi;  // Range; "*" = open
  bool lo_inclusive = true, hi_inclusive = true;
  bool quoted = false;  // Field: the value was quoted
  std::vector<QueryNode> children;
};

// `is_field` says which names before ':' are fields; a word:value whose name is not a field is
// kept as text when `unknown_fields_are_text` (q), and rejected otherwise (fq).
QueryNode parse_query(std::string_view input, bool (*is_field)(std::string_view),
                      bool unknown_fields_are_text);

}  // namespace datamap::search

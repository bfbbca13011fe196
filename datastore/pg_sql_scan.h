// A lexical scan of PostgreSQL SQL text for datastore_search_sql's checks (pg_sql_sandbox.h):
// words (unquoted identifiers and keywords, lower-cased as PostgreSQL folds them), quoted
// identifiers ("…", kept exact, "" unescaped) and single symbols, with comments (`-- …`, nested
// `/* … */`), string literals ('…', E'…' with backslash escapes, $tag$…$tag$) and numbers skipped.
// It is not a parser: it finds the statement's first word and the names written before a `(`
// (function calls, also schema-qualified or with a comment before the parenthesis), so a
// function is refused by its name and never because its name appears in a literal or a column.
// Unterminated literals and comments end at the end of the text (the server rejects them).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace datamap::datastore {

struct SqlToken {
  enum class Kind { word, quoted_word, symbol };
  Kind kind = Kind::symbol;
  std::string text;  // words lower-cased; quoted words unquoted; a symbol is one character
};

std::vector<SqlToken> scan_pg_sql(std::string_view sql);

// The names of the functions the text calls (a word or quoted word followed by `(`), in order;
// also type modifiers and keywords before a parenthesis (varchar(10), IN (…)), which no check
// refuses. A schema-qualified call yields the function's own name.
std::vector<std::string> called_names(const std::vector<SqlToken>& tokens);

}  // namespace datamap::datastore

#include "datastore/pg_sql_scan.h"

#include <cctype>

namespace datamap::datastore {
namespace {

bool word_start(unsigned char c) {
  return std::isalpha(c) || c == '_' || c >= 0x80;
}
bool word_part(unsigned char c) {
  return word_start(c) || std::isdigit(c) || c == '$';
}

// Past a nested block comment starting at `i` ("/*").
std::size_t skip_block_comment(std::string_view s, std::size_t i) {
  int depth = 0;
  do {
    if (s.compare(i, 2, "/*") == 0) {
      ++depth;
      i += 2;
    } else if (s.compare(i, 2, "*/") == 0) {
      --depth;
      i += 2;
    } else {
      ++i;
    }
  } while (depth > 0 && i < s.size());
  return i;
}

// Past a '…' literal whose opening quote is at `i`; `backslashes`: an E'…' literal.
std::size_t skip_string(std::string_view s, std::size_t i, bool backslashes) {
  for (++i; i < s.size(); ++i) {
    if (backslashes && s[i] == '\\') {
      ++i;
    } else if (s[i] == '\'') {
      if (i + 1 < s.size() && s[i + 1] == '\'') {
        ++i;  // '' inside the literal
      } else {
        return i + 1;
      }
    }
  }
  return s.size();
}

// The $tag$ (or $$) opening a dollar-quoted literal at `i`, or "" when `$` starts none.
std::string_view dollar_tag(std::string_view s, std::size_t i) {
  std::size_t j = i + 1;
  if (j < s.size() && s[j] != '$' && !word_start(static_cast<unsigned char>(s[j]))) return {};
  while (j < s.size() && s[j] != '$') {
    if (!word_part(static_cast<unsigned char>(s[j])) || s[j] == '$') return {};
    ++j;
  }
  return j < s.size() ? s.substr(i, j - i + 1) : std::string_view{};
}

}  // namespace

std::vector<SqlToken> scan_pg_sql(std::string_view s) {
  std::vector<SqlToken> out;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (std::isspace(c)) {
      ++i;
    } else if (s.compare(i, 2, "--") == 0) {
      i = s.find('\n', i);
      if (i == std::string_view::npos) i = s.size();
    } else if (s.compare(i, 2, "/*") == 0) {
      i = skip_block_comment(s, i);
    } else if (c == '\'') {
      i = skip_string(s, i, false);
    } else if ((c == 'e' || c == 'E') && i + 1 < s.size() && s[i + 1] == '\'') {
      i = skip_string(s, i + 1, true);
    } else if (c == '"') {
      std::string name;
      for (++i; i < s.size(); ++i) {
        if (s[i] == '"') {
          if (i + 1 < s.size() && s[i + 1] == '"') {
            name += '"';
            ++i;
          } else {
            ++i;
            break;
          }
        } else {
          name += s[i];
        }
      }
      out.push_back({SqlToken::Kind::quoted_word, std::move(name)});
    } else if (c == '$' && !dollar_tag(s, i).empty()) {
      const std::string_view tag = dollar_tag(s, i);
      const std::size_t end = s.find(tag, i + tag.size());
      i = end == std::string_view::npos ? s.size() : end + tag.size();
    } else if (word_start(c)) {
      std::string word;
      while (i < s.size() && word_part(static_cast<unsigned char>(s[i])))
        word += static_cast<char>(std::tolower(static_cast<unsigned char>(s[i++])));
      out.push_back({SqlToken::Kind::word, std::move(word)});
    } else if (std::isdigit(c)) {
      while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
    } else {
      out.push_back({SqlToken::Kind::symbol, std::string(1, s[i])});
      ++i;
    }
  }
  return out;
}

std::vector<std::string> called_names(const std::vector<SqlToken>& tokens) {
  std::vector<std::string> names;
  for (std::size_t k = 1; k < tokens.size(); ++k)
    if (tokens[k].kind == SqlToken::Kind::symbol && tokens[k].text == "(" &&
        tokens[k - 1].kind != SqlToken::Kind::symbol)
      names.push_back(tokens[k - 1].text);
  return names;
}

}  // namespace datamap::datastore

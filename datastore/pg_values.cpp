#include "datastore/pg_values.h"

#include <charconv>
#include <cstdlib>
#include <map>
#include <vector>

#include "catalog/errors.h"
#include "catalog/postgres/pg_copy_in.h"
#include "datastore/fulltext.h"

namespace datamap::datastore {

namespace {

// PostgreSQL's tsvector limits: a lexeme under 2 KiB, at most 256 positions of one lexeme,
// positions up to 16,383 (later ones count as 16,383), the whole value under 1 MiB. A longer
// token is left out (no query can name it either); later positions are dropped.
constexpr std::size_t kMaxLexemeBytes = 2047;
constexpr std::size_t kMaxPositions = 256;
constexpr std::size_t kMaxPosition = 16383;
constexpr std::size_t kMaxVectorBytes = 900 * 1024;

std::string double_text(double d) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, end);
}

}  // namespace

std::string pg_column_type(std::string_view t) {
  if (t == "int") return "bigint";
  if (t == "numeric") return "double precision";
  if (t == "bool") return "boolean";
  return "text COLLATE \"C\"";
}

void add_param(catalog::postgres::Params& params, const Cell& c) {
  if (std::holds_alternative<std::monostate>(c))
    params.add(std::optional<std::int64_t>{});
  else if (auto* v = std::get_if<std::int64_t>(&c))
    params.add(*v);
  else if (auto* d = std::get_if<double>(&c))
    params.add(double_text(*d));
  else if (auto* b = std::get_if<bool>(&c))
    params.add(*b);
  else
    params.add(std::get<std::string>(c));
}

void append_copy_field(const Cell& c, std::string& line) {
  if (std::holds_alternative<std::monostate>(c)) {
    line += "\\N";
  } else if (auto* v = std::get_if<std::int64_t>(&c)) {
    line += std::to_string(*v);
  } else if (auto* d = std::get_if<double>(&c)) {
    line += double_text(*d);
  } else if (auto* b = std::get_if<bool>(&c)) {
    line += *b ? 't' : 'f';
  } else {
    const std::string& text = std::get<std::string>(c);
    if (text.find('\0') != std::string::npos)
      throw ValidationError("text", "Text may not contain the NUL character (\\0)");
    catalog::postgres::append_copy_text(text, line);
  }
}

Cell read_pg_cell(const catalog::postgres::Result& r, int row, int col, std::string_view type) {
  if (r.is_null(row, col)) return std::monostate{};
  std::string_view v = r.text_view(row, col);
  if (type == "int") {
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec == std::errc() && end == v.data() + v.size()) return n;
  } else if (type == "numeric") {
    std::string s(v);
    char* end = nullptr;
    double d = std::strtod(s.c_str(), &end);
    if (end && *end == '\0' && !s.empty()) return d;
  } else if (type == "bool") {
    return v == "t";
  }
  return std::string(v);
}

std::string field_type_of(Oid type) {
  switch (type) {
    case 20:  // int8
    case 21:  // int2
    case 23:  // int4
      return "int";
    case 700:   // float4
    case 701:   // float8
    case 1700:  // numeric
      return "numeric";
    case 16:
      return "bool";
    default:
      return "text";
  }
}

std::string fulltext_tsvector(std::string_view doc) {
  std::map<std::string, std::vector<std::size_t>> lexemes;
  std::size_t position = 0, bytes = 0;
  for (auto& token : fulltext_tokens(doc)) {
    ++position;
    if (token.size() > kMaxLexemeBytes) continue;
    auto [it, added] = lexemes.try_emplace(std::move(token));
    if (added) {
      bytes += it->first.size() + 8;
      if (bytes > kMaxVectorBytes) {
        lexemes.erase(it);
        break;
      }
    }
    if (it->second.size() < kMaxPositions) it->second.push_back(std::min(position, kMaxPosition));
  }
  std::string out;
  for (const auto& [lexeme, positions] : lexemes) {
    if (!out.empty()) out += ' ';
    out += '\'';
    out += lexeme;  // tokens hold no quote nor backslash: ASCII punctuation separates them
    out += '\'';
    char sep = ':';
    for (auto p : positions) {
      out += sep;
      out += std::to_string(p);
      sep = ',';
    }
  }
  return out;
}

std::string fulltext_tsquery(std::string_view query) {
  std::string out;
  for (const auto& word : fulltext_words(query)) {
    auto tokens = fulltext_tokens(word.text);
    if (tokens.empty()) continue;
    std::string phrase;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      if (tokens[i].size() > kMaxLexemeBytes)
        throw ValidationError(
            "q", "a word of q is longer than " + std::to_string(kMaxLexemeBytes) + " bytes");
      if (i) phrase += " <-> ";
      phrase += '\'' + tokens[i] + '\'';
      if (word.prefix && i + 1 == tokens.size()) phrase += ":*";
    }
    if (!out.empty()) out += " & ";
    out += '(' + phrase + ')';
  }
  return out;
}

}  // namespace datamap::datastore

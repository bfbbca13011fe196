#include "search/query_parser.h"

#include "catalog/errors.h"
#include "search/request.h"

namespace datamap::search {
namespace {

constexpr int kMaxDepth = 32;

[[noreturn]] void fail(const std::string& message) {
  throw BadRequest("Search Query Error", message);
}

bool is_special(char c) {
  return c == '(' || c == ')' || c == '"' || c == '[' || c == ']' || c == '{' || c == '}';
}
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

class Parser {
 public:
  Parser(std::string_view s, bool (*is_field)(std::string_view), bool lenient)
      : s_(s), is_field_(is_field), lenient_(lenient) {}

  QueryNode parse() {
    QueryNode n = parse_or(0);
    skip_space();
    if (p_ < s_.size()) {
      if (s_[p_] == ')') fail("unbalanced ')' at position " + std::to_string(p_ + 1));
      fail("unexpected '" + std::string(1, s_[p_]) + "' at position " + std::to_string(p_ + 1));
    }
    return n;
  }

 private:
  void skip_space() {
    while (p_ < s_.size() && is_space(s_[p_])) ++p_;
  }

  // A bare word: up to space or a special character; backslash escapes one character.
  std::string read_word() {
    std::string w;
    while (p_ < s_.size() && !is_space(s_[p_]) && !is_special(s_[p_])) {
      if (s_[p_] == '\\' && p_ + 1 < s_.size()) ++p_;
      w.push_back(s_[p_++]);
    }
    return w;
  }

  std::string read_quoted() {
    std::size_t open = p_++;
    std::string w;
    while (p_ < s_.size() && s_[p_] != '"') {
      if (s_[p_] == '\\' && p_ + 1 < s_.size()) ++p_;
      w.push_back(s_[p_++]);
    }
    if (p_ >= s_.size()) fail("unbalanced quote at position " + std::to_string(open + 1));
    ++p_;
    return w;
  }

  bool peek_keyword(std::string_view kw) {
    if (s_.substr(p_, kw.size()) != kw) return false;
    std::size_t after = p_ + kw.size();
    return after >= s_.size() || is_space(s_[after]) || s_[after] == '(' || s_[after] == '"';
  }

  QueryNode parse_or(int depth) {
    if (depth > kMaxDepth) fail("query nested too deeply");
    QueryNode first = parse_and(depth);
    std::vector<QueryNode> parts;
    parts.push_back(std::move(first));
    for (;;) {
      skip_space();
      if (peek_keyword("OR") || s_.substr(p_, 2) == "||") {
        p_ += 2;
        parts.push_back(parse_and(depth));
      } else {
        break;
      }
    }
    if (parts.size() == 1) return std::move(parts[0]);
    QueryNode n;
    n.kind = QueryNode::Kind::Or;
    n.children = std::move(parts);
    return n;
  }

  bool at_clause_end() {
    skip_space();
    return p_ >= s_.size() || s_[p_] == ')' || peek_keyword("OR") || s_.substr(p_, 2) == "||";
  }

  QueryNode parse_and(int depth) {
    std::vector<QueryNode> parts;
    while (!at_clause_end()) {
      if (peek_keyword("AND")) {
        p_ += 3;
        continue;
      }
      if (s_.substr(p_, 2) == "&&") {
        p_ += 2;
        continue;
      }
      parts.push_back(parse_unary(depth));
    }
    if (parts.empty()) fail("empty clause at position " + std::to_string(p_ + 1));
    // Runs of plain words become one text: synonyms and relaxation see the whole phrase.
    std::vector<QueryNode> merged;
    for (auto& n : parts) {
      if (n.kind == QueryNode::Kind::Text && n.field.empty() && !merged.empty() &&
          merged.back().kind == QueryNode::Kind::Text && merged.back().field.empty()) {
        merged.back().value += ' ';
        merged.back().value += n.value;
      } else {
        merged.push_back(std::move(n));
      }
    }
    if (merged.size() == 1) return std::move(merged[0]);
    QueryNode n;
    n.kind = QueryNode::Kind::And;
    n.children = std::move(merged);
    return n;
  }

  QueryNode parse_unary(int depth) {
    skip_space();
    bool negate = false;
    if (peek_keyword("NOT")) {
      p_ += 3;
      negate = true;
    } else if (p_ < s_.size() && (s_[p_] == '-' || s_[p_] == '+' || s_[p_] == '!') &&
               p_ + 1 < s_.size() && !is_space(s_[p_ + 1])) {
      negate = s_[p_] != '+';
      ++p_;
    }
    skip_space();
    if (p_ >= s_.size()) fail("operator without an operand at the end");
    QueryNode inner = parse_primary(depth);
    if (!negate) return inner;
    QueryNode n;
    n.kind = QueryNode::Kind::Not;
    n.children.push_back(std::move(inner));
    return n;
  }

  QueryNode parse_primary(int depth) {
    char c = s_[p_];
    if (c == '(') {
      std::size_t open = p_++;
      QueryNode n = parse_or(depth + 1);
      skip_space();
      if (p_ >= s_.size() || s_[p_] != ')') {
        fail("unbalanced '(' at position " + std::to_string(open + 1));
      }
      ++p_;
      return n;
    }
    if (c == '"') {
      QueryNode n;
      n.kind = QueryNode::Kind::Phrase;
      n.value = read_quoted();
      return n;
    }
    if (c == ')') fail("unbalanced ')' at position " + std::to_string(p_ + 1));
    if (c == '[' || c == '{' || c == ']' || c == '}') {
      fail("range without a field at position " + std::to_string(p_ + 1));
    }
    std::size_t word_start = p_;
    std::string word = read_word();
    if (word == "*:*") return QueryNode{};
    std::size_t colon = word.find(':');
    if (colon != std::string::npos && colon > 0) {
      std::string field = word.substr(0, colon);
      if (is_field_(field)) return parse_field_value(field, word.substr(colon + 1), depth);
      if (!lenient_ && looks_like_field(field)) fail("unknown field '" + field + "'");
    }
    if (colon == 0 && !lenient_) fail("field name missing before ':'");
    (void)word_start;
    QueryNode n;
    n.kind = QueryNode::Kind::Text;
    n.value = word;
    return n;
  }

  static bool looks_like_field(std::string_view f) {
    for (char c : f) {
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '.' ||
            (c >= '0' && c <= '9'))) {
        return false;
      }
    }
    return true;
  }

  // What follows "field:": the rest of the word, or a quoted value, a range or a group.
  QueryNode parse_field_value(const std::string& field, std::string rest, int depth) {
    if (rest.empty() && p_ < s_.size()) {
      char c = s_[p_];
      if (c == '"') {
        QueryNode n;
        n.kind = QueryNode::Kind::Field;
        n.field = field;
        n.value = read_quoted();
        n.quoted = true;
        return n;
      }
      if (c == '[' || c == '{') return parse_range(field);
      if (c == '(') {
        std::size_t open = p_++;
        QueryNode group = parse_or(depth + 1);
        skip_space();
        if (p_ >= s_.size() || s_[p_] != ')') {
          fail("unbalanced '(' at position " + std::to_string(open + 1));
        }
        ++p_;
        apply_field(group, field);
        return group;
      }
    }
    if (rest.empty()) fail("no value after '" + field + ":'");
    QueryNode n;
    n.kind = QueryNode::Kind::Field;
    n.field = field;
    n.value = rest;
    return n;
  }

  // field:(a OR b) means field:a OR field:b.
  static void apply_field(QueryNode& n, const std::string& field) {
    if (n.kind == QueryNode::Kind::Text || n.kind == QueryNode::Kind::Phrase) {
      n.quoted = n.kind == QueryNode::Kind::Phrase;
      n.kind = QueryNode::Kind::Field;
      n.field = field;
      return;
    }
    if (n.kind == QueryNode::Kind::Field || n.kind == QueryNode::Kind::Range) {
      fail("nested field inside '" + field + ":(...)'");
    }
    for (auto& c : n.children) apply_field(c, field);
    // a merged text run "a b" inside field:(a b) means field:a AND field:b
    if (n.kind == QueryNode::Kind::All) fail("'*:*' inside '" + field + ":(...)'");
  }

  QueryNode parse_range(const std::string& field) {
    std::size_t open = p_;
    QueryNode n;
    n.kind = QueryNode::Kind::Range;
    n.field = field;
    n.lo_inclusive = s_[p_++] == '[';
    skip_space();
    n.lo = read_range_bound();
    skip_space();
    if (s_.substr(p_, 2) != "TO") fail("range without 'TO' at position " + std::to_string(open + 1));
    p_ += 2;
    skip_space();
    n.hi = read_range_bound();
    skip_space();
    if (p_ >= s_.size() || (s_[p_] != ']' && s_[p_] != '}')) {
      fail("unbalanced '" + std::string(1, s_[open]) + "' at position " + std::to_string(open + 1));
    }
    n.hi_inclusive = s_[p_++] == ']';
    if (n.lo.empty() || n.hi.empty()) fail("empty range bound in '" + field + "'");
    return n;
  }

  std::string read_range_bound() {
    if (p_ < s_.size() && s_[p_] == '"') return read_quoted();
    std::string w;
    while (p_ < s_.size() && !is_space(s_[p_]) && s_[p_] != ']' && s_[p_] != '}') {
      if (s_[p_] == '\\' && p_ + 1 < s_.size()) ++p_;
      w.push_back(s_[p_++]);
    }
    return w;
  }

  std::string_view s_;
  bool (*is_field_)(std::string_view);
  bool lenient_;
  std::size_t p_ = 0;
};

}  // namespace

QueryNode parse_query(std::string_view input, bool (*is_field)(std::string_view),
                      bool unknown_fields_are_text) {
  if (input.size() > kMaxQueryBytes) {
    fail("query too long: " + std::to_string(input.size()) + " bytes (at most " +
         std::to_string(kMaxQueryBytes) + ")");
  }
  std::size_t i = 0;
  while (i < input.size() && is_space(input[i])) ++i;
  if (i == input.size()) return QueryNode{};
  return Parser(input, is_field, unknown_fields_are_text).parse();
}

}  // namespace datamap::search

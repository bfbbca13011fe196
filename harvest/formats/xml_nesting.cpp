#include "harvest/formats/xml_nesting.h"

#include <array>
#include <cctype>

#include "catalog/text.h"

namespace datamap::harvest {
namespace {

constexpr std::size_t kMaxDeclaration = 1024;  // a real XML declaration is under 100 bytes

bool is_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Encodings in which every byte below 0x80 is that ASCII character and never part of a
// multi-byte one, so the scan reads the markup libxml2 will read.
bool ascii_compatible(std::string_view encoding) {
  static constexpr std::array<std::string_view, 11> kNames = {
      "utf-8",  "utf8",   "us-ascii", "ascii", "latin1",        "latin-1",
      "euc-kr", "euc-jp", "gb2312",   "cp949", "ks_c_5601-1987"};
  static constexpr std::array<std::string_view, 5> kPrefixes = {
      "iso-8859-", "iso8859-", "iso_8859-", "windows-125", "cp125"};
  std::string e = catalog::to_lower_ascii(encoding);
  for (auto name : kNames)
    if (e == name) return true;
  for (auto prefix : kPrefixes)
    if (e.size() > prefix.size() && e.compare(0, prefix.size(), prefix) == 0) return true;
  return false;
}

bool is_name_char(unsigned char c) {
  return std::isalnum(c) || c == '_' || c == '-' || c == '.' || c == ':';
}

// The `encoding` pseudo-attribute of an XML declaration's text after "<?"
// ("xml version='1.0' encoding='X'?>"): "" when there is none, nullopt when the declaration is
// malformed. Read pseudo-attribute by pseudo-attribute, so that "encoding" inside another value
// is not taken for it.
std::optional<std::string_view> declared_encoding(std::string_view decl) {
  std::size_t i = 3;  // after "xml"
  auto skip_space = [&] {
    while (i < decl.size() && is_space(static_cast<unsigned char>(decl[i]))) ++i;
  };
  for (;;) {
    skip_space();
    if (decl.substr(i) == "?>") return std::string_view();
    std::size_t name_start = i;
    while (i < decl.size() && is_name_char(static_cast<unsigned char>(decl[i]))) ++i;
    std::string_view name = decl.substr(name_start, i - name_start);
    skip_space();
    if (name.empty() || i >= decl.size() || decl[i] != '=') return std::nullopt;
    ++i;
    skip_space();
    if (i >= decl.size() || (decl[i] != '"' && decl[i] != '\'')) return std::nullopt;
    std::size_t end = decl.find(decl[i], i + 1);
    if (end == std::string_view::npos) return std::nullopt;
    std::string_view value = decl.substr(i + 1, end - i - 1);
    i = end + 1;
    if (name == "encoding") return value;
  }
}

}  // namespace

std::string XmlNestingError::message() const {
  return reason + " at byte " + std::to_string(offset);
}

void XmlNestingGuard::refuse(std::size_t offset, std::string reason) {
  error_ = XmlNestingError{offset, std::move(reason)};
}

void XmlNestingGuard::check_xml_declaration() {
  // Only "<?xml" followed by white space is the declaration ("<?xml-stylesheet" is a PI).
  if (decl_.size() < 4 || decl_.compare(0, 3, "xml") != 0 ||
      !is_space(static_cast<unsigned char>(decl_[3])))
    return;
  std::optional<std::string_view> encoding = declared_encoding(decl_);
  if (!encoding)
    refuse(tag_start_, "malformed XML declaration");
  else if (!encoding->empty() && !ascii_compatible(*encoding))
    refuse(tag_start_, "XML encoding \"" + std::string(*encoding) +
                           "\" is not accepted (UTF-8 or another ASCII-compatible one only)");
}

std::optional<XmlNestingError> XmlNestingGuard::feed(std::string_view bytes) {
  for (char ch : bytes) {
    if (error_) return error_;
    auto c = static_cast<unsigned char>(ch);
    if (c == 0) {
      refuse(pos_, "NUL byte in XML (UTF-8 or another ASCII-compatible encoding only)");
      return error_;
    }
    while (!step(c)) {
    }
    ++pos_;
  }
  return error_;
}

bool XmlNestingGuard::step(unsigned char c) {
  switch (state_) {
    case State::kStart:
      if (c == '<') {
        tag_start_ = pos_;
        state_ = State::kLt;
      } else if (!is_space(c) && c != 0xEF && c != 0xBB && c != 0xBF) {  // UTF-8 BOM bytes
        refuse(pos_, "not XML in UTF-8 or another ASCII-compatible encoding: no '<' first");
      }
      return true;

    case State::kText:
      if (c == '<') {
        tag_start_ = pos_;
        state_ = State::kLt;
      }
      return true;

    case State::kLt: {
      bool first = !markup_seen_;
      markup_seen_ = true;
      prev_ = 0;
      if (c == '?') {
        capturing_decl_ = first;
        decl_.clear();
        state_ = State::kPi;
        return true;
      }
      if (c == '!') {
        bang_.clear();
        state_ = State::kBang;
        return true;
      }
      if (in_subset_) {  // '<' in the subset opens only declarations, comments and PIs
        state_ = State::kSubset;
        return false;
      }
      if (c == '/') {
        state_ = State::kEndTag;
        return true;
      }
      // A start tag, counted at its '<' so that the offset names it; "/>" takes it back.
      if (++depth_ > deepest_) deepest_ = depth_;
      if (depth_ > max_depth_) {
        refuse(tag_start_,
               "XML elements nested deeper than " + std::to_string(max_depth_) + " levels");
        return true;
      }
      state_ = State::kStartTag;
      return false;
    }

    case State::kStartTag:
      if (c == '"' || c == '\'') {
        quote_ = c;
        state_ = State::kAttrValue;
      } else if (c == '>') {
        if (prev_ == '/') --depth_;
        state_ = State::kText;
      } else if (c == '<') {  // malformed: count the next tag too, never fewer
        tag_start_ = pos_;
        state_ = State::kLt;
      }
      prev_ = c;
      return true;

    case State::kAttrValue:
      if (c == quote_) {
        state_ = State::kStartTag;
        prev_ = c;
      } else if (c == '<') {  // not allowed in a value: count it as a tag, never fewer
        tag_start_ = pos_;
        state_ = State::kLt;
      }
      return true;

    case State::kEndTag:
      if (c == '>') {
        if (depth_ > 0) --depth_;
        state_ = State::kText;
      } else if (c == '<') {  // an unfinished end tag takes nothing back
        tag_start_ = pos_;
        state_ = State::kLt;
      }
      return true;

    case State::kPi:
      if (capturing_decl_) {
        if (decl_.size() >= kMaxDeclaration) {
          refuse(tag_start_,
                 "XML declaration longer than " + std::to_string(kMaxDeclaration) + " bytes");
          return true;
        }
        decl_.push_back(static_cast<char>(c));
      }
      if (c == '>' && prev_ == '?') {
        if (capturing_decl_) check_xml_declaration();
        capturing_decl_ = false;
        state_ = in_subset_ ? State::kSubset : State::kText;
      }
      prev_ = c;
      return true;

    case State::kBang: {
      static constexpr std::string_view kComment = "--", kCdata = "[CDATA[", kDoctype = "DOCTYPE";
      bang_.push_back(static_cast<char>(c));
      auto opens = [&](std::string_view word) { return word.substr(0, bang_.size()) == bang_; };
      if (bang_ == kComment) {
        run_ = 0;
        state_ = State::kComment;
      } else if (!in_subset_ && bang_ == kCdata) {
        run_ = 0;
        state_ = State::kCdata;
      } else if (!in_subset_ && bang_ == kDoctype) {
        state_ = State::kDoctype;
      } else if (!(opens(kComment) || (!in_subset_ && (opens(kCdata) || opens(kDoctype))))) {
        // <!ENTITY ...> and the like: the subset reads their quotes; in content libxml2 stops.
        state_ = in_subset_ ? State::kSubset : State::kDecl;
        return false;
      }
      return true;
    }

    case State::kComment:
    case State::kCdata: {
      unsigned char closer = state_ == State::kComment ? '-' : ']';
      if (c == closer) {
        ++run_;
      } else {
        if (c == '>' && run_ >= 2) state_ = in_subset_ ? State::kSubset : State::kText;
        run_ = 0;
      }
      return true;
    }

    case State::kDecl:
      if (c == '>') state_ = State::kText;
      return true;

    case State::kDoctype:
      if (c == '"' || c == '\'') {
        quote_ = c;
        prev_ = 0;
        literal_return_ = State::kDoctype;
        state_ = State::kDtdLiteral;
      } else if (c == '[') {
        in_subset_ = true;
        state_ = State::kSubset;
      } else if (c == '>') {
        state_ = State::kText;
      }
      return true;

    case State::kSubset:
      if (c == '"' || c == '\'') {
        quote_ = c;
        prev_ = 0;
        literal_return_ = State::kSubset;
        state_ = State::kDtdLiteral;
      } else if (c == '<') {
        tag_start_ = pos_;
        state_ = State::kLt;
      } else if (c == ']') {
        in_subset_ = false;
        state_ = State::kDoctype;
      }
      return true;

    case State::kDtdLiteral:
      if (c == quote_) {
        state_ = literal_return_;
      } else if (c == '<') {
        refuse(pos_, "markup in a DTD literal (an entity holding elements) is not accepted");
      } else if (c == '#' && prev_ == '&') {
        refuse(pos_ - 1, "a character reference in a DTD literal is not accepted");
      }
      prev_ = c;
      return true;
  }
  return true;
}

std::optional<XmlNestingError> check_xml_nesting(std::string_view text, std::size_t max_depth) {
  XmlNestingGuard guard(max_depth);
  return guard.feed(text);
}

}  // namespace datamap::harvest

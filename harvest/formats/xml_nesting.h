// A guard in front of raptor2's RDF/XML parser. libxml2's own depth limit (256) does not apply
// under raptor2 2.0.15, and raptor2's work per element grows with the depth of the element stack,
// so its time grows much faster than the input: 4,000 levels of rdf:Description/property (190 KB)
// took 2.5 s, 8,000 levels 21 s, 200,000 levels (4.6 MB) did not end in minutes — a remote DCAT
// source could pin a CPU on every run. The guard reads the bytes once, in constant memory and
// without recursion, counts element nesting as an XML parser does (comments, CDATA sections,
// processing instructions, the DOCTYPE and quoted attribute values are skipped) and refuses the
// document before raptor2 sees an element deeper than the limit. Turtle needs no guard (raptor2's
// grammar stops at its parser stack, "memory exhausted"), nor JSON-LD (catalog/untrusted_json.h).
//
// The count errs on the high side only: on malformed input it may count more than libxml2 would,
// never less, so a document it lets through never nests deeper than the limit in raptor2. For
// that it also refuses what would make libxml2 see other markup than the bytes show:
//   - a NUL byte, or a first character other than '<' (UTF-16, UTF-32, EBCDIC documents);
//   - an XML declaration naming an encoding in which '<', '>' or ']' may be part of a character
//     (only UTF-8, ASCII, ISO-8859-*, windows-125* and the EUC family are accepted);
//   - '<' or a character reference ("&#") in a DTD literal: an internal entity whose replacement
//     text is markup would add elements the scan does not see where the entity is referenced.
// Real DCAT-AP RDF/XML nests about 10 levels; none of the refused constructs occur in it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace datamap::harvest {

// An RDF/XML node and its property take two levels, so 128 is the JSON limit's (64) match.
inline constexpr std::size_t kMaxXmlDepth = 128;

struct XmlNestingError {
  std::size_t offset = 0;       // byte offset of the refused construct in the document
  std::string reason;           // e.g. "XML elements nested deeper than 128 levels"
  std::string message() const;  // "<reason> at byte <offset>"
};

// Scans a document chunk by chunk (any split gives the same answer as the whole text).
class XmlNestingGuard {
 public:
  explicit XmlNestingGuard(std::size_t max_depth = kMaxXmlDepth) : max_depth_(max_depth) {}

  // The next bytes of the document. nullopt while the document is acceptable so far; else the
  // first refusal, returned again by every later call.
  std::optional<XmlNestingError> feed(std::string_view bytes);

  std::size_t deepest() const { return deepest_; }  // the deepest nesting seen so far

 private:
  enum class State {
    kStart,       // before the first '<': a UTF-8 BOM and white space only
    kText,        // character data
    kLt,          // after '<'
    kStartTag,    // inside <name ...>
    kAttrValue,   // inside a quoted attribute value
    kEndTag,      // inside </name ...>
    kPi,          // inside <? ... ?>
    kBang,        // after "<!", telling a comment, CDATA, the DOCTYPE or another declaration apart
    kComment,     // inside <!-- ... -->
    kCdata,       // inside <![CDATA[ ... ]]>
    kDecl,        // inside another <! ... > in content (an error for libxml2)
    kDoctype,     // inside <!DOCTYPE ... > outside its internal subset
    kSubset,      // inside the internal subset [ ... ]
    kDtdLiteral,  // inside a quoted literal of the DOCTYPE or its subset
  };

  bool step(unsigned char c);  // false: `c` must be seen again in the new state
  void refuse(std::size_t offset, std::string reason);
  void check_xml_declaration();

  std::size_t max_depth_;
  std::size_t depth_ = 0;
  std::size_t deepest_ = 0;
  std::size_t pos_ = 0;        // offset of the byte being read
  std::size_t tag_start_ = 0;  // offset of the last '<'
  State state_ = State::kStart;
  State literal_return_ = State::kDoctype;
  bool in_subset_ = false;  // comments and PIs return to the subset, not to text
  bool markup_seen_ = false;
  bool capturing_decl_ = false;  // the first PI, which may be the XML declaration
  std::string decl_;
  std::string bang_;         // the bytes after "<!" while they may still open something
  unsigned char prev_ = 0;   // the previous byte of the construct
  unsigned char quote_ = 0;  // the quote that opened the value or literal
  std::size_t run_ = 0;      // consecutive '-' (comment) or ']' (CDATA) before a '>'
  std::optional<XmlNestingError> error_;
};

// The whole document at once. Pure: a fuzz target can call it as it is.
std::optional<XmlNestingError> check_xml_nesting(std::string_view text,
                                                 std::size_t max_depth = kMaxXmlDepth);

}  // namespace datamap::harvest

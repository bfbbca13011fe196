// An in-memory RDF graph of one document (or one Hydra page) and the parsers that fill it:
// RDF/XML and Turtle through raptor2 (network and file access disabled, external XML entities
// never loaded; RDF/XML nested deeper than kMaxXmlDepth refused before raptor2 sees it, see
// xml_nesting.h), JSON-LD by our own reader (raptor2 has no JSON-LD parser; depth-bounded by
// catalog/untrusted_json.h). The DCAT mapping reads datasets out of it. Memory is bounded by the
// fetcher's max_bytes per document.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace datamap::harvest {

struct RdfTerm {
  enum class Kind { kIri, kBlank, kLiteral };
  Kind kind = Kind::kLiteral;
  std::string value;  // IRI, blank node label (without "_:") or the literal's text
  std::string lang;   // literals only
  std::string datatype;

  bool is_node() const { return kind != Kind::kLiteral; }
  // The key that names this node as a subject: the IRI, or "_:label".
  std::string key() const { return kind == Kind::kBlank ? "_:" + value : value; }
};

class RdfGraph {
 public:
  using Properties = std::vector<std::pair<std::string, RdfTerm>>;  // predicate IRI, object

  void add(const RdfTerm& subject, std::string predicate, RdfTerm object);
  const Properties* properties(const std::string& subject_key) const;
  std::vector<const RdfTerm*> objects(const std::string& subject_key,
                                      std::string_view predicate) const;
  const RdfTerm* first(const std::string& subject_key, std::string_view predicate) const;
  // Subjects that have rdf:type `type_iri`, in document order.
  std::vector<std::string> subjects_of_type(std::string_view type_iri) const;
  std::size_t triples() const { return triples_; }

 private:
  std::map<std::string, Properties> subjects_;
  std::vector<std::string> order_;
  std::size_t triples_ = 0;
};

enum class RdfSyntax { kRdfXml, kTurtle, kJsonLd, kUnknown };

// From the Content-Type, then the first bytes: "<" is RDF/XML, "{" or "[" JSON-LD, else Turtle.
RdfSyntax detect_rdf_syntax(std::string_view content_type, std::string_view head);

// Parses the file at `path` into `graph`; relative IRIs resolve against `base_uri`.
// Returns "" on success, else the parser's first error with its line, or the nesting guard's
// refusal with its byte offset ("XML elements nested deeper than 128 levels at byte N").
std::string parse_rdf_file(const std::string& path, RdfSyntax syntax, const std::string& base_uri,
                           RdfGraph& graph);
// The same for a document already in memory.
std::string parse_rdf_text(std::string_view text, RdfSyntax syntax, const std::string& base_uri,
                           RdfGraph& graph);

namespace rdf {
inline constexpr const char* kType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
inline constexpr const char* kDcat = "http://www.w3.org/ns/dcat#";
inline constexpr const char* kDct = "http://purl.org/dc/terms/";
inline constexpr const char* kFoaf = "http://xmlns.com/foaf/0.1/";
inline constexpr const char* kVcard = "http://www.w3.org/2006/vcard/ns#";
inline constexpr const char* kHydra = "http://www.w3.org/ns/hydra/core#";
inline constexpr const char* kSkos = "http://www.w3.org/2004/02/skos/core#";
inline constexpr const char* kSchema = "http://schema.org/";
inline constexpr const char* kXsd = "http://www.w3.org/2001/XMLSchema#";
// "http://purl.org/dc/terms/title" -> "dct:title" for the prefixes above (and a few more);
// other IRIs are returned unchanged.
std::string compact(std::string_view iri);
}  // namespace rdf

}  // namespace datamap::harvest

// A small in-memory RDF graph to build DCAT output into, and the vocabularies it uses. The
// serialisers (rdf_serialize.h) turn it into Turtle and RDF/XML through raptor2 and into JSON-LD
// through RapidJSON, so all three syntaxes always carry exactly the same triples.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace datamap::api::formats {

namespace ns {
inline constexpr const char* kRdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
inline constexpr const char* kRdfs = "http://www.w3.org/2000/01/rdf-schema#";
inline constexpr const char* kXsd = "http://www.w3.org/2001/XMLSchema#";
inline constexpr const char* kDcat = "http://www.w3.org/ns/dcat#";
inline constexpr const char* kDct = "http://purl.org/dc/terms/";
inline constexpr const char* kFoaf = "http://xmlns.com/foaf/0.1/";
inline constexpr const char* kVcard = "http://www.w3.org/2006/vcard/ns#";
inline constexpr const char* kSkos = "http://www.w3.org/2004/02/skos/core#";
inline constexpr const char* kAdms = "http://www.w3.org/ns/adms#";
inline constexpr const char* kHydra = "http://www.w3.org/ns/hydra/core#";
inline constexpr const char* kLocn = "http://www.w3.org/ns/locn#";
}  // namespace ns

// The prefixes every document declares, in this order.
const std::vector<std::pair<std::string, std::string>>& rdf_prefixes();

struct RdfNode {
  enum class Kind { kIri, kBlank, kLiteral };
  Kind kind = Kind::kLiteral;
  std::string value;     // IRI, blank node label (no "_:"), or the literal's text
  std::string lang;      // literals: BCP 47 tag or ""
  std::string datatype;  // literals: datatype IRI or ""

  static RdfNode iri(std::string v) { return {Kind::kIri, std::move(v), "", ""}; }
  static RdfNode blank(std::string label) { return {Kind::kBlank, std::move(label), "", ""}; }
  static RdfNode text(std::string v, std::string lang = "") {
    return {Kind::kLiteral, std::move(v), std::move(lang), ""};
  }
  static RdfNode typed(std::string v, std::string datatype) {
    return {Kind::kLiteral, std::move(v), "", std::move(datatype)};
  }
  bool operator==(const RdfNode&) const = default;
};

struct RdfTriple {
  RdfNode subject;
  std::string predicate;  // full IRI
  RdfNode object;
};

class RdfDoc {
 public:
  // Adds a triple; a literal object with empty text is skipped (an absent value, not "").
  void add(const RdfNode& subject, std::string predicate, RdfNode object);
  void add_type(const RdfNode& subject, std::string class_iri);
  // Adds `subject a class_iri` unless this exact triple is already there (shared nodes such as
  // publishers and themes are described once per document).
  bool describe_once(const RdfNode& subject, const std::string& class_iri);
  RdfNode new_blank();  // "b1", "b2", ...

  const std::vector<RdfTriple>& triples() const { return triples_; }

 private:
  std::vector<RdfTriple> triples_;
  std::set<std::string> described_;
  std::size_t blanks_ = 0;
};

// Expands "dct:title" style names of the prefixes above into full IRIs.
std::string expand(std::string_view compact);

}  // namespace datamap::api::formats

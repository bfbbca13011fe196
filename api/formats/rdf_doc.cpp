#include "api/formats/rdf_doc.h"

namespace datamap::api::formats {

const std::vector<std::pair<std::string, std::string>>& rdf_prefixes() {
  static const std::vector<std::pair<std::string, std::string>> kPrefixes = {
      {"rdf", ns::kRdf},     {"rdfs", ns::kRdfs},   {"xsd", ns::kXsd},
      {"dcat", ns::kDcat},   {"dct", ns::kDct},     {"foaf", ns::kFoaf},
      {"vcard", ns::kVcard}, {"skos", ns::kSkos},   {"adms", ns::kAdms},
      {"hydra", ns::kHydra}, {"locn", ns::kLocn}};
  return kPrefixes;
}

std::string expand(std::string_view compact) {
  auto colon = compact.find(':');
  if (colon == std::string_view::npos) return std::string(compact);
  std::string_view prefix = compact.substr(0, colon);
  for (const auto& [p, iri] : rdf_prefixes())
    if (p == prefix) return iri + std::string(compact.substr(colon + 1));
  return std::string(compact);
}

void RdfDoc::add(const RdfNode& subject, std::string predicate, RdfNode object) {
  if (object.kind == RdfNode::Kind::kLiteral && object.value.empty()) return;
  if (object.kind == RdfNode::Kind::kIri && object.value.empty()) return;
  triples_.push_back({subject, expand(predicate), std::move(object)});
}

void RdfDoc::add_type(const RdfNode& subject, std::string class_iri) {
  add(subject, std::string(ns::kRdf) + "type", RdfNode::iri(expand(class_iri)));
}

bool RdfDoc::describe_once(const RdfNode& subject, const std::string& class_iri) {
  if (!described_.insert(subject.value + " " + class_iri).second) return false;
  add_type(subject, class_iri);
  return true;
}

RdfNode RdfDoc::new_blank() {
  std::string label = std::to_string(++blanks_);
  label.insert(label.begin(), 'b');  // not "b" + ...: g++ 12 warns falsely (-Wrestrict) on that
  return RdfNode::blank(std::move(label));
}

}  // namespace datamap::api::formats

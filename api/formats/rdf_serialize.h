// RdfDoc -> Turtle and RDF/XML (raptor2's serialisers) and JSON-LD (RapidJSON: one @graph of
// node objects with a prefix @context; raptor2 has no JSON-LD writer). All three carry the same
// triples. Serialising never fails on content: every string in an RdfDoc is UTF-8 already.
#pragma once

#include <string>
#include <string_view>

#include "api/formats/rdf_doc.h"

namespace datamap::api::formats {

enum class RdfSyntax { kTurtle, kRdfXml, kJsonLd };

std::string serialize_rdf(const RdfDoc& doc, RdfSyntax syntax);
// "text/turtle", "application/rdf+xml", "application/ld+json".
const char* rdf_media_type(RdfSyntax syntax);
// "ttl", "rdf", "jsonld".
const char* rdf_extension(RdfSyntax syntax);
// From a file extension ("ttl", "rdf", "xml", "jsonld", "n3"?); false when not an RDF one.
bool rdf_syntax_from_extension(std::string_view ext, RdfSyntax& out);

}  // namespace datamap::api::formats

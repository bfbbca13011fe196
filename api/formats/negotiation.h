// Content negotiation for the paths the portal and the standard outputs share. /dataset/{name}
// is an HTML page for browsers (api/portal_routes.cpp) and DCAT for RDF clients (api/formats);
// this is the one place that decides which, from the path's extension or the Accept header.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api/formats/rdf_serialize.h"
#include "api/http.h"

namespace datamap::api::formats {

// What a request for /dataset/... or /catalog... asks for.
enum class Representation { kHtml, kRdf, kSchemaOrg };

struct Negotiated {
  Representation kind = Representation::kHtml;
  RdfSyntax syntax = RdfSyntax::kTurtle;  // when kind is kRdf
  std::string name;                       // the path's last segment without its extension
};

// "/dataset/x.ttl" -> RDF Turtle of x; "/dataset/x.schema.json" -> schema.org; "/dataset/x" with
// "Accept: text/turtle" (preferred over text/html by q-value) -> RDF; browsers' Accept
// (text/html, */*) -> HTML. nullopt when the path is not /dataset/{name}[.ext].
std::optional<Negotiated> negotiate_dataset(const HttpRequest& request);

// The RDF syntax the Accept header prefers; nullopt when it prefers none of them (or is absent).
std::optional<RdfSyntax> preferred_rdf_syntax(std::string_view accept);

// True when /dataset/... should be answered by api/formats rather than the portal.
bool dataset_wants_formats(const HttpRequest& request);

}  // namespace datamap::api::formats

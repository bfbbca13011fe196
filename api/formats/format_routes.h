// Routes of the standard outputs (see docs/API.md): /catalog{,.ttl,.rdf,.jsonld},
// /dataset/{name}.{ttl,rdf,jsonld,schema.json} (and /dataset/{name} for RDF Accept headers),
// /data.json and /openapi/datasets. Register before the portal's routes: /dataset/* is shared,
// and this registration only claims the requests negotiation.h gives to the formats.
#pragma once

#include "api/action.h"
#include "api/http.h"

namespace datamap::api::formats {

void register_format_routes(Routes& routes, Services& services, const Registry& registry);

}  // namespace datamap::api::formats

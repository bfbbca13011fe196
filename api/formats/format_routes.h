// Routes of the standard outputs (see docs/API.md): /catalog{,.ttl,.rdf,.jsonld},
// /dataset/{name}.{ttl,rdf,jsonld,schema.json} (and /dataset/{name} for RDF Accept headers),
// /data.json and /openapi/datasets. Register before the portal's routes: /dataset/* is shared,
// and this registration only claims the requests negotiation.h gives to the formats.
#pragma once

#include <cstdint>

#include "api/action.h"
#include "api/formats/site.h"
#include "api/http.h"

namespace datamap::api::formats {

void register_format_routes(Routes& routes, Services& services, const Registry& registry);

// The public base URL: site.base_url when configured, else the Host the client used (only
// host-name characters are trusted, so a forged Host cannot inject text into IRIs); title and
// description from the config, modified from the change log.
SiteInfo site_for(const Services& services, const HttpRequest& req);

// Query parameter `name` as a whole number in [min, max]; absent or blank: fallback. Anything
// else: ValidationError naming the parameter.
std::int64_t int_param(const HttpRequest& req, const char* name, std::int64_t fallback,
                       std::int64_t min, std::int64_t max);

}  // namespace datamap::api::formats

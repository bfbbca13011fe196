// The OpenAPI 3.1 description of the HTTP API, served at GET /api/openapi.json, and its
// documentation page at GET /api/docs (Swagger UI, assets under /static/vendor/swagger-ui/).
//
// The document is assembled from the JSON sources in api/openapi/spec/, embedded in the binary
// at build time: base.json holds every non-action path and the shared components; each
// spec/actions/<area>.json describes its actions ({"name": {tag, summary, description, mutates,
// params, result, example_params, example_result}}), from which the /api/3/action/{name}
// operations (GET unless the action mutates, and POST) and their CKAN envelopes are generated.
// Adding an action means adding its entry there: tests/openapi fails while one is missing.
#pragma once

#include <string>

#include "api/http.h"

namespace datamap::api {

// The whole document as JSON text; built once. Throws std::runtime_error naming the source file
// when an embedded source is not valid JSON (a build-time mistake the tests catch).
const std::string& openapi_document();

// GET /api/openapi.json and GET /api/docs.
void register_openapi_routes(Routes& routes);

}  // namespace datamap::api

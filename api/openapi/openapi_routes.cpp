// GET /api/openapi.json (the document, open to any origin so other sites' tools can read it) and
// GET /api/docs (Swagger UI over it). The UI's files are the npm package swagger-ui-dist, copied
// at build time into the portal's static root (web/copy_vendor.cmake) and served by /static/*;
// the page's start-up script is web/static/api-docs.js (no inline script).
#include "api/openapi/openapi.h"

namespace datamap::api {
namespace {

constexpr const char* kDocsPage = R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>datamap Open API</title>
<link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css">
<link rel="icon" type="image/png" href="/static/vendor/swagger-ui/favicon-32x32.png">
</head>
<body>
<noscript><p>This page needs JavaScript. The API description itself is at
<a href="/api/openapi.json">/api/openapi.json</a>.</p></noscript>
<div id="swagger-ui" data-spec-url="/api/openapi.json"></div>
<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/api-docs.js"></script>
</body>
</html>
)";

HttpResponse openapi_json(const HttpRequest&) {
  HttpResponse r;
  r.body = openapi_document();
  r.headers = {{"Access-Control-Allow-Origin", "*"}, {"Cache-Control", "no-cache"}};
  return r;
}

HttpResponse docs_page(const HttpRequest&) {
  HttpResponse r;
  r.content_type = "text/html; charset=utf-8";
  r.body = kDocsPage;
  r.headers = {{"Cache-Control", "no-cache"}, {"X-Content-Type-Options", "nosniff"}};
  return r;
}

}  // namespace

void register_openapi_routes(Routes& routes) {
  routes.add("GET", "/api/openapi.json", openapi_json);
  routes.add("GET", "/api/docs", docs_page);
  routes.add("GET", "/api/docs/", docs_page);
}

}  // namespace datamap::api

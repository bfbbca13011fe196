// The door every data.go.kr-style route shares (/openapi/datasets, /openapi/data/{resource}):
// the caller's key (`serviceKey`, as data.go.kr takes it, or the Authorization header) must be
// a live API token, its quota is charged, and every typed error the route raises is answered in
// data.go.kr's error envelope (api/formats/datago.h) with its result code and HTTP status:
//   ValidationError, BadRequest -> 10 (400)   TooManyRequests -> 22 (429, Retry-After)
//   NotFound                    -> 03 (404)   no key, unknown or revoked key -> 30 (401)
#pragma once

#include <functional>
#include <string>

#include "api/action.h"
#include "api/formats/datago.h"
#include "api/http.h"

namespace datamap::api::formats {

// A success body as JSON or XML, open to other origins.
HttpResponse datago_response(std::string body, bool json);
// data.go.kr's error envelope with the code's HTTP status.
HttpResponse datago_error_response(DatagoCode code, const std::string& detail, bool json);

// Admits the caller as above and runs `serve` for them; its typed errors become envelopes.
HttpResponse serve_datago(Services& services, const HttpRequest& req, bool json,
                          const std::function<HttpResponse(const Caller&)>& serve);

}  // namespace datamap::api::formats

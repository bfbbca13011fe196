#include "api/formats/datago_gate.h"

#include "api/auth.h"
#include "api/quota.h"
#include "catalog/errors.h"
#include "catalog/text.h"

namespace datamap::api::formats {

HttpResponse datago_response(std::string body, bool json) {
  HttpResponse r;
  r.body = std::move(body);
  r.content_type = json ? "application/json; charset=utf-8" : "application/xml; charset=utf-8";
  r.headers.emplace_back("Access-Control-Allow-Origin", "*");
  r.headers.emplace_back("Vary", "Accept");
  return r;
}

HttpResponse datago_error_response(DatagoCode code, const std::string& detail, bool json) {
  HttpResponse r = datago_response(
      json ? datago_error_json(code, detail) : datago_error_xml(code, detail), json);
  r.status = datago_http_status(code);
  return r;
}

HttpResponse serve_datago(Services& services, const HttpRequest& req, bool json,
                          const std::function<HttpResponse(const Caller&)>& serve) {
  std::string key(catalog::trim(req.query_param("serviceKey").value_or("")));
  if (key.empty()) key = request_token(req).value_or("");
  if (key.empty())
    return datago_error_response(DatagoCode::kKeyNotRegistered, "serviceKey is required", json);
  HttpRequest keyed = req;
  keyed.headers.emplace_back("authorization", key);
  Caller caller;
  try {
    caller = authenticate(*services.store, keyed);
  } catch (const NotAuthorized&) {
    return datago_error_response(DatagoCode::kKeyNotRegistered, "", json);
  }
  if (!caller.user) return datago_error_response(DatagoCode::kKeyNotRegistered, "", json);
  try {
    if (services.quotas) services.quotas->charge(token_id_for(key));
    return serve(caller);
  } catch (const ValidationError& e) {
    std::string detail;
    for (const auto& [field, messages] : e.fields())
      detail +=
          (detail.empty() ? "" : "; ") + field + ": " + (messages.empty() ? "" : messages.front());
    return datago_error_response(DatagoCode::kInvalidParameter, detail, json);
  } catch (const BadRequest& e) {
    return datago_error_response(DatagoCode::kInvalidParameter, e.what(), json);
  } catch (const NotFound& e) {
    return datago_error_response(DatagoCode::kNoData, e.what(), json);
  } catch (const TooManyRequests& e) {
    HttpResponse r = datago_error_response(DatagoCode::kOverQuota, e.what(), json);
    r.headers.emplace_back("Retry-After", std::to_string(e.retry_after()));
    return r;
  }
}

}  // namespace datamap::api::formats

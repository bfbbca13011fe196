#include "api/errors.h"

#include <rapidjson/document.h>
#include <spdlog/spdlog.h>

#include "api/json.h"
#include "catalog/database_unavailable.h"

namespace datamap::api {
namespace {

struct Mapped {
  int status;
  std::string type;
  std::string message;
  const FieldErrors* fields = nullptr;
};

HttpResponse envelope(const Mapped& m, const std::string& help_url) {
  rapidjson::Document doc(rapidjson::kObjectType);
  auto& a = doc.GetAllocator();
  if (!help_url.empty()) doc.AddMember("help", json_string(help_url, a), a);
  doc.AddMember("success", false, a);
  rapidjson::Value error(rapidjson::kObjectType);
  error.AddMember("__type", json_string(m.type, a), a);
  error.AddMember("message", json_string(m.message, a), a);
  if (m.fields) {
    for (const auto& [field, messages] : *m.fields) {
      if (field == "__type" || field == "message") continue;
      rapidjson::Value list(rapidjson::kArrayType);
      for (const auto& msg : messages) list.PushBack(json_string(msg, a), a);
      error.AddMember(json_string(field, a), list, a);
    }
  }
  doc.AddMember("error", error, a);
  HttpResponse r;
  r.status = m.status;
  r.body = to_json(doc);
  return r;
}

std::string summary(const FieldErrors& fields) {
  std::string s;
  for (const auto& [field, messages] : fields) {
    for (const auto& msg : messages) {
      if (!s.empty()) s += "; ";
      s += field + ": " + msg;
    }
  }
  return s;
}

}  // namespace

HttpResponse error_response(std::exception_ptr error, const std::string& help_url) {
  try {
    std::rethrow_exception(error);
  } catch (const ValidationError& e) {
    return envelope({409, "Validation Error", summary(e.fields()), &e.fields()}, help_url);
  } catch (const NotFound& e) {
    std::string what = e.what();
    return envelope({404, "Not Found Error", what.empty() ? "Not found" : "Not found: " + what},
                    help_url);
  } catch (const NotAuthorized& e) {
    std::string what = e.what();
    return envelope(
        {403, "Authorization Error", what.empty() ? "Access denied" : "Access denied: " + what},
        help_url);
  } catch (const BadRequest& e) {
    return envelope({400, e.type(), e.what()}, help_url);
  } catch (const TooManyRequests& e) {
    HttpResponse r = envelope({429, "Too Many Requests", e.what()}, help_url);
    r.headers.emplace_back("Retry-After", std::to_string(e.retry_after()));
    return r;
  } catch (const DatabaseUnavailable& e) {
    // The cause (which server, what libpq said) is for the operator's log, not the caller.
    spdlog::warn("catalog database unavailable: {}", e.what());
    HttpResponse r =
        envelope({503, "Service Unavailable", DatabaseUnavailable::kMessage}, help_url);
    r.headers.emplace_back("Retry-After", std::to_string(e.retry_after()));
    return r;
  } catch (const ServiceUnavailable& e) {
    HttpResponse r = envelope({503, "Service Unavailable", e.what()}, help_url);
    r.headers.emplace_back("Retry-After", std::to_string(e.retry_after()));
    return r;
  } catch (const NotImplemented& e) {
    return envelope({501, "Not Implemented", e.what()}, help_url);
  } catch (const MethodNotAllowed& e) {
    HttpResponse r = envelope({405, "Method Not Allowed", e.what()}, help_url);
    std::string allow;
    for (const auto& m : e.allowed()) allow += (allow.empty() ? "" : ", ") + m;
    r.headers.emplace_back("Allow", allow);
    return r;
  } catch (const PayloadTooLarge& e) {
    return envelope({413, "Request Entity Too Large", e.what()}, help_url);
  } catch (const RangeNotSatisfiable& e) {
    return envelope({416, "Range Not Satisfiable", e.what()}, help_url);
  } catch (const std::exception& e) {
    spdlog::error("internal error (a bug): {}", e.what());
  } catch (...) {
    spdlog::error("internal error (a bug): non-standard exception");
  }
  return envelope({500, "Internal Server Error", "Internal server error"}, help_url);
}

std::string success_body(const std::string& help_url, const std::string& result_json) {
  std::string out;
  out.reserve(result_json.size() + help_url.size() + 48);
  out += "{\"help\":";
  rapidjson::Document tmp;
  out += to_json(json_string(help_url, tmp.GetAllocator()));
  out += ",\"success\":true,\"result\":";
  out += result_json;
  out += '}';
  return out;
}

}  // namespace datamap::api

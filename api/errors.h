// The one place that turns errors into CKAN's envelope and HTTP status:
//   {"help": URL, "success": false, "error": {"__type": ..., "message": ..., field: [msgs]}}
// ValidationError 409, NotFound 404, NotAuthorized 403, BadRequest 400, TooManyRequests 429,
// MethodNotAllowed 405 (with Allow), PayloadTooLarge 413. Anything else is a bug: 500 with a
// generic message, and the real one goes to the log.
#pragma once

#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

#include "api/http.h"

namespace datamap::api {

// 405: the path exists but not for this method.
class MethodNotAllowed : public std::runtime_error {
 public:
  MethodNotAllowed(const std::string& message, std::vector<std::string> allowed)
      : std::runtime_error(message), allowed_(std::move(allowed)) {}
  const std::vector<std::string>& allowed() const { return allowed_; }

 private:
  std::vector<std::string> allowed_;
};

// 413: the request body is over server.max_body_bytes.
class PayloadTooLarge : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// 416: a Range header that does not fit the file (the download route adds Content-Range).
class RangeNotSatisfiable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The error envelope for the exception `error`. `help_url` may be empty (then "help" is omitted).
HttpResponse error_response(std::exception_ptr error, const std::string& help_url);

// {"help": ..., "success": true, "result": <result_json>}
std::string success_body(const std::string& help_url, const std::string& result_json);

}  // namespace datamap::api

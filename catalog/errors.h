// Typed errors raised by validation and actions. api/ maps each to CKAN's envelope and status code
// in one place (api/errors.cpp); nothing else turns errors into HTTP.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace datamap {

// Per-field messages, CKAN style: {"name": ["That URL is already in use."]}.
using FieldErrors = std::map<std::string, std::vector<std::string>>;

// 409 "Validation Error": the input was well-formed but breaks the model's rules.
class ValidationError : public std::runtime_error {
 public:
  explicit ValidationError(FieldErrors fields)
      : std::runtime_error("Validation Error"), fields_(std::move(fields)) {}
  ValidationError(const std::string& field, const std::string& message)
      : ValidationError(FieldErrors{{field, {message}}}) {}
  const FieldErrors& fields() const { return fields_; }

 private:
  FieldErrors fields_;
};

// 404 "Not Found Error".
class NotFound : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// 403 "Authorization Error".
class NotAuthorized : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// 400 with a CKAN __type such as "Bad request - JSON Error" or "Search Query Error".
class BadRequest : public std::runtime_error {
 public:
  BadRequest(std::string type, const std::string& message)
      : std::runtime_error(message), type_(std::move(type)) {}
  explicit BadRequest(const std::string& message) : BadRequest("Bad request", message) {}
  const std::string& type() const { return type_; }

 private:
  std::string type_;
};

// 429: a token's quota is spent; `retry_after` in seconds.
class TooManyRequests : public std::runtime_error {
 public:
  TooManyRequests(const std::string& message, int retry_after)
      : std::runtime_error(message), retry_after_(retry_after) {}
  int retry_after() const { return retry_after_; }

 private:
  int retry_after_;
};

// 503: the answer is being prepared (the map's first build, the glance's first computation) and
// will be ready soon; `retry_after` in seconds. Nothing is wrong with the request.
class ServiceUnavailable : public std::runtime_error {
 public:
  ServiceUnavailable(const std::string& message, int retry_after)
      : std::runtime_error(message), retry_after_(retry_after) {}
  int retry_after() const { return retry_after_; }

 private:
  int retry_after_;
};

// 501: the request is valid but this deployment cannot do it (e.g. a part of the catalog not yet
// on the PostgreSQL backend). Never a 500: nothing is broken, and the message says what is missing.
class NotImplemented : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace datamap

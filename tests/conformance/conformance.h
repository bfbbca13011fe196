// CKAN conformance: per action, the calls CKAN's own tests (ckan/tests/logic/action/) make and
// the shapes and errors they assert, over HTTP against a started server (tests/api/api_world.h).
#pragma once

#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "tests/api/api_world.h"

namespace datamap::testing {

// The answer's status and error.__type, for the CKAN error each case expects.
struct Refusal {
  int status;
  std::string type;
  friend bool operator==(const Refusal&, const Refusal&) = default;
  friend std::ostream& operator<<(std::ostream& os, const Refusal& r) {
    return os << r.status << " " << r.type;
  }
};
Refusal refusal(ApiWorld& w, const std::string& action, const std::string& body,
                const std::string& token = "");

// Waits until search has applied every change so far (status_show's search_revision).
void wait_for_search(ApiWorld& w);

// Creates a dataset from a JSON body (its name as title when it has none) as sysadmin; returns
// the package_create answer.
rapidjson::Document create(ApiWorld& w, const std::string& body);

}  // namespace datamap::testing

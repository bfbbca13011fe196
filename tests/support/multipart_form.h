// A multipart/form-data body as python-requests (ckanapi) writes it: text fields and, optionally,
// one file part named `upload` (what resource_create / resource_update take).
//
//   MultipartForm f{{{"package_id", "parking"}}, "parking.csv", bytes};
//   http.post("/api/3/action/resource_create", f.body(), f.headers(token));
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "tests/support/http_client.h"

namespace datamap::testing {

struct MultipartForm {
  static constexpr const char* kBoundary = "----datamapTestBoundary7MA4YWxkTrZu0gW";

  std::vector<std::pair<std::string, std::string>> fields;
  std::string filename, file, file_type = "text/csv";
  bool with_file = true;

  std::string body() const {
    std::string b;
    for (const auto& [k, v] : fields)
      b += std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + k +
           "\"\r\n\r\n" + v + "\r\n";
    if (with_file)
      b += std::string("--") + kBoundary +
           "\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"" + filename +
           "\"\r\nContent-Type: " + file_type + "\r\n\r\n" + file + "\r\n";
    return b + "--" + kBoundary + "--\r\n";
  }

  // The request's headers: the multipart content type, and the token when one is given.
  static Headers headers(const std::string& token) {
    Headers h{{"Content-Type", std::string("multipart/form-data; boundary=") + kBoundary}};
    if (!token.empty()) h["Authorization"] = token;
    return h;
  }
};

}  // namespace datamap::testing

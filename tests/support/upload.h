// Upload → load helpers shared by the DataStore suites: a resource_create/update multipart body as
// python-requests (ckanapi) builds it, and polling datastore_job_status until the load finishes.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>
#include <thread>

#include "tests/support/http_client.h"

namespace datamap::testing {

// Text fields, then the file in the `upload` field.
inline HttpReply upload(const HttpClient& http, const std::string& action,
                        const std::map<std::string, std::string>& fields,
                        const std::string& filename, const std::string& bytes,
                        const std::string& token) {
  const std::string boundary = "----datamap-test-boundary-7f3a9c";
  std::string body;
  for (const auto& [k, v] : fields)
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + k + "\"\r\n\r\n" + v +
            "\r\n";
  body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"" +
          filename + "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + bytes + "\r\n--" +
          boundary + "--\r\n";
  return http.post(
      "/api/3/action/" + action, body,
      {{"Content-Type", "multipart/form-data; boundary=" + boundary}, {"Authorization", token}});
}

// Polls datastore_job_status until the job is complete or error (or 60 s pass).
inline rapidjson::Document wait_for_job(const HttpClient& http, const std::string& resource_id,
                                        const std::string& token) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  for (;;) {
    auto doc =
        http.action("datastore_job_status", R"({"resource_id":")" + resource_id + R"("})", token)
            .json();
    if (doc.HasMember("result") && doc["result"].IsObject()) {
      std::string status = doc["result"]["status"].GetString();
      if (status == "complete" || status == "error") return doc;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      ADD_FAILURE() << "the load job did not finish in 60 s";
      return doc;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace datamap::testing

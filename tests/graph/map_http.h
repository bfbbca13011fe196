// Helpers for the data-map tests that speak HTTP to a started `datamap serve`.
#pragma once

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "tests/support/test_server.h"

namespace datamap::graph::testing {

using datamap::testing::HttpClient;
using datamap::testing::HttpReply;

inline rapidjson::Document parse(const HttpReply& r) {
  rapidjson::Document doc;
  doc.Parse(r.body.c_str(), r.body.size());
  return doc;
}

// POSTs an action and expects 200 + success; returns the whole envelope.
inline rapidjson::Document ok(const HttpClient& http, const std::string& action,
                              const std::string& body, const std::string& token = "") {
  HttpReply r = http.action(action, body, token);
  EXPECT_EQ(r.status, 200) << action << " " << body << " -> " << r.body.substr(0, 2000);
  rapidjson::Document doc = parse(r);
  EXPECT_TRUE(doc.IsObject() && doc.HasMember("success") && doc["success"].IsTrue())
      << r.body.substr(0, 2000);
  return doc;
}

// Polls `done` until it holds or `timeout` passes; returns whether it held.
inline bool eventually(const std::function<bool()>& done,
                       std::chrono::seconds timeout = std::chrono::seconds(60)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

// Waits until the map includes every change the catalog has committed.
inline bool map_caught_up(const HttpClient& http,
                          std::chrono::seconds timeout = std::chrono::seconds(120)) {
  return eventually(
      [&] {
        HttpReply r = http.action("datamap_stats");
        if (r.status != 200) return false;
        auto doc = parse(r);
        const auto& res = doc["result"];
        return res["revision"].GetInt64() >= res["catalog_revision"].GetInt64();
      },
      timeout);
}

inline std::string str(const rapidjson::Value& v) {
  return std::string(v.GetString(), v.GetStringLength());
}

// The error's message, or "" when absent.
inline std::string error_message(const HttpReply& r) {
  auto doc = parse(r);
  if (!doc.IsObject() || !doc.HasMember("error") || !doc["error"].HasMember("message")) return "";
  return str(doc["error"]["message"]);
}

// Parses `xml` with networkx's GraphML reader (a real parser, not ours; Debian's python3-networkx)
// and returns what it printed: "<nodes> <edges>" of the document, or the parser's complaint (also
// when a node lacks its key or type, or a dataset-to-dataset edge lacks its reasons).
std::string parse_graphml_with_python(const std::string& xml, const std::string& dir);

}  // namespace datamap::graph::testing

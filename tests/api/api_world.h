// A started server with two agencies and a user of every role, for the API tests:
//   agency-a: admin_a (admin), editor_a (editor), member_a (member); agency-b: editor_b (editor)
//   sysadmin: a sysadmin; groups "transport" (교통물류) and "health".
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "tests/support/store_backends.h"
#include "tests/support/test_server.h"

namespace datamap::testing {

struct ApiWorld {
  TestServer server;
  HttpClient http;
  std::string sysadmin, admin_a, editor_a, member_a, editor_b;
  std::string org_a_id, org_b_id;

  ApiWorld();
  explicit ApiWorld(TestServer::Options options);  // a server with its own config
  // A server whose catalog is on `backend` (PostgreSQL: a new database on the binary's
  // throwaway server), for the API tests parameterised over both (DATAMAP_STORE_BACKENDS).
  explicit ApiWorld(Backend backend);
  // POSTs to an action; fails the test unless it answers 200 with success true.
  rapidjson::Document ok(const std::string& action, const std::string& body,
                         const std::string& token = "");
  // Creates a dataset in `org` as sysadmin; returns its id.
  std::string dataset(const std::string& name, const std::string& org, bool is_private = false);
};

// The envelope's error.__type, or "" when absent.
std::string error_type(const HttpReply& reply);

}  // namespace datamap::testing

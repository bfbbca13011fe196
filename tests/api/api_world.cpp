#include "tests/api/api_world.h"

#include "tests/support/pg_cluster.h"

namespace datamap::testing {

ApiWorld::ApiWorld() : ApiWorld(TestServer::Options{}) {}

namespace {
TestServer::Options on_backend(Backend backend) {
  TestServer::Options o;
  if (backend == Backend::kPostgres) o.catalog = PgCluster::shared().new_database();
  return o;
}
}  // namespace

ApiWorld::ApiWorld(Backend backend) : ApiWorld(on_backend(backend)) {}

ApiWorld::ApiWorld(TestServer::Options options) : server(std::move(options)), http(server.url()) {
  sysadmin = server.add_user("sysadmin", {"--sysadmin"});
  auto a = ok("organization_create", R"({"name":"agency-a","title":"가 기관"})", sysadmin);
  org_a_id = a["result"]["id"].GetString();
  auto b = ok("organization_create", R"({"name":"agency-b","title":"나 기관"})", sysadmin);
  org_b_id = b["result"]["id"].GetString();
  ok("group_create", R"({"name":"transport","title":"교통물류"})", sysadmin);
  ok("group_create", R"({"name":"health","title":"보건의료"})", sysadmin);
  admin_a = server.add_user("admin_a", {"--org", "agency-a", "--role", "admin"});
  editor_a = server.add_user("editor_a", {"--org", "agency-a", "--role", "editor"});
  member_a = server.add_user("member_a", {"--org", "agency-a", "--role", "member"});
  editor_b = server.add_user("editor_b", {"--org", "agency-b", "--role", "editor"});
}

rapidjson::Document ApiWorld::ok(const std::string& action, const std::string& body,
                                 const std::string& token) {
  HttpReply r = http.action(action, body, token);
  EXPECT_EQ(r.status, 200) << action << " " << body << " -> " << r.body;
  rapidjson::Document doc = r.json();
  EXPECT_TRUE(doc.IsObject() && doc.HasMember("success") && doc["success"].IsTrue()) << r.body;
  return doc;
}

std::string ApiWorld::dataset(const std::string& name, const std::string& org, bool is_private) {
  auto doc = ok("package_create",
                R"({"name":")" + name + R"(","title":"데이터 )" + name + R"(","owner_org":")" +
                    org + R"(","private":)" + (is_private ? "true" : "false") + "}",
                sysadmin);
  return doc["result"]["id"].GetString();
}

std::string error_type(const HttpReply& reply) {
  rapidjson::Document doc;
  doc.Parse(reply.body.c_str(), reply.body.size());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("error") ||
      !doc["error"].IsObject() || !doc["error"].HasMember("__type") ||
      !doc["error"]["__type"].IsString())
    return "";
  return doc["error"]["__type"].GetString();
}

}  // namespace datamap::testing

// Hostile input gets a precise 4xx in CKAN's envelope, never a crash, a 500 or a hang, and the
// server keeps serving after it.
#include <gtest/gtest.h>

#include "tests/api/api_world.h"

namespace datamap::testing {
namespace {

class HostileInput : public ::testing::Test {
 protected:
  ApiWorld w;

  void TearDown() override {
    EXPECT_EQ(w.http.get("/api/3/action/status_show").status, 200) << "server died:\n"
                                                                    << w.server.log();
  }

  HttpReply post_raw(const std::string& action, const std::string& body) {
    return w.http.post("/api/3/action/" + action, body, {{"Authorization", w.sysadmin}});
  }
};

TEST_F(HostileInput, MalformedJsonIs400NamingTheOffset) {
  HttpReply r = post_raw("package_create", R"({"name": "x", "title": })");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_type(r), "Bad request - JSON Error");
  std::string message = r.json()["error"]["message"].GetString();
  EXPECT_NE(message.find("offset 23"), std::string::npos) << message;
}

TEST_F(HostileInput, TrailingGarbageAfterTheObjectIs400) {
  HttpReply r = post_raw("package_show", R"({"id":"x"} {"id":"y"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_type(r), "Bad request - JSON Error");
}

TEST_F(HostileInput, NonObjectJsonBodiesAre400) {
  for (const char* body : {"[1,2,3]", "\"package\"", "42", "null", "true"}) {
    HttpReply r = post_raw("package_show", body);
    EXPECT_EQ(r.status, 400) << body << " -> " << r.body;
    EXPECT_EQ(error_type(r), "Bad request - JSON Error") << body;
  }
}

TEST_F(HostileInput, InvalidUtf8InAJsonBodyIs400) {
  std::string body = "{\"name\":\"bad-utf8\",\"title\":\"\xC3\x28\xFF\",\"owner_org\":\"agency-a\"}";
  HttpReply r = post_raw("package_create", body);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_type(r), "Bad request - JSON Error");
  EXPECT_EQ(w.http.action("package_show", R"({"id":"bad-utf8"})").status, 404);
}

TEST_F(HostileInput, InvalidUtf8InAQueryStringOrFormIs400) {
  HttpReply q = w.http.get("/api/3/action/package_show?id=%C3%28%FF");
  EXPECT_EQ(q.status, 400) << q.body;
  HttpReply form = w.http.post("/api/3/action/package_show", "id=%C3%28",
                               {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(form.status, 400) << form.body;
  HttpReply escape = w.http.get("/api/3/action/package_show?id=%zz");
  EXPECT_EQ(escape.status, 400) << escape.body;
}

TEST_F(HostileInput, DeeplyNestedJsonIs400NotACrash) {
  std::string deep(200000, '[');
  HttpReply r = post_raw("package_create", "{\"extras\":" + deep + "}");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_type(r), "Bad request - JSON Error");
}

TEST_F(HostileInput, UnknownActionIs400ActionNameNotKnown) {
  HttpReply r = w.http.get("/api/3/action/package_explode");
  EXPECT_EQ(r.status, 400);
  auto doc = r.json();
  EXPECT_FALSE(doc["success"].GetBool());
  EXPECT_NE(std::string(doc["error"]["message"].GetString()).find("Action name not known"),
            std::string::npos);
}

TEST_F(HostileInput, GetOnAWriteActionIs405AllowingPost) {
  HttpReply r = w.http.get("/api/3/action/package_create?name=x&title=y",
                           {{"Authorization", w.sysadmin}});
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.header("allow"), "POST");
  EXPECT_EQ(w.http.action("package_show", R"({"id":"x"})").status, 404);  // nothing was created
}

TEST_F(HostileInput, PutAndDeleteAre405WithAllow) {
  for (const char* method : {"PUT", "DELETE", "PATCH"}) {
    HttpReply r = w.http.request(method, "/api/3/action/package_show", R"({"id":"x"})");
    EXPECT_EQ(r.status, 405) << method;
    EXPECT_NE(r.header("allow").find("POST"), std::string::npos) << method;
    EXPECT_NE(r.header("allow").find("GET"), std::string::npos) << method;
  }
}

TEST_F(HostileInput, AWriteWithoutAValidTokenIs403) {
  const std::string body = R"({"name":"no-token","title":"t","owner_org":"agency-a"})";
  HttpReply none = w.http.action("package_create", body);
  EXPECT_EQ(none.status, 403);
  EXPECT_EQ(error_type(none), "Authorization Error");
  HttpReply forged = w.http.action("package_create", body, "dm_forged");
  EXPECT_EQ(forged.status, 403);
  HttpReply empty = w.http.post("/api/3/action/package_create", body, {{"Authorization", ""}});
  EXPECT_EQ(empty.status, 403);
  EXPECT_EQ(w.http.action("package_show", R"({"id":"no-token"})").status, 404);
}

TEST_F(HostileInput, WrongParameterTypesAre409NotCrashes) {
  EXPECT_EQ(w.http.action("package_show", R"({"id":{"$ne":1}})").status, 409);
  EXPECT_EQ(w.http.action("package_show", R"({"id":["a","b"]})").status, 409);
  EXPECT_EQ(w.http.action("package_list", R"({"limit":-1})").status, 409);
  EXPECT_EQ(w.http.action("package_list", R"({"limit":1e400})").status, 400);  // not a number
  HttpReply r = post_raw("package_create",
                         R"({"name":"types","title":["a"],"tags":7,"resources":"x",
                             "owner_org":"agency-a"})");
  EXPECT_EQ(r.status, 409);
  auto doc = r.json();
  for (const char* f : {"title", "tags", "resources"}) EXPECT_TRUE(doc["error"].HasMember(f)) << f;
}

TEST_F(HostileInput, UnknownPathIs404Json) {
  HttpReply r = w.http.get("/api/3/nothing-here");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(error_type(r), "Not Found Error");
}

TEST(HostileBodies, ABodyOverTheConfiguredLimitIs413AndNothingIsWritten) {
  TestServer::Options options;
  options.config_toml = "[server]\nmax_body_bytes = 4096\n";
  TestServer server(options);
  HttpClient http = server.client();
  std::string token = server.add_user("root", {"--sysadmin"});
  http.action("organization_create", R"({"name":"big-org"})", token);
  std::string notes(5000, 'x');
  HttpReply r = http.action(
      "package_create",
      R"({"name":"too-big","title":"t","owner_org":"big-org","notes":")" + notes + "\"}", token);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(error_type(r), "Request Entity Too Large");
  EXPECT_EQ(http.action("package_show", R"({"id":"too-big"})").status, 404);
  // Just under the limit is fine.
  std::string fits(3000, 'y');
  EXPECT_EQ(http.action("package_create",
                        R"({"name":"fits","title":"t","owner_org":"big-org","notes":")" + fits +
                            "\"}",
                        token)
                .status,
            200);
}

TEST(HostileBodies, AHugeBodyIs413WithoutBeingBufferedAndTheServerGoesOn) {
  TestServer server;  // default limit: 10 MiB
  std::string huge(24 * 1024 * 1024, 'a');
  HttpReply r = server.client().post("/api/3/action/package_create", huge);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(server.client().get("/api/3/action/status_show").status, 200);
}

TEST(HostileBodies, ADeclaredContentLengthOverTheLimitIs413BeforeTheBodyIsSent) {
  TestServer server;
  std::string answer = raw_exchange(
      server.port(),
      "POST /api/3/action/package_create HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n{",
      10000);
  EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer;
  EXPECT_NE(answer.find("\"Request Entity Too Large\""), std::string::npos) << answer;
  EXPECT_EQ(server.client().get("/api/3/action/status_show").status, 200);
}

TEST(HostileBodies, AClientThatStallsMidBodyIsCutOffByTheRequestTimeout) {
  TestServer::Options options;
  options.config_toml = "[server]\nrequest_timeout_seconds = 1\n";
  TestServer server(options);
  std::string answer = raw_exchange(
      server.port(),
      "POST /api/3/action/package_create HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{",
      10000);
  EXPECT_EQ(answer.rfind("HTTP/1.1 408", 0), 0u) << answer;
  EXPECT_EQ(server.client().get("/api/3/action/status_show").status, 200);
}

}  // namespace
}  // namespace datamap::testing

// The OpenAPI document served at /api/openapi.json: it is OpenAPI 3.1, it describes every action
// of the Registry with the methods the server accepts (and no action that does not exist), and
// `@redocly/cli lint` finds no error in it.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "api/action.h"
#include "tests/formats/node_tool.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace datamap::testing {
namespace {

const std::string kActionPrefix = "/api/3/action/";

// Differences between the registry and the document, one line each (empty: they agree).
std::vector<std::string> drift(const api::Registry& registry, const rapidjson::Value& spec) {
  std::vector<std::string> problems;
  const auto& paths = spec["paths"];
  for (const auto& [name, action] : registry.all()) {
    std::string path = kActionPrefix + name;
    auto it = paths.FindMember(path.c_str());
    if (it == paths.MemberEnd()) {
      problems.push_back(name + ": registered but not described (add it to api/openapi/spec/actions/)");
      continue;
    }
    if (!it->value.HasMember("post")) problems.push_back(name + ": no POST operation");
    if (action.mutates && it->value.HasMember("get"))
      problems.push_back(name + ": changes data (GET answers 405) but the document offers GET");
    if (!action.mutates && !it->value.HasMember("get"))
      problems.push_back(name + ": answers GET but the document has no GET operation");
  }
  for (const auto& p : paths.GetObject()) {
    std::string path = p.name.GetString();
    if (path.rfind(kActionPrefix, 0) != 0) continue;
    if (!registry.find(path.substr(kActionPrefix.size())))
      problems.push_back(path + ": described but no such action is registered");
  }
  return problems;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += "  " + l + "\n";
  return out;
}

class OpenApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new TestServer(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  // The document as the server serves it.
  static rapidjson::Document served(HttpReply* reply_out = nullptr) {
    HttpReply reply = server_->client().get("/api/openapi.json");
    EXPECT_EQ(reply.status, 200) << reply.body.substr(0, 300);
    if (reply_out) *reply_out = reply;
    return reply.json();
  }

  static TestServer* server_;
};
TestServer* OpenApi::server_ = nullptr;

TEST_F(OpenApi, ServedAsJsonOpenApi31OpenToOtherOrigins) {
  HttpReply reply;
  rapidjson::Document spec = served(&reply);
  EXPECT_EQ(reply.header("content-type"), "application/json; charset=utf-8");
  EXPECT_EQ(reply.header("access-control-allow-origin"), "*");
  ASSERT_TRUE(spec.IsObject());
  ASSERT_TRUE(spec.HasMember("openapi"));
  EXPECT_STREQ(spec["openapi"].GetString(), "3.1.0");
  ASSERT_TRUE(spec.HasMember("paths") && spec["paths"].IsObject());
  // The other endpoints are described too, not only the actions.
  for (const char* path : {"/catalog.ttl", "/catalog.rdf", "/catalog.jsonld", "/catalog",
                           "/dataset/{name}.ttl", "/dataset/{name}.rdf", "/dataset/{name}.jsonld",
                           "/dataset/{name}.schema.json", "/data.json", "/openapi/datasets",
                           "/api/openapi.json", "/api/docs"})
    EXPECT_TRUE(spec["paths"].HasMember(path)) << path << " is not described";
  // Shared schemas are referenced, not repeated: the package dict is one component.
  EXPECT_TRUE(spec["components"]["schemas"].HasMember("Package"));
  EXPECT_TRUE(spec["components"]["schemas"].HasMember("ErrorEnvelope"));
}

TEST_F(OpenApi, DescribesEveryRegisteredActionWithTheMethodsTheServerAccepts) {
  api::Registry registry;
  api::register_all_actions(registry);
  ASSERT_GT(registry.all().size(), 40u);
  rapidjson::Document spec = served();
  ASSERT_TRUE(spec.IsObject() && spec.HasMember("paths"));
  auto problems = drift(registry, spec);
  EXPECT_TRUE(problems.empty()) << "the OpenAPI document and the action registry disagree:\n"
                                << joined(problems);
}

TEST_F(OpenApi, DriftCheckNamesAnActionMissingFromTheDocumentAndOneThatDoesNotExist) {
  // The check above must be able to fail: an action registered without a description, and a
  // description left behind for a removed action, are both reported.
  api::Registry registry;
  api::register_all_actions(registry);
  registry.add({"made_up_action", nullptr, false, "not described anywhere"});
  rapidjson::Document spec = served();
  ASSERT_TRUE(spec.IsObject() && spec.HasMember("paths"));
  auto& a = spec.GetAllocator();
  spec["paths"].AddMember("/api/3/action/removed_action", rapidjson::Value(rapidjson::kObjectType), a);
  std::string report = joined(drift(registry, spec));
  EXPECT_NE(report.find("made_up_action: registered but not described"), std::string::npos) << report;
  EXPECT_NE(report.find("/api/3/action/removed_action: described but no such action"),
            std::string::npos)
      << report;
}

TEST_F(OpenApi, ReadActionsAnswerGetAndWriteActionsRefuseItAsDescribed) {
  // What the document says about methods is what the server does.
  HttpClient http = server_->client();
  rapidjson::Document spec = served();
  ASSERT_TRUE(spec.IsObject());
  auto get_ok = http.get("/api/3/action/status_show");
  EXPECT_EQ(get_ok.status, 200);
  EXPECT_TRUE(spec["paths"]["/api/3/action/status_show"].HasMember("get"));
  auto get_refused = http.get("/api/3/action/package_create?name=x");
  EXPECT_EQ(get_refused.status, 405);
  EXPECT_FALSE(spec["paths"]["/api/3/action/package_create"].HasMember("get"));
}

TEST_F(OpenApi, PassesRedoclyLintWithoutErrors) {
  std::string redocly = std::string(DATAMAP_SOURCE_DIR) + "/node_modules/.bin/redocly";
  ASSERT_TRUE(std::ifstream(redocly).good())
      << redocly << " is missing: run `make setup` (npm ci) to install the npm packages";
  HttpReply reply = server_->client().get("/api/openapi.json");
  ASSERT_EQ(reply.status, 200);
  TempDir dir;
  std::string file = dir.file("openapi.json");
  std::ofstream(file) << reply.body;
  NodeResult lint = run_node_script(
      redocly, {"lint", "--config", std::string(DATAMAP_SOURCE_DIR) + "/api/openapi/redocly.yaml",
                "--format", "stylish", file});
  EXPECT_EQ(lint.exit_code, 0) << lint.output;
  EXPECT_NE(lint.output.find("valid"), std::string::npos) << lint.output;
}

}  // namespace
}  // namespace datamap::testing

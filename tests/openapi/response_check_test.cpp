// The response check itself (tests/openapi/validate_responses.mjs, run by ctest after the HTTP
// suites as openapi_responses) must be able to fail: recorded responses that break the document
// are reported one by one, and nothing recorded although servers ran is a failure, not a pass.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "tests/formats/node_tool.h"
#include "tests/support/temp_dir.h"

namespace datamap::testing {
namespace {

const std::string kScript = std::string(DATAMAP_SOURCE_DIR) + "/tests/openapi/validate_responses.mjs";

NodeResult check(const std::string& records_dir) {
  // The script starts the server named by DATAMAP_BINARY to read the document.
  setenv("DATAMAP_BINARY", DATAMAP_BINARY, 1);
  return run_node_script(kScript, {records_dir});
}

TEST(ResponseCheck, ReportsBodiesStatusesAndContentTypesTheDocumentDoesNotDescribe) {
  TempDir dir;
  std::ofstream(dir.file("1.jsonl"))
      // a package dict without its required members
      << R"({"method":"GET","path":"/api/3/action/package_show?id=x","status":200,"content_type":"application/json; charset=utf-8","body":"{\"help\":\"h\",\"success\":true,\"result\":{\"id\":5}}"})" "\n"
      // a member the document does not describe
      << R"({"method":"GET","path":"/api/3/action/group_show?id=g","status":200,"content_type":"application/json","body":"{\"help\":\"h\",\"success\":true,\"result\":{\"id\":\"1\",\"name\":\"g\",\"title\":\"G\",\"is_organization\":false,\"secret\":1}}"})" "\n"
      // a status the operation does not list
      << R"({"method":"POST","path":"/api/3/action/package_create","status":418,"content_type":"application/json","body":"{}"})" "\n"
      // a content type the response does not list
      << R"({"method":"GET","path":"/catalog.ttl","status":200,"content_type":"text/html","body":"<p>"})" "\n"
      // and one that is right
      << R"({"method":"GET","path":"/api/3/action/help_show?name=x","status":200,"content_type":"application/json; charset=utf-8","body":"{\"help\":\"h\",\"success\":true,\"result\":\"text\"}"})" "\n";
  NodeResult r = check(dir.path());
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("JSON bodies validated against their schema: 1"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("GET /api/3/action/package_show 200: /result must have required property 'name'"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("GET /api/3/action/group_show 200: /result must NOT have additional properties (secret)"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("POST /api/3/action/package_create 418: status not described"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("GET /catalog.ttl 200: content type text/html not described"), std::string::npos)
      << r.output;
}

TEST(ResponseCheck, FailsWhenServersWereStartedButNothingWasRecorded) {
  TempDir dir;
  std::ofstream(dir.file("1.servers")) << "http://127.0.0.1:1\n";
  NodeResult r = check(dir.path());
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("no response was validated although 1 servers were started"), std::string::npos)
      << r.output;
}

TEST(ResponseCheck, HasNothingToCheckWhenNoServerWasStarted) {
  TempDir dir;
  NodeResult r = check(dir.path());
  EXPECT_EQ(r.exit_code, 77) << r.output;  // ctest: skipped, not passed
}

}  // namespace
}  // namespace datamap::testing

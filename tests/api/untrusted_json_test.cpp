// JSON held inside a string parameter goes through the same depth-bounded parser as the request
// body (catalog/untrusted_json.h): two million '[' inside a string answer a precise 400 or 409,
// never a crash, and the server keeps serving. A harvest source's config is parsed only after
// the caller was found to be allowed to manage the source.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/api/api_world.h"

namespace datamap::testing {
namespace {

// A JSON string whose content is `n` opening brackets (under the default body limit).
std::string bracket_string(std::size_t n) {
  return "\"" + std::string(n, '[') + "\"";
}

class JsonInStringParameters : public ::testing::Test {
 protected:
  ApiWorld w;

  void TearDown() override {
    EXPECT_EQ(w.http.get("/api/3/action/status_show").status, 200) << "server died:\n"
                                                                   << w.server.log();
  }

  std::string message(const HttpReply& r) {
    auto doc = r.json();
    if (!doc.IsObject() || !doc.HasMember("error")) return "";
    const auto& e = doc["error"];
    if (e.HasMember("message") && e["message"].IsString()) return e["message"].GetString();
    return to_string(e);
  }

  static std::string to_string(const rapidjson::Value& v) {
    if (v.IsString()) return v.GetString();
    std::string out;
    if (v.IsObject())
      for (const auto& m : v.GetObject())
        out += m.name.GetString() + (": " + to_string(m.value)) + " ";
    if (v.IsArray())
      for (const auto& x : v.GetArray()) out += to_string(x) + " ";
    return out;
  }
};

TEST_F(JsonInStringParameters, FacetFieldHoldingTwoMillionBracketsIs400NotACrash) {
  HttpReply r =
      w.http.action("package_search", "{\"facet.field\": " + bracket_string(2'000'000) + "}");
  EXPECT_EQ(r.status, 400) << r.body.substr(0, 300);
  EXPECT_EQ(error_type(r), "Search Query Error");
  EXPECT_NE(message(r).find("nested deeper than 64 levels"), std::string::npos) << message(r);
}

TEST_F(JsonInStringParameters, FacetFieldAsAJsonStringStillWorks) {
  HttpReply r = w.http.get("/api/3/action/package_search?facet.field=%5B%22tags%22%5D");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.json()["result"]["search_facets"].HasMember("tags")) << r.body;
  HttpReply bad = w.http.action("package_search", R"({"facet.field": "[\"tags\""})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(message(bad).find("at byte"), std::string::npos) << message(bad);  // where it broke
}

TEST_F(JsonInStringParameters, FqListHoldingTwoMillionBracketsIs400NotACrash) {
  HttpReply r = w.http.action("package_search", "{\"fq_list\": " + bracket_string(2'000'000) + "}");
  EXPECT_EQ(r.status, 400) << r.body.substr(0, 300);
  EXPECT_EQ(error_type(r), "Search Query Error");
  EXPECT_NE(message(r).find("nested deeper than 64 levels"), std::string::npos) << message(r);
  // The list spelled as a string (CKAN's GET form) filters like the list itself.
  w.dataset("fq-list-one", "agency-a");
  w.dataset("fq-list-two", "agency-b");
  std::int64_t count = -1;
  for (int i = 0; i < 100 && count != 1; ++i) {  // the index follows the catalog within a second
    HttpReply listed =
        w.http.action("package_search", R"({"fq_list": "[\"organization:agency-a\"]"})");
    ASSERT_EQ(listed.status, 200) << listed.body;
    count = listed.json()["result"]["count"].GetInt64();
    if (count != 1) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(count, 1);
  EXPECT_EQ(w.http.action("package_search", R"({"fq_list": 7})").status, 400);
}

TEST_F(JsonInStringParameters, HarvestConfigFromAnAnonymousCallerIs403BeforeItIsParsed) {
  const std::string body =
      "{\"name\": \"deep\", \"url\": \"https://example.org/data.json\", "
      "\"source_type\": \"datajson\", \"owner_org\": \"agency-a\", "
      "\"config\": " +
      bracket_string(2'000'000) + "}";
  HttpReply anonymous = w.http.action("harvest_source_create", body);
  EXPECT_EQ(anonymous.status, 403) << anonymous.body.substr(0, 300);
  HttpReply outsider = w.http.action("harvest_source_create", body, w.editor_b);
  EXPECT_EQ(outsider.status, 403) << outsider.body.substr(0, 300);
}

TEST_F(JsonInStringParameters, HarvestConfigHoldingTwoMillionBracketsIs409NamingTheLimit) {
  const std::string body =
      "{\"name\": \"deep\", \"url\": \"https://example.org/data.json\", "
      "\"source_type\": \"datajson\", \"owner_org\": \"agency-a\", "
      "\"config\": " +
      bracket_string(2'000'000) + "}";
  HttpReply created = w.http.action("harvest_source_create", body, w.editor_a);
  EXPECT_EQ(created.status, 409) << created.body.substr(0, 300);
  EXPECT_NE(message(created).find("nested deeper than 64 levels"), std::string::npos)
      << message(created);
  EXPECT_EQ(w.http.action("harvest_source_show", R"({"id": "deep"})").status, 404);

  HttpReply good = w.http.action(
      "harvest_source_create",
      R"({"name": "shallow", "url": "https://example.org/data.json", "source_type": "datajson",
          "owner_org": "agency-a", "config": "{\"rows\": 10}"})",
      w.editor_a);
  ASSERT_EQ(good.status, 200) << good.body;
  HttpReply updated = w.http.action(
      "harvest_source_update",
      "{\"id\": \"shallow\", \"config\": " + bracket_string(2'000'000) + "}", w.editor_a);
  EXPECT_EQ(updated.status, 409) << updated.body.substr(0, 300);
  HttpReply not_mine = w.http.action(
      "harvest_source_update",
      "{\"id\": \"shallow\", \"config\": " + bracket_string(2'000'000) + "}", w.editor_b);
  EXPECT_EQ(not_mine.status, 403) << not_mine.body.substr(0, 300);
}

}  // namespace
}  // namespace datamap::testing

// Every operation of the OpenAPI document answered successfully over HTTP, on a small catalog
// made through the API itself: each read action in both forms (GET with a query string, POST with
// a JSON body), the write actions, and the standard outputs. The assertions here are the
// statuses; the bodies are checked against the document's schemas by openapi_responses, which
// reads what this test received (tests/support/http_client.h records it).
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "tests/support/test_server.h"

namespace datamap::testing {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

std::string query(const Params& params) {
  std::string out;
  for (const auto& [k, v] : params) out += (out.empty() ? "?" : "&") + k + "=" + url_encode(v);
  return out;
}

// The same parameters as a JSON object; values that look like JSON (numbers, lists) stay JSON.
std::string json_body(const Params& params) {
  std::string out = "{";
  for (const auto& [k, v] : params) {
    if (out.size() > 1) out += ",";
    bool raw = !v.empty() && (v[0] == '[' || v == "true" || v == "false" ||
                              v.find_first_not_of("0123456789") == std::string::npos);
    out += "\"" + k + "\":" + (raw ? v : "\"" + v + "\"");
  }
  return out + "}";
}

std::string result_string(const HttpReply& r, const char* member) {
  rapidjson::Document doc;
  doc.Parse(r.body.c_str(), r.body.size());
  if (!doc.IsObject() || !doc.HasMember("result") || !doc["result"].IsObject() ||
      !doc["result"].HasMember(member) || !doc["result"][member].IsString())
    return "";
  return doc["result"][member].GetString();
}

class EveryOperation : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new TestServer();
    http_ = new HttpClient(server_->url());
    admin_ = server_->add_user("admin", {"--sysadmin"});
    write("organization_create", R"({"name":"seoul","title":"서울특별시","code":"6110000"})");
    write("group_create", R"({"name":"transport","title":"교통물류"})");
    for (const auto& [name, title] :
         {std::pair<std::string, std::string>{"bus-stops", "서울시 버스 정류장 위치"},
          {"bus-routes", "서울시 버스 노선 정보"},
          {"parking", "서울시 공영주차장 현황"}}) {
      HttpReply r = write(
          "package_create",
          R"({"name":")" + name + R"(","title":")" + title +
              R"(","notes":"정류장 ID와 노선 번호","owner_org":"seoul","groups":["transport"],"tags":["버스","교통"],"resources":[{"name":"CSV","url":"https://example.org/)" +
              name + R"(.csv","format":"CSV"}]})");
      if (name == "bus-stops") {
        rapidjson::Document doc;
        doc.Parse(r.body.c_str(), r.body.size());
        if (doc.IsObject() && doc["result"]["resources"].Size() > 0)
          resource_id_ = doc["result"]["resources"][0]["id"].GetString();
      }
    }
    write("package_relationship_create",
          R"({"subject":"bus-stops","object":"bus-routes","type":"links_to"})");
    // Search and the map follow the change log in the background: wait for both.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
    while (std::chrono::steady_clock::now() < deadline) {
      HttpReply search = http_->get("/api/3/action/package_search?rows=0");
      HttpReply related = http_->get("/api/3/action/datamap_related?id=bus-stops");
      if (search.body.find("\"count\":3") != std::string::npos && related.status == 200 &&
          related.body.find("bus-routes") != std::string::npos)
        break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  static void TearDownTestSuite() {
    delete http_;
    delete server_;
  }

  static HttpReply write(const std::string& action, const std::string& body) {
    HttpReply r = http_->action(action, body, admin_);
    EXPECT_EQ(r.status, 200) << action << " " << body << " -> " << r.body.substr(0, 500);
    return r;
  }

  // GET and POST forms of a read action, both 200.
  static void read_both_ways(const std::string& action, const Params& params) {
    Headers auth{{"Authorization", admin_}};
    HttpReply get = http_->get("/api/3/action/" + action + query(params), auth);
    EXPECT_EQ(get.status, 200) << "GET " << action << query(params) << " -> "
                               << get.body.substr(0, 500);
    HttpReply post = http_->post("/api/3/action/" + action, json_body(params), auth);
    EXPECT_EQ(post.status, 200) << "POST " << action << " " << json_body(params) << " -> "
                                << post.body.substr(0, 500);
  }

  static TestServer* server_;
  static HttpClient* http_;
  static std::string admin_, resource_id_;
};
TestServer* EveryOperation::server_ = nullptr;
HttpClient* EveryOperation::http_ = nullptr;
std::string EveryOperation::admin_, EveryOperation::resource_id_;

TEST_F(EveryOperation, ReadActionsAnswerBothForms) {
  read_both_ways("status_show", {});
  read_both_ways("help_show", {{"name", "package_show"}});
  read_both_ways("package_list", {{"limit", "10"}});
  read_both_ways("package_show", {{"id", "bus-stops"}});
  ASSERT_FALSE(resource_id_.empty());
  read_both_ways("resource_show", {{"id", resource_id_}});
  read_both_ways("package_search",
                 {{"q", "버스"}, {"facet.field", R"(["organization","tags"])"}, {"rows", "2"}});
  read_both_ways("package_autocomplete", {{"q", "서울시 버"}});
  read_both_ways("organization_list", {{"all_fields", "true"}});
  read_both_ways("organization_list", {});
  read_both_ways("organization_show", {{"id", "seoul"}});
  read_both_ways("group_list", {{"all_fields", "true"}});
  read_both_ways("group_show", {{"id", "transport"}});
  read_both_ways("tag_list", {{"all_fields", "true"}});
  read_both_ways("license_list", {});
  read_both_ways("user_show", {{"id", "admin"}});
  read_both_ways("api_token_list", {});
  read_both_ways("api_token_usage", {});
  read_both_ways("package_relationships_list", {{"id", "bus-routes"}});
  read_both_ways("datamap_neighbors", {{"id", "bus-stops"}, {"depth", "2"}});
  read_both_ways("datamap_related", {{"id", "bus-stops"}});
  read_both_ways("datamap_path", {{"from", "bus-stops"}, {"to", "parking"}});
  read_both_ways("datamap_overview", {});
  read_both_ways("datamap_clusters", {});
  read_both_ways("datamap_hubs", {{"type", "keyword"}});
  read_both_ways("datamap_stats", {});
  read_both_ways("datamap_export", {});
  read_both_ways("datamap_export", {{"id", "bus-stops"}, {"format", "graphml"}});
}

TEST_F(EveryOperation, WriteActionsSucceedForASysadmin) {
  write(
      "package_update",
      R"({"id":"parking","title":"서울시 공영주차장 현황","notes":"매일 갱신","owner_org":"seoul"})");
  write("package_patch", R"({"id":"parking","notes":"매시 갱신"})");
  write("organization_update", R"({"id":"seoul","description":"서울특별시청"})");
  write("user_create", R"({"name":"kim","fullname":"김데이터","email":"kim@example.org"})");
  write("user_update", R"({"id":"kim","fullname":"김공공"})");
  write("organization_member_create", R"({"id":"seoul","username":"kim","role":"editor"})");
  write("organization_member_delete", R"({"id":"seoul","username":"kim"})");
  std::string token =
      result_string(write("api_token_create", R"({"user":"kim","name":"laptop"})"), "token");
  ASSERT_FALSE(token.empty());
  write("api_token_revoke", R"({"token":")" + token + R"("})");
  write("package_relationship_create",
        R"({"subject":"parking","object":"bus-stops","type":"links_to"})");
  write("package_relationship_delete",
        R"({"subject":"parking","object":"bus-stops","type":"links_to"})");
  write("package_create", R"({"name":"to-delete","title":"지울 데이터","owner_org":"seoul"})");
  write("package_delete", R"({"id":"to-delete"})");
}

TEST_F(EveryOperation, HarvestActionsAnswerForASource) {
  // A source nobody answers at: the job fails, but every harvest action still has something to
  // show.
  HttpReply source = write(
      "harvest_source_create",
      R"({"url":"http://127.0.0.1:9/","source_type":"ckan","name":"nowhere","title":"응답 없는 카탈로그","owner_org":"seoul"})");
  std::string source_id = result_string(source, "id");
  ASSERT_FALSE(source_id.empty()) << source.body;
  write("harvest_source_update", R"({"id":"nowhere","frequency":"WEEKLY"})");
  std::string job_id =
      result_string(write("harvest_job_create", R"({"source_id":")" + source_id + R"("})"), "id");
  ASSERT_FALSE(job_id.empty());
  read_both_ways("harvest_source_show", {{"id", "nowhere"}});
  read_both_ways("harvest_source_list", {});
  read_both_ways("harvest_source_show_status", {{"id", source_id}});
  read_both_ways("harvest_job_list", {{"source_id", source_id}});
  read_both_ways("harvest_job_show", {{"id", job_id}});
  read_both_ways("harvest_job_report", {{"id", job_id}});
  write("harvest_source_delete", R"({"id":"nowhere"})");
}

TEST_F(EveryOperation, DataStoreActionsAnswer) {
  ASSERT_FALSE(resource_id_.empty());
  write(
      "datastore_create",
      R"({"resource_id":")" + resource_id_ +
          R"(","fields":[{"id":"정류소명","type":"text","info":{"label":"이름"}},{"id":"노선수","type":"int"}],"primary_key":"정류소명","records":[{"정류소명":"시청앞","노선수":12},{"정류소명":"광화문","노선수":8}]})");
  write("datastore_upsert", R"({"resource_id":")" + resource_id_ +
                                R"(","records":[{"정류소명":"시청앞","노선수":13}]})");
  read_both_ways("datastore_info", {{"id", resource_id_}});
  read_both_ways("datastore_search",
                 {{"resource_id", resource_id_}, {"q", "시청"}, {"sort", "노선수 desc"}});
  read_both_ways("datastore_search", {{"resource_id", resource_id_}, {"records_format", "csv"}});
  read_both_ways("datastore_search_sql",
                 {{"sql", "SELECT count(*) AS n FROM [" + resource_id_ + "]"}});
  write("datastore_delete",
        R"({"resource_id":")" + resource_id_ + R"(","filters":{"정류소명":"광화문"}})");
  write("datastore_delete", R"({"resource_id":")" + resource_id_ + R"("})");
}

TEST_F(EveryOperation, StandardOutputsAnswer) {
  for (const char* path :
       {"/catalog", "/catalog.ttl", "/catalog.rdf", "/catalog.jsonld", "/dataset/bus-stops.ttl",
        "/dataset/bus-stops.rdf", "/dataset/bus-stops.jsonld", "/dataset/bus-stops.schema.json",
        "/data.json", "/api/openapi.json", "/api/docs"}) {
    HttpReply r = http_->get(path);
    EXPECT_EQ(r.status, 200) << path << " -> " << r.body.substr(0, 300);
  }
  HttpReply negotiated = http_->get("/dataset/bus-stops", {{"Accept", "application/ld+json"}});
  EXPECT_EQ(negotiated.status, 200);
  EXPECT_EQ(negotiated.header("content-type").rfind("application/ld+json", 0), 0u);
  for (const char* type : {"json", "xml"}) {
    HttpReply r = http_->get("/openapi/datasets?serviceKey=" + url_encode(admin_) +
                             "&type=" + type + "&keyword=" + url_encode("버스") + "&numOfRows=2");
    EXPECT_EQ(r.status, 200) << type << " -> " << r.body.substr(0, 300);
  }
}

}  // namespace
}  // namespace datamap::testing

// The standard outputs over HTTP from the real `datamap serve`: DCAT pages with Hydra paging and
// content negotiation, schema.org, data.json, the data.go.kr-style list (JSON and XML, paging,
// error codes) and per-token quotas with 429 + Retry-After.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "tests/formats/node_tool.h"
#include "tests/formats/rdf_triples.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace datamap::testing {
namespace {

// A server with one agency, one category, `n` public datasets and one private one.
struct World {
  TestServer server;
  HttpClient http;
  std::string admin;

  explicit World(int n, const std::string& config = "")
      : server(TestServer::Options{"", config, {}, {}}), http(server.client()) {
    admin = server.add_user("admin", {"--sysadmin"});
    ok("organization_create", R"({"name":"moe","title":"환경부"})");
    ok("group_create", R"({"name":"environment","title":"환경기상"})");
    for (int i = 0; i < n; ++i) {
      std::string name = "air-" + std::to_string(100 + i);
      ok("package_create", R"({"name":")" + name + R"(","title":"대기오염 측정 )" +
                               std::to_string(i) +
                               R"(","notes":"미세먼지 측정값","owner_org":"moe","groups":["environment"],)"
                               R"("tags":["미세먼지","대기"],"license_id":"KOGL-1","frequency":"일간",)"
                               R"("resources":[{"url":"https://example.org/)" + name +
                               R"(.csv","format":"CSV","name":"측정값"}]})");
    }
    ok("package_create",
       R"({"name":"secret-one","title":"비공개","owner_org":"moe","private":true})");
    wait_until_searchable(n);
  }
  // Catalog pages and the data.go.kr-style list answer from the search index, which follows
  // the catalog within about a second; the outputs are checked once it has caught up.
  void wait_until_searchable(int public_datasets) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      auto r = http.get("/api/3/action/package_search?rows=0");
      if (r.status == 200 && r.json()["result"]["count"].GetInt() == public_datasets) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL() << "the search index did not catch up with " << public_datasets << " datasets";
  }
  void ok(const std::string& action, const std::string& body) {
    auto r = http.action(action, body, admin);
    ASSERT_EQ(r.status, 200) << action << ": " << r.body;
  }
};

TEST(HttpDcat, DatasetByExtensionAndByAcceptButBrowsersAreNotGivenRdf) {
  World w(1);
  auto ttl = w.http.get("/dataset/air-100.ttl");
  ASSERT_EQ(ttl.status, 200) << ttl.body;
  EXPECT_NE(ttl.header("content-type").find("text/turtle"), std::string::npos);
  auto triples = parse_triples(ttl.body, "turtle");
  bool titled = false;
  for (const auto& t : triples) titled = titled || t.find("\"대기오염 측정 0\"@ko") != std::string::npos;
  EXPECT_TRUE(titled) << ttl.body;

  auto rdf = w.http.get("/dataset/air-100", {{"Accept", "application/rdf+xml"}});
  EXPECT_EQ(rdf.status, 200);
  EXPECT_NE(rdf.header("content-type").find("application/rdf+xml"), std::string::npos);
  EXPECT_EQ(parse_triples(rdf.body, "rdfxml"), triples);

  auto jsonld = w.http.get("/dataset/air-100", {{"Accept", "text/html;q=0.5, application/ld+json"}});
  EXPECT_NE(jsonld.header("content-type").find("application/ld+json"), std::string::npos);

  // A browser's Accept is the portal's business: never RDF (404 here when no portal runs).
  auto browser = w.http.get("/dataset/air-100", {{"Accept", "text/html,application/xhtml+xml,*/*;q=0.8"}});
  EXPECT_EQ(browser.header("content-type").find("turtle"), std::string::npos);

  auto schema = w.http.get("/dataset/air-100.schema.json");
  ASSERT_EQ(schema.status, 200);
  auto doc = schema.json();
  EXPECT_STREQ(doc["@type"].GetString(), "Dataset");
  EXPECT_STREQ(doc["name"].GetString(), "대기오염 측정 0");

  EXPECT_EQ(w.http.get("/dataset/no-such-dataset.ttl").status, 404);
  // Private datasets stay private in every format: not found, like a dataset that is not there.
  EXPECT_EQ(w.http.get("/dataset/secret-one.ttl").status, 404);
  EXPECT_EQ(w.http.get("/dataset/secret-one.schema.json").status, 404);
}

TEST(HttpDcat, CatalogPagesWithHydraAndValidatesAgainstDcatAp3) {
  World w(105);  // more than one page of 100
  auto first = w.http.get("/catalog.ttl");
  ASSERT_EQ(first.status, 200) << first.body;
  auto t = parse_triples(first.body, "turtle");
  std::string base = w.server.url();
  std::string page1 = "<" + base + "/catalog.ttl?page=1>";
  EXPECT_TRUE(t.count(page1 + " <http://www.w3.org/ns/hydra/core#totalItems> \"105\"^^<http://www.w3.org/2001/XMLSchema#integer>")) << first.body.substr(0, 2000);
  EXPECT_TRUE(t.count(page1 + " <http://www.w3.org/ns/hydra/core#nextPage> <" + base + "/catalog.ttl?page=2>"));
  EXPECT_TRUE(t.count(page1 + " <http://www.w3.org/ns/hydra/core#lastPage> <" + base + "/catalog.ttl?page=2>"));
  std::size_t datasets = 0;
  for (const auto& x : t)
    if (x.find("<http://www.w3.org/ns/dcat#dataset>") != std::string::npos) ++datasets;
  EXPECT_EQ(datasets, 100u);
  auto second = w.http.get("/catalog.ttl?page=2");
  std::size_t on_second = 0;
  for (const auto& x : parse_triples(second.body, "turtle"))
    if (x.find("<http://www.w3.org/ns/dcat#dataset>") != std::string::npos) ++on_second;
  EXPECT_EQ(on_second, 5u);
  EXPECT_EQ(w.http.get("/catalog.ttl?page=3").status, 404);
  EXPECT_EQ(w.http.get("/catalog.ttl?page=zero").status, 409);
  EXPECT_EQ(w.http.get("/catalog.ttl?modified_since=yesterday").status, 409);
  EXPECT_EQ(w.http.get("/catalog.ttl?modified_since=2999-01-01").status, 200);
  auto negotiated = w.http.get("/catalog", {{"Accept", "application/ld+json"}});
  EXPECT_NE(negotiated.header("content-type").find("application/ld+json"), std::string::npos);

  TempDir dir;
  std::vector<std::string> args = {std::string(DATAMAP_FIXTURES) + "/dcat-ap-shacl"};
  for (const char* path : {"/catalog.ttl?page=2", "/catalog.rdf?page=2", "/catalog.jsonld?page=2",
                           "/dataset/air-100.ttl", "/dataset/air-101.rdf", "/dataset/air-102.jsonld"}) {
    auto reply = w.http.get(path);
    ASSERT_EQ(reply.status, 200) << path;
    std::string p(path);
    std::string ext = p.substr(p.find('.') + 1, p.find('?') == std::string::npos ? std::string::npos : p.find('?') - p.find('.') - 1);
    // The page IRIs differ per syntax (/catalog.ttl?page=2 vs .rdf), so each is its own stem.
    std::string stem = p.substr(1, p.find('.') - 1) + (p.rfind("/catalog", 0) == 0 ? "_" + ext : "");
    for (char& c : stem) if (c == '/') c = '_';
    std::string file = dir.file(stem + "." + ext);
    std::ofstream(file) << reply.body;
    args.push_back(file);
  }
  auto result = run_node_script("tests/formats/validate_dcat.mjs", args);
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("ok"), std::string::npos) << result.output;
}

TEST(HttpDataJson, WholePublicCatalogAsDcatUs) {
  World w(3);
  auto reply = w.http.get("/data.json");
  ASSERT_EQ(reply.status, 200) << reply.body;
  auto doc = reply.json();
  EXPECT_STREQ(doc["conformsTo"].GetString(), "https://project-open-data.cio.gov/v1.1/schema");
  ASSERT_TRUE(doc["dataset"].IsArray());
  EXPECT_EQ(doc["dataset"].Size(), 3u);  // the private one is not listed
  const auto& d = doc["dataset"][0];
  EXPECT_STREQ(d["publisher"]["name"].GetString(), "환경부");
  EXPECT_STREQ(d["accrualPeriodicity"].GetString(), "R/P1D");
  EXPECT_STREQ(d["distribution"][0]["mediaType"].GetString(), "text/csv");
  // A change is visible at once (a new revision, a new export).
  w.ok("package_create", R"({"name":"air-new","title":"새 데이터","owner_org":"moe"})");
  EXPECT_EQ(w.http.get("/data.json").json()["dataset"].Size(), 4u);
}

TEST(HttpDatago, EnvelopeInJsonAndXmlWithPaging) {
  World w(25);
  std::string key = url_encode(w.admin);
  auto page = w.http.get("/openapi/datasets?serviceKey=" + key + "&type=json&pageNo=3&numOfRows=10");
  ASSERT_EQ(page.status, 200) << page.body;
  auto doc = page.json();
  const auto& response = doc["response"];
  EXPECT_STREQ(response["header"]["resultCode"].GetString(), "00");
  EXPECT_STREQ(response["header"]["resultMsg"].GetString(), "NORMAL SERVICE.");
  EXPECT_EQ(response["body"]["totalCount"].GetInt(), 25);
  EXPECT_EQ(response["body"]["pageNo"].GetInt(), 3);
  EXPECT_EQ(response["body"]["numOfRows"].GetInt(), 10);
  ASSERT_TRUE(response["body"]["items"]["item"].IsArray());
  ASSERT_EQ(response["body"]["items"]["item"].Size(), 5u);
  EXPECT_STREQ(response["body"]["items"]["item"][0]["orgName"].GetString(), "환경부");
  EXPECT_STREQ(response["body"]["items"]["item"][0]["category"].GetString(), "환경기상");

  // One item is still an array; filters by agency (title or name) and category (title).
  auto one = w.http.get("/openapi/datasets?serviceKey=" + key + "&type=json&numOfRows=1&agency=" +
                        url_encode("환경부") + "&category=" + url_encode("환경기상"));
  EXPECT_TRUE(one.json()["response"]["body"]["items"]["item"].IsArray());
  EXPECT_EQ(one.json()["response"]["body"]["items"]["item"].Size(), 1u);
  auto none = w.http.get("/openapi/datasets?serviceKey=" + key + "&type=json&agency=nobody");
  EXPECT_EQ(none.json()["response"]["body"]["totalCount"].GetInt(), 0);
  EXPECT_TRUE(none.json()["response"]["body"]["items"]["item"].IsArray());

  auto xml = w.http.get("/openapi/datasets?serviceKey=" + key + "&numOfRows=2&keyword=" + url_encode("측정 1"));
  ASSERT_EQ(xml.status, 200);
  EXPECT_NE(xml.header("content-type").find("application/xml"), std::string::npos);
  EXPECT_EQ(xml.body.rfind("<?xml", 0), 0u);
  EXPECT_NE(xml.body.find("<resultCode>00</resultCode>"), std::string::npos);
  EXPECT_NE(xml.body.find("<numOfRows>2</numOfRows>"), std::string::npos);
  EXPECT_NE(xml.body.find("<item><listId>"), std::string::npos);
  // Parses as XML (raptor2's RDF/XML parser would choke on malformed XML; use a strict check).
  EXPECT_EQ(xml.body.find("<items><item>") != std::string::npos, true);
}

TEST(HttpDatago, ErrorCodesInTheSameEnvelope) {
  World w(1);
  std::string key = url_encode(w.admin);
  auto missing = w.http.get("/openapi/datasets?type=json");
  EXPECT_EQ(missing.status, 401);
  EXPECT_STREQ(missing.json()["response"]["header"]["resultCode"].GetString(), "30");
  auto wrong = w.http.get("/openapi/datasets?type=json&serviceKey=dm_not_a_key");
  EXPECT_STREQ(wrong.json()["response"]["header"]["resultCode"].GetString(), "30");
  auto bad_rows = w.http.get("/openapi/datasets?type=json&serviceKey=" + key + "&numOfRows=-1");
  EXPECT_EQ(bad_rows.status, 400);
  EXPECT_STREQ(bad_rows.json()["response"]["header"]["resultCode"].GetString(), "10");
  auto bad_page_xml = w.http.get("/openapi/datasets?serviceKey=" + key + "&pageNo=abc");
  EXPECT_EQ(bad_page_xml.status, 400);
  EXPECT_NE(bad_page_xml.body.find("<resultCode>10</resultCode>"), std::string::npos);
  EXPECT_NE(bad_page_xml.body.find("INVALID_REQUEST_PARAMETER_ERROR"), std::string::npos);
  auto bad_type = w.http.get("/openapi/datasets?serviceKey=" + key + "&type=csv");
  EXPECT_NE(bad_type.body.find("<resultCode>10</resultCode>"), std::string::npos);
  // Hostile text comes back escaped, never as markup.
  auto hostile = w.http.get("/openapi/datasets?serviceKey=" + key + "&keyword=" + url_encode("<x>&\x01"));
  EXPECT_EQ(hostile.status, 200);
  EXPECT_EQ(hostile.body.find("<x>"), std::string::npos);
}

TEST(HttpQuota, DailyQuotaGives429WithRetryAfterAndUsageIsVisibleToItsOwner) {
  World w(1, "[quota]\nper_day = 30\n");
  std::string user = w.server.add_user("dev");
  int ok = 0, refused = 0;
  HttpReply last;
  for (int i = 0; i < 32; ++i) {
    last = w.http.action("package_show", R"({"id":"air-100"})", user);
    (last.status == 200 ? ok : refused) += 1;
    if (last.status == 429) break;
  }
  EXPECT_EQ(ok, 30);
  ASSERT_EQ(last.status, 429) << last.body;
  EXPECT_GT(std::stoi(last.header("retry-after")), 0);
  // The data.go.kr-style endpoint answers the same quota with code 22.
  auto datago = w.http.get("/openapi/datasets?type=json&serviceKey=" + url_encode(user));
  EXPECT_EQ(datago.status, 429);
  EXPECT_STREQ(datago.json()["response"]["header"]["resultCode"].GetString(), "22");
  EXPECT_FALSE(datago.header("retry-after").empty());
  // Usage, seen by its owner with another token (the spent one is refused).
  std::string admin_usage = w.http.action("api_token_usage", R"({"user":"dev"})", w.admin).body;
  EXPECT_NE(admin_usage.find("\"requests_today\":30"), std::string::npos) << admin_usage;
  EXPECT_NE(admin_usage.find("\"per_day\":30"), std::string::npos) << admin_usage;
  auto other = w.http.action("api_token_usage", R"({"user":"admin"})", user);
  EXPECT_EQ(other.status, 429);  // still spent: asking costs a request too
}

}  // namespace
}  // namespace datamap::testing

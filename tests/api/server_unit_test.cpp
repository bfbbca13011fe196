// The HTTP plumbing without a socket: routing, decoding, JSON limits, configuration.
#include <gtest/gtest.h>

#include <fstream>

#include "api/config.h"
#include "api/errors.h"
#include "api/http.h"
#include "api/json.h"
#include "api/server.h"
#include "catalog/errors.h"
#include "tests/support/temp_dir.h"

namespace datamap::api {
namespace {

HttpResponse ok_with(const std::string& body) {
  HttpResponse r;
  r.body = body;
  return r;
}

TEST(Routes, ExactBeatsPrefixAndOtherMethodsGet405WithAllow) {
  Routes routes;
  routes.add("GET", "/api/*", [](const HttpRequest&) { return ok_with("prefix"); });
  routes.add("GET", "/api/x", [](const HttpRequest&) { return ok_with("exact"); });
  routes.add("POST", "/api/x", [](const HttpRequest&) { return ok_with("post"); });
  HttpRequest get{"GET", "/api/x", {}, {}, ""};
  EXPECT_EQ(dispatch(routes, get, 100).body, "exact");
  get.path = "/api/y";
  EXPECT_EQ(dispatch(routes, get, 100).body, "prefix");
  HttpRequest put{"PUT", "/api/x", {}, {}, ""};
  HttpResponse r = dispatch(routes, put, 100);
  EXPECT_EQ(r.status, 405);
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].second, "GET, POST");
  HttpRequest none{"GET", "/elsewhere", {}, {}, ""};
  EXPECT_EQ(dispatch(routes, none, 100).status, 404);
}

TEST(Routes, ABodyOverTheLimitIs413BeforeTheHandlerRuns) {
  Routes routes;
  bool ran = false;
  routes.add("POST", "/x", [&](const HttpRequest&) {
    ran = true;
    return ok_with("");
  });
  HttpRequest big{"POST", "/x", {}, {}, std::string(101, 'a')};
  EXPECT_EQ(dispatch(routes, big, 100).status, 413);
  HttpRequest declared{"POST", "/x", {}, {{"content-length", "5000"}}, ""};
  EXPECT_EQ(dispatch(routes, declared, 100).status, 413);
  EXPECT_FALSE(ran);
}

TEST(Routes, AnUnexpectedExceptionIsA500WithAGenericMessage) {
  Routes routes;
  routes.add("GET", "/boom", [](const HttpRequest&) -> HttpResponse {
    throw std::logic_error("secret internal detail");
  });
  HttpResponse r = dispatch(routes, HttpRequest{"GET", "/boom", {}, {}, ""}, 100);
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("secret"), std::string::npos);
}

TEST(ErrorEnvelope, ValidationErrorsListMessagesPerField) {
  FieldErrors fields{{"name", {"Missing value"}}, {"url", {"bad", "worse"}}};
  HttpResponse r = error_response(std::make_exception_ptr(ValidationError(fields)), "http://h");
  EXPECT_EQ(r.status, 409);
  rapidjson::Document doc;
  doc.Parse(r.body.c_str());
  EXPECT_STREQ(doc["help"].GetString(), "http://h");
  EXPECT_FALSE(doc["success"].GetBool());
  EXPECT_STREQ(doc["error"]["__type"].GetString(), "Validation Error");
  EXPECT_EQ(doc["error"]["url"].Size(), 2u);
}

TEST(ErrorEnvelope, TooManyRequestsCarriesRetryAfter) {
  HttpResponse r = error_response(std::make_exception_ptr(TooManyRequests("slow down", 7)), "");
  EXPECT_EQ(r.status, 429);
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0], (std::pair<std::string, std::string>{"Retry-After", "7"}));
}

TEST(ErrorEnvelope, ServiceUnavailableIs503WithRetryAfter) {
  HttpResponse r =
      error_response(std::make_exception_ptr(ServiceUnavailable("still being computed", 2)), "");
  EXPECT_EQ(r.status, 503);
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0], (std::pair<std::string, std::string>{"Retry-After", "2"}));
  EXPECT_NE(r.body.find("still being computed"), std::string::npos);
}

TEST(Decoding, PercentAndFormDecoding) {
  EXPECT_EQ(percent_decode("%EC%A3%BC+x", true), "주 x");
  EXPECT_EQ(percent_decode("a+b", false), "a+b");
  EXPECT_FALSE(percent_decode("%4", true));
  EXPECT_FALSE(percent_decode("%zz", true));
  auto form = parse_urlencoded("a=1&b=%ED%95%9C&&c");
  ASSERT_TRUE(form);
  ASSERT_EQ(form->size(), 3u);
  EXPECT_EQ((*form)[1].second, "한");
  EXPECT_EQ((*form)[2].first, "c");
  EXPECT_EQ((*form)[2].second, "");
}

TEST(JsonBody, NestingDepthIgnoresBracketsInStrings) {
  rapidjson::Document doc;
  EXPECT_NO_THROW(parse_json_body("{\"a\":[[1]],\"b\":\"" + std::string(1000, '[') + "\"}", doc));
  EXPECT_THROW(parse_json_body(std::string(100, '[') + std::string(100, ']'), doc), BadRequest);
  EXPECT_NO_THROW(parse_json_body(R"({"ok":[1,2,{"x":null}]})", doc));
}

TEST(Config, DefaultsThenFileValues) {
  testing::TempDir dir;
  std::string path = dir.file("c.toml");
  std::ofstream(path) << "[server]\nport = 9999\nthreads = 3\n[harvest]\nallow_hosts = "
                         "[\"catalog.data.gov\"]\n";
  Config c = load_config(path);
  EXPECT_EQ(c.server.port, 9999);
  EXPECT_EQ(c.server.threads, 3);
  EXPECT_EQ(c.server.max_body_bytes, 10u * 1024 * 1024);
  EXPECT_EQ(c.server.host, "127.0.0.1");
  ASSERT_EQ(c.harvest.allow_hosts.size(), 1u);
  EXPECT_THROW(load_config(dir.file("missing.toml")), std::runtime_error);
}

TEST(Config, TheNearCacheBudgetIsReadAndANegativeOneRefused) {
  testing::TempDir dir;
  std::string path = dir.file("c.toml");
  std::ofstream(path) << "[datastore]\nnear_cache_megabytes = 64\n";
  EXPECT_EQ(load_config(path).data.near_cache_megabytes, 64);
  std::ofstream(path, std::ios::trunc) << "[datastore]\nnear_cache_megabytes = -1\n";
  EXPECT_THROW(load_config(path), std::runtime_error);
}

TEST(Config, TheReindexMemoryBudgetIsReadAndATinyOneRefused) {
  testing::TempDir dir;
  std::string path = dir.file("c.toml");
  std::ofstream(path) << "[search]\nindex_memory_megabytes = 256\n";
  EXPECT_EQ(load_config(path).search.index_memory_megabytes, 256);
  for (const char* bad : {"0", "-5", "15"}) {
    std::ofstream(path, std::ios::trunc) << "[search]\nindex_memory_megabytes = " << bad << "\n";
    EXPECT_THROW(load_config(path), std::runtime_error) << bad;
  }
}

TEST(Config, TheShippedConfigFileLoads) {
  Config c = load_config(std::string(DATAMAP_SOURCE_DIR) + "/config/datamap.toml");
  EXPECT_EQ(c.server.port, 8080);
  EXPECT_EQ(c.data.dir, "var/data");
  EXPECT_EQ(c.catalog.url, "") << "SQLite in data.dir unless the deployment says otherwise";
}

TEST(Config, CatalogUrlIsReadAndAMistypedOneIsAnError) {
  testing::TempDir dir;
  const std::string path = dir.file("c.toml");
  std::ofstream(path) << "[catalog]\nurl = \"postgresql://datamap@db:5432/catalog\"\n";
  EXPECT_EQ(load_config(path).catalog.url, "postgresql://datamap@db:5432/catalog");
  std::ofstream(path, std::ios::trunc) << "[catalog]\nurl = 5432\n";
  EXPECT_THROW(load_config(path), std::runtime_error);
}

}  // namespace
}  // namespace datamap::api

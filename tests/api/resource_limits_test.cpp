// Anonymous callers cannot exhaust the server: per-address rate limits (429 + Retry-After, then
// recovery), forged Host headers cannot fill the disk through /data.json, and search parameters
// that would make one request unbounded are refused with 400. Every test speaks HTTP to a
// started server configured with low limits.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/api/api_world.h"

namespace datamap::testing {
namespace {

namespace fs = std::filesystem;

std::string status_path() {
  return "/api/3/action/status_show";
}

// Sends `path` until the first 429 (at most `max` times); returns how many were served before.
// TestServer's start-up check was one anonymous request already, so a bucket of `burst` serves
// burst - 1 or burst here.
int served_until_refused(const HttpClient& http, const std::string& path, int max,
                         const Headers& headers = {}) {
  for (int served = 0; served <= max; ++served) {
    long status = http.get(path, headers).status;
    if (status == 429) return served;
    EXPECT_LT(status, 500) << path;
  }
  ADD_FAILURE() << path << " was never refused in " << max << " requests";
  return max;
}

TEST(AnonymousRateLimit, OverTheBurstIs429WithRetryAfterAndTheEnvelopeThenRecovers) {
  TestServer::Options o;
  o.config_toml = "[rate_limit]\nper_minute = 60\nburst = 3\n";
  TestServer server(o);
  HttpClient http = server.client();
  EXPECT_GE(served_until_refused(http, status_path(), 10), 2);
  HttpReply refused = http.get(status_path());
  ASSERT_EQ(refused.status, 429) << refused.body;
  EXPECT_EQ(refused.header("retry-after"), "1");
  EXPECT_EQ(error_type(refused), "Too Many Requests");
  auto doc = refused.json();
  EXPECT_FALSE(doc["success"].GetBool());
  std::string message = doc["error"]["message"].GetString();
  EXPECT_NE(message.find("60 per minute"), std::string::npos) << message;
  // One token a second comes back: after the Retry-After the caller is served again.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(http.get(status_path()).status, 200);
  EXPECT_EQ(http.get(status_path()).status, 429);
}

TEST(AnonymousRateLimit, RegisteredCallersKeepTheirTokenQuotaInstead) {
  TestServer::Options o;
  // One anonymous request back every 10 s: the ten registered requests below may take over a
  // second on a loaded machine under ASan, and at 60 a minute one came back meanwhile.
  o.config_toml = "[rate_limit]\nper_minute = 6\nburst = 2\n";
  TestServer server(o);
  std::string token = server.add_user("registered");
  HttpClient http = server.client();
  served_until_refused(http, status_path(), 10);
  for (int i = 0; i < 10; ++i)
    ASSERT_EQ(http.action("status_show", "{}", token).status, 200) << "request " << i;
  EXPECT_EQ(http.action("status_show").status, 429);
}

TEST(AnonymousRateLimit, GuessingTokensIsChargedToTheAddress) {
  TestServer::Options o;
  o.config_toml = "[rate_limit]\nper_minute = 60\nburst = 3\n";
  TestServer server(o);
  HttpClient http = server.client();
  int forbidden = 0;
  for (int i = 0; i < 10; ++i) {
    long status = http.action("status_show", "{}", "dm_guess" + std::to_string(i)).status;
    if (status == 429) break;
    EXPECT_EQ(status, 403);
    ++forbidden;
  }
  EXPECT_LE(forbidden, 3);
  EXPECT_EQ(http.action("status_show", "{}", "dm_guess_again").status, 429);
  EXPECT_EQ(http.action("status_show").status, 429);
}

TEST(AnonymousRateLimit, ExpensiveActionsHaveTheirOwnSmallerBucket) {
  TestServer::Options o;
  o.config_toml =
      "[rate_limit]\nper_minute = 6000\nburst = 100\nexpensive_per_minute = 60\nexpensive_burst = "
      "2\n";
  TestServer server(o);
  HttpClient http = server.client();
  EXPECT_EQ(http.get("/api/3/action/package_search?q=x").status, 200);
  EXPECT_EQ(http.get("/dataset?q=x").status, 200);  // the portal's search page is one too
  HttpReply refused = http.get("/api/3/action/package_search?q=y");
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(refused.header("retry-after"), "1");
  EXPECT_EQ(http.get("/dataset?q=z").status, 429);
  EXPECT_EQ(http.get("/data.json").status, 429);
  // Cheap requests still pass.
  EXPECT_EQ(http.get(status_path()).status, 200);
  EXPECT_EQ(http.get("/api/3/action/package_show?id=none").status, 404);
}

TEST(AnonymousRateLimit, PortalPagesAreLimitedToo) {
  TestServer::Options o;
  o.config_toml = "[rate_limit]\nper_minute = 60\nburst = 3\n";
  TestServer server(o);
  HttpClient http = server.client();
  EXPECT_GE(served_until_refused(http, "/organization", 10), 2);
  HttpReply refused = http.get("/");
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(error_type(refused), "Too Many Requests");
  EXPECT_EQ(refused.header("retry-after"), "1");
  EXPECT_EQ(http.get("/static/portal.css").status, 200);  // assets are not counted
}

TEST(AnonymousRateLimit, AForgedForwardedForIsIgnoredWithoutTrustedProxies) {
  TestServer::Options o;
  o.config_toml = "[rate_limit]\nper_minute = 60\nburst = 2\n";
  TestServer server(o);
  HttpClient http = server.client();
  int served = 0;
  for (int i = 0; i < 6; ++i) {
    Headers h{{"X-Forwarded-For", "198.51.100." + std::to_string(i)}};
    if (http.get(status_path(), h).status == 200) ++served;
  }
  EXPECT_LE(served, 2);
}

TEST(AnonymousRateLimit, BehindATrustedProxyEachForwardedClientHasItsOwnBucket) {
  TestServer::Options o;
  o.config_toml = "[rate_limit]\nper_minute = 60\nburst = 2\ntrusted_proxies = [\"127.0.0.1\"]\n";
  TestServer server(o);
  HttpClient http = server.client();
  Headers one{{"X-Forwarded-For", "203.0.113.7"}};
  // A client cannot pick its address by prepending to the chain: the proxy's own entry counts.
  Headers spoofed{{"X-Forwarded-For", "192.0.2.99, 203.0.113.7"}};
  Headers other{{"X-Forwarded-For", "203.0.113.8"}};
  EXPECT_EQ(http.get(status_path(), one).status, 200);
  EXPECT_EQ(http.get(status_path(), spoofed).status, 200);
  EXPECT_EQ(http.get(status_path(), one).status, 429);
  EXPECT_EQ(http.get(status_path(), other).status, 200);
}

TEST(AnonymousRateLimit, TrackedClientsStayBoundedWhenManyAddressesCall) {
  TestServer::Options o;
  o.config_toml =
      "[rate_limit]\nper_minute = 60\nburst = 5\nmax_clients = 20\ntrusted_proxies = "
      "[\"127.0.0.1\"]\n";
  TestServer server(o);
  HttpClient http = server.client();
  for (int i = 0; i < 200; ++i) {
    Headers h{
        {"X-Forwarded-For", "10.1." + std::to_string(i / 250) + "." + std::to_string(i % 250)}};
    ASSERT_EQ(http.get(status_path(), h).status, 200) << i;
  }
  auto doc = http.get(status_path(), {{"X-Forwarded-For", "10.9.9.9"}}).json();
  ASSERT_TRUE(doc["result"].HasMember("rate_limited_clients"));
  EXPECT_LE(doc["result"]["rate_limited_clients"].GetInt64(), 20);
}

TEST(AnonymousRateLimit, ZeroDisablesIt) {
  TestServer::Options o;
  o.config_toml = "[rate_limit]\nper_minute = 0\nexpensive_per_minute = 0\n";
  TestServer server(o);
  HttpClient http = server.client();
  for (int i = 0; i < 300; ++i) ASSERT_EQ(http.get(status_path()).status, 200) << i;
}

// ---- /data.json and the Host header

std::size_t export_files(const TestServer& server, std::uintmax_t* bytes = nullptr) {
  fs::path dir = fs::path(server.data_dir()) / "exports";
  std::size_t n = 0;
  if (bytes) *bytes = 0;
  if (!fs::exists(dir)) return 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    ++n;
    if (bytes) *bytes += e.file_size();
  }
  return n;
}

TEST(DataJsonHosts, FiftyForgedHostHeadersLeaveABoundedNumberOfExports) {
  ApiWorld w;
  w.dataset("first", "agency-a");
  w.dataset("second", "agency-b");
  HttpReply one = w.http.get("/data.json", {{"Host", "host-0.example"}});
  ASSERT_EQ(one.status, 200);
  std::uintmax_t single = 0;
  ASSERT_EQ(export_files(w.server, &single), 1u);
  for (int i = 1; i < 50; ++i) {
    std::string host = "host-" + std::to_string(i) + ".example";
    HttpReply r = w.http.get("/data.json", {{"Host", host}});
    ASSERT_EQ(r.status, 200);
    // Each still gets links for the host it asked (no site.base_url configured).
    EXPECT_NE(r.body.find("http://" + host + "/dataset/first"), std::string::npos);
  }
  std::uintmax_t bytes = 0;
  EXPECT_LE(export_files(w.server, &bytes), 4u);  // limits.data_json_variants
  EXPECT_LE(bytes, 4 * (single + 64));
}

TEST(DataJsonHosts, WithABaseUrlConfiguredTheHostIsNotUsedAndOneExportServesAll) {
  TestServer::Options o;
  o.config_toml = "[site]\nbase_url = \"https://data.example.kr/\"\n";
  TestServer server(o);
  std::string token = server.add_user("root", {"--sysadmin"});
  HttpClient http = server.client();
  ASSERT_EQ(http.action("organization_create", R"({"name":"org"})", token).status, 200);
  ASSERT_EQ(
      http.action("package_create", R"({"name":"ds","title":"t","owner_org":"org"})", token).status,
      200);
  for (int i = 0; i < 50; ++i) {
    HttpReply r = http.get("/data.json", {{"Host", "evil-" + std::to_string(i) + ".example"}});
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.body.find("evil-"), std::string::npos);
    EXPECT_NE(r.body.find("https://data.example.kr/dataset/ds"), std::string::npos)
        << r.body.substr(0, 500);
  }
  EXPECT_EQ(export_files(server), 1u);
  // The DCAT catalog uses the configured address too.
  HttpReply ttl = http.get("/catalog.ttl", {{"Host", "evil.example"}});
  EXPECT_EQ(ttl.body.find("evil.example"), std::string::npos);
  EXPECT_NE(ttl.body.find("https://data.example.kr/"), std::string::npos);
}

// ---- search parameters that would make one request unbounded

class SearchCaps : public ::testing::Test {
 protected:
  ApiWorld w;
  void expect_400(const std::string& query, const std::string& says) {
    HttpReply r = w.http.get("/api/3/action/package_search?" + query);
    EXPECT_EQ(r.status, 400) << query << " -> " << r.body;
    EXPECT_EQ(error_type(r), "Search Query Error") << query;
    std::string message = r.json()["error"]["message"].GetString();
    EXPECT_NE(message.find(says), std::string::npos) << query << ": " << message;
  }
};

TEST_F(SearchCaps, RowsStartAndFacetLimitOverTheirCapsAre400) {
  expect_400("rows=1001", "rows must be at most 1000");
  expect_400("rows=-1", "rows must not be negative");
  expect_400("start=100001", "start must be at most 100000");
  expect_400("facet.field=%5B%22tags%22%5D&facet.limit=1000001",
             "facet.limit must be at most 1000");
  expect_400("q=" + std::string(2100, 'a'), "query too long");
  // At the caps it works.
  EXPECT_EQ(w.http.get("/api/3/action/package_search?rows=1000&start=100000").status, 200);
  EXPECT_EQ(
      w.http.get("/api/3/action/package_search?facet.field=%5B%22tags%22%5D&facet.limit=-1").status,
      200);
}

}  // namespace
}  // namespace datamap::testing

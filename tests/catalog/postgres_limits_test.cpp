// Quotas and rate limits of two `datamap serve` nodes on one PostgreSQL catalog, over HTTP: a
// token's daily quota is the cluster's and outlives a restart (catalog/request_limits.h), and an
// anonymous client's token bucket is shared by the nodes' exchanges (api/shared_limits.h), within
// the bound documented there: what the other nodes admitted in one exchange interval.
#include <gtest/gtest.h>

#include <string>

#include "tests/support/eventually.h"
#include "tests/support/pg_cluster.h"
#include "tests/support/test_server.h"

namespace datamap::testing {
namespace {

TestServer::Options node(const std::string& url, const std::string& toml) {
  TestServer::Options o;
  o.config_toml = toml;
  o.catalog = url;
  return o;
}

std::int64_t exchanges(const TestServer& s, const std::string& token) {
  auto r = s.client().action("status_show", "{}", token);
  if (r.status != 200) return -1;
  auto doc = r.json();
  return doc["result"].HasMember("limit_exchanges") ? doc["result"]["limit_exchanges"].GetInt64()
                                                    : -1;
}

// Returns once `s` has completed two exchanges more than it had: the second began after this
// call did, so everything the node knew then has reached the database and everything committed
// before has come back.
bool exchanged(const TestServer& s, const std::string& token) {
  const std::int64_t before = exchanges(s, token);
  return before >= 0 && eventually([&] { return exchanges(s, token) >= before + 2; });
}

TEST(PostgresLimits, ATokensDailyQuotaIsTheClustersAndOutlivesARestart) {
  constexpr int kPerDay = 6;
  const std::string url = PgCluster::shared().new_database();
  const std::string toml = "[quota]\nper_day = " + std::to_string(kPerDay) + "\n";
  TestServer a(node(url, toml));
  TestServer b(node(url, toml));
  const std::string alice = a.add_user("alice");
  const std::string admin = a.add_user("admin", {"--sysadmin"});
  // Alternately on both nodes: exactly kPerDay answers in all, every one after them refused.
  int answered = 0, refused = 0;
  for (int i = 0; i < 3 * kPerDay; ++i) {
    const TestServer& s = i % 2 ? b : a;
    auto r = s.client().action("package_list", "{}", alice);
    if (r.status == 200) {
      ++answered;
      EXPECT_EQ(refused, 0) << "an answer after a refusal, request " << i;
    } else {
      ASSERT_EQ(r.status, 429) << r.body;
      EXPECT_NE(r.header("retry-after"), "");
      ++refused;
    }
  }
  EXPECT_EQ(answered, kPerDay);
  EXPECT_EQ(refused, 2 * kPerDay);
  // What api_token_usage shows is the cluster's, on either node.
  for (const TestServer* s : {&a, &b}) {
    auto usage = s->client().action("api_token_usage", R"({"user":"alice"})", admin);
    ASSERT_EQ(usage.status, 200) << usage.body;
    auto doc = usage.json();
    const auto& token = doc["result"]["tokens"][0];
    EXPECT_EQ(token["requests_today"].GetInt64(), kPerDay);
    EXPECT_EQ(token["requests_total"].GetInt64(), kPerDay);
    EXPECT_EQ(token["refused"].GetInt64(), 2 * kPerDay);
    EXPECT_EQ(token["remaining_today"].GetInt64(), 0);
  }
  // A restarted node remembers the day.
  a.stop();
  a.start();
  EXPECT_EQ(a.client().action("package_list", "{}", alice).status, 429);
  auto usage = a.client().action("api_token_usage", R"({"user":"alice"})", admin);
  ASSERT_EQ(usage.status, 200) << usage.body;
  EXPECT_EQ(usage.json()["result"]["tokens"][0]["requests_today"].GetInt64(), kPerDay);
}

// Anonymous callers told apart by X-Forwarded-For (the test's loopback is a trusted proxy); the
// sustained rate is 1 a minute, so nothing refills while the test runs.
constexpr int kBurst = 8;
const std::string kRateLimits =
    "[rate_limit]\nper_minute = 1\nburst = " + std::to_string(kBurst) +
    "\nexpensive_per_minute = 1\nexpensive_burst = 1000\ntrusted_proxies = [\"127.0.0.1\"]\n"
    "exchange_ms = 100\n";

long anonymous(const TestServer& s, const std::string& client) {
  return s.client().get("/api/3/action/status_show", {{"X-Forwarded-For", client}}).status;
}

int admitted_until_refused(const TestServer& s, const std::string& client) {
  int admitted = 0;
  for (int i = 0; i < 10 * kBurst; ++i) {
    long status = anonymous(s, client);
    if (status == 429) return admitted;
    EXPECT_EQ(status, 200);
    ++admitted;
  }
  return admitted;
}

// A burst spent on one node is spent on the other once both have exchanged: without sharing,
// the second node would admit a whole burst again.
TEST(PostgresLimits, ABurstSpentOnOneNodeIsSpentOnTheOther) {
  const std::string url = PgCluster::shared().new_database();
  TestServer a(node(url, kRateLimits));
  TestServer b(node(url, kRateLimits));
  const std::string admin = a.add_user("admin", {"--sysadmin"});  // polls status, per token
  EXPECT_EQ(admitted_until_refused(a, "203.0.113.7"), kBurst);
  ASSERT_TRUE(exchanged(a, admin)) << a.log();
  ASSERT_TRUE(exchanged(b, admin)) << b.log();
  EXPECT_EQ(anonymous(b, "203.0.113.7"), 429);
  // Another client is its own.
  EXPECT_EQ(anonymous(b, "203.0.113.8"), 200);
}

// A burst spread over both nodes at once: each node admits against what it knew at its last
// exchange, so the cluster admits at least one burst (no node counts a request twice) and at
// most one burst per node (the documented bound); once both have exchanged, neither admits more.
TEST(PostgresLimits, ABurstSpreadOverBothNodesIsWithinTheBound) {
  const std::string url = PgCluster::shared().new_database();
  TestServer a(node(url, kRateLimits));
  TestServer b(node(url, kRateLimits));
  const std::string admin = a.add_user("admin", {"--sysadmin"});
  const std::string client = "198.51.100.9";
  int admitted = 0;
  bool a_refused = false, b_refused = false;
  for (int i = 0; i < 10 * kBurst && !(a_refused && b_refused); ++i) {
    const bool on_a = i % 2 == 0;
    long status = anonymous(on_a ? a : b, client);
    if (status == 200) {
      ++admitted;
    } else {
      ASSERT_EQ(status, 429);
      (on_a ? a_refused : b_refused) = true;
    }
  }
  EXPECT_TRUE(a_refused && b_refused);
  EXPECT_GE(admitted, kBurst);
  EXPECT_LE(admitted, 2 * kBurst);
  ASSERT_TRUE(exchanged(a, admin)) << a.log();
  ASSERT_TRUE(exchanged(b, admin)) << b.log();
  EXPECT_EQ(anonymous(a, client), 429);
  EXPECT_EQ(anonymous(b, client), 429);
}

}  // namespace
}  // namespace datamap::testing

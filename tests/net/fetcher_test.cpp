// The fetcher against a real loopback HTTP server: validators, compression, retries, limits,
// redirects and the SSRF guard.
#include "net/fetcher.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

#include <atomic>
#include <fstream>

#include "tests/support/fixture_http_server.h"
#include "tests/support/temp_dir.h"

namespace datamap::net {
namespace {

using testing::FixtureHttpServer;
using testing::FixtureRequest;
using testing::FixtureResponse;
using namespace std::chrono_literals;

FetchRequest get(std::string url) {
  FetchRequest r;
  r.url = std::move(url);
  return r;
}

FetchOptions loopback_options() {
  FetchOptions o;
  o.policy = AddressPolicy({"127.0.0.1"});
  o.backoff = 10ms;
  o.connect_timeout = 2000ms;
  o.total_timeout = 5000ms;
  return o;
}

TEST(Fetcher, ConditionalGetCostsA304WhenTheRemoteIsUnchanged) {
  FixtureHttpServer server;
  server.route("/data.json", [](const FixtureRequest& req, FixtureResponse& res) {
    if (req.header("if-none-match") == "\"v1\"") return res.send_head(304, {"ETag: \"v1\""});
    res.send(200, "application/json", "{\"dataset\":[]}",
             {"ETag: \"v1\"", "Last-Modified: Tue, 01 Oct 2024 00:00:00 GMT"});
  });
  Fetcher fetcher(loopback_options());
  auto first = fetcher.fetch(get(server.url("/data.json")));
  ASSERT_TRUE(first.ok()) << first.message;
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.body, "{\"dataset\":[]}");
  EXPECT_EQ(first.etag, "\"v1\"");
  EXPECT_EQ(first.last_modified, "Tue, 01 Oct 2024 00:00:00 GMT");

  auto second = fetcher.fetch([&] {
    auto r = get(server.url("/data.json"));
    r.if_none_match = first.etag;
    return r;
  }());
  ASSERT_TRUE(second.ok()) << second.message;
  EXPECT_TRUE(second.not_modified());
  EXPECT_TRUE(second.body.empty());
  EXPECT_EQ(server.requests("/data.json").back().header("user-agent").rfind("datamap-harvester", 0),
            0u);
}

TEST(Fetcher, DecodesAGzipBody) {
  FixtureHttpServer server;
  std::string body(100000, 'x');
  server.route("/big", [&](const FixtureRequest& req, FixtureResponse& res) {
    ASSERT_NE(req.header("accept-encoding").find("gzip"), std::string::npos);
    res.send(200, "text/plain", testing::gzip_compress(body), {"Content-Encoding: gzip"});
  });
  Fetcher fetcher(loopback_options());
  auto r = fetcher.fetch(get(server.url("/big")));
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.body, body);
}

TEST(Fetcher, RetriesServerErrorsThenSucceeds) {
  FixtureHttpServer server;
  std::atomic<int> calls{0};
  server.route("/flaky", [&](const FixtureRequest&, FixtureResponse& res) {
    if (++calls <= 2) return res.send(500, "text/plain", "boom");
    res.send(200, "text/plain", "fine");
  });
  Fetcher fetcher(loopback_options());
  auto r = fetcher.fetch(get(server.url("/flaky")));
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.body, "fine");
  EXPECT_EQ(r.attempts, 3);
}

TEST(Fetcher, GivesUpOnPersistentServerErrorsAfterMaxAttempts) {
  FixtureHttpServer server;
  server.route("/down", [](const FixtureRequest&, FixtureResponse& res) {
    res.send(503, "text/plain", "down");
  });
  auto o = loopback_options();
  o.max_attempts = 3;
  Fetcher fetcher(o);
  auto r = fetcher.fetch(get(server.url("/down")));
  EXPECT_EQ(r.error, FetchError::kHttpStatus);
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(server.hits("/down"), 3);
}

TEST(Fetcher, NeverRetriesAClientError) {
  FixtureHttpServer server;
  server.route("/missing", [](const FixtureRequest&, FixtureResponse& res) {
    res.send(404, "text/plain", "no");
  });
  Fetcher fetcher(loopback_options());
  auto r = fetcher.fetch(get(server.url("/missing")));
  EXPECT_EQ(r.error, FetchError::kHttpStatus);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(server.hits("/missing"), 1);
}

TEST(Fetcher, TimesOutAServerThatNeverAnswersAndRetries) {
  FixtureHttpServer server;
  server.route("/hang", [&](const FixtureRequest&, FixtureResponse&) {
    server.wait_for_stop(60s);
  });
  auto o = loopback_options();
  o.total_timeout = 300ms;
  o.max_attempts = 2;
  Fetcher fetcher(o);
  auto r = fetcher.fetch(get(server.url("/hang")));
  EXPECT_EQ(r.error, FetchError::kTimeout) << r.message;
  EXPECT_EQ(r.attempts, 2);
}

TEST(Fetcher, AbortsAnEndlessBodyAtTheSizeLimitWithoutBufferingIt) {
  FixtureHttpServer server;
  server.route("/endless", [](const FixtureRequest&, FixtureResponse& res) {
    res.send_head(200, {"Content-Type: application/json"});
    std::string chunk(1 << 16, ' ');
    chunk[0] = '[';
    res.raw(chunk);
    chunk[0] = ' ';
    // Up to 8 GB: the client must hang up long before.
    for (int i = 0; i < (1 << 17) && res.raw(chunk); ++i) {
    }
  });
  auto o = loopback_options();
  o.max_bytes = 4 << 20;
  Fetcher fetcher(o);
  auto r = fetcher.fetch(get(server.url("/endless")));
  EXPECT_EQ(r.error, FetchError::kTooLarge) << r.message;
  EXPECT_LE(r.body.size(), static_cast<std::size_t>(o.max_bytes));
}

TEST(Fetcher, RefusesABodyAnnouncedLargerThanTheLimit) {
  FixtureHttpServer server;
  server.route("/huge", [](const FixtureRequest&, FixtureResponse& res) {
    res.send_head(200, {"Content-Length: 10000000000"});
  });
  auto o = loopback_options();
  o.max_bytes = 1 << 20;
  Fetcher fetcher(o);
  auto r = fetcher.fetch(get(server.url("/huge")));
  EXPECT_EQ(r.error, FetchError::kTooLarge) << r.message;
}

TEST(Fetcher, ReportsATruncatedBody) {
  FixtureHttpServer server;
  server.route("/cut", [](const FixtureRequest&, FixtureResponse& res) {
    res.send_head(200, {"Content-Length: 1000"});
    res.raw(std::string(400, 'a'));
  });
  auto o = loopback_options();
  o.max_attempts = 2;
  Fetcher fetcher(o);
  auto r = fetcher.fetch(get(server.url("/cut")));
  EXPECT_EQ(r.error, FetchError::kTruncated) << r.message;
  EXPECT_EQ(server.hits("/cut"), 2);  // a broken transfer is worth one more try
}

TEST(Fetcher, FollowsRedirectsAndDetectsLoops) {
  FixtureHttpServer server;
  server.route("/old", [](const FixtureRequest&, FixtureResponse& res) {
    res.send(301, "text/plain", "", {"Location: /new"});
  });
  server.route("/new", [](const FixtureRequest&, FixtureResponse& res) {
    res.send(200, "text/plain", "here");
  });
  server.route("/a", [](const FixtureRequest&, FixtureResponse& res) {
    res.send(302, "text/plain", "", {"Location: /b"});
  });
  server.route("/b", [](const FixtureRequest&, FixtureResponse& res) {
    res.send(302, "text/plain", "", {"Location: /a"});
  });
  Fetcher fetcher(loopback_options());
  auto moved = fetcher.fetch(get(server.url("/old")));
  ASSERT_TRUE(moved.ok()) << moved.message;
  EXPECT_EQ(moved.body, "here");
  EXPECT_EQ(moved.url, server.url("/new"));

  auto loop = fetcher.fetch(get(server.url("/a")));
  EXPECT_EQ(loop.error, FetchError::kRedirectLoop) << loop.message;
  EXPECT_LE(server.hits("/a"), 1);
}

TEST(Fetcher, StopsAfterMaxRedirects) {
  FixtureHttpServer server;
  server.route("/hop", [](const FixtureRequest& req, FixtureResponse& res) {
    int n = std::stoi(req.param("n", "0"));
    res.send(302, "text/plain", "", {"Location: /hop?n=" + std::to_string(n + 1)});
  });
  auto o = loopback_options();
  o.max_redirects = 3;
  Fetcher fetcher(o);
  auto r = fetcher.fetch(get(server.url("/hop")));
  EXPECT_EQ(r.error, FetchError::kTooManyRedirects) << r.message;
  EXPECT_EQ(server.hits("/hop"), 4);
}

TEST(Fetcher, RefusesLoopbackUnlessAllowed) {
  FixtureHttpServer server;
  server.route("/secret", [](const FixtureRequest&, FixtureResponse& res) {
    res.send(200, "text/plain", "internal");
  });
  FetchOptions o = loopback_options();
  o.policy = AddressPolicy();
  Fetcher fetcher(o);
  auto r = fetcher.fetch(get(server.url("/secret")));
  EXPECT_EQ(r.error, FetchError::kRefused);
  EXPECT_NE(r.message.find("127.0.0.1"), std::string::npos) << r.message;
  EXPECT_EQ(r.attempts, 1);
  EXPECT_EQ(server.hits("/secret"), 0);
}

TEST(Fetcher, ChecksEveryRedirectHopAgainstThePolicy) {
  FixtureHttpServer server;
  // "localhost" is allowed by name; the redirect goes to 127.0.0.1 by address, which is not.
  server.route("/out", [&](const FixtureRequest&, FixtureResponse& res) {
    res.send(302, "text/plain", "", {"Location: " + server.url("/secret")});
  });
  server.route("/secret", [](const FixtureRequest&, FixtureResponse& res) {
    res.send(200, "text/plain", "internal");
  });
  FetchOptions o = loopback_options();
  o.policy = AddressPolicy({"localhost"});
  Fetcher fetcher(o);
  auto r = fetcher.fetch(get("http://localhost:" + std::to_string(server.port()) + "/out"));
  EXPECT_EQ(r.error, FetchError::kRefused) << r.message;
  EXPECT_EQ(server.hits("/out"), 1);
  EXPECT_EQ(server.hits("/secret"), 0);
}

TEST(Fetcher, RefusesNonHttpSchemes) {
  Fetcher fetcher(loopback_options());
  EXPECT_EQ(fetcher.fetch(get("file:///etc/passwd")).error, FetchError::kRefused);
  EXPECT_EQ(fetcher.fetch(get("gopher://127.0.0.1/")).error, FetchError::kRefused);
}

TEST(Fetcher, SpoolsTheBodyToAFile) {
  FixtureHttpServer server;
  std::string body(300000, 'z');
  server.route("/file", [&](const FixtureRequest&, FixtureResponse& res) {
    res.send(200, "text/csv", body);
  });
  testing::TempDir dir;
  Fetcher fetcher(loopback_options());
  auto r = fetcher.fetch([&] {
    auto r = get(server.url("/file"));
    r.spool_path = dir.file("body");
    return r;
  }());
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(r.bytes, 300000);
  EXPECT_EQ(testing::read_file(r.spool_path), body);
}

TEST(Fetcher, KeepsToThePerHostConnectionLimit) {
  FixtureHttpServer server;
  std::atomic<int> now{0}, peak{0};
  server.route("/slow", [&](const FixtureRequest&, FixtureResponse& res) {
    int n = ++now;
    int p = peak.load();
    while (n > p && !peak.compare_exchange_weak(p, n)) {
    }
    server.wait_for_stop(50ms);
    --now;
    res.send(200, "text/plain", "ok");
  });
  auto o = loopback_options();
  o.per_host_connections = 2;
  Fetcher fetcher(o);
  std::vector<std::future<FetchResponse>> all;
  for (int i = 0; i < 8; ++i)
    all.push_back(fetcher.fetch_async(get(server.url("/slow?i=" + std::to_string(i)))));
  for (auto& f : all) EXPECT_TRUE(f.get().ok());
  EXPECT_EQ(server.hits("/slow"), 8);
  EXPECT_LE(peak.load(), 2);
  EXPECT_GE(peak.load(), 1);
}

TEST(Fetcher, CancelAbortsAHangingTransfer) {
  FixtureHttpServer server;
  server.route("/hang", [&](const FixtureRequest&, FixtureResponse&) {
    server.wait_for_stop(60s);
  });
  Fetcher fetcher(loopback_options());
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  auto f = fetcher.fetch_async([&] {
    auto r = get(server.url("/hang"));
    r.cancel = cancel;
    return r;
  }());
  std::this_thread::sleep_for(100ms);
  cancel->store(true);
  auto r = f.get();
  EXPECT_EQ(r.error, FetchError::kAborted);
}

TEST(AddressPolicy, ClassifiesInternalAddresses) {
  auto v4 = [](const char* s) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    inet_pton(AF_INET, s, &a.sin_addr);
    return AddressPolicy::is_internal(reinterpret_cast<sockaddr*>(&a));
  };
  auto v6 = [](const char* s) {
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    inet_pton(AF_INET6, s, &a.sin6_addr);
    return AddressPolicy::is_internal(reinterpret_cast<sockaddr*>(&a));
  };
  for (const char* s : {"127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
                        "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1"})
    EXPECT_TRUE(v4(s)) << s;
  for (const char* s : {"8.8.8.8", "172.32.0.1", "203.0.113.5", "1.1.1.1"}) EXPECT_FALSE(v4(s)) << s;
  for (const char* s : {"::1", "::", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1"})
    EXPECT_TRUE(v6(s)) << s;
  EXPECT_FALSE(v6("2001:4860:4860::8888"));
}

TEST(AddressPolicy, AllowsListedNamesAddressesAndBlocks) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  inet_pton(AF_INET, "10.9.8.7", &a.sin_addr);
  auto* sa = reinterpret_cast<sockaddr*>(&a);
  EXPECT_FALSE(AddressPolicy().check("intranet", sa).empty());
  EXPECT_TRUE(AddressPolicy({"Intranet"}).check("intranet", sa).empty());
  EXPECT_TRUE(AddressPolicy({"10.9.8.7"}).check("x", sa).empty());
  EXPECT_TRUE(AddressPolicy({"10.0.0.0/8"}).check("x", sa).empty());
  EXPECT_FALSE(AddressPolicy({"10.9.8.6"}).check("x", sa).empty());
  EXPECT_THROW(AddressPolicy({"10.0.0.0/99"}), std::invalid_argument);
}

}  // namespace
}  // namespace datamap::net

// The link checker against real loopback remotes that behave and misbehave: what it records for
// each, how politely it asks, and what it does when a dataset goes while its checks wait.
#include "quality/link_checker.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <set>

#include "tests/quality/link_env.h"
#include "tests/support/fixture_http_server.h"

namespace datamap::quality {
namespace {

using catalog::LinkAnswer;
using datamap::testing::FixtureHttpServer;
using datamap::testing::FixtureRequest;
using datamap::testing::FixtureResponse;
using testing::LinkEnv;
using namespace std::chrono_literals;

// Counts the connections a handler is serving at once, and the most it ever served.
struct Concurrency {
  std::atomic<int> now{0}, most{0};
  void enter() {
    int n = ++now;
    int m = most.load();
    while (n > m && !most.compare_exchange_weak(m, n)) {
    }
  }
  void leave() { --now; }
};

// Every kind of remote the issue names, on one fixture.
struct Remotes {
  FixtureHttpServer server;
  std::string localhost_url(const std::string& path) const {
    return "http://localhost:" + std::to_string(server.port()) + path;
  }

  Remotes() {
    server.route("/good.csv", [](const FixtureRequest&, FixtureResponse& res) {
      res.send(200, "text/csv", "a,b\n1,2\n");
    });
    server.route("/missing", [](const FixtureRequest&, FixtureResponse& res) {
      res.send(404, "text/plain", "no");
    });
    server.route("/broken", [](const FixtureRequest&, FixtureResponse& res) {
      res.send(500, "text/plain", "oops");
    });
    server.route("/slow", [this](const FixtureRequest&, FixtureResponse& res) {
      server.wait_for_stop(5s);  // far past the checker's 1 s timeout
      res.send(200, "text/csv", "late");
    });
    server.route("/loop-a", [this](const FixtureRequest&, FixtureResponse& res) {
      res.send(302, "text/plain", "", {"Location: " + server.url("/loop-b")});
    });
    server.route("/loop-b", [this](const FixtureRequest&, FixtureResponse& res) {
      res.send(302, "text/plain", "", {"Location: " + server.url("/loop-a")});
    });
    // Each hop a new URL: never a loop, just never an end.
    server.route("/forever", [this](const FixtureRequest& req, FixtureResponse& res) {
      int n = std::stoi(req.param("n", "0"));
      res.send(302, "text/plain", "",
               {"Location: " + server.url("/forever?n=" + std::to_string(n + 1))});
    });
    // Into the private network (not in the allow list): must be refused, never connected to.
    server.route("/to-private", [](const FixtureRequest&, FixtureResponse& res) {
      res.send(302, "text/plain", "", {"Location: http://10.1.2.3/internal-admin"});
    });
    server.route("/to-metadata", [](const FixtureRequest&, FixtureResponse& res) {
      res.send(301, "text/plain", "", {"Location: http://169.254.169.254/latest/meta-data/"});
    });
    server.route("/error-page", [](const FixtureRequest&, FixtureResponse& res) {
      res.send(200, "text/html; charset=utf-8",
               "<html><head><title>404 페이지를 찾을 수 없습니다</title></head><body>"
               "요청하신 페이지를 찾을 수 없습니다</body></html>");
    });
    server.route("/landing", [](const FixtureRequest&, FixtureResponse& res) {
      res.send(200, "text/html", "<html><head><title>주차장 정보</title></head></html>");
    });
    // HEAD not allowed; a GET with a Range answers.
    server.route("/no-head", [](const FixtureRequest& req, FixtureResponse& res) {
      if (req.method == "HEAD") return res.send(405, "text/plain", "");
      res.send(206, "text/csv", "a,b\n", {"Content-Range: bytes 0-3/1000"});
    });
    // Gigabytes announced and sent (until the client goes) whatever was asked.
    server.route("/huge", [](const FixtureRequest& req, FixtureResponse& res) {
      res.send_head(200, {"Content-Type: application/octet-stream", "Content-Length: 10737418240"});
      if (req.method == "HEAD") return;
      std::string chunk(64 * 1024, 'x');
      for (int i = 0; i < 160000 && res.raw(chunk); ++i) {
      }
    });
  }
};

TEST(LinkChecker, RecordsWhatEachKindOfRemoteDoes) {
  Remotes r;
  LinkEnv env;
  const std::vector<std::string> urls = {r.server.url("/good.csv"),    r.server.url("/missing"),
                                         r.server.url("/broken"),      r.server.url("/slow"),
                                         r.server.url("/loop-a"),      r.server.url("/forever"),
                                         r.server.url("/to-private"),  r.server.url("/to-metadata"),
                                         r.server.url("/error-page"),  r.server.url("/no-head"),
                                         r.server.url("/huge"),        "http://10.9.8.7/direct",
                                         "ftp://example.org/not-http", ""};
  env.add_dataset("everything", r.server.url("/landing"), urls);
  env.checker.start();

  struct Expect {
    std::string path;
    LinkAnswer answer;
    std::string error;
    long status;
  };
  const std::vector<Expect> expected = {
      {"/good.csv", LinkAnswer::kYes, "", 200},
      {"/landing", LinkAnswer::kYes, "", 200},
      {"/no-head", LinkAnswer::kYes, "", 206},
      {"/huge", LinkAnswer::kYes, "", 200},
      {"/missing", LinkAnswer::kNo, "http_status", 404},
      {"/broken", LinkAnswer::kNo, "http_status", 500},
      {"/slow", LinkAnswer::kNo, "timeout", 0},
      {"/loop-a", LinkAnswer::kNo, "redirect_loop", 302},
      {"/forever", LinkAnswer::kNo, "too_many_redirects", 302},
      {"/to-private", LinkAnswer::kNo, "refused", 0},
      {"/to-metadata", LinkAnswer::kNo, "refused", 0},
      {"/error-page", LinkAnswer::kNo, "soft_error", 200},
  };
  for (const Expect& e : expected) {
    auto rec = env.checked(r.server.url(e.path));
    ASSERT_TRUE(rec && rec->latest) << e.path << " was never checked";
    EXPECT_EQ(rec->answer, e.answer) << e.path << ": " << rec->latest->message;
    EXPECT_EQ(rec->latest->error, e.error) << e.path << ": " << rec->latest->message;
    if (e.status) {
      EXPECT_EQ(rec->latest->status, e.status) << e.path;
    }
    EXPECT_FALSE(rec->latest->checked_at.empty());
    EXPECT_FALSE(rec->next_check_at.empty());
  }
  // The huge body: its announced length recorded, a few KB read, the server told to stop.
  auto huge = env.records->link(r.server.url("/huge"));
  EXPECT_EQ(huge->latest->content_length, 10737418240LL);
  EXPECT_EQ(huge->latest->content_type, "application/octet-stream");
  auto no_head = env.records->link(r.server.url("/no-head"));
  EXPECT_EQ(no_head->latest->content_length, 1000);
  EXPECT_EQ(r.server.hits("/no-head"), 2);  // the refused HEAD, then one GET
  auto good = env.records->link(r.server.url("/good.csv"));
  EXPECT_EQ(good->latest->content_type, "text/csv");
  EXPECT_EQ(good->latest->final_url, r.server.url("/good.csv"));
  EXPECT_EQ(r.server.hits("/good.csv"), 1);  // HEAD was enough
  // The private addresses were never connected to; the message says why.
  auto priv = env.records->link(r.server.url("/to-private"));
  EXPECT_NE(priv->latest->message.find("10.1.2.3"), std::string::npos) << priv->latest->message;
  auto direct = env.checked("http://10.9.8.7/direct");
  ASSERT_TRUE(direct && direct->latest);
  EXPECT_EQ(direct->latest->error, "refused");
  // What is not http(s) is not a link to check.
  EXPECT_FALSE(env.records->link("ftp://example.org/not-http"));
}

TEST(LinkChecker, ADatasetsLinkStatusChangesAreInTheChangeLog) {
  Remotes r;
  LinkEnv env;
  auto good = env.add_dataset("all-good", r.server.url("/landing"), {r.server.url("/good.csv")});
  auto bad =
      env.add_dataset("one-broken", "", {r.server.url("/good.csv"), r.server.url("/missing")});
  const std::int64_t before = env.store->head_revision();
  env.checker.start();
  ASSERT_TRUE(env.checked(r.server.url("/missing")));
  ASSERT_TRUE(env.checked(r.server.url("/landing")));
  ASSERT_TRUE(LinkEnv::wait_until([&] { return env.store->head_revision() >= before + 2; }));
  std::map<std::string, int> link_changes;
  for (const auto& c : env.store->changes_since(before, 100))
    if (c.entity == "dataset" && c.kind == "links") ++link_changes[c.id];
  // unknown -> answering, unknown -> broken: once each, and nothing for a check that changed
  // nothing (good.csv counts for both datasets).
  EXPECT_EQ(link_changes[good.id], 1);
  EXPECT_EQ(link_changes[bad.id], 1);
  EXPECT_EQ(link_changes.size(), 2u);
  EXPECT_EQ(env.store->link_answers(std::vector<std::string>{
                r.server.url("/good.csv"), r.server.url("/missing"), "http://x/"}),
            (std::vector<LinkAnswer>{LinkAnswer::kYes, LinkAnswer::kNo, LinkAnswer::kUnknown}));
  auto counts = env.records->counts();
  EXPECT_EQ(counts.urls, 3);
  EXPECT_EQ(counts.broken, 1);
  EXPECT_EQ(counts.datasets_broken, 1);
}

TEST(LinkChecker, PerHostConcurrencyIsRespectedAndAHangingHostDelaysNoOther) {
  // Before the fixture server: its handler threads still use these while it shuts down.
  Concurrency hanging, quick;
  Remotes r;
  r.server.route("/hang", [&](const FixtureRequest&, FixtureResponse& res) {
    hanging.enter();
    r.server.wait_for_stop(3s);
    hanging.leave();
    res.send(200, "text/csv", "late");
  });
  r.server.route("/quick", [&](const FixtureRequest&, FixtureResponse& res) {
    quick.enter();
    std::this_thread::sleep_for(20ms);
    quick.leave();
    res.send(200, "text/csv", "ok");
  });
  LinkEnv env;
  std::vector<std::string> hang_urls, quick_urls;
  for (int i = 0; i < 40; ++i) hang_urls.push_back(r.server.url("/hang?i=" + std::to_string(i)));
  // The same fixture by another name: another host to the checker.
  for (int i = 0; i < 30; ++i)
    quick_urls.push_back(r.localhost_url("/quick?i=" + std::to_string(i)));
  env.add_dataset("thousand-hangs", "", hang_urls);
  env.add_dataset("quick-ones", "", quick_urls);
  const auto start = std::chrono::steady_clock::now();
  env.checker.start();
  // The quick host finishes while the hanging one still has most of its 40 to go (each takes
  // the 1 s timeout, two at a time).
  ASSERT_TRUE(LinkEnv::wait_until([&] {
    auto a = env.store->link_answers(quick_urls);
    return std::count(a.begin(), a.end(), LinkAnswer::kYes) == 30;
  }));
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_LT(took, 8s);  // 40 hanging checks two at a time would take 20 s
  auto hung = env.store->link_answers(hang_urls);
  EXPECT_GT(std::count(hung.begin(), hung.end(), LinkAnswer::kUnknown), 20);
  EXPECT_LE(hanging.most.load(), 2);
  EXPECT_LE(quick.most.load(), 2);
  EXPECT_EQ(quick.most.load(), 2);  // and it did use both
}

TEST(LinkChecker, PerHostRateIsRespected) {
  Remotes r;
  std::mutex mu;
  std::vector<std::chrono::steady_clock::time_point> starts;
  r.server.route("/paced", [&](const FixtureRequest&, FixtureResponse& res) {
    {
      std::lock_guard lock(mu);
      starts.push_back(std::chrono::steady_clock::now());
    }
    res.send(200, "text/csv", "ok");
  });
  auto settings = testing::loopback_settings();
  settings.per_host_rate = 10;  // at most one start per 100 ms
  LinkEnv env(settings);
  std::vector<std::string> urls;
  for (int i = 0; i < 8; ++i) urls.push_back(r.server.url("/paced?i=" + std::to_string(i)));
  env.add_dataset("paced", "", urls);
  env.checker.start();
  ASSERT_TRUE(LinkEnv::wait_until([&] { return env.checker.stats().checks >= 8; }));
  std::lock_guard lock(mu);
  ASSERT_EQ(starts.size(), 8u);
  std::sort(starts.begin(), starts.end());
  // Seen from the remote, whose own threads are scheduled late now and then on a busy machine:
  // never two requests together, and the whole run no faster than 10 per second.
  for (std::size_t i = 1; i < starts.size(); ++i)
    EXPECT_GE(starts[i] - starts[i - 1], 50ms) << "start " << i;
  EXPECT_GE(starts.back() - starts.front(), 650ms);
}

TEST(LinkChecker, A429PausesTheHostForItsRetryAfterAndKeepsTheAnswer) {
  Remotes r;
  r.server.route("/busy", [](const FixtureRequest&, FixtureResponse& res) {
    res.send(429, "text/plain", "slow down", {"Retry-After: 120"});
  });
  LinkEnv env;
  std::vector<std::string> urls;
  for (int i = 0; i < 10; ++i) urls.push_back(r.server.url("/busy?i=" + std::to_string(i)));
  env.add_dataset("busy", "", urls);
  env.checker.start();
  ASSERT_TRUE(LinkEnv::wait_until([&] { return env.checker.stats().checks >= 1; }));
  std::this_thread::sleep_for(1500ms);
  // Two were in flight when the first 429 came back; after that the host rests for 120 s.
  EXPECT_LE(r.server.hits("/busy"), 2);
  int rate_limited = 0;
  for (const auto& u : urls) {
    auto rec = env.records->link(u);
    if (!rec || !rec->latest) continue;
    ++rate_limited;
    EXPECT_EQ(rec->latest->error, "rate_limited");
    EXPECT_EQ(rec->latest->status, 429);
    EXPECT_EQ(rec->answer, LinkAnswer::kUnknown);  // never checked before: still unknown
  }
  EXPECT_GE(rate_limited, 1);
}

TEST(LinkChecker, ADeletedDatasetsQueuedChecksAreDroppedAndNothingIsRecordedForThem) {
  // A dataset with thousands of resources on one slow host, deleted while its checks wait.
  Remotes r;
  std::atomic<int> hits{0};
  r.server.route("/slowish", [&](const FixtureRequest&, FixtureResponse& res) {
    ++hits;
    std::this_thread::sleep_for(100ms);
    res.send(200, "text/csv", "ok");
  });
  LinkEnv env;
  std::vector<std::string> urls;
  for (int i = 0; i < 3000; ++i) urls.push_back(r.server.url("/slowish?i=" + std::to_string(i)));
  auto d = env.add_dataset("three-thousand-resources", "", urls);
  auto other = env.add_dataset("other", "", {r.localhost_url("/good.csv")});
  env.checker.start();
  ASSERT_TRUE(LinkEnv::wait_until([&] { return hits.load() >= 4; }));
  // Thousands named, a few dozen in memory: the rest wait in the catalog until claimed.
  EXPECT_LE(env.checker.stats().queued, testing::loopback_settings().queue_per_host);
  env.store->write([&](catalog::Transaction& tx) { tx.delete_dataset(d.id); });
  env.checker.notify();
  ASSERT_TRUE(LinkEnv::wait_until([&] { return env.checker.stats().dropped > 0; }));
  const int at_delete = hits.load();
  std::this_thread::sleep_for(800ms);
  EXPECT_LE(hits.load(), at_delete + 4);  // what was already running, at most
  EXPECT_LT(hits.load(), 40);
  for (const auto& u : urls) EXPECT_FALSE(env.records->link(u)) << u;
  EXPECT_EQ(env.records->counts().urls, 1);
  EXPECT_TRUE(env.checked(r.localhost_url("/good.csv")));  // the other dataset still checked
  (void)other;
}

}  // namespace
}  // namespace datamap::quality

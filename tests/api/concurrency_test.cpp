// Many writers at once: every acknowledged write is there afterwards, nothing is half-written,
// and the store stays consistent (package_list agrees with what was acknowledged).
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "tests/api/api_world.h"

namespace datamap::testing {
namespace {

TEST(ConcurrentWriters, EightThreadsTimesFiftyCreatesLoseNothing) {
  ApiWorld w;
  constexpr int kThreads = 8, kPerThread = 50;
  std::mutex mu;
  std::set<std::string> acknowledged;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      HttpClient http(w.server.url());
      // Half the writers belong to each agency, with its own editor token.
      const std::string& token = t % 2 ? w.editor_b : w.editor_a;
      const char* org = t % 2 ? "agency-b" : "agency-a";
      for (int i = 0; i < kPerThread; ++i) {
        std::string name = "c-" + std::to_string(t) + "-" + std::to_string(i);
        HttpReply r = http.action("package_create",
                                  R"({"name":")" + name + R"(","title":"동시 )" + name +
                                      R"(","owner_org":")" + org +
                                      R"(","tags":["동시성"],"resources":[{"url":"https://example.org/)" +
                                      name + R"(.csv"}]})",
                                  token);
        if (r.status == 200) {
          std::lock_guard<std::mutex> lock(mu);
          acknowledged.insert(name);
        } else {
          ++failures;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(acknowledged.size(), static_cast<std::size_t>(kThreads * kPerThread));

  auto list = w.ok("package_list", "{}");
  std::set<std::string> listed;
  for (const auto& n : list["result"].GetArray()) listed.insert(n.GetString());
  EXPECT_EQ(listed, acknowledged);
  for (const auto& name : acknowledged) {
    HttpReply r = w.http.action("package_show", R"({"id":")" + name + R"("})");
    ASSERT_EQ(r.status, 200) << name;
    auto doc = r.json();
    EXPECT_EQ(doc["result"]["resources"].Size(), 1u) << name;  // never half-written
  }
}

TEST(ConcurrentWriters, RacingCreatesOfOneNameAcknowledgeExactlyOne) {
  ApiWorld w;
  constexpr int kThreads = 8;
  std::atomic<int> created{0}, conflicts{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      HttpClient http(w.server.url());
      HttpReply r = http.action("package_create",
                                R"({"name":"the-one","title":"하나","owner_org":"agency-a"})",
                                w.editor_a);
      if (r.status == 200)
        ++created;
      else if (r.status == 409)
        ++conflicts;
      else
        ++other;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(conflicts.load(), kThreads - 1);
  EXPECT_EQ(other.load(), 0);
}

TEST(ConcurrentWriters, AcknowledgedWritesSurviveAHardKill) {
  ApiWorld w;
  for (int i = 0; i < 20; ++i) w.dataset("durable-" + std::to_string(i), "agency-a");
  w.server.kill_hard();
  w.server.start();
  HttpClient http(w.server.url());
  for (int i = 0; i < 20; ++i)
    EXPECT_EQ(http.action("package_show", R"({"id":"durable-)" + std::to_string(i) + R"("})")
                  .status,
              200)
        << i;
}

}  // namespace
}  // namespace datamap::testing

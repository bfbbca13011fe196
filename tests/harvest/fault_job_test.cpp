// A remote that hangs, fails, lies or never stops: every job ends in a recorded error (or, for
// transient failures, in success after retries), never a crash, a hang or a half-imported
// catalog.
#include <gtest/gtest.h>

#include <atomic>

#include "tests/harvest/harvest_env.h"
#include "tests/support/fixture_http_server.h"

namespace datamap::harvest {
namespace {

using datamap::testing::FixtureHttpServer;
using datamap::testing::FixtureRequest;
using datamap::testing::FixtureResponse;
using testing::HarvestEnv;
using namespace std::chrono_literals;

const std::string kSmallCatalog = R"({"dataset": [
  {"identifier": "a-1", "title": "First", "description": "one",
   "publisher": {"name": "Agency"}, "landingPage": "https://example.org/a-1"},
  {"identifier": "a-2", "title": "Second", "description": "two",
   "publisher": {"name": "Agency"}, "landingPage": "https://example.org/a-2"}]})";

void expect_failed_and_empty(HarvestEnv& env, const catalog::HarvestJob& job,
                             const std::string& fragment) {
  EXPECT_EQ(job.status, "Failed");
  EXPECT_NE(job.error.find(fragment), std::string::npos) << job.error;
  EXPECT_EQ(env.store->count_datasets(), 0);  // nothing half-imported
  EXPECT_FALSE(job.complete_listing);
  auto stored = env.records->job(job.id);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->status, "Failed");
  EXPECT_EQ(stored->error, job.error);
}

TEST(HarvestFaults, ARemoteThatNeverAnswersTimesOut) {
  FixtureHttpServer server;
  server.route("/data.json", [&](const FixtureRequest&, FixtureResponse&) {
    server.wait_for_stop(60s);
  });
  auto options = testing::loopback_fetch_options();
  options.total_timeout = 300ms;
  options.max_attempts = 2;
  HarvestEnv env(options);
  auto job = env.run(env.add_source("hang", "datajson", server.url("/data.json")));
  expect_failed_and_empty(env, job, "timeout");
  EXPECT_EQ(server.hits("/data.json"), 2);
}

TEST(HarvestFaults, ServerErrorsThenSuccessIsRetriedAndImported) {
  FixtureHttpServer server;
  std::atomic<int> calls{0};
  server.route("/data.json", [&](const FixtureRequest&, FixtureResponse& res) {
    if (++calls <= 2) return res.send(500, "text/plain", "overloaded");
    res.send(200, "application/json", kSmallCatalog);
  });
  HarvestEnv env;
  auto job = env.run(env.add_source("flaky", "datajson", server.url("/data.json")));
  ASSERT_EQ(job.status, "Finished") << job.error;
  EXPECT_EQ(job.added, 2);
  EXPECT_EQ(calls.load(), 3);
}

TEST(HarvestFaults, ATruncatedBodyImportsNothing) {
  FixtureHttpServer server;
  server.route("/short", [](const FixtureRequest&, FixtureResponse& res) {
    res.send_head(200, {"Content-Type: application/json",
                        "Content-Length: " + std::to_string(kSmallCatalog.size())});
    res.raw(kSmallCatalog.substr(0, kSmallCatalog.size() / 2));
  });
  // Without a Content-Length the cut is invisible to HTTP; the JSON check catches it.
  server.route("/cut", [](const FixtureRequest&, FixtureResponse& res) {
    res.send_head(200, {"Content-Type: application/json"});
    res.raw(kSmallCatalog.substr(0, kSmallCatalog.size() - 40));
  });
  HarvestEnv env;
  auto short_job = env.run(env.add_source("short", "datajson", server.url("/short")));
  expect_failed_and_empty(env, short_job, "truncated");
  auto cut_job = env.run(env.add_source("cut", "datajson", server.url("/cut")));
  expect_failed_and_empty(env, cut_job, "invalid JSON");
}

TEST(HarvestFaults, InvalidJsonIsAnErrorWithItsPosition) {
  FixtureHttpServer server;
  server.route("/bad", [](const FixtureRequest&, FixtureResponse& res) {
    res.send(200, "application/json", R"({"dataset": [{"identifier": "x", "title": "X"},, ]})");
  });
  HarvestEnv env;
  auto job = env.run(env.add_source("bad", "datajson", server.url("/bad")));
  expect_failed_and_empty(env, job, "at byte");
}

TEST(HarvestFaults, AnEndlessResponseIsCutAtTheSizeLimit) {
  FixtureHttpServer server;
  server.route("/endless", [](const FixtureRequest&, FixtureResponse& res) {
    res.send_head(200, {"Content-Type: application/json"});
    res.raw("{\"dataset\": [");
    std::string item = R"({"identifier": "x", "title": "again and again"},)";
    std::string chunk;
    while (chunk.size() < (1 << 16)) chunk += item;
    for (long sent = 0; sent < (8L << 30) && res.raw(chunk); sent += static_cast<long>(chunk.size())) {
    }
  });
  auto options = testing::loopback_fetch_options();
  options.max_bytes = 16 << 20;
  HarvestEnv env(options);
  auto job = env.run(env.add_source("endless", "datajson", server.url("/endless")));
  expect_failed_and_empty(env, job, "too_large");
}

TEST(HarvestFaults, ARedirectLoopFails) {
  FixtureHttpServer server;
  server.route("/a", [](const FixtureRequest&, FixtureResponse& res) {
    res.send(302, "text/plain", "", {"Location: /b"});
  });
  server.route("/b", [](const FixtureRequest&, FixtureResponse& res) {
    res.send(302, "text/plain", "", {"Location: /a"});
  });
  HarvestEnv env;
  auto job = env.run(env.add_source("loop", "datajson", server.url("/a")));
  expect_failed_and_empty(env, job, "redirect_loop");
}

TEST(HarvestFaults, APrivateAddressIsRefusedUnlessAllowed) {
  FixtureHttpServer server;
  server.route("/data.json", [](const FixtureRequest&, FixtureResponse& res) {
    res.send(200, "application/json", kSmallCatalog);
  });
  auto options = testing::loopback_fetch_options();
  options.policy = net::AddressPolicy();  // harvest.allow_hosts empty: the default
  HarvestEnv env(options);
  auto job = env.run(env.add_source("internal", "datajson", server.url("/data.json")));
  expect_failed_and_empty(env, job, "refused");
  EXPECT_EQ(server.hits("/data.json"), 0);  // not a single byte was sent to it
}

TEST(HarvestFaults, AnUnknownSourceTypeOrBadConfigFailsTheJob) {
  HarvestEnv env;
  auto job = env.run(env.add_source("odd", "gopher", "http://127.0.0.1:1/"));
  expect_failed_and_empty(env, job, "unknown source type");
  auto job2 = env.run(env.add_source("badcfg", "datajson", "http://127.0.0.1:1/", "[1,"));
  expect_failed_and_empty(env, job2, "config");
}

TEST(HarvestFaults, AJobCutOffByACrashIsMarkedFailedOnRestart) {
  HarvestEnv env;
  auto source = env.add_source("crashy", "datajson", "http://127.0.0.1:1/");
  catalog::HarvestJob job = new_job(*env.records, source.id);
  job.status = "Running";
  env.records->put_job(job);
  std::vector<catalog::HarvestObject> objects(3);
  for (auto& o : objects) {
    o.job_id = job.id;
    o.source_id = source.id;
    o.remote_id = "r";
    o.state = "IMPORT";
  }
  objects[0].state = "COMPLETE";
  env.records->put_objects(objects);

  EXPECT_EQ(fail_interrupted_jobs(*env.records), 1);
  auto stored = env.records->job(job.id);
  EXPECT_EQ(stored->status, "Failed");
  EXPECT_NE(stored->error.find("interrupted"), std::string::npos);
  EXPECT_EQ(stored->errored, 2);
  EXPECT_EQ(env.records->objects(job.id, "ERROR", 0, 10).size(), 2u);
  EXPECT_EQ(env.records->objects(job.id, "COMPLETE", 0, 10).size(), 1u);
  EXPECT_EQ(fail_interrupted_jobs(*env.records), 0);
}

TEST(HarvestFaults, AbortStopsAJobWithoutDeletingAnything) {
  FixtureHttpServer server;
  server.route("/data.json", [&](const FixtureRequest&, FixtureResponse&) {
    server.wait_for_stop(60s);
  });
  HarvestEnv env;
  auto source = env.add_source("slow", "datajson", server.url("/data.json"));
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  std::thread stopper([&] {
    std::this_thread::sleep_for(200ms);
    cancel->store(true);
  });
  auto job = env.runner.run(new_job(*env.records, source.id), cancel);
  stopper.join();
  EXPECT_EQ(job.status, "Aborted");
}

}  // namespace
}  // namespace datamap::harvest

// The server's harvester: its job queue, the frequency scheduler, abort, restart recovery.
#include "harvest/service.h"

#include <gtest/gtest.h>

#include <thread>

#include "catalog/errors.h"
#include "tests/harvest/harvest_env.h"
#include "tests/support/fixture_http_server.h"

namespace datamap::harvest {
namespace {

using datamap::testing::FixtureHttpServer;
using datamap::testing::FixtureRequest;
using datamap::testing::FixtureResponse;
using testing::HarvestEnv;
using namespace std::chrono_literals;

HarvestSettings loopback_settings(const std::string& spool) {
  HarvestSettings s = HarvestEnv::settings(spool);
  s.fetch = testing::loopback_fetch_options();
  return s;
}

// Waits for the source's newest job to end (a hang guard, not a timing assertion).
std::optional<catalog::HarvestJob> wait_for_job(catalog::HarvestRecords& records,
                                                const std::string& source_id) {
  for (int i = 0; i < 400; ++i) {
    auto jobs = records.jobs(source_id, 1);
    if (!jobs.empty() && jobs.front().status != "New" && jobs.front().status != "Running")
      return jobs.front();
    std::this_thread::sleep_for(50ms);
  }
  return std::nullopt;
}

TEST(HarvestService, QueuesOneJobPerSourceAndAbortsAQueuedOne) {
  HarvestEnv env;
  HarvestService service(*env.store, *env.records, loopback_settings(env.dir.path()));
  auto source = env.add_source("s", "datajson", "http://127.0.0.1:1/data.json");
  auto job = service.create_job(source.id);
  EXPECT_EQ(job.status, "New");
  EXPECT_THROW(service.create_job(source.id), ValidationError);
  EXPECT_THROW(service.create_job("no-such-source"), NotFound);
  EXPECT_TRUE(service.abort_job(job.id));
  EXPECT_EQ(env.records->job(job.id)->status, "Aborted");
  EXPECT_FALSE(service.abort_job(job.id));
  EXPECT_EQ(service.create_job(source.id).status, "New");  // the source is free again
}

TEST(HarvestService, RunsQueuedJobsAndSchedulesSourcesByFrequency) {
  FixtureHttpServer remote;
  remote.route("/data.json", [](const FixtureRequest&, FixtureResponse& res) {
    res.send(200, "application/json",
             R"({"dataset": [{"identifier": "s-1", "title": "Scheduled"}]})");
  });
  HarvestEnv env;
  auto manual = env.add_source("manual", "datajson", remote.url("/data.json"));
  catalog::HarvestSource hourly;
  hourly.name = "hourly";
  hourly.type = "datajson";
  hourly.url = remote.url("/data.json?copy=2");
  hourly.frequency = "HOURLY";
  env.records->put_source(hourly);

  HarvestService service(*env.store, *env.records, loopback_settings(env.dir.path()));
  service.start();
  service.create_job(manual.id);
  auto manual_job = wait_for_job(*env.records, manual.id);
  ASSERT_TRUE(manual_job.has_value());
  EXPECT_EQ(manual_job->status, "Finished") << manual_job->error;
  auto hourly_job = wait_for_job(*env.records, hourly.id);  // queued by the scheduler alone
  ASSERT_TRUE(hourly_job.has_value());
  EXPECT_EQ(hourly_job->status, "Finished") << hourly_job->error;
  service.stop();
  EXPECT_EQ(env.records->jobs(hourly.id, 10).size(), 1u);  // not again within the hour
  EXPECT_FALSE(service.next_run(*env.records->source("hourly")).empty());
  EXPECT_TRUE(service.next_run(*env.records->source("manual")).empty());
}

TEST(HarvestService, StartingClosesJobsAPreviousProcessLeftRunning) {
  HarvestEnv env;
  auto source = env.add_source("s", "datajson", "http://127.0.0.1:1/data.json");
  catalog::HarvestJob job;
  job.source_id = source.id;
  job.status = "Running";
  env.records->put_job(job);
  HarvestService service(*env.store, *env.records, loopback_settings(env.dir.path()));
  service.start();
  service.stop();
  EXPECT_EQ(env.records->job(job.id)->status, "Failed");
}

TEST(HarvestService, StoppingAbortsTheRunningJob) {
  FixtureHttpServer remote;
  remote.route("/data.json", [&](const FixtureRequest&, FixtureResponse&) {
    remote.wait_for_stop(60s);
  });
  HarvestEnv env;
  auto source = env.add_source("slow", "datajson", remote.url("/data.json"));
  HarvestService service(*env.store, *env.records, loopback_settings(env.dir.path()));
  service.start();
  auto job = service.create_job(source.id);
  for (int i = 0; i < 200 && env.records->job(job.id)->status == "New"; ++i)
    std::this_thread::sleep_for(10ms);
  service.stop();
  EXPECT_EQ(env.records->job(job.id)->status, "Aborted");
}

// harvest_source_delete aborts the jobs it sees after deleting; a job queued in between (its
// source still read active by harvest_job_create) must not run on the deleted source.
TEST(HarvestService, AJobQueuedWhileItsSourceWasDeletedDoesNotRun) {
  FixtureHttpServer remote;
  remote.route("/data.json", [](const FixtureRequest&, FixtureResponse& res) {
    res.send(200, "application/json", R"({"dataset": [{"identifier": "d-1", "title": "Gone"}]})");
  });
  HarvestEnv env;
  auto source = env.add_source("gone", "datajson", remote.url("/data.json"));
  auto job = new_job(*env.records, source.id);
  ASSERT_TRUE(
      env.records->update_source("gone", [](catalog::HarvestSource& s) { s.state = "deleted"; }));
  // A deleted source is not changed again (a second delete, an update arriving late).
  bool called = false;
  EXPECT_FALSE(
      env.records->update_source(source.id, [&](catalog::HarvestSource&) { called = true; }));
  EXPECT_FALSE(called);
  auto done = env.runner.run(job);
  EXPECT_EQ(done.status, "Aborted") << done.error;
  EXPECT_EQ(remote.hits("/data.json"), 0);
  EXPECT_EQ(env.records->source("gone")->state, "deleted");
}

}  // namespace
}  // namespace datamap::harvest

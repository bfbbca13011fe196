// The harvest records (catalog/harvest_records.h) on both backends, SQLite and PostgreSQL, with
// the same assertions: sources and their names, jobs newest first, objects in creation order,
// provenances read in batches; and the claims that let several nodes share one catalog's jobs
// (a job queued once per source, claimed by one harvester, a lapsed claim failed).
#include "catalog/harvest_records.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <thread>

#include "catalog/errors.h"
#include "tests/support/pg_cluster.h"
#include "tests/support/store_backends.h"

namespace datamap::catalog {
namespace {

class HarvestRecordsTest : public testing::StoreBackendTest {
 protected:
  // The records of this test's catalog, as a node opens them; each call is one more node's.
  std::unique_ptr<HarvestRecords> records() {
    return on_postgres() ? open_postgres_harvest_records(catalog_location())
                         : open_sqlite_harvest_records(catalog_location());
  }
};
DATAMAP_STORE_BACKENDS(HarvestRecordsTest);

HarvestSource source_named(const std::string& name) {
  HarvestSource s;
  s.name = name;
  s.title = name;
  s.url = "http://127.0.0.1:1/" + name;
  s.type = "datajson";
  return s;
}

TEST_P(HarvestRecordsTest, SourcesKeepTheirNamesAndUpdatesNeverReviveADeletedOne) {
  auto store = open();
  auto records = this->records();
  HarvestSource a = source_named("a-feed"), b = source_named("b-feed");
  a.owner_org = "org-a";
  records->put_source(a);
  records->put_source(b);
  HarvestSource clash = source_named("a-feed");
  EXPECT_THROW(records->put_source(clash), ValidationError);
  EXPECT_EQ(records->source("a-feed")->id, a.id);
  EXPECT_EQ(records->source(b.id)->name, "b-feed");
  ASSERT_EQ(records->sources("org-a").size(), 1u);
  EXPECT_EQ(records->sources("").size(), 2u);
  // A rename onto a name another source holds is refused and changes nothing.
  EXPECT_THROW(records->update_source("b-feed", [](HarvestSource& s) { s.name = "a-feed"; }),
               ValidationError);
  EXPECT_EQ(records->source(b.id)->name, "b-feed");
  auto updated = records->update_source("b-feed", [](HarvestSource& s) { s.title = "B"; });
  ASSERT_TRUE(updated);
  EXPECT_EQ(records->source(b.id)->title, "B");
  EXPECT_TRUE(records->put_source_validators(b.id, "\"v1\"", "Mon"));
  EXPECT_EQ(records->source(b.id)->etag, "\"v1\"");
  ASSERT_TRUE(records->update_source(b.id, [](HarvestSource& s) { s.state = "deleted"; }));
  EXPECT_FALSE(records->update_source(b.id, [](HarvestSource& s) { s.title = "again"; }));
  EXPECT_FALSE(records->put_source_validators(b.id, "\"v2\"", ""));
  EXPECT_EQ(records->sources("").size(), 1u);
}

TEST_P(HarvestRecordsTest, JobsObjectsAndProvenancesReadBackInOrder) {
  auto store = open();
  auto records = this->records();
  HarvestSource s = source_named("feed");
  records->put_source(s);
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    HarvestJob j;
    j.source_id = s.id;
    j.status = i == 1 ? "Finished" : "Failed";
    j.error = "fetch of https://x/?serviceKey=SECRET123 failed";
    records->put_job(j);
    ids.push_back(j.id);
  }
  auto jobs = records->jobs(s.id, 10);
  ASSERT_EQ(jobs.size(), 3u);
  EXPECT_EQ(jobs[0].id, ids[2]);  // newest first
  EXPECT_EQ(records->last_finished_job(s.id)->id, ids[1]);
  EXPECT_EQ(jobs[0].error.find("SECRET123"), std::string::npos) << jobs[0].error;

  std::vector<HarvestObject> objects(5);
  for (std::size_t i = 0; i < objects.size(); ++i) {
    objects[i].job_id = ids[2];
    objects[i].source_id = s.id;
    objects[i].remote_id = "r" + std::to_string(i);
    objects[i].state = i < 2 ? "COMPLETE" : "IMPORT";
  }
  records->put_objects(objects);
  auto page = records->objects(ids[2], "", 1, 3);
  ASSERT_EQ(page.size(), 3u);
  EXPECT_EQ(page[0].remote_id, "r1");
  EXPECT_EQ(records->fail_open_objects(ids[2], "cut off"), 3);
  EXPECT_EQ(records->objects(ids[2], "ERROR", 0, 10).size(), 3u);
  records->prune_objects(s.id, 1);
  EXPECT_EQ(records->objects(ids[2], "", 0, 10).size(), 5u);  // the newest job's are kept

  records->put_provenances({{s.id, "r1", "d1", "https://land/1", "h1", ids[2], true},
                            {s.id, "r2", "d2", "", "h2", ids[1], false}});
  auto batch = records->provenances(s.id, {"r2", "missing", "r1"});
  ASSERT_EQ(batch.size(), 3u);
  ASSERT_TRUE(batch[0] && batch[2]);
  EXPECT_EQ(batch[0]->dataset_id, "d2");
  EXPECT_FALSE(batch[0]->owner);
  EXPECT_FALSE(batch[1]);
  EXPECT_EQ(batch[2]->landing, "https://land/1");
  auto landings = records->provenances_with_landings({"https://land/1", "", "https://none"});
  EXPECT_EQ(landings[0].size(), 1u);
  EXPECT_TRUE(landings[1].empty() && landings[2].empty());
  records->mark_seen(s.id, {"r2"}, ids[2]);
  auto unseen = records->unseen_provenances(s.id, ids[2], 10);
  EXPECT_TRUE(unseen.empty());
  records->remove_provenance(s.id, "r1");
  EXPECT_EQ(records->count_provenances(s.id), 1);
  EXPECT_EQ(records->provenances_of_dataset("d2").size(), 1u);
}

// A source has at most one unfinished job however many nodes ask at once; a scheduled job is
// not queued again within its period.
TEST_P(HarvestRecordsTest, ASourceIsQueuedOnceWhoeverAsks) {
  auto store = open();
  auto node_a = records();
  auto node_b = records();
  HarvestSource s = source_named("feed");
  node_a->put_source(s);
  std::mutex m;
  int queued = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i)
        if ((t % 2 ? *node_a : *node_b).queue_job(s.id, "", nullptr)) {
          std::lock_guard lock(m);
          ++queued;
        }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(queued, 1);
  auto open_jobs = node_a->jobs_with_status("New");
  ASSERT_EQ(open_jobs.size(), 1u);
  HarvestJob done = open_jobs[0];
  done.status = "Finished";
  node_b->put_job(done);
  // Finished: a manual job may be queued again; the scheduler's (within the period) may not.
  EXPECT_FALSE(node_a->queue_job(s.id, "2000-01-01T00:00:00", nullptr));
  EXPECT_TRUE(node_a->queue_job(s.id, "2999-01-01T00:00:00", nullptr));
  EXPECT_THROW(node_a->queue_job("no-such-source", "", nullptr), NotFound);
}

// Jobs queued on either node are each claimed by exactly one harvester.
TEST_P(HarvestRecordsTest, EachJobIsClaimedByOneHarvester) {
  auto store = open();
  auto node_a = records();
  auto node_b = records();
  std::vector<std::string> queued;
  for (int i = 0; i < 12; ++i) {
    HarvestSource s = source_named("feed-" + std::to_string(i));
    node_a->put_source(s);
    queued.push_back((i % 2 ? *node_a : *node_b).queue_job(s.id, "", nullptr)->id);
  }
  std::mutex m;
  std::map<std::string, int> claimed;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      HarvestRecords& node = t % 2 ? *node_a : *node_b;
      const JobClaim claim{"harvester-" + std::to_string(t), 1000, 300};
      while (auto job = node.claim_next_job(claim)) {
        EXPECT_EQ(job->status, "Running");
        std::lock_guard lock(m);
        ++claimed[job->id];
      }
    });
  for (auto& t : threads) t.join();
  ASSERT_EQ(claimed.size(), queued.size());
  for (const auto& id : queued) EXPECT_EQ(claimed[id], 1) << id;
  EXPECT_TRUE(node_a->jobs_with_status("New").empty());
  EXPECT_EQ(node_b->jobs_with_status("Running").size(), queued.size());
}

// PostgreSQL: a claim is a lease. Renewed, it holds; lapsed (the node died), the next harvester
// that looks fails the job and its open objects, and the old owner learns it lost the job.
TEST(PostgresHarvestClaims, ALapsedClaimIsFailedByAnotherNodeAndItsOwnerLosesIt) {
  const std::string url = testing::PgCluster::shared().new_database();
  auto node_a = open_postgres_harvest_records(url);
  auto node_b = open_postgres_harvest_records(url);
  HarvestSource s = source_named("feed");
  node_a->put_source(s);
  const JobClaim a{"node-a", 1000, 60};
  auto job = node_a->queue_job(s.id, "", &a);  // run at once by node a (datamap harvest run)
  ASSERT_TRUE(job);
  EXPECT_EQ(job->status, "Running");
  EXPECT_FALSE(node_b->claim_next_job({"node-b", 1000, 60}));  // Running is nobody else's
  std::vector<HarvestObject> objects(2);
  for (auto& o : objects) {
    o.job_id = job->id;
    o.source_id = s.id;
    o.state = "IMPORT";
  }
  objects[0].state = "COMPLETE";
  node_a->put_objects(objects);

  EXPECT_EQ(node_b->fail_lapsed_jobs(1059, "lapsed"), 0);  // within the lease
  EXPECT_EQ(node_a->renew_claims({"node-a", 1050, 60}, {job->id}),
            std::vector<std::string>{job->id});
  EXPECT_EQ(node_b->renew_claims({"node-b", 1050, 60}, {job->id}).size(), 0u);  // not b's
  EXPECT_EQ(node_b->fail_lapsed_jobs(1109, "lapsed"), 0);  // renewed until 1110
  EXPECT_EQ(node_b->fail_lapsed_jobs(1111, "the node running it stopped"), 1);
  auto failed = node_b->job(job->id);
  EXPECT_EQ(failed->status, "Failed");
  EXPECT_EQ(failed->error, "the node running it stopped");
  EXPECT_EQ(failed->errored, 1);
  EXPECT_EQ(node_a->objects(job->id, "ERROR", 0, 10).size(), 1u);
  EXPECT_TRUE(node_a->renew_claims({"node-a", 1112, 60}, {job->id}).empty());
  // The source is free for its next job.
  EXPECT_TRUE(node_b->queue_job(s.id, "", nullptr));
}

}  // namespace
}  // namespace datamap::catalog

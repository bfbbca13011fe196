// LoadJobs' claims (datastore/load_jobs.h) on both backends, each process of a cluster played by
// its own LoadJobs over the same file or database: a pending job is claimed by one claimer only,
// however many race for it; a claim is renewed only by its owner and only while the job is
// running; a job whose lease lapsed is interrupted once, for one caller.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "datastore/load_jobs.h"
#include "tests/support/pg_cluster.h"
#include "tests/support/store_backends.h"
#include "tests/support/temp_dir.h"

namespace datamap::testing {
namespace {

using datastore::LoadClaim;
using datastore::LoadJob;
using datastore::LoadJobs;

class LoadJobClaims : public ::testing::TestWithParam<Backend> {
 protected:
  // Another process's view of the same records.
  std::unique_ptr<LoadJobs> open() {
    if (GetParam() == Backend::kSqlite)
      return datastore::open_sqlite_load_jobs(dir_.file("jobs.db"));
    if (url_.empty()) url_ = PgCluster::shared().new_database();
    return datastore::open_pg_load_jobs(url_);
  }
  static LoadJob pending(const std::string& resource_id) {
    LoadJob j;
    j.resource_id = resource_id;
    j.file_path = "/nowhere/" + resource_id;
    j.file_hash = "hash-" + resource_id;
    j.format = "CSV";
    return j;
  }
  static std::int64_t now() { return static_cast<std::int64_t>(std::time(nullptr)); }

 private:
  TempDir dir_;
  std::string url_;
};

TEST_P(LoadJobClaims, EachPendingJobIsClaimedByOneOfTheClaimersRacingForIt) {
  auto setup = open();
  const int kJobs = 40;
  for (int i = 0; i < kJobs; ++i) {
    LoadJob j = pending("r" + std::to_string(i));
    setup->put(j);
  }
  std::vector<std::vector<std::string>> claimed(3);
  std::vector<std::thread> claimers;
  for (int t = 0; t < 3; ++t)
    claimers.emplace_back([&, t] {
      auto jobs = open();
      const LoadClaim claim{"node-" + std::to_string(t), now(), 60};
      while (auto j = jobs->claim_next(claim)) {
        EXPECT_EQ(j->status, "running");
        EXPECT_EQ(j->claimed_by, claim.owner);
        claimed[t].push_back(j->id);
      }
    });
  for (auto& t : claimers) t.join();
  std::set<std::string> all;
  std::size_t total = 0;
  for (const auto& c : claimed) {
    total += c.size();
    all.insert(c.begin(), c.end());
  }
  EXPECT_EQ(total, static_cast<std::size_t>(kJobs));  // none twice
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kJobs));
  EXPECT_TRUE(setup->with_status("pending").empty());
  EXPECT_EQ(setup->with_status("running").size(), static_cast<std::size_t>(kJobs));
}

TEST_P(LoadJobClaims, OnlyTheOwnerRenewsAndOnlyWhileTheJobRuns) {
  auto mine = open();
  auto theirs = open();
  LoadJob j = pending("r");
  mine->put(j);
  const LoadClaim me{"me", now(), 60}, other{"other", now(), 60};
  auto claimed = mine->claim_next(me);
  ASSERT_TRUE(claimed);
  EXPECT_FALSE(theirs->claim_next(other));  // nothing else pending
  EXPECT_TRUE(mine->renew(claimed->id, me));
  EXPECT_FALSE(theirs->renew(claimed->id, other));
  // Replaced by a submit in the other process: the owner's next renewal is refused.
  LoadJob replaced = *theirs->job(claimed->id);
  replaced.status = "error";
  replaced.error = "replaced by a newer upload during the load";
  theirs->put(replaced);
  EXPECT_FALSE(mine->renew(claimed->id, me));
  EXPECT_FALSE(mine->renew("no-such-job", me));
}

TEST_P(LoadJobClaims, ALapsedLeaseIsInterruptedOnceAndALiveOneIsNot) {
  auto a = open();
  auto b = open();
  LoadJob dead = pending("dead"), alive = pending("alive");
  a->put(dead);
  a->put(alive);
  // Claimed with a lease already over (its node died), and with one that runs on.
  ASSERT_TRUE(a->claim_next({"gone", now() - 100, 10}));
  ASSERT_TRUE(a->claim_next({"here", now(), 600}));
  auto first = b->interrupt_abandoned({"b", now(), 60}, false, "interrupted: test");
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].resource_id, "dead");
  EXPECT_EQ(first[0].status, "error");
  EXPECT_EQ(first[0].error, "interrupted: test");
  EXPECT_EQ(a->job(first[0].id)->status, "error");
  EXPECT_TRUE(a->interrupt_abandoned({"a", now(), 60}, false, "again").empty());
  EXPECT_EQ(a->latest("alive")->status, "running");
  // A server starting on its SQLite data dir ran every job left running there; on PostgreSQL
  // only the lease says a runner is gone.
  auto at_start = a->interrupt_abandoned({"a", now(), 60}, true, "interrupted: restart");
  EXPECT_EQ(at_start.size(), GetParam() == Backend::kSqlite ? 1u : 0u);
}

// Two nodes, four threads each, submitting the same bytes of one resource at the same instant, as
// LoadQueue::queue decides: queue a job unless one is pending. The look and the queueing are one
// step across processes, so exactly one job is queued; the pause between them (the time a real
// submit spends between its look and its write, widened) lets every other submit look meanwhile
// were they not.
TEST_P(LoadJobClaims, SubmitsOfOneResourceOnTwoNodesAtOnceQueueOneJob) {
  std::vector<std::unique_ptr<LoadJobs>> nodes;
  nodes.push_back(open());
  nodes.push_back(open());
  std::atomic<int> ready{0};
  std::vector<std::thread> submitters;
  for (int t = 0; t < 8; ++t)
    submitters.emplace_back([&, t] {
      LoadJobs& jobs = *nodes[static_cast<std::size_t>(t % 2)];
      ++ready;
      while (ready < 8) std::this_thread::yield();
      jobs.exclusively("parks", [&] {
        auto latest = jobs.latest("parks");
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        if (latest && latest->status == "pending") return;
        LoadJob j = pending("parks");
        jobs.put(j);
      });
    });
  for (auto& t : submitters) t.join();
  EXPECT_EQ(nodes[0]->with_status("pending").size(), 1u);
  // Another resource's submit does not wait for this one's lock (PostgreSQL keys it by resource).
  nodes[1]->exclusively("lots", [&] {
    LoadJob j = pending("lots");
    nodes[1]->put(j);
  });
  EXPECT_EQ(nodes[0]->with_status("pending").size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Backends, LoadJobClaims,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), backend_name);

}  // namespace
}  // namespace datamap::testing

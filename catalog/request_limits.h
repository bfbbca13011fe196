// What per-token quotas and per-address rate limits keep in a PostgreSQL catalog, so that every
// node of a cluster counts the same client the same way (issue 20 item 2; schema step 6,
// catalog/postgres/pg_migrations.cpp). A single node on SQLite keeps them in memory instead
// (api/quota.h, api/rate_limit.h): there is nothing to share, and nothing here has an SQLite
// implementation.
//
// Two kinds of record:
//  - Daily token usage, exact: count_request() is one conditional increment of the token's row
//    for the day, so `per_day` requests pass summed over every node and the next is refused on
//    all of them, and a restart forgets nothing. (Written with synchronous_commit off: a crash
//    of the database may lose its last fraction of a second of counts, never corrupt them.)
//  - Shared token buckets, approximate on purpose: nodes charge their own copy of a bucket per
//    request and call exchange() a few times a second with the takes since the last call
//    (api/shared_limits.h); this adds them to the cluster's bucket and reads back every bucket
//    another node changed lately.
//
// Thread safety: every method may be called from any thread (one connection behind a mutex).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace datamap::catalog {

struct TokenDayUsage {
  std::int64_t today = 0;    // requests counted on `day`
  std::int64_t total = 0;    // on every day recorded
  std::int64_t refused = 0;  // answered 429, every day recorded
  std::string last_request;  // the latest counted request's `at`, "" when none
};

// One node's takes from one bucket since its previous exchange, with the bucket's shape (the
// node's configuration: rate 0 buckets are unlimited and never exchanged).
struct BucketTakes {
  std::string key;
  double takes = 0;
  double rate = 0;  // tokens per second
  double capacity = 0;
};
// A bucket as the cluster has it now: its tokens refilled to the database's clock (below zero
// when nodes together took more than it held: the client waits longer).
struct BucketLevel {
  std::string key;
  double tokens = 0;
};

class RequestLimitRecords {
 public:
  virtual ~RequestLimitRecords() = default;

  // Counts one request of `token_id` on `day` (YYYY-MM-DD, UTC) at `at` (ISO 8601) and returns
  // true, unless per_day > 0 and the day already has per_day requests: then counts it refused
  // and returns false. Atomic across nodes.
  virtual bool count_request(std::string_view token_id, std::string_view day, std::int64_t per_day,
                             std::string_view at) = 0;
  // Counts one request refused for another reason (the per-second quota).
  virtual void count_refused(std::string_view token_id, std::string_view day) = 0;
  virtual TokenDayUsage usage(std::string_view token_id, std::string_view day) = 0;

  struct Exchanged {
    std::vector<BucketLevel> levels;  // buckets changed after `since`, this node's takes included
    double now = 0;                   // the database's clock when it read them (Unix seconds)
  };
  // Adds `takes` to the cluster's buckets (a bucket not there yet starts full), then reads every
  // bucket changed after `since` (Unix seconds on the database's clock; 0: all of them).
  virtual Exchanged exchange(const std::vector<BucketTakes>& takes, double since) = 0;
  // Deletes buckets that have refilled (and were not changed for `idle_seconds`); returns how
  // many.
  virtual std::int64_t forget_full_buckets(double idle_seconds) = 0;
};

// Opens the records in the PostgreSQL catalog at `url` (migrating it when needed).
std::unique_ptr<RequestLimitRecords> open_postgres_request_limits(const std::string& url);

}  // namespace datamap::catalog

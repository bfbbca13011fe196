// Rate limits (api/rate_limit.h) and per-second quotas (api/quota.h) shared by the nodes of a
// cluster on one PostgreSQL catalog, without a database round trip per request.
//
// Design: every node keeps its own copy of each token bucket and charges requests against it
// at once, as a single node does. A LimitExchange thread, every `interval` (250 ms by default,
// [rate_limit] exchange_ms), sends the takes of every bucket since its previous exchange to the
// cluster's copy in PostgreSQL (one upsert for all of them, catalog/request_limits.h) and reads
// back every bucket any node changed since its previous read; the node's copy then becomes the
// cluster's level minus the takes it made while the exchange ran. So each node sees every
// node's traffic one exchange late, and refills at the configured rate in between.
//
// Why token buckets in a table rather than counters per fixed window: the limits were already
// token buckets (a burst, then a sustained rate), and the cluster's bucket is one row per
// client holding (tokens, updated_at) — refilled arithmetically when it is next written, deleted
// once refilled (a full bucket is the same as none), so the table holds the clients active in
// the last seconds and nothing has to expire windows. A fixed window would let a client send
// two windows' worth across a boundary; a sliding one needs a row per client per window.
//
// The bound (docs/API.md, docs/DEPLOY.md): a node admits against what it knew at its last
// exchange, so over any span of time the cluster admits at most what one node would, plus what
// the other nodes admitted during one exchange interval before the node heard of it: a client
// spreading a burst over n nodes within one interval can get up to n × burst at worst (each
// node's copy was full), and once every node has exchanged, none admits more until the
// cluster's bucket refills. Overdrawn buckets go below zero, so the client then waits longer
// and the sustained rate over a minute stays the configured one. If PostgreSQL cannot be
// reached, each node goes on limiting alone with its own copies (as a single node would) and
// sends the takes it kept once the database answers again.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "catalog/background_loop.h"
#include "catalog/request_limits.h"

namespace datamap::api {

// An owner of token buckets whose takes are shared (RateLimiter, QuotaTracker). Keys are the
// owner's own (distinct prefixes), so one table holds every owner's buckets.
class SharedBuckets {
 public:
  virtual ~SharedBuckets() = default;
  // Takes are counted for drain_takes() only once a LimitExchange shares them (a single node
  // counts none: it would only keep idle clients from being forgotten).
  void start_sharing() { sharing_ = true; }
  bool sharing() const { return sharing_.load(); }
  // The takes of each bucket since the previous call (each with its rate and capacity), reset.
  virtual std::vector<catalog::BucketTakes> drain_takes() = 0;
  // Takes an exchange failed to send: kept for the next.
  virtual void restore_takes(const std::vector<catalog::BucketTakes>& takes) = 0;
  // The cluster's level of one bucket: the owner's copy becomes level minus the takes since
  // drain_takes(). False when the key is not this owner's.
  virtual bool apply_level(const catalog::BucketLevel& level) = 0;

 private:
  std::atomic<bool> sharing_{false};
};

class LimitExchange {
 public:
  LimitExchange(catalog::RequestLimitRecords& records, std::vector<SharedBuckets*> owners,
                std::chrono::milliseconds interval);  // starts the owners' sharing
  ~LimitExchange();                                   // stop()
  LimitExchange(const LimitExchange&) = delete;
  LimitExchange& operator=(const LimitExchange&) = delete;

  void start();
  void stop();  // joins the thread, then sends the takes since the last exchange (once)
  // One exchange now (what the thread runs each interval); throws what the database threw,
  // after keeping the takes for the next one.
  void exchange();
  std::int64_t exchanges() const { return exchanges_.load(); }  // completed since start

 private:
  std::chrono::milliseconds pass();

  catalog::RequestLimitRecords& records_;
  std::vector<SharedBuckets*> owners_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;      // one exchange at a time
  double last_read_ = 0;  // the database's clock at the previous read; 0: read everything
  int since_cleanup_ = 0;
  bool failing_ = false;
  std::atomic<std::int64_t> exchanges_{0};
  std::atomic<bool> stopped_{false};
  catalog::BackgroundLoop loop_;  // last: its thread stops before the members above go
};

}  // namespace datamap::api

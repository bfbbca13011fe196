// RequestLimitRecords on PostgreSQL (catalog/request_limits.h): token_usage and limit_buckets of
// schema step 6.
#include <charconv>
#include <mutex>

#include "catalog/postgres/pg_own_connection.h"
#include "catalog/request_limits.h"

namespace datamap::catalog {
namespace postgres {
namespace {

// A double as PostgreSQL's float8 input reads it back unchanged.
std::string number(double d) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return ec == std::errc() ? std::string(buf, end) : "0";
}

double to_double(std::string_view text) {
  double d = 0;
  std::from_chars(text.data(), text.data() + text.size(), d);
  return d;
}

class PgRequestLimits : public RequestLimitRecords, private OwnConnection {
 public:
  explicit PgRequestLimits(std::string url) : OwnConnection(std::move(url)) {}

  bool count_request(std::string_view token_id, std::string_view day, std::int64_t per_day,
                     std::string_view at) override {
    std::lock_guard lock(mutex_);
    // One statement: the row's lock makes two nodes' increments of the same day queue, so the
    // per_day-th request passes on exactly one of them. A row the WHERE keeps is returned by
    // nothing: the day is used up.
    Result r = db().exec(
        "INSERT INTO token_usage AS u (token_id, day, requests, last_request) "
        "VALUES ($1, $2, 1, $4) "
        "ON CONFLICT (token_id, day) DO UPDATE SET requests = u.requests + 1, last_request = $4 "
        "WHERE $3::bigint = 0 OR u.requests < $3::bigint RETURNING 1",
        token_id, day, per_day, at);
    if (!r.empty()) return true;
    refuse(token_id, day);
    return false;
  }

  void count_refused(std::string_view token_id, std::string_view day) override {
    std::lock_guard lock(mutex_);
    refuse(token_id, day);
  }

  TokenDayUsage usage(std::string_view token_id, std::string_view day) override {
    std::lock_guard lock(mutex_);
    Result r = db().exec(
        "SELECT COALESCE(SUM(requests) FILTER (WHERE day = $2), 0), COALESCE(SUM(requests), 0), "
        "COALESCE(SUM(refused), 0), COALESCE(MAX(last_request), '') "
        "FROM token_usage WHERE token_id = $1",
        token_id, day);
    TokenDayUsage u;
    u.today = r.integer(0, 0);
    u.total = r.integer(0, 1);
    u.refused = r.integer(0, 2);
    u.last_request = r.text(0, 3);
    return u;
  }

  Exchanged exchange(const std::vector<BucketTakes>& takes, double since) override {
    std::lock_guard lock(mutex_);
    Connection& conn = db();
    if (!takes.empty()) {
      std::vector<std::string> keys, counts, rates, capacities;
      for (const BucketTakes& t : takes) {
        keys.push_back(t.key);
        counts.push_back(number(t.takes));
        rates.push_back(number(t.rate));
        capacities.push_back(number(t.capacity));
      }
      // One statement for all of them, in key order: two nodes upserting overlapping keys lock
      // the rows in the same order and cannot deadlock. A bucket is first refilled for the time
      // since its last change (at the rate the node has configured), then charged.
      conn.exec(
          "INSERT INTO limit_buckets AS b (key, tokens, rate, capacity, updated_at) "
          "SELECT k, c - t, r, c, clock_timestamp() FROM unnest($1::text[], $2::float8[], "
          "$3::float8[], $4::float8[]) AS d(k, t, r, c) ORDER BY k "
          "ON CONFLICT (key) DO UPDATE SET "
          "tokens = LEAST(EXCLUDED.capacity, b.tokens + EXCLUDED.rate * "
          "EXTRACT(EPOCH FROM EXCLUDED.updated_at - b.updated_at)::float8) "
          "- (EXCLUDED.capacity - EXCLUDED.tokens), "
          "rate = EXCLUDED.rate, capacity = EXCLUDED.capacity, updated_at = EXCLUDED.updated_at",
          keys, counts, rates, capacities);
    }
    Result r = conn.exec(
        "WITH t AS (SELECT clock_timestamp() AS now) "
        "SELECT key, LEAST(capacity, tokens + rate * EXTRACT(EPOCH FROM t.now - updated_at)"
        "::float8), EXTRACT(EPOCH FROM t.now)::float8 "
        "FROM limit_buckets, t WHERE updated_at > to_timestamp($1::float8) "
        "UNION ALL SELECT NULL, NULL, EXTRACT(EPOCH FROM now)::float8 FROM t",
        number(since));
    Exchanged out;
    for (int i = 0; i < r.rows(); ++i) {
      if (r.is_null(i, 0)) {
        out.now = to_double(r.text_view(i, 2));
        continue;
      }
      out.levels.push_back({r.text(i, 0), to_double(r.text_view(i, 1))});
    }
    return out;
  }

  std::int64_t forget_full_buckets(double idle_seconds) override {
    std::lock_guard lock(mutex_);
    return db()
        .exec(
            "DELETE FROM limit_buckets WHERE updated_at < clock_timestamp() - make_interval("
            "secs => $1::float8) AND tokens + rate * EXTRACT(EPOCH FROM clock_timestamp() - "
            "updated_at)::float8 >= capacity",
            number(idle_seconds))
        .affected();
  }

 private:
  // The connection (reconnected if dropped), its commits not waiting for the WAL flush: these
  // are counts and buckets only, a database crash may lose their last fraction of a second, and
  // no request should wait on a disk to be counted. Call with mutex_ held.
  Connection& db() {
    Connection& conn = c();
    const int backend = PQbackendPID(conn.handle());
    if (backend != configured_backend_) {
      conn.script("SET synchronous_commit = off");
      configured_backend_ = backend;
    }
    return conn;
  }
  int configured_backend_ = 0;

  // Call with mutex_ held.
  void refuse(std::string_view token_id, std::string_view day) {
    db().exec(
        "INSERT INTO token_usage AS u (token_id, day, refused) VALUES ($1, $2, 1) "
        "ON CONFLICT (token_id, day) DO UPDATE SET refused = u.refused + 1",
        token_id, day);
  }
};

}  // namespace
}  // namespace postgres

std::unique_ptr<RequestLimitRecords> open_postgres_request_limits(const std::string& url) {
  return std::make_unique<postgres::PgRequestLimits>(url);
}

}  // namespace datamap::catalog

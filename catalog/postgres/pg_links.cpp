// LinkRecords on PostgreSQL (catalog/link_checks.h): one schedule and one set of results for the
// link checkers of every node. As on SQLite, each dataset keeps counters of its unknown and broken
// links. What differs:
//  - every write that may move those counters (set_links, remove_dataset, record) runs under the
//    catalog's write lock (locked_write, pg_store.h), as SQLite serialises its writers: the
//    counters stay exact whichever nodes write, and the change-log row a status change appends
//    is numbered in commit order (and NOTIFYs every node's followers);
//  - due_urls claims the rows it returns (FOR UPDATE SKIP LOCKED, next check moved a lease on),
//    so two nodes' checkers never check the same URL at once;
//  - the applied revision only moves forward (GREATEST): two checkers following the change log
//    may both apply a change (set_links is idempotent), never un-apply one.
#include "catalog/postgres/pg_links.h"

#include <algorithm>
#include <chrono>
#include <mutex>

#include "catalog/link_record_codes.h"
#include "catalog/postgres/pg_own_connection.h"
#include "catalog/postgres/pg_record_stores.h"
#include "catalog/postgres/pg_store.h"
#include "catalog/postgres/pg_transaction.h"
#include "catalog/redact.h"

namespace datamap::catalog {
namespace postgres {
namespace {

using link_codes::answer_of;
using link_codes::code_of;
using link_codes::status_of;

#define PG_CHECK_COLUMNS                                                                  \
  "checked_at, answer, status, error, message, final_url, content_type, content_length, " \
  "response_ms"
#define PG_CHECK_COLUMNS_U                                                              \
  "u.checked_at, u.answer, u.status, u.error, u.message, u.final_url, u.content_type, " \
  "u.content_length, u.response_ms"

LinkCheck check_from(const Result& r, int row, int i) {
  LinkCheck c;
  c.checked_at = r.text(row, i++);
  c.answer = answer_of(r.integer(row, i++));
  c.status = static_cast<long>(r.integer(row, i++));
  c.error = r.text(row, i++);
  c.message = redact_secrets(r.text(row, i++));
  c.final_url = redact_secrets(r.text(row, i++));
  c.content_type = r.text(row, i++);
  c.content_length = r.integer(row, i++);
  c.response_ms = r.integer(row, i++);
  return c;
}

class PgLinkRecords : public LinkRecords, private OwnConnection {
 public:
  explicit PgLinkRecords(std::string url) : OwnConnection(std::move(url)) {}

  void set_links(std::span<const DatasetLinks> datasets) override {
    std::lock_guard lock(mutex_);
    Connection& conn = c();
    const std::int64_t now = unix_now();
    locked_write(conn, [&] {
      bool logged = false;
      for (const DatasetLinks& d : datasets) {
        std::vector<std::string> before = target_urls(conn, d.dataset_id);
        conn.exec("DELETE FROM link_targets WHERE dataset_id = $1", d.dataset_id);
        for (const Link& l : d.links) {
          conn.exec(
              "INSERT INTO link_urls (url, host, next_check_at) VALUES ($1, $2, $3) "
              "ON CONFLICT (url) DO NOTHING",
              l.url, l.host, now);
          conn.exec(
              "INSERT INTO link_targets (dataset_id, resource_id, url) VALUES ($1, $2, $3) "
              "ON CONFLICT DO NOTHING",
              d.dataset_id, l.resource_id, l.url);
        }
        forget_orphans(conn, before);
        if (d.links.empty()) {
          conn.exec("DELETE FROM link_datasets WHERE dataset_id = $1", d.dataset_id);
          continue;
        }
        Result counts = conn.exec(
            "SELECT count(*), count(*) FILTER (WHERE u.answer = 0), "
            "count(*) FILTER (WHERE u.answer = 2) "
            "FROM link_targets t JOIN link_urls u ON u.url = t.url WHERE t.dataset_id = $1",
            d.dataset_id);
        const std::int64_t links = counts.integer(0, 0), unknown = counts.integer(0, 1),
                           broken = counts.integer(0, 2);
        const std::int64_t status = status_of(unknown, broken);
        Result old =
            conn.exec("SELECT status FROM link_datasets WHERE dataset_id = $1", d.dataset_id);
        const std::int64_t old_status = old.empty() ? 0 : old.integer(0, 0);
        conn.exec(
            "INSERT INTO link_datasets (dataset_id, name, owner_org, links, unknown, broken, "
            "status) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (dataset_id) DO UPDATE SET "
            "name = $2, owner_org = $3, links = $4, unknown = $5, broken = $6, status = $7",
            d.dataset_id, d.dataset_name, d.owner_org, links, unknown, broken, status);
        // A dataset seen for the first time starts unknown, which is what it was before.
        if (status != old_status) logged |= log_change(conn, d.dataset_id);
      }
      return logged;
    });
  }

  std::vector<std::string> remove_dataset(std::string_view dataset_id) override {
    std::lock_guard lock(mutex_);
    Connection& conn = c();
    std::vector<std::string> gone;
    locked_write(conn, [&] {
      std::vector<std::string> before = target_urls(conn, dataset_id);
      conn.exec("DELETE FROM link_targets WHERE dataset_id = $1", dataset_id);
      gone = forget_orphans(conn, before);
      conn.exec("DELETE FROM link_datasets WHERE dataset_id = $1", dataset_id);
      return false;
    });
    return gone;
  }

  std::vector<DueLink> due_urls(std::int64_t now, std::int64_t limit, int per_host,
                                const std::map<std::string, int>& queued, int lease_seconds,
                                std::int64_t scan) override {
    std::lock_guard lock(mutex_);
    return in_transaction([&](Connection& conn) {
      // The rows read are locked until COMMIT; SKIP LOCKED passes over those another node is
      // claiming now. The scan goes on from where this node's last one stopped (wrapping at the
      // end), so URLs due behind a long backlog of one host are reached too.
      Result r = conn.exec(
          "SELECT url, host, answer, streak, next_check_at FROM link_urls "
          "WHERE next_check_at <= $1 AND (next_check_at, url) > ($2::bigint, $3::text) "
          "ORDER BY next_check_at, url LIMIT $4 FOR UPDATE SKIP LOCKED",
          now, scan_at_, scan_url_, scan);
      std::vector<DueLink> out;
      std::map<std::string, int> taken = queued;
      std::int64_t scanned = 0;
      for (int i = 0; i < r.rows() && static_cast<std::int64_t>(out.size()) < limit; ++i) {
        ++scanned;
        scan_at_ = r.integer(i, 4);
        scan_url_ = r.text(i, 0);
        int& n = taken[r.text(i, 1)];
        if (n >= per_host) continue;
        ++n;
        out.push_back({r.text(i, 0), r.text(i, 1), answer_of(r.integer(i, 2)),
                       static_cast<int>(r.integer(i, 3))});
      }
      if (scanned < scan && static_cast<std::int64_t>(out.size()) < limit) {
        scan_at_ = -1;  // reached the end of what is due: start over next time
        scan_url_.clear();
      }
      std::vector<std::string> urls;
      for (const DueLink& d : out) urls.push_back(d.url);
      if (!urls.empty()) {
        Params params;
        params.add(urls);
        params.add(now + lease_seconds);
        conn.run("UPDATE link_urls SET next_check_at = $2 WHERE url = ANY($1::text[])", params);
      }
      return out;
    });
  }

  bool record(std::string_view url, const LinkCheck& check, int streak, std::int64_t next_check_at,
              int history) override {
    std::lock_guard lock(mutex_);
    Connection& conn = c();
    bool recorded = false;
    locked_write(conn, [&] {
      Result old = conn.exec("SELECT answer, checks FROM link_urls WHERE url = $1", url);
      if (old.empty()) return false;  // forgotten meanwhile: its dataset is gone
      recorded = true;
      const std::int64_t old_answer = old.integer(0, 0), checks = old.integer(0, 1) + 1;
      const std::int64_t answer = code_of(check.answer);
      const std::string message = redact_secrets(check.message);
      const std::string final_url = redact_secrets(check.final_url);
      conn.exec(
          "UPDATE link_urls SET answer = $2, streak = $3, checks = $4, next_check_at = $5, "
          "checked_at = $6, status = $7, error = $8, message = $9, final_url = $10, "
          "content_type = $11, content_length = $12, response_ms = $13 WHERE url = $1",
          url, answer, static_cast<std::int64_t>(streak), checks, next_check_at, check.checked_at,
          static_cast<std::int64_t>(check.status), check.error, message, final_url,
          check.content_type, check.content_length, check.response_ms);
      conn.exec("INSERT INTO link_history (url, seq, " PG_CHECK_COLUMNS
                ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
                "ON CONFLICT (url, seq) DO UPDATE SET checked_at = $3, answer = $4, status = $5, "
                "error = $6, message = $7, final_url = $8, content_type = $9, "
                "content_length = $10, response_ms = $11",
                url, checks, check.checked_at, answer, static_cast<std::int64_t>(check.status),
                check.error, message, final_url, check.content_type, check.content_length,
                check.response_ms);
      conn.exec("DELETE FROM link_history WHERE url = $1 AND seq <= $2", url,
                checks - std::max(history, 1));
      return answer != old_answer && move_counters(conn, url, old_answer, answer);
    });
    return recorded;
  }

  std::optional<LinkRecord> link(std::string_view url) override {
    std::lock_guard lock(mutex_);
    Connection& conn = c();
    Result r = conn.exec(
        "SELECT url, host, answer, "
        "to_char(to_timestamp(next_check_at) AT TIME ZONE 'UTC', "
        "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
        "checks, " PG_CHECK_COLUMNS " FROM link_urls WHERE url = $1",
        url);
    if (r.empty()) return std::nullopt;
    LinkRecord out;
    out.url = r.text(0, 0);
    out.host = r.text(0, 1);
    out.answer = answer_of(r.integer(0, 2));
    out.next_check_at = r.text(0, 3);
    if (r.integer(0, 4) > 0) out.latest = check_from(r, 0, 5);
    Result h = conn.exec(
        "SELECT " PG_CHECK_COLUMNS " FROM link_history WHERE url = $1 ORDER BY seq DESC", url);
    for (int i = 0; i < h.rows(); ++i) out.history.push_back(check_from(h, i, 0));
    Result t = conn.exec(
        "SELECT dataset_id, resource_id FROM link_targets WHERE url = $1 "
        "ORDER BY dataset_id, resource_id LIMIT 100",
        url);
    for (int i = 0; i < t.rows(); ++i) out.targets.push_back({t.text(i, 0), t.text(i, 1)});
    return out;
  }

  std::vector<BrokenLink> broken_links(std::string_view owner_org, std::int64_t offset,
                                       std::int64_t limit) override {
    std::lock_guard lock(mutex_);
    Result r = c().exec("SELECT d.dataset_id, d.name, t.resource_id, u.url, " PG_CHECK_COLUMNS_U
                        " FROM link_datasets d JOIN link_targets t ON t.dataset_id = d.dataset_id "
                        "JOIN link_urls u ON u.url = t.url WHERE d.owner_org = $1 AND d.broken > 0 "
                        "AND u.answer = 2 ORDER BY d.name, u.url, t.resource_id LIMIT $2 OFFSET $3",
                        owner_org, limit, offset);
    std::vector<BrokenLink> out;
    for (int i = 0; i < r.rows(); ++i) {
      BrokenLink b;
      b.dataset_id = r.text(i, 0);
      b.dataset_name = r.text(i, 1);
      b.resource_id = r.text(i, 2);
      b.url = r.text(i, 3);
      b.latest = check_from(r, i, 4);
      out.push_back(std::move(b));
    }
    return out;
  }

  std::int64_t count_broken_links(std::string_view owner_org) override {
    std::lock_guard lock(mutex_);
    return c()
        .exec(
            "SELECT count(*) FROM link_datasets d JOIN link_targets t ON t.dataset_id = "
            "d.dataset_id JOIN link_urls u ON u.url = t.url WHERE d.owner_org = $1 AND "
            "d.broken > 0 AND u.answer = 2",
            owner_org)
        .integer(0, 0);
  }

  LinkCounts counts() override {
    std::lock_guard lock(mutex_);
    Connection& conn = c();
    Result r = conn.exec(
        "SELECT count(*), count(*) FILTER (WHERE answer = 1), count(*) FILTER (WHERE answer = 2), "
        "count(*) FILTER (WHERE answer = 0) FROM link_urls");
    LinkCounts out;
    out.urls = r.integer(0, 0), out.answering = r.integer(0, 1), out.broken = r.integer(0, 2),
    out.unknown = r.integer(0, 3);
    out.datasets_broken =
        conn.exec("SELECT count(*) FROM link_datasets WHERE broken > 0").integer(0, 0);
    return out;
  }

  std::int64_t applied_revision() override {
    std::lock_guard lock(mutex_);
    Result r = c().exec("SELECT value FROM link_checker_state WHERE key = 'applied_revision'");
    return r.empty() ? 0 : r.integer(0, 0);
  }

  void set_applied_revision(std::int64_t revision) override {
    std::lock_guard lock(mutex_);
    c().exec(
        "INSERT INTO link_checker_state (key, value) VALUES ('applied_revision', $1) "
        "ON CONFLICT (key) DO UPDATE SET value = GREATEST(link_checker_state.value, $1)",
        revision);
  }

 private:
  static std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  static std::vector<std::string> target_urls(Connection& conn, std::string_view dataset_id) {
    Result r = conn.exec("SELECT DISTINCT url FROM link_targets WHERE dataset_id = $1", dataset_id);
    std::vector<std::string> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(r.text(i, 0));
    return out;
  }

  // Forgets the URLs of `candidates` that no dataset names any more; returns them.
  static std::vector<std::string> forget_orphans(Connection& conn,
                                                 const std::vector<std::string>& candidates) {
    std::vector<std::string> gone;
    for (const std::string& url : candidates) {
      if (!conn.exec("SELECT 1 FROM link_targets WHERE url = $1 LIMIT 1", url).empty()) continue;
      conn.exec("DELETE FROM link_urls WHERE url = $1", url);
      conn.exec("DELETE FROM link_history WHERE url = $1", url);
      gone.push_back(url);
    }
    return gone;
  }

  // The URL's answer went from `from` to `to`: every dataset naming it (k times) moves its
  // counters, and one whose status changes gets a change-log row. True when one was logged.
  static bool move_counters(Connection& conn, std::string_view url, std::int64_t from,
                            std::int64_t to) {
    Result named = conn.exec(
        "SELECT dataset_id, count(*) FROM link_targets WHERE url = $1 GROUP BY dataset_id", url);
    bool logged = false;
    for (int i = 0; i < named.rows(); ++i) {
      const std::string dataset_id = named.text(i, 0);
      const std::int64_t k = named.integer(i, 1);
      const std::int64_t unknown_delta = k * ((to == 0) - (from == 0));
      const std::int64_t broken_delta = k * ((to == 2) - (from == 2));
      Result r = conn.exec(
          "UPDATE link_datasets SET unknown = unknown + $2, broken = broken + $3 "
          "WHERE dataset_id = $1 RETURNING unknown, broken, status",
          dataset_id, unknown_delta, broken_delta);
      if (r.empty()) continue;
      const std::int64_t status = status_of(r.integer(0, 0), r.integer(0, 1));
      if (status == r.integer(0, 2)) continue;
      conn.exec("UPDATE link_datasets SET status = $2 WHERE dataset_id = $1", dataset_id, status);
      logged |= log_change(conn, dataset_id);
    }
    return logged;
  }

  // Search and the quality score follow the change log: a dataset whose links changed status
  // is re-read (entity "dataset"; kind "links" says nothing else of it changed).
  static bool log_change(Connection& conn, std::string_view dataset_id) {
    append_change(conn, "dataset", dataset_id, "links");
    return true;
  }

  std::int64_t scan_at_ = -1;  // due_urls' scan position: (next_check_at, url)
  std::string scan_url_;
};

}  // namespace

std::vector<LinkAnswer> link_answers(Connection& c, std::span<const std::string> urls) {
  std::vector<LinkAnswer> out(urls.size(), LinkAnswer::kUnknown);
  if (urls.empty()) return out;
  Params params;
  params.add(std::vector<std::string>(urls.begin(), urls.end()));
  Result r = c.run(
      "SELECT w.n, u.answer FROM unnest($1::text[]) WITH ORDINALITY AS w(url, n) "
      "JOIN link_urls u ON u.url = w.url",
      params);
  for (int i = 0; i < r.rows(); ++i)
    out[static_cast<std::size_t>(r.integer(i, 0) - 1)] = answer_of(r.integer(i, 1));
  return out;
}

}  // namespace postgres

std::unique_ptr<LinkRecords> open_postgres_link_records(const std::string& url) {
  return std::make_unique<postgres::PgLinkRecords>(url);
}

}  // namespace datamap::catalog

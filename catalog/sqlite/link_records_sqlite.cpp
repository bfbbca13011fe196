// LinkRecords on SQLite: one connection of its own to the catalog file, behind a mutex, as the
// harvest records do (WAL lets it write beside the Store's writer; busy_timeout absorbs the wait).
// Each dataset keeps counters of its unknown and broken links, so recording one check costs a
// few rows whatever the size of the datasets that name the URL.
#include <algorithm>
#include <chrono>
#include <mutex>

#include "catalog/ids.h"
#include "catalog/link_checks.h"
#include "catalog/link_record_codes.h"
#include "catalog/redact.h"
#include "catalog/sqlite/connection.h"
#include "catalog/sqlite/reads.h"
#include "catalog/sqlite/records.h"

namespace datamap::catalog {

const char* to_string(LinkAnswer a) {
  switch (a) {
    case LinkAnswer::kYes:
      return "yes";
    case LinkAnswer::kNo:
      return "no";
    case LinkAnswer::kUnknown:
      break;
  }
  return "unknown";
}

namespace {

using sqlite::Connection;
using sqlite::Statement;
using sqlite::WriteTx;

using link_codes::answer_of;
using link_codes::code_of;
using link_codes::status_of;

// Columns of a check, in link_urls and link_history alike.
#define CHECK_COLUMNS                                                                     \
  "checked_at, answer, status, error, message, final_url, content_type, content_length, " \
  "response_ms"
#define CHECK_COLUMNS_U                                                                 \
  "u.checked_at, u.answer, u.status, u.error, u.message, u.final_url, u.content_type, " \
  "u.content_length, u.response_ms"

LinkCheck read_check(Statement& s, int i) {
  LinkCheck c;
  c.checked_at = s.text(i++);
  c.answer = answer_of(s.integer(i++));
  c.status = static_cast<long>(s.integer(i++));
  c.error = s.text(i++);
  c.message = redact_secrets(s.text(i++));
  c.final_url = redact_secrets(s.text(i++));
  c.content_type = s.text(i++);
  c.content_length = s.integer(i++);
  c.response_ms = s.integer(i++);
  return c;
}

class SqliteLinkRecords : public LinkRecords, private sqlite::RecordStore {
 public:
  explicit SqliteLinkRecords(const std::string& path) : RecordStore(path) {
    c_.exec("PRAGMA cache_size = -16000");
  }

  void set_links(std::span<const DatasetLinks> datasets) override {
    std::lock_guard lock(mutex_);
    WriteTx tx(c_);
    const std::int64_t now = unix_now();
    for (const DatasetLinks& d : datasets) {
      std::vector<std::string> before = target_urls(d.dataset_id);
      {
        auto del = c_.cached("DELETE FROM link_targets WHERE dataset_id = ?1");
        del->bind_all(d.dataset_id);
        del->run();
      }
      for (const Link& l : d.links) {
        auto u = c_.cached(
            "INSERT INTO link_urls (url, host, next_check_at) VALUES (?1, ?2, ?3) "
            "ON CONFLICT (url) DO NOTHING");
        u->bind_all(l.url, l.host, now);
        u->run();
        auto t = c_.cached(
            "INSERT OR IGNORE INTO link_targets (dataset_id, resource_id, url) VALUES (?1, ?2, "
            "?3)");
        t->bind_all(d.dataset_id, l.resource_id, l.url);
        t->run();
      }
      forget_orphans(before);
      if (d.links.empty()) {
        delete_dataset_row(d.dataset_id);
        continue;
      }
      auto counts = c_.cached(
          "SELECT COUNT(*), COALESCE(SUM(u.answer = 0), 0), COALESCE(SUM(u.answer = 2), 0) "
          "FROM link_targets t JOIN link_urls u ON u.url = t.url WHERE t.dataset_id = ?1");
      counts->bind_all(d.dataset_id);
      counts->step();
      const std::int64_t links = counts->integer(0), unknown = counts->integer(1),
                         broken = counts->integer(2);
      const std::int64_t status = status_of(unknown, broken);
      std::int64_t old_status = -1;
      {
        auto q = c_.cached("SELECT status FROM link_datasets WHERE dataset_id = ?1");
        q->bind_all(d.dataset_id);
        if (q->step()) old_status = q->integer(0);
      }
      auto up = c_.cached(
          "INSERT INTO link_datasets (dataset_id, name, owner_org, links, unknown, broken, "
          "status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (dataset_id) DO UPDATE SET "
          "name = ?2, owner_org = ?3, links = ?4, unknown = ?5, broken = ?6, status = ?7");
      up->bind_all(d.dataset_id, d.dataset_name, d.owner_org, links, unknown, broken, status);
      up->run();
      // A dataset seen for the first time starts unknown, which is what it was before.
      if (status != (old_status < 0 ? 0 : old_status)) log_change(d.dataset_id);
    }
    tx.commit();
  }

  std::vector<std::string> remove_dataset(std::string_view dataset_id) override {
    std::lock_guard lock(mutex_);
    WriteTx tx(c_);
    std::vector<std::string> before = target_urls(dataset_id);
    auto del = c_.cached("DELETE FROM link_targets WHERE dataset_id = ?1");
    del->bind_all(dataset_id);
    del->run();
    std::vector<std::string> gone = forget_orphans(before);
    delete_dataset_row(dataset_id);
    tx.commit();
    return gone;
  }

  std::vector<DueLink> due_urls(std::int64_t now, std::int64_t limit, int per_host,
                                const std::map<std::string, int>& queued, int lease_seconds,
                                std::int64_t scan) override {
    std::lock_guard lock(mutex_);
    WriteTx tx(c_);
    std::vector<DueLink> out;
    {
      // The scan goes on from where the last one stopped (wrapping at the end), so URLs due
      // behind a long backlog of one host are reached too.
      std::map<std::string, int> taken = queued;
      auto q = c_.cached(
          "SELECT url, host, answer, streak, next_check_at FROM link_urls "
          "WHERE next_check_at <= ?1 AND (next_check_at, url) > (?2, ?3) "
          "ORDER BY next_check_at, url LIMIT ?4");
      q->bind_all(now, scan_at_, scan_url_, scan);
      std::int64_t scanned = 0;
      while (static_cast<std::int64_t>(out.size()) < limit && q->step()) {
        ++scanned;
        scan_at_ = q->integer(4);
        scan_url_ = q->text(0);
        int& n = taken[std::string(q->text_view(1))];
        if (n >= per_host) continue;
        ++n;
        out.push_back(
            {q->text(0), q->text(1), answer_of(q->integer(2)), static_cast<int>(q->integer(3))});
      }
      if (scanned < scan && static_cast<std::int64_t>(out.size()) < limit) {
        scan_at_ = -1;  // reached the end of what is due: start over next time
        scan_url_.clear();
      }
    }
    for (const DueLink& d : out) {
      auto u = c_.cached("UPDATE link_urls SET next_check_at = ?2 WHERE url = ?1");
      u->bind_all(d.url, now + lease_seconds);
      u->run();
    }
    tx.commit();
    return out;
  }

  bool record(std::string_view url, const LinkCheck& check, int streak, std::int64_t next_check_at,
              int history) override {
    std::lock_guard lock(mutex_);
    WriteTx tx(c_);
    std::int64_t old_answer = 0, checks = 0;
    {
      auto q = c_.cached("SELECT answer, checks FROM link_urls WHERE url = ?1");
      q->bind_all(url);
      if (!q->step()) return false;  // forgotten meanwhile: its dataset is gone
      old_answer = q->integer(0);
      checks = q->integer(1) + 1;
    }
    const std::int64_t answer = code_of(check.answer);
    const std::string message = redact_secrets(check.message);
    const std::string final_url = redact_secrets(check.final_url);
    {
      auto u = c_.cached(
          "UPDATE link_urls SET answer = ?2, streak = ?3, checks = ?4, next_check_at = ?5, "
          "checked_at = ?6, status = ?7, error = ?8, message = ?9, final_url = ?10, "
          "content_type = ?11, content_length = ?12, response_ms = ?13 WHERE url = ?1");
      u->bind_all(url, answer, streak, checks, next_check_at, check.checked_at,
                  static_cast<std::int64_t>(check.status), check.error, message, final_url,
                  check.content_type, check.content_length, check.response_ms);
      u->run();
    }
    {
      auto h = c_.cached("INSERT OR REPLACE INTO link_history (url, seq, " CHECK_COLUMNS
                         ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
      h->bind_all(url, checks, check.checked_at, answer, static_cast<std::int64_t>(check.status),
                  check.error, message, final_url, check.content_type, check.content_length,
                  check.response_ms);
      h->run();
      auto trim = c_.cached("DELETE FROM link_history WHERE url = ?1 AND seq <= ?2");
      trim->bind_all(url, checks - std::max(history, 1));
      trim->run();
    }
    if (answer != old_answer) move_counters(url, old_answer, answer);
    tx.commit();
    return true;
  }

  std::optional<LinkRecord> link(std::string_view url) override {
    std::lock_guard lock(mutex_);
    LinkRecord r;
    std::int64_t checks = 0;
    {
      auto q = c_.cached(
          "SELECT url, host, answer, strftime('%Y-%m-%dT%H:%M:%SZ', next_check_at, 'unixepoch'), "
          "checks, " CHECK_COLUMNS " FROM link_urls WHERE url = ?1");
      q->bind_all(url);
      if (!q->step()) return std::nullopt;
      r.url = q->text(0);
      r.host = q->text(1);
      r.answer = answer_of(q->integer(2));
      r.next_check_at = q->text(3);
      checks = q->integer(4);
      if (checks > 0) r.latest = read_check(*q, 5);
    }
    {
      auto q =
          c_.cached("SELECT " CHECK_COLUMNS " FROM link_history WHERE url = ?1 ORDER BY seq DESC");
      q->bind_all(url);
      while (q->step()) r.history.push_back(read_check(*q, 0));
    }
    {
      auto q = c_.cached(
          "SELECT dataset_id, resource_id FROM link_targets WHERE url = ?1 "
          "ORDER BY dataset_id, resource_id LIMIT 100");
      q->bind_all(url);
      while (q->step()) r.targets.push_back({q->text(0), q->text(1)});
    }
    return r;
  }

  std::vector<BrokenLink> broken_links(std::string_view owner_org, std::int64_t offset,
                                       std::int64_t limit) override {
    std::lock_guard lock(mutex_);
    auto q = c_.cached("SELECT d.dataset_id, d.name, t.resource_id, u.url, " CHECK_COLUMNS_U
                       " FROM link_datasets d JOIN link_targets t ON t.dataset_id = d.dataset_id "
                       "JOIN link_urls u ON u.url = t.url WHERE d.owner_org = ?1 AND d.broken > 0 "
                       "AND u.answer = 2 ORDER BY d.name, u.url, t.resource_id LIMIT ?2 OFFSET ?3");
    q->bind_all(owner_org, limit, offset);
    std::vector<BrokenLink> out;
    while (q->step()) {
      BrokenLink b;
      b.dataset_id = q->text(0);
      b.dataset_name = q->text(1);
      b.resource_id = q->text(2);
      b.url = q->text(3);
      b.latest = read_check(*q, 4);
      out.push_back(std::move(b));
    }
    return out;
  }

  std::int64_t count_broken_links(std::string_view owner_org) override {
    std::lock_guard lock(mutex_);
    auto q = c_.cached(
        "SELECT COUNT(*) FROM link_datasets d JOIN link_targets t ON t.dataset_id = d.dataset_id "
        "JOIN link_urls u ON u.url = t.url WHERE d.owner_org = ?1 AND d.broken > 0 "
        "AND u.answer = 2");
    q->bind_all(owner_org);
    q->step();
    return q->integer(0);
  }

  LinkCounts counts() override {
    std::lock_guard lock(mutex_);
    LinkCounts c;
    {
      auto q = c_.cached(
          "SELECT COUNT(*), COALESCE(SUM(answer = 1), 0), COALESCE(SUM(answer = 2), 0), "
          "COALESCE(SUM(answer = 0), 0) FROM link_urls");
      q->step();
      c.urls = q->integer(0), c.answering = q->integer(1), c.broken = q->integer(2),
      c.unknown = q->integer(3);
    }
    auto q = c_.cached("SELECT COUNT(*) FROM link_datasets WHERE broken > 0");
    q->step();
    c.datasets_broken = q->integer(0);
    return c;
  }

  std::int64_t applied_revision() override {
    std::lock_guard lock(mutex_);
    auto q = c_.cached("SELECT value FROM link_checker_state WHERE key = 'applied_revision'");
    return q->step() ? q->integer(0) : 0;
  }

  void set_applied_revision(std::int64_t revision) override {
    std::lock_guard lock(mutex_);
    auto q = c_.cached(
        "INSERT INTO link_checker_state (key, value) VALUES ('applied_revision', ?1) "
        "ON CONFLICT (key) DO UPDATE SET value = MAX(value, ?1)");
    q->bind_all(revision);
    q->run();
  }

 private:
  static std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  std::vector<std::string> target_urls(std::string_view dataset_id) {
    auto q = c_.cached("SELECT DISTINCT url FROM link_targets WHERE dataset_id = ?1");
    q->bind_all(dataset_id);
    std::vector<std::string> out;
    while (q->step()) out.push_back(q->text(0));
    return out;
  }

  // Forgets the URLs of `candidates` that no dataset names any more; returns them.
  std::vector<std::string> forget_orphans(const std::vector<std::string>& candidates) {
    std::vector<std::string> gone;
    for (const std::string& url : candidates) {
      auto named = c_.cached("SELECT 1 FROM link_targets WHERE url = ?1 LIMIT 1");
      named->bind_all(url);
      if (named->step()) continue;
      for (const char* sql :
           {"DELETE FROM link_urls WHERE url = ?1", "DELETE FROM link_history WHERE url = ?1"}) {
        auto d = c_.cached(sql);
        d->bind_all(url);
        d->run();
      }
      gone.push_back(url);
    }
    return gone;
  }

  void delete_dataset_row(std::string_view dataset_id) {
    auto d = c_.cached("DELETE FROM link_datasets WHERE dataset_id = ?1");
    d->bind_all(dataset_id);
    d->run();
  }

  // The URL's answer went from `from` to `to`: every dataset naming it (k times) moves its
  // counters, and one whose status changes gets a change-log row.
  void move_counters(std::string_view url, std::int64_t from, std::int64_t to) {
    std::vector<std::pair<std::string, std::int64_t>> named;
    {
      auto q = c_.cached(
          "SELECT dataset_id, COUNT(*) FROM link_targets WHERE url = ?1 GROUP BY dataset_id");
      q->bind_all(url);
      while (q->step()) named.emplace_back(q->text(0), q->integer(1));
    }
    for (const auto& [dataset_id, k] : named) {
      auto q = c_.cached(
          "UPDATE link_datasets SET unknown = unknown + ?2 * ((?4 = 0) - (?3 = 0)), "
          "broken = broken + ?2 * ((?4 = 2) - (?3 = 2)) WHERE dataset_id = ?1 "
          "RETURNING unknown, broken, status");
      q->bind_all(dataset_id, k, from, to);
      if (!q->step()) continue;
      const std::int64_t status = status_of(q->integer(0), q->integer(1));
      const bool changed = status != q->integer(2);
      q->reset();
      if (!changed) continue;
      auto s = c_.cached("UPDATE link_datasets SET status = ?2 WHERE dataset_id = ?1");
      s->bind_all(dataset_id, status);
      s->run();
      log_change(dataset_id);
    }
  }

  // Search and the quality score follow the change log: a dataset whose links changed status
  // is re-read (entity "dataset"; kind "links" says nothing else of it changed).
  void log_change(std::string_view dataset_id) {
    sqlite::log_change(c_, "dataset", dataset_id, "links");
  }

  std::int64_t scan_at_ = -1;  // due_urls' scan position: (next_check_at, url)
  std::string scan_url_;
};

}  // namespace

std::vector<LinkAnswer> sqlite::link_answers(Connection& c, std::span<const std::string> urls) {
  std::vector<LinkAnswer> out;
  out.reserve(urls.size());
  for (const std::string& url : urls) {
    auto q = c.cached("SELECT answer FROM link_urls WHERE url = ?1");
    q->bind_all(url);
    out.push_back(q->step() ? answer_of(q->integer(0)) : LinkAnswer::kUnknown);
  }
  return out;
}

std::unique_ptr<LinkRecords> open_sqlite_link_records(const std::string& path) {
  return std::make_unique<SqliteLinkRecords>(path);
}

}  // namespace datamap::catalog

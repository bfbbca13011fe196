// DemandRecords on SQLite: one connection of its own to the catalog file behind a mutex, as the
// link and harvest records do (WAL lets it write beside the Store's writer). Vote and comment
// counts are kept on the request row in the same transaction as the vote or comment, so lists
// sort by votes without counting.
#include <mutex>

#include "catalog/demand.h"
#include "catalog/errors.h"
#include "catalog/ids.h"
#include "catalog/sqlite/connection.h"
#include "catalog/sqlite/migrations.h"

namespace datamap::catalog {
namespace {

using sqlite::Connection;
using sqlite::Statement;
using sqlite::WriteTx;

#define REQUEST_COLUMNS                                                                  \
  "id, title, description, purpose, organization_id, fields, format, user_id, status, "  \
  "scheduled_date, dataset_id, refusal_reason, legal_basis, answer, extended, created, " \
  "modified, closed_at, votes, comments"

DataRequest read_request(Statement& s) {
  DataRequest r;
  int i = 0;
  r.id = s.text(i++), r.title = s.text(i++), r.description = s.text(i++);
  r.purpose = s.text(i++), r.organization_id = s.text(i++), r.fields = s.text(i++);
  r.format = s.text(i++), r.user_id = s.text(i++), r.status = s.text(i++);
  r.scheduled_date = s.text(i++), r.dataset_id = s.text(i++), r.refusal_reason = s.text(i++);
  r.legal_basis = s.text(i++), r.answer = s.text(i++), r.extended = s.integer(i++) != 0;
  r.created = s.text(i++), r.modified = s.text(i++), r.closed_at = s.text(i++);
  r.votes = s.integer(i++), r.comments = s.integer(i++);
  return r;
}

#define REPORT_COLUMNS                                                                         \
  "id, dataset_id, resource_id, organization_id, kind, description, user_id, status, answer, " \
  "created, modified, accepted_at, closed_at"

IssueReport read_report(Statement& s) {
  IssueReport r;
  int i = 0;
  r.id = s.text(i++), r.dataset_id = s.text(i++), r.resource_id = s.text(i++);
  r.organization_id = s.text(i++), r.kind = s.text(i++), r.description = s.text(i++);
  r.user_id = s.text(i++), r.status = s.text(i++), r.answer = s.text(i++);
  r.created = s.text(i++), r.modified = s.text(i++), r.accepted_at = s.text(i++);
  r.closed_at = s.text(i++);
  return r;
}

// A LIKE pattern matching `word` anywhere, with LIKE's own characters escaped ('\').
std::string contains_pattern(std::string_view word) {
  std::string p = "%";
  for (char c : word) {
    if (c == '%' || c == '_' || c == '\\') p += '\\';
    p += c;
  }
  return p + "%";
}

// The WHERE clause shared by a query's count and its page. Every value is bound (see bind_where);
// only these fixed fragments are spliced.
struct Where {
  std::string sql = " WHERE 1";
  std::vector<std::string> values;
  void add(const char* fragment, std::string value) {
    sql += fragment;
    values.push_back(std::move(value));
  }
};

void bind_where(Statement& s, const Where& w) {
  int i = 0;
  for (const std::string& v : w.values) s.bind(++i, v);
}

class SqliteDemandRecords : public DemandRecords {
 public:
  explicit SqliteDemandRecords(const std::string& path) : c_(path, Connection::Mode::kReadWrite) {
    {
      Statement wal(c_.handle(), "PRAGMA journal_mode = WAL");
      wal.step();
    }
    c_.exec("PRAGMA synchronous = NORMAL");
    sqlite::migrate(c_);
  }

  // ---- requests
  void insert_request(DataRequest& r) override {
    std::lock_guard lock(mutex_);
    if (r.id.empty()) r.id = new_id();
    r.created = r.modified = now_iso8601();
    auto q = c_.cached(
        "INSERT INTO data_requests (id, title, description, purpose, organization_id, fields, "
        "format, user_id, status, created, modified, search_text) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11)");
    q->bind_all(r.id, r.title, r.description, r.purpose, r.organization_id, r.fields, r.format,
                r.user_id, r.status, r.created, search_text(r));
    q->run();
  }

  void update_request(DataRequest& r) override {
    std::lock_guard lock(mutex_);
    r.modified = now_iso8601();
    auto q = c_.cached(
        "UPDATE data_requests SET title = ?2, description = ?3, purpose = ?4, "
        "organization_id = ?5, fields = ?6, format = ?7, status = ?8, scheduled_date = ?9, "
        "dataset_id = ?10, refusal_reason = ?11, legal_basis = ?12, answer = ?13, extended = ?14, "
        "modified = ?15, closed_at = ?16, search_text = ?17 WHERE id = ?1");
    q->bind_all(r.id, r.title, r.description, r.purpose, r.organization_id, r.fields, r.format,
                r.status, r.scheduled_date, r.dataset_id, r.refusal_reason, r.legal_basis, r.answer,
                r.extended, r.modified, r.closed_at, search_text(r));
    q->run();
    if (c_.changes() == 0) throw NotFound("Data request not found");
  }

  std::optional<DataRequest> request(std::string_view id) override {
    std::lock_guard lock(mutex_);
    auto q = c_.cached("SELECT " REQUEST_COLUMNS " FROM data_requests WHERE id = ?1");
    q->bind_all(id);
    if (!q->step()) return std::nullopt;
    return read_request(*q);
  }

  Page<DataRequest> requests(const RequestQuery& query) override {
    Where w;
    std::string folded = fold_for_match(query.q);
    for (std::size_t at = 0; at < folded.size();) {
      std::size_t end = folded.find(' ', at);
      if (end == std::string::npos) end = folded.size();
      if (end > at)
        w.add(" AND search_text LIKE ? ESCAPE '\\'", contains_pattern(folded.substr(at, end - at)));
      at = end + 1;
    }
    if (query.status == "open")
      w.sql += " AND status NOT IN ('provided', 'refused')";
    else if (!query.status.empty())
      w.add(" AND status = ?", query.status);
    if (!query.organization_id.empty()) w.add(" AND organization_id = ?", query.organization_id);
    if (!query.user_id.empty()) w.add(" AND user_id = ?", query.user_id);
    if (!query.dataset_id.empty()) w.add(" AND dataset_id = ?", query.dataset_id);
    if (query.overdue_at > 0) {
      // created + days < now, as request_overdue says, compared as ISO text (the catalog's
      // timestamps sort as text).
      auto cutoff = [&](int days) {
        std::string iso = utc_iso(query.overdue_at - static_cast<std::int64_t>(days) * 86400);
        iso.pop_back();  // the 'Z': created has none
        return iso;
      };
      w.sql += " AND status IN ('received', 'reviewing')";
      w.add(" AND ((extended = 0 AND created < ?)", cutoff(kAnswerDays));
      w.add(" OR (extended = 1 AND created < ?))", cutoff(kAnswerDays + kExtensionDays));
    }
    const char* order = query.sort == "votes desc"      ? " ORDER BY votes DESC, created DESC"
                        : query.sort == "modified desc" ? " ORDER BY modified DESC"
                        : query.sort == "created asc"   ? " ORDER BY created ASC"
                                                        : " ORDER BY created DESC";
    std::lock_guard lock(mutex_);
    Page<DataRequest> page;
    {
      Statement count(c_.handle(), "SELECT COUNT(*) FROM data_requests" + w.sql);
      bind_where(count, w);
      count.step();
      page.count = count.integer(0);
    }
    Statement s(c_.handle(), "SELECT " REQUEST_COLUMNS " FROM data_requests" + w.sql + order +
                                 " LIMIT " + std::to_string(query.limit) + " OFFSET " +
                                 std::to_string(query.offset));
    bind_where(s, w);
    while (s.step()) page.items.push_back(read_request(s));
    return page;
  }

  std::vector<DataRequest> open_requests(std::int64_t limit) override {
    std::lock_guard lock(mutex_);
    auto q = c_.cached("SELECT " REQUEST_COLUMNS
                       " FROM data_requests WHERE status NOT IN ('provided', 'refused') "
                       "ORDER BY created DESC LIMIT ?1");
    q->bind_all(limit);
    std::vector<DataRequest> out;
    while (q->step()) out.push_back(read_request(*q));
    return out;
  }

  bool add_vote(std::string_view request_id, std::string_view user_id) override {
    std::lock_guard lock(mutex_);
    WriteTx tx(c_);
    {
      auto q = c_.cached(
          "INSERT OR IGNORE INTO data_request_votes (request_id, user_id, created) "
          "VALUES (?1, ?2, ?3)");
      q->bind_all(request_id, user_id, now_iso8601());
      q->run();
    }
    if (c_.changes() == 0) return false;
    auto u = c_.cached("UPDATE data_requests SET votes = votes + 1 WHERE id = ?1");
    u->bind_all(request_id);
    u->run();
    if (c_.changes() == 0) throw NotFound("Data request not found");
    tx.commit();
    return true;
  }

  bool has_voted(std::string_view request_id, std::string_view user_id) override {
    std::lock_guard lock(mutex_);
    auto q = c_.cached("SELECT 1 FROM data_request_votes WHERE request_id = ?1 AND user_id = ?2");
    q->bind_all(request_id, user_id);
    return q->step();
  }

  std::vector<std::string> voters(std::string_view request_id) override {
    std::lock_guard lock(mutex_);
    auto q = c_.cached(
        "SELECT user_id FROM data_request_votes WHERE request_id = ?1 ORDER BY created, user_id");
    q->bind_all(request_id);
    std::vector<std::string> out;
    while (q->step()) out.push_back(q->text(0));
    return out;
  }

  void add_comment(RequestComment& c) override {
    std::lock_guard lock(mutex_);
    WriteTx tx(c_);
    if (c.id.empty()) c.id = new_id();
    c.created = now_iso8601();
    {
      auto q = c_.cached(
          "INSERT INTO data_request_comments (id, request_id, user_id, text, created, hidden) "
          "VALUES (?1, ?2, ?3, ?4, ?5, 0)");
      q->bind_all(c.id, c.request_id, c.user_id, c.text, c.created);
      q->run();
    }
    count_comment(c.request_id, 1);
    tx.commit();
  }

  std::optional<RequestComment> comment(std::string_view id) override {
    std::lock_guard lock(mutex_);
    auto q = c_.cached(
        "SELECT id, request_id, user_id, text, created, hidden FROM data_request_comments "
        "WHERE id = ?1");
    q->bind_all(id);
    if (!q->step()) return std::nullopt;
    return read_comment(*q);
  }

  std::vector<RequestComment> comments(std::string_view request_id) override {
    std::lock_guard lock(mutex_);
    auto q = c_.cached(
        "SELECT id, request_id, user_id, text, created, hidden FROM data_request_comments "
        "WHERE request_id = ?1 ORDER BY created, id");
    q->bind_all(request_id);
    std::vector<RequestComment> out;
    while (q->step()) out.push_back(read_comment(*q));
    return out;
  }

  void set_comment_hidden(std::string_view comment_id, bool hidden,
                          const CommentAudit& audit) override {
    std::lock_guard lock(mutex_);
    WriteTx tx(c_);
    std::string request_id;
    bool was_hidden = false;
    {
      auto q = c_.cached("SELECT request_id, hidden FROM data_request_comments WHERE id = ?1");
      q->bind_all(comment_id);
      if (!q->step()) throw NotFound("Comment not found");
      request_id = q->text(0);
      was_hidden = q->integer(1) != 0;
    }
    if (was_hidden != hidden) {
      auto u = c_.cached("UPDATE data_request_comments SET hidden = ?2 WHERE id = ?1");
      u->bind_all(comment_id, hidden);
      u->run();
      count_comment(request_id, hidden ? -1 : 1);
    }
    auto a = c_.cached(
        "INSERT INTO data_request_comment_audit (request_id, comment_id, actor_id, action, "
        "reason, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    a->bind_all(request_id, comment_id, audit.actor_id, audit.action, audit.reason,
                audit.at.empty() ? now_iso8601() : audit.at);
    a->run();
    tx.commit();
  }

  std::vector<CommentAudit> comment_audit(std::string_view request_id) override {
    std::lock_guard lock(mutex_);
    auto q = c_.cached(
        "SELECT comment_id, actor_id, action, reason, at FROM data_request_comment_audit "
        "WHERE request_id = ?1 ORDER BY seq");
    q->bind_all(request_id);
    std::vector<CommentAudit> out;
    while (q->step()) out.push_back({q->text(0), q->text(1), q->text(2), q->text(3), q->text(4)});
    return out;
  }

  // ---- reports
  void insert_report(IssueReport& r) override {
    std::lock_guard lock(mutex_);
    if (r.id.empty()) r.id = new_id();
    r.created = r.modified = now_iso8601();
    auto q = c_.cached("INSERT INTO issue_reports (" REPORT_COLUMNS
                       ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11, ?12)");
    q->bind_all(r.id, r.dataset_id, r.resource_id, r.organization_id, r.kind, r.description,
                r.user_id, r.status, r.answer, r.created, r.accepted_at, r.closed_at);
    q->run();
  }

  void update_report(IssueReport& r) override {
    std::lock_guard lock(mutex_);
    r.modified = now_iso8601();
    auto q = c_.cached(
        "UPDATE issue_reports SET status = ?2, answer = ?3, modified = ?4, accepted_at = ?5, "
        "closed_at = ?6 WHERE id = ?1");
    q->bind_all(r.id, r.status, r.answer, r.modified, r.accepted_at, r.closed_at);
    q->run();
    if (c_.changes() == 0) throw NotFound("Error report not found");
  }

  std::optional<IssueReport> report(std::string_view id) override {
    std::lock_guard lock(mutex_);
    auto q = c_.cached("SELECT " REPORT_COLUMNS " FROM issue_reports WHERE id = ?1");
    q->bind_all(id);
    if (!q->step()) return std::nullopt;
    return read_report(*q);
  }

  Page<IssueReport> reports(const ReportQuery& query) override {
    Where w;
    if (!query.dataset_id.empty()) w.add(" AND dataset_id = ?", query.dataset_id);
    if (!query.organization_id.empty()) w.add(" AND organization_id = ?", query.organization_id);
    if (!query.user_id.empty()) w.add(" AND user_id = ?", query.user_id);
    if (query.status == "open")
      w.sql += " AND status != 'notified'";
    else if (!query.status.empty())
      w.add(" AND status = ?", query.status);
    std::lock_guard lock(mutex_);
    Page<IssueReport> page;
    {
      Statement count(c_.handle(), "SELECT COUNT(*) FROM issue_reports" + w.sql);
      bind_where(count, w);
      count.step();
      page.count = count.integer(0);
    }
    Statement s(c_.handle(), "SELECT " REPORT_COLUMNS " FROM issue_reports" + w.sql +
                                 " ORDER BY created DESC, id LIMIT " + std::to_string(query.limit) +
                                 " OFFSET " + std::to_string(query.offset));
    bind_where(s, w);
    while (s.step()) page.items.push_back(read_report(s));
    return page;
  }

  // ---- the outbox
  void add_notification(Notification& n) override {
    std::lock_guard lock(mutex_);
    if (n.id.empty()) n.id = new_id();
    n.created = now_iso8601();
    auto q = c_.cached(
        "INSERT INTO notifications (id, user_id, subject, body, link, entity, entity_id, "
        "email_state, created, read) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0)");
    q->bind_all(n.id, n.user_id, n.subject, n.body, n.link, n.entity, n.entity_id, n.email_state,
                n.created);
    q->run();
  }

  Page<Notification> notifications(std::string_view user_id, std::int64_t offset,
                                   std::int64_t limit) override {
    std::lock_guard lock(mutex_);
    Page<Notification> page;
    {
      auto q = c_.cached("SELECT COUNT(*) FROM notifications WHERE user_id = ?1");
      q->bind_all(user_id);
      q->step();
      page.count = q->integer(0);
    }
    auto q = c_.cached(
        "SELECT id, user_id, subject, body, link, entity, entity_id, email_state, created, read "
        "FROM notifications WHERE user_id = ?1 ORDER BY seq DESC LIMIT ?2 OFFSET ?3");
    q->bind_all(user_id, limit, offset);
    while (q->step()) {
      Notification n;
      n.id = q->text(0), n.user_id = q->text(1), n.subject = q->text(2), n.body = q->text(3);
      n.link = q->text(4), n.entity = q->text(5), n.entity_id = q->text(6);
      n.email_state = q->text(7), n.created = q->text(8), n.read = q->integer(9) != 0;
      page.items.push_back(std::move(n));
    }
    return page;
  }

  std::int64_t unread_notifications(std::string_view user_id) override {
    std::lock_guard lock(mutex_);
    auto q = c_.cached("SELECT COUNT(*) FROM notifications WHERE user_id = ?1 AND read = 0");
    q->bind_all(user_id);
    q->step();
    return q->integer(0);
  }

  void mark_notifications_read(std::string_view user_id) override {
    std::lock_guard lock(mutex_);
    auto q = c_.cached("UPDATE notifications SET read = 1 WHERE user_id = ?1 AND read = 0");
    q->bind_all(user_id);
    q->run();
  }

 private:
  static std::string search_text(const DataRequest& r) {
    return fold_for_match(r.title) + " " + fold_for_match(r.description);
  }

  static RequestComment read_comment(Statement& s) {
    RequestComment c;
    c.id = s.text(0), c.request_id = s.text(1), c.user_id = s.text(2), c.text = s.text(3);
    c.created = s.text(4), c.hidden = s.integer(5) != 0;
    return c;
  }

  void count_comment(std::string_view request_id, int delta) {
    auto u = c_.cached("UPDATE data_requests SET comments = comments + ?2 WHERE id = ?1");
    u->bind_all(request_id, delta);
    u->run();
  }

  std::mutex mutex_;
  Connection c_;
};

}  // namespace

std::unique_ptr<DemandRecords> open_sqlite_demand_records(const std::string& path) {
  return std::make_unique<SqliteDemandRecords>(path);
}

}  // namespace datamap::catalog

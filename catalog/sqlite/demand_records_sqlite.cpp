// DemandRecords on SQLite: one connection of its own to the catalog file behind a mutex, as the
// link and harvest records do (WAL lets it write beside the Store's writer). Vote and comment
// counts are kept on the request row in the same transaction as the vote or comment, so lists
// sort by votes without counting.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <mutex>

#include "catalog/demand.h"
#include "catalog/demand_rows.h"
#include "catalog/errors.h"
#include "catalog/ids.h"
#include "catalog/sqlite/records.h"

namespace datamap::catalog {
namespace {

using sqlite::Connection;
using sqlite::log_change;
using sqlite::read_page;
using sqlite::read_row;
using sqlite::Statement;
using sqlite::Where;
using sqlite::WriteTx;

// `ids` as a JSON array, for SQLite's json_each.
std::string json_array(const std::vector<std::string>& ids) {
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> w(out);
  w.StartArray();
  for (const std::string& id : ids)
    w.String(id.data(), static_cast<rapidjson::SizeType>(id.size()));
  w.EndArray();
  return out.GetString();
}

DataRequest read_request(Statement& s) {
  return request_from(sqlite::StatementRow{s});
}
IssueReport read_report(Statement& s) {
  return report_from(sqlite::StatementRow{s});
}
RequestComment read_comment(Statement& s) {
  return comment_from(sqlite::StatementRow{s});
}

#define REQUEST_COLUMNS DATAMAP_REQUEST_COLUMNS
#define REPORT_COLUMNS DATAMAP_REPORT_COLUMNS
#define COMMENT_COLUMNS DATAMAP_COMMENT_COLUMNS

// Appends the shared filters (demand_rows.h): SQLite takes their "?" placeholders as they are.
void add(Where& w, const Conditions& shared) {
  w.sql += shared.sql;
  w.values.insert(w.values.end(), shared.values.begin(), shared.values.end());
}

class SqliteDemandRecords : public DemandRecords, private sqlite::RecordStore {
 public:
  explicit SqliteDemandRecords(const std::string& path) : RecordStore(path) {}

  // ---- requests
  void insert_request(DataRequest& r) override {
    std::lock_guard lock(mutex_);
    if (r.id.empty()) r.id = new_id();
    r.created = r.modified = now_iso8601();
    WriteTx tx(c_);
    {
      auto q = c_.cached(
          "INSERT INTO data_requests (id, title, description, purpose, organization_id, fields, "
          "format, user_id, status, created, modified) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)");
      q->bind_all(r.id, r.title, r.description, r.purpose, r.organization_id, r.fields, r.format,
                  r.user_id, r.status, r.created);
      q->run();
    }
    log_change(c_, "datarequest", r.id, "create");
    tx.commit();
  }

  void update_request(DataRequest& r) override {
    std::lock_guard lock(mutex_);
    r.modified = now_iso8601();
    WriteTx tx(c_);
    {
      auto q = c_.cached(
          "UPDATE data_requests SET title = ?2, description = ?3, purpose = ?4, "
          "organization_id = ?5, fields = ?6, format = ?7, status = ?8, scheduled_date = ?9, "
          "dataset_id = ?10, refusal_reason = ?11, legal_basis = ?12, answer = ?13, "
          "extended = ?14, modified = ?15, closed_at = ?16 WHERE id = ?1");
      q->bind_all(r.id, r.title, r.description, r.purpose, r.organization_id, r.fields, r.format,
                  r.status, r.scheduled_date, r.dataset_id, r.refusal_reason, r.legal_basis,
                  r.answer, r.extended, r.modified, r.closed_at);
      q->run();
    }
    if (c_.changes() == 0) throw NotFound("Data request not found");
    log_change(c_, "datarequest", r.id, "update");
    tx.commit();
  }

  std::optional<DataRequest> request(std::string_view id) override {
    std::lock_guard lock(mutex_);
    return read_row<DataRequest>(c_, "SELECT " REQUEST_COLUMNS " FROM data_requests WHERE id = ?1",
                                 id, read_request);
  }

  Page<DataRequest> requests(const RequestQuery& query) override {
    Where w;
    std::string from = "data_requests";
    if (query.ids) {
      // The search's matches as one bound JSON array; its keys keep the search's order.
      from +=
          " JOIN (SELECT key AS rank, value AS matched_id FROM json_each(?)) "
          "ON matched_id = data_requests.id";
      w.values.push_back(json_array(*query.ids));
    }
    add(w, request_conditions(query));
    std::lock_guard lock(mutex_);
    return read_page<DataRequest>(c_, REQUEST_COLUMNS, from, w, request_order(query), query.offset,
                                  query.limit, read_request);
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

  std::int64_t add_vote(std::string_view request_id, std::string_view user_id) override {
    std::lock_guard lock(mutex_);
    WriteTx tx(c_);
    {
      auto q = c_.cached(
          "INSERT OR IGNORE INTO data_request_votes (request_id, user_id, created) "
          "VALUES (?1, ?2, ?3)");
      q->bind_all(request_id, user_id, now_iso8601());
      q->run();
    }
    if (c_.changes() == 0) return 0;
    auto u = c_.cached("UPDATE data_requests SET votes = votes + 1 WHERE id = ?1 RETURNING votes");
    u->bind_all(request_id);
    if (!u->step()) throw NotFound("Data request not found");
    const std::int64_t votes = u->integer(0);
    while (u->step()) {
    }
    tx.commit();
    return votes;
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
    return read_row<RequestComment>(
        c_, "SELECT " COMMENT_COLUMNS " FROM data_request_comments WHERE id = ?1", id,
        read_comment);
  }

  std::vector<RequestComment> comments(std::string_view request_id) override {
    std::lock_guard lock(mutex_);
    auto q = c_.cached("SELECT " COMMENT_COLUMNS
                       " FROM data_request_comments WHERE request_id = ?1 ORDER BY created, id");
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
    return read_row<IssueReport>(c_, "SELECT " REPORT_COLUMNS " FROM issue_reports WHERE id = ?1",
                                 id, read_report);
  }

  Page<IssueReport> reports(const ReportQuery& query) override {
    Where w;
    add(w, report_conditions(query));
    std::lock_guard lock(mutex_);
    return read_page<IssueReport>(c_, REPORT_COLUMNS, "issue_reports", w,
                                  " ORDER BY created DESC, id", query.offset, query.limit,
                                  read_report);
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
    auto q = c_.cached("SELECT " DATAMAP_NOTIFICATION_COLUMNS
                       " FROM notifications WHERE user_id = ?1 ORDER BY seq DESC LIMIT ?2 "
                       "OFFSET ?3");
    q->bind_all(user_id, limit, offset);
    while (q->step()) page.items.push_back(notification_from(sqlite::StatementRow{*q}));
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
  void count_comment(std::string_view request_id, int delta) {
    auto u = c_.cached("UPDATE data_requests SET comments = comments + ?2 WHERE id = ?1");
    u->bind_all(request_id, delta);
    u->run();
  }
};

}  // namespace

std::unique_ptr<DemandRecords> open_sqlite_demand_records(const std::string& path) {
  return std::make_unique<SqliteDemandRecords>(path);
}

}  // namespace datamap::catalog

#include "catalog/postgres/pg_demand.h"

#include <map>
#include <mutex>

#include "catalog/demand.h"
#include "catalog/demand_rows.h"
#include "catalog/errors.h"
#include "catalog/ids.h"
#include "catalog/outbox.h"
#include "catalog/postgres/pg_own_connection.h"
#include "catalog/postgres/pg_store.h"
#include "catalog/postgres/pg_transaction.h"

namespace datamap::catalog {
namespace postgres {
namespace {

// The shared filters' "?" placeholders (demand_rows.h) as $n, numbered on from params' count;
// their values appended to params.
std::string numbered(const Conditions& shared, Params& params) {
  std::string sql;
  std::size_t value = 0;
  for (char ch : shared.sql) {
    if (ch != '?') {
      sql += ch;
      continue;
    }
    params.add(shared.values.at(value++));
    sql += '$';  // appended apart: g++ 12 misreads "$" + to_string() (-Werror=restrict)
    sql += std::to_string(params.values().size());
  }
  return sql;
}

// The rows of `from` matching `where` (after WHERE TRUE): their count, and the page in `order`.
template <typename T, typename Map>
Page<T> read_page(Connection& c, const char* columns, const std::string& from,
                  const std::string& where, Params params, const char* order, std::int64_t offset,
                  std::int64_t limit, Map map) {
  Page<T> page;
  page.count = c.run("SELECT count(*) FROM " + from + " WHERE TRUE" + where, params).integer(0, 0);
  const std::size_t n = params.values().size();
  params.add(limit);
  params.add(offset);
  Result rows =
      c.run(std::string("SELECT ") + columns + " FROM " + from + " WHERE TRUE" + where + order +
                " LIMIT $" + std::to_string(n + 1) + " OFFSET $" + std::to_string(n + 2),
            params);
  for (int i = 0; i < rows.rows(); ++i) page.items.push_back(map(ResultRow{rows, i}));
  return page;
}

class PgDemandRecords : public DemandRecords, private OwnConnection {
 public:
  explicit PgDemandRecords(std::string url) : OwnConnection(std::move(url)) {}

  // ---- requests
  void insert_request(DataRequest& r) override {
    std::lock_guard lock(mutex_);
    if (r.id.empty()) r.id = new_id();
    r.created = r.modified = now_iso8601();
    Connection& conn = c();
    locked_write(conn, [&] {
      conn.exec(
          "INSERT INTO data_requests (id, title, description, purpose, organization_id, fields, "
          "format, user_id, status, created, modified) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
          r.id, r.title, r.description, r.purpose, r.organization_id, r.fields, r.format, r.user_id,
          r.status, r.created);
      append_change(conn, "datarequest", r.id, "create");
      return true;
    });
  }

  void update_request(DataRequest& r) override {
    std::lock_guard lock(mutex_);
    r.modified = now_iso8601();
    Connection& conn = c();
    locked_write(conn, [&] {
      Result u = conn.exec(
          "UPDATE data_requests SET title = $2, description = $3, purpose = $4, "
          "organization_id = $5, fields = $6, format = $7, status = $8, scheduled_date = $9, "
          "dataset_id = $10, refusal_reason = $11, legal_basis = $12, answer = $13, "
          "extended = $14, modified = $15, closed_at = $16 WHERE id = $1",
          r.id, r.title, r.description, r.purpose, r.organization_id, r.fields, r.format, r.status,
          r.scheduled_date, r.dataset_id, r.refusal_reason, r.legal_basis, r.answer, r.extended,
          r.modified, r.closed_at);
      if (u.affected() == 0) throw NotFound("Data request not found");
      append_change(conn, "datarequest", r.id, "update");
      return true;
    });
  }

  std::optional<DataRequest> request(std::string_view id) override {
    std::lock_guard lock(mutex_);
    Result r = c().exec("SELECT " DATAMAP_REQUEST_COLUMNS " FROM data_requests WHERE id = $1", id);
    if (r.empty()) return std::nullopt;
    return request_from(ResultRow{r, 0});
  }

  Page<DataRequest> requests(const RequestQuery& query) override {
    Params params;
    std::string from = "data_requests";
    if (query.ids) {
      // The search's matches as one text[]; their ordinality keeps the search's order.
      from +=
          " JOIN unnest($1::text[]) WITH ORDINALITY AS matched(matched_id, rank) "
          "ON matched.matched_id = data_requests.id";
      params.add(*query.ids);
    }
    const std::string where = numbered(request_conditions(query), params);
    std::lock_guard lock(mutex_);
    return read_page<DataRequest>(c(), DATAMAP_REQUEST_COLUMNS, from, where, std::move(params),
                                  request_order(query), query.offset, query.limit,
                                  [](const ResultRow& row) { return request_from(row); });
  }

  std::vector<DataRequest> open_requests(std::int64_t limit) override {
    std::lock_guard lock(mutex_);
    Result r = c().exec("SELECT " DATAMAP_REQUEST_COLUMNS
                        " FROM data_requests WHERE status NOT IN ('provided', 'refused') "
                        "ORDER BY created DESC LIMIT $1",
                        limit);
    std::vector<DataRequest> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(request_from(ResultRow{r, i}));
    return out;
  }

  std::int64_t add_vote(std::string_view request_id, std::string_view user_id) override {
    std::lock_guard lock(mutex_);
    return in_transaction([&](Connection& conn) -> std::int64_t {
      Result vote = conn.exec(
          "INSERT INTO data_request_votes (request_id, user_id, created) VALUES ($1, $2, $3) "
          "ON CONFLICT DO NOTHING",
          request_id, user_id, now_iso8601());
      if (vote.affected() == 0) return 0;
      Result tally = conn.exec(
          "UPDATE data_requests SET votes = votes + 1 WHERE id = $1 RETURNING votes", request_id);
      if (tally.empty()) throw NotFound("Data request not found");  // the vote row rolls back
      return tally.integer(0, 0);
    });
  }

  bool has_voted(std::string_view request_id, std::string_view user_id) override {
    std::lock_guard lock(mutex_);
    return !c().exec("SELECT 1 FROM data_request_votes WHERE request_id = $1 AND user_id = $2",
                     request_id, user_id)
                .empty();
  }

  std::vector<std::string> voters(std::string_view request_id) override {
    std::lock_guard lock(mutex_);
    Result r = c().exec(
        "SELECT user_id FROM data_request_votes WHERE request_id = $1 ORDER BY created, user_id",
        request_id);
    std::vector<std::string> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(r.text(i, 0));
    return out;
  }

  void add_comment(RequestComment& comment) override {
    std::lock_guard lock(mutex_);
    if (comment.id.empty()) comment.id = new_id();
    comment.created = now_iso8601();
    in_transaction([&](Connection& conn) {
      conn.exec(
          "INSERT INTO data_request_comments (id, request_id, user_id, text, created, hidden) "
          "VALUES ($1, $2, $3, $4, $5, FALSE)",
          comment.id, comment.request_id, comment.user_id, comment.text, comment.created);
      count_comment(conn, comment.request_id, 1);
      return true;
    });
  }

  std::optional<RequestComment> comment(std::string_view id) override {
    std::lock_guard lock(mutex_);
    Result r =
        c().exec("SELECT " DATAMAP_COMMENT_COLUMNS " FROM data_request_comments WHERE id = $1", id);
    if (r.empty()) return std::nullopt;
    return comment_from(ResultRow{r, 0});
  }

  std::vector<RequestComment> comments(std::string_view request_id) override {
    std::lock_guard lock(mutex_);
    Result r = c().exec("SELECT " DATAMAP_COMMENT_COLUMNS
                        " FROM data_request_comments WHERE request_id = $1 ORDER BY created, id",
                        request_id);
    std::vector<RequestComment> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(comment_from(ResultRow{r, i}));
    return out;
  }

  void set_comment_hidden(std::string_view comment_id, bool hidden,
                          const CommentAudit& audit) override {
    std::lock_guard lock(mutex_);
    in_transaction([&](Connection& conn) {
      // FOR UPDATE: a moderator on another node waits, then sees this one's flag.
      Result row =
          conn.exec("SELECT request_id, hidden FROM data_request_comments WHERE id = $1 FOR UPDATE",
                    comment_id);
      if (row.empty()) throw NotFound("Comment not found");
      const std::string request_id = row.text(0, 0);
      if (row.boolean(0, 1) != hidden) {
        conn.exec("UPDATE data_request_comments SET hidden = $2 WHERE id = $1", comment_id, hidden);
        count_comment(conn, request_id, hidden ? -1 : 1);
      }
      conn.exec(
          "INSERT INTO data_request_comment_audit (request_id, comment_id, actor_id, action, "
          "reason, at) VALUES ($1, $2, $3, $4, $5, $6)",
          request_id, comment_id, audit.actor_id, audit.action, audit.reason,
          audit.at.empty() ? now_iso8601() : audit.at);
      return true;
    });
  }

  std::vector<CommentAudit> comment_audit(std::string_view request_id) override {
    std::lock_guard lock(mutex_);
    Result r = c().exec(
        "SELECT comment_id, actor_id, action, reason, at FROM data_request_comment_audit "
        "WHERE request_id = $1 ORDER BY seq",
        request_id);
    std::vector<CommentAudit> out;
    for (int i = 0; i < r.rows(); ++i)
      out.push_back({r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4)});
    return out;
  }

  // ---- reports
  void insert_report(IssueReport& r) override {
    std::lock_guard lock(mutex_);
    if (r.id.empty()) r.id = new_id();
    r.created = r.modified = now_iso8601();
    c().exec("INSERT INTO issue_reports (" DATAMAP_REPORT_COLUMNS
             ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $12)",
             r.id, r.dataset_id, r.resource_id, r.organization_id, r.kind, r.description, r.user_id,
             r.status, r.answer, r.created, r.accepted_at, r.closed_at);
  }

  void update_report(IssueReport& r) override {
    std::lock_guard lock(mutex_);
    r.modified = now_iso8601();
    Result u = c().exec(
        "UPDATE issue_reports SET status = $2, answer = $3, modified = $4, accepted_at = $5, "
        "closed_at = $6 WHERE id = $1",
        r.id, r.status, r.answer, r.modified, r.accepted_at, r.closed_at);
    if (u.affected() == 0) throw NotFound("Error report not found");
  }

  std::optional<IssueReport> report(std::string_view id) override {
    std::lock_guard lock(mutex_);
    Result r = c().exec("SELECT " DATAMAP_REPORT_COLUMNS " FROM issue_reports WHERE id = $1", id);
    if (r.empty()) return std::nullopt;
    return report_from(ResultRow{r, 0});
  }

  Page<IssueReport> reports(const ReportQuery& query) override {
    Params params;
    const std::string where = numbered(report_conditions(query), params);
    std::lock_guard lock(mutex_);
    return read_page<IssueReport>(c(), DATAMAP_REPORT_COLUMNS, "issue_reports", where,
                                  std::move(params), " ORDER BY created DESC, id", query.offset,
                                  query.limit,
                                  [](const ResultRow& row) { return report_from(row); });
  }

  // ---- the outbox
  void add_notification(Notification& n) override {
    std::lock_guard lock(mutex_);
    if (n.id.empty()) n.id = new_id();
    n.created = now_iso8601();
    c().exec(
        "INSERT INTO notifications (id, user_id, subject, body, link, entity, entity_id, "
        "email_state, created, read) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, FALSE)",
        n.id, n.user_id, n.subject, n.body, n.link, n.entity, n.entity_id, n.email_state,
        n.created);
  }

  Page<Notification> notifications(std::string_view user_id, std::int64_t offset,
                                   std::int64_t limit) override {
    std::lock_guard lock(mutex_);
    Page<Notification> page;
    page.count =
        c().exec("SELECT count(*) FROM notifications WHERE user_id = $1", user_id).integer(0, 0);
    Result r = c().exec("SELECT " DATAMAP_NOTIFICATION_COLUMNS
                        " FROM notifications WHERE user_id = $1 ORDER BY seq DESC LIMIT $2 "
                        "OFFSET $3",
                        user_id, limit, offset);
    for (int i = 0; i < r.rows(); ++i) page.items.push_back(notification_from(ResultRow{r, i}));
    return page;
  }

  std::int64_t unread_notifications(std::string_view user_id) override {
    std::lock_guard lock(mutex_);
    return c()
        .exec("SELECT count(*) FROM notifications WHERE user_id = $1 AND NOT read", user_id)
        .integer(0, 0);
  }

  void mark_notifications_read(std::string_view user_id) override {
    std::lock_guard lock(mutex_);
    c().exec("UPDATE notifications SET read = TRUE WHERE user_id = $1 AND NOT read", user_id);
  }

 private:
  static void count_comment(Connection& conn, std::string_view request_id, int delta) {
    conn.exec("UPDATE data_requests SET comments = comments + $2 WHERE id = $1", request_id, delta);
  }
};

class PgOutbox : public Outbox, private OwnConnection {
 public:
  explicit PgOutbox(std::string url) : OwnConnection(std::move(url)) {}

  std::vector<OutgoingMail> due_mail(std::int64_t now, std::int64_t limit) override {
    std::lock_guard lock(mutex_);
    // Claimed: SKIP LOCKED passes over rows another node is claiming at this moment, and the
    // moved next attempt keeps them from everyone else until sent, failed or the claim lapses
    // (a node that died mid-delivery: another sends it then).
    Result r = c().exec(
        "WITH due AS (SELECT seq FROM notifications "
        "  WHERE email_state IN ('queued', 'retrying') AND email_next_at <= $1 "
        "  ORDER BY email_next_at, seq LIMIT $2 FOR UPDATE SKIP LOCKED), "
        "claimed AS (UPDATE notifications n SET email_next_at = $1 + $3 FROM due "
        "  WHERE n.seq = due.seq "
        "  RETURNING n.seq, n.id, n.user_id, n.subject, n.body, n.link, n.email_attempts) "
        "SELECT id, user_id, subject, body, link, email_attempts FROM claimed ORDER BY seq",
        now, limit, kMailClaimSeconds);
    std::vector<OutgoingMail> out;
    for (int i = 0; i < r.rows(); ++i)
      out.push_back(
          {r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4), r.integer(i, 5)});
    return out;
  }

  std::optional<std::int64_t> next_due() override {
    std::lock_guard lock(mutex_);
    Result r = c().exec(
        "SELECT min(email_next_at) FROM notifications "
        "WHERE email_state IN ('queued', 'retrying')");
    if (r.is_null(0, 0)) return std::nullopt;
    return r.integer(0, 0);
  }

  void mail_sent(std::string_view id) override {
    std::lock_guard lock(mutex_);
    c().exec(
        "UPDATE notifications SET email_state = 'sent', email_attempts = email_attempts + 1, "
        "email_error = '', email_sent_at = $2 WHERE id = $1",
        id, now_iso8601());
  }

  void mail_failed(std::string_view id, std::string_view error,
                   std::optional<std::int64_t> next_at) override {
    std::lock_guard lock(mutex_);
    c().exec(
        "UPDATE notifications SET email_state = $2, email_attempts = email_attempts + 1, "
        "email_error = $3, email_next_at = $4 WHERE id = $1",
        id, next_at ? "retrying" : "failed", error, next_at.value_or(0));
  }

  std::optional<MailDelivery> delivery(std::string_view id) override {
    std::lock_guard lock(mutex_);
    Result r = c().exec(
        "SELECT email_state, email_attempts, email_error, email_sent_at FROM notifications "
        "WHERE id = $1",
        id);
    if (r.empty()) return std::nullopt;
    return MailDelivery{r.text(0, 0), r.integer(0, 1), r.text(0, 2), r.text(0, 3)};
  }
};

}  // namespace

std::vector<DemandCounts> demand_signals(Connection& c) {
  std::map<std::string, DemandCounts> by_dataset;
  auto at = [&](std::string id) -> DemandCounts& {
    auto& d = by_dataset[id];
    d.dataset_id = std::move(id);
    return d;
  };
  Result requests = c.exec(
      "SELECT dataset_id, count(*), coalesce(sum(votes), 0) FROM data_requests "
      "WHERE dataset_id <> '' GROUP BY dataset_id");
  for (int i = 0; i < requests.rows(); ++i) {
    auto& d = at(requests.text(i, 0));
    d.requests = requests.integer(i, 1);
    d.votes = requests.integer(i, 2);
  }
  Result reports = c.exec("SELECT dataset_id, count(*) FROM issue_reports GROUP BY dataset_id");
  for (int i = 0; i < reports.rows(); ++i)
    at(reports.text(i, 0)).error_reports = reports.integer(i, 1);
  std::vector<DemandCounts> out;
  out.reserve(by_dataset.size());
  for (auto& entry : by_dataset) out.push_back(std::move(entry.second));
  return out;
}

}  // namespace postgres

std::unique_ptr<DemandRecords> open_postgres_demand_records(const std::string& url) {
  return std::make_unique<postgres::PgDemandRecords>(url);
}

std::unique_ptr<Outbox> open_postgres_outbox(const std::string& url) {
  return std::make_unique<postgres::PgOutbox>(url);
}

}  // namespace datamap::catalog

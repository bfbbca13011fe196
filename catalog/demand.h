// What citizens ask of the agencies, as the catalog keeps it: data requests (제공신청) with their
// votes and comments (a hidden comment keeps its text and an audit row saying who hid it, when
// and why), error reports (품질오류신고) on a dataset or one of its resources, and the outbox of
// notifications every change writes for the people it concerns (delivered in the portal; sent by
// e-mail only when a deployment configures SMTP). Stored in the catalog: its SQLite file
// (migration step 10, catalog/sqlite/migrations.cpp) or its PostgreSQL database (step 3,
// catalog/postgres/pg_migrations.cpp), one implementation per backend over the same shared row
// mapping and filters (catalog/demand_rows.h).
//
// The records are storage only: who may do what, and which transitions are allowed, are the
// actions' business (api/actions/request_actions.cpp, report_actions.cpp). The deadline rules
// are here, as pure functions, so every front end computes them the same way.
//
// Thread safety: every method may be called from any thread; each write is one transaction.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace datamap::catalog {

// ---- data requests. Status: "received" (접수) → "reviewing" (검토중) → "scheduled" (제공 예정,
// with a date) → "provided" (제공 완료, with the answering dataset) | "refused" (제공 불가, with a
// reason). The last two are closed.
struct DataRequest {
  std::string id;
  std::string title;
  std::string description;
  std::string purpose;          // business | research | personal | public | other
  std::string organization_id;  // the agency asked; "" when the requester named none
  std::string fields;           // the columns the requester wants, free text
  std::string format;           // the wanted file format, e.g. "CSV"
  std::string user_id;          // the requester
  std::string status = "received";
  std::string scheduled_date;  // YYYY-MM-DD once "scheduled"
  std::string dataset_id;      // the answering dataset ("provided", or refused as already_open)
  std::string refusal_reason;  // see kRefusalReasons
  std::string legal_basis;     // required with "non_disclosure"
  std::string answer;          // the agency's note to the requester
  bool extended = false;       // the answer deadline was extended once (+10 days)
  std::string created, modified, closed_at;  // ISO 8601 UTC
  std::int64_t votes = 0;                    // maintained by the records
  std::int64_t comments = 0;                 // visible ones
};

bool is_request_status(std::string_view s);
bool is_closed_status(std::string_view s);  // provided | refused
// 이미 개방됨, 비공개 대상, 보유하지 않음, 생성 불가(과도한 가공), 기타.
inline constexpr const char* kRefusalReasons[] = {"already_open", "non_disclosure", "not_held",
                                                  "cannot_produce", "other"};
bool is_refusal_reason(std::string_view s);
inline constexpr const char* kPurposes[] = {"business", "research", "personal", "public", "other"};
bool is_purpose(std::string_view s);

// The answer deadline: an agency answers within 8 days of the request, once extendable by 10
// (공공데이터법 시행령: 8 days, +10). Calendar days, counted from `created`.
inline constexpr int kAnswerDays = 8;
inline constexpr int kExtensionDays = 10;
std::string request_deadline(const DataRequest& r);  // ISO 8601 UTC
// Unanswered (received or reviewing) past its deadline at `now` (Unix seconds).
bool request_overdue(const DataRequest& r, std::int64_t now);

struct RequestComment {
  std::string id, request_id, user_id, text, created;
  bool hidden = false;
};

// One moderation step: `action` is "hide" or "show".
struct CommentAudit {
  std::string comment_id, actor_id, action, reason, at;
};

struct RequestQuery {
  // Only these requests (a search's matches, search/request_index.h), when set; with sort
  // "rank", in this order.
  std::optional<std::vector<std::string>> ids;
  std::string status;  // "" any; "open" = not closed; else one status
  std::string organization_id;  // "" any
  std::string user_id;          // "" any: the requester
  std::string dataset_id;       // "" any: the answering dataset
  // Only requests overdue at this time (Unix seconds; 0: no such filter), see request_overdue.
  std::int64_t overdue_at = 0;
  // "created desc" | "created asc" | "votes desc" | "modified desc" | "rank" (the order of ids)
  std::string sort = "created desc";
  std::int64_t offset = 0, limit = 20;
};

// ---- error reports. Status: "pending" (대기) → "accepted" (접수) → "notified" (통지: answered and
// closed). The agency answers within 10 days.
struct IssueReport {
  std::string id;
  std::string dataset_id;
  std::string resource_id;      // "" = the dataset as a whole
  std::string organization_id;  // the publishing agency when reported
  std::string kind;             // wrong_values | broken_link | outdated | other
  std::string description;
  std::string user_id;  // the reporter
  std::string status = "pending";
  std::string answer;  // the agency's answer (required to notify)
  std::string created, modified, accepted_at, closed_at;
};

bool is_report_kind(std::string_view s);
bool is_report_status(std::string_view s);
inline constexpr int kReportDays = 10;
std::string report_deadline(const IssueReport& r);
bool report_overdue(const IssueReport& r, std::int64_t now);  // not notified past its deadline

struct ReportQuery {
  std::string dataset_id, organization_id, user_id;  // "" any
  std::string status;  // "" any; "open" = not notified; else one status
  std::int64_t offset = 0, limit = 20;
};

// ---- the outbox: one row per notification of one user.
struct Notification {
  std::string id, user_id;
  std::string subject;  // plain text
  std::string body;     // plain text
  std::string link;     // a path on the portal, e.g. "/requests/ID"
  std::string entity;   // "datarequest" | "issue_report"
  std::string entity_id;
  // "off" (no SMTP configured), "no_address" (the user has no e-mail), "queued" (for the mailer)
  std::string email_state = "off";
  std::string created;
  bool read = false;
};

template <typename T>
struct Page {
  std::int64_t count = 0;  // all matches
  std::vector<T> items;    // the requested slice
};

class DemandRecords {
 public:
  virtual ~DemandRecords() = default;

  // ---- requests. insert fills an empty id and sets created / modified. insert and update append
  // a change-log row (entity "datarequest") in their transaction, so the request search
  // (search/request_index.h) follows them as the dataset index does; votes and comments do not
  // (nothing searched changes).
  virtual void insert_request(DataRequest& r) = 0;
  // Replaces the editable fields and the status by r.id (NotFound if unknown); sets modified.
  virtual void update_request(DataRequest& r) = 0;
  virtual std::optional<DataRequest> request(std::string_view id) = 0;
  virtual Page<DataRequest> requests(const RequestQuery& query) = 0;
  // Requests not yet closed, newest first, at most `limit` (the overdue summary).
  virtual std::vector<DataRequest> open_requests(std::int64_t limit) = 0;

  // One vote per user: 0 (and nothing written) when `user_id` already voted; otherwise the
  // request's vote count with this vote, read in the same transaction, so each counted vote of
  // many at once gets its own number (a tally at 10 is recorded exactly once).
  virtual std::int64_t add_vote(std::string_view request_id, std::string_view user_id) = 0;
  virtual bool has_voted(std::string_view request_id, std::string_view user_id) = 0;
  virtual std::vector<std::string> voters(std::string_view request_id) = 0;  // user ids

  virtual void add_comment(RequestComment& c) = 0;  // fills id and created
  virtual std::optional<RequestComment> comment(std::string_view id) = 0;
  virtual std::vector<RequestComment> comments(std::string_view request_id) = 0;  // oldest first
  // Hides or shows a comment and appends the audit row in the same transaction.
  virtual void set_comment_hidden(std::string_view comment_id, bool hidden,
                                  const CommentAudit& audit) = 0;
  virtual std::vector<CommentAudit> comment_audit(std::string_view request_id) = 0;

  // ---- error reports. insert fills an empty id and sets created / modified.
  virtual void insert_report(IssueReport& r) = 0;
  virtual void update_report(IssueReport& r) = 0;  // NotFound if unknown; sets modified
  virtual std::optional<IssueReport> report(std::string_view id) = 0;
  virtual Page<IssueReport> reports(const ReportQuery& query) = 0;

  // ---- the outbox. add fills id and created.
  virtual void add_notification(Notification& n) = 0;
  virtual Page<Notification> notifications(std::string_view user_id, std::int64_t offset,
                                           std::int64_t limit) = 0;
  virtual std::int64_t unread_notifications(std::string_view user_id) = 0;
  virtual void mark_notifications_read(std::string_view user_id) = 0;
};

// Opens the records in the SQLite catalog at `path` (migrating it when needed).
std::unique_ptr<DemandRecords> open_sqlite_demand_records(const std::string& path);
// Opens them in the PostgreSQL catalog at `url` (migrating it when needed), shared by every node
// on it (catalog/postgres/pg_demand.h).
std::unique_ptr<DemandRecords> open_postgres_demand_records(const std::string& url);

// Unix seconds of "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS[...]" read as UTC; -1 when it is neither.
std::int64_t utc_seconds(std::string_view iso);
std::string utc_iso(std::int64_t t);  // "YYYY-MM-DDTHH:MM:SSZ"

}  // namespace datamap::catalog

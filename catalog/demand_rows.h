// What both catalog backends (catalog/sqlite/demand_records_sqlite.cpp,
// catalog/postgres/pg_demand.cpp) store and read of data requests, error reports and
// notifications, written once so the two cannot drift: the columns each selects, the mapping of
// one selected row to the model, and a list's filters and order. Only the SQL that differs
// (placeholders, the search's id list, paging, locking) stays per backend.
#pragma once

#include <string>
#include <vector>

#include "catalog/demand.h"

namespace datamap::catalog {

// Every backend selects these columns, in this order.
#define DATAMAP_REQUEST_COLUMNS                                                          \
  "id, title, description, purpose, organization_id, fields, format, user_id, status, "  \
  "scheduled_date, dataset_id, refusal_reason, legal_basis, answer, extended, created, " \
  "modified, closed_at, votes, comments"
#define DATAMAP_REPORT_COLUMNS                                                                 \
  "id, dataset_id, resource_id, organization_id, kind, description, user_id, status, answer, " \
  "created, modified, accepted_at, closed_at"
#define DATAMAP_COMMENT_COLUMNS "id, request_id, user_id, text, created, hidden"
#define DATAMAP_NOTIFICATION_COLUMNS \
  "id, user_id, subject, body, link, entity, entity_id, email_state, created, read"

// Row is a backend's view of one selected row: text(col), integer(col) and flag(col) (a boolean
// column), numbered as selected above.
template <typename Row>
DataRequest request_from(const Row& row) {
  DataRequest r;
  std::string* texts[] = {
      &r.id,         &r.title,          &r.description, &r.purpose, &r.organization_id,
      &r.fields,     &r.format,         &r.user_id,     &r.status,  &r.scheduled_date,
      &r.dataset_id, &r.refusal_reason, &r.legal_basis, &r.answer};
  int col = 0;
  for (std::string* field : texts) *field = row.text(col++);
  r.extended = row.flag(col++);
  r.created = row.text(col++);
  r.modified = row.text(col++);
  r.closed_at = row.text(col++);
  r.votes = row.integer(col++);
  r.comments = row.integer(col++);
  return r;
}

template <typename Row>
IssueReport report_from(const Row& row) {
  IssueReport r;
  std::string* texts[] = {&r.id,       &r.dataset_id,  &r.resource_id, &r.organization_id,
                          &r.kind,     &r.description, &r.user_id,     &r.status,
                          &r.answer,   &r.created,     &r.modified,    &r.accepted_at,
                          &r.closed_at};
  int col = 0;
  for (std::string* field : texts) *field = row.text(col++);
  return r;
}

template <typename Row>
RequestComment comment_from(const Row& row) {
  return {row.text(0), row.text(1), row.text(2), row.text(3), row.text(4), row.flag(5)};
}

template <typename Row>
Notification notification_from(const Row& row) {
  Notification n;
  std::string* texts[] = {&n.id,     &n.user_id,   &n.subject,     &n.body,   &n.link,
                          &n.entity, &n.entity_id, &n.email_state, &n.created};
  int col = 0;
  for (std::string* field : texts) *field = row.text(col++);
  n.read = row.flag(col);
  return n;
}

// A list's filters as SQL conditions, each " AND ..." with one "?" per value, in order (a
// backend numbers the placeholders its own way). Booleans are tested bare (`NOT extended`),
// which both SQLite's integers and PostgreSQL's booleans accept.
struct Conditions {
  std::string sql;
  std::vector<std::string> values;
  void add(const char* fragment, std::string value) {
    sql += fragment;
    values.push_back(std::move(value));
  }
};
Conditions request_conditions(const RequestQuery& query);  // every filter but ids
Conditions report_conditions(const ReportQuery& query);
// The ORDER BY clause of query.sort; "rank" orders by a column named rank the backend joins in
// from the search's ids.
const char* request_order(const RequestQuery& query);

}  // namespace datamap::catalog

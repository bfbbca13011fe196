#include "catalog/demand_rows.h"

namespace datamap::catalog {

Conditions request_conditions(const RequestQuery& query) {
  Conditions w;
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
    w.add(" AND ((NOT extended AND created < ?)", cutoff(kAnswerDays));
    w.add(" OR (extended AND created < ?))", cutoff(kAnswerDays + kExtensionDays));
  }
  return w;
}

Conditions report_conditions(const ReportQuery& query) {
  Conditions w;
  if (!query.dataset_id.empty()) w.add(" AND dataset_id = ?", query.dataset_id);
  if (!query.organization_id.empty()) w.add(" AND organization_id = ?", query.organization_id);
  if (!query.user_id.empty()) w.add(" AND user_id = ?", query.user_id);
  if (query.status == "open")
    w.sql += " AND status <> 'notified'";
  else if (!query.status.empty())
    w.add(" AND status = ?", query.status);
  return w;
}

const char* request_order(const RequestQuery& query) {
  if (query.sort == "rank" && query.ids) return " ORDER BY rank";
  if (query.sort == "votes desc") return " ORDER BY votes DESC, created DESC";
  if (query.sort == "modified desc") return " ORDER BY modified DESC";
  if (query.sort == "created asc") return " ORDER BY created ASC";
  return " ORDER BY created DESC";
}

}  // namespace datamap::catalog

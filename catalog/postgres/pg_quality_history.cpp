// QualityHistory on PostgreSQL (catalog/quality_history.h): one scoreboard history for every node.
// Each node's snapshot job may take the day's snapshot; put_day replaces the day's rows in one
// transaction, so the last one taken counts, as on SQLite.
#include <cmath>
#include <mutex>

#include "catalog/postgres/pg_own_connection.h"
#include "catalog/postgres/pg_record_stores.h"
#include "catalog/quality_history.h"

namespace datamap::catalog {
namespace postgres {
namespace {

class PgQualityHistory : public QualityHistory, private OwnConnection {
 public:
  explicit PgQualityHistory(std::string url) : OwnConnection(std::move(url)) {}

  void put_day(std::string_view day, std::span<const QualitySnapshot> rows) override {
    std::lock_guard lock(mutex_);
    in_transaction([&](Connection& conn) {
      // Two nodes taking the same day's snapshot at once: the second waits for the first's
      // rows (the day's advisory lock) and then replaces them, instead of colliding on the key.
      conn.exec("SELECT pg_advisory_xact_lock(hashtext('quality_history ' || $1::text))", day);
      conn.exec("DELETE FROM quality_history WHERE day = $1", day);
      for (const QualitySnapshot& s : rows)
        conn.exec(
            "INSERT INTO quality_history (organization_id, day, datasets, mean_percent_x100, "
            "excellent, good, sufficient, bad, overdue, broken_links, checked_values, "
            "invalid_values) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            s.organization_id, day, s.datasets,
            static_cast<std::int64_t>(std::llround(s.mean_percent * 100)), s.by_rating[0],
            s.by_rating[1], s.by_rating[2], s.by_rating[3], s.overdue, s.broken_links,
            s.checked_values, s.invalid_values);
      return true;
    });
  }

  std::vector<QualitySnapshot> history(std::string_view organization_id,
                                       std::size_t limit) override {
    std::lock_guard lock(mutex_);
    Result r = c().exec(
        "SELECT day, datasets, mean_percent_x100, excellent, good, sufficient, bad, overdue, "
        "broken_links, checked_values, invalid_values FROM quality_history "
        "WHERE organization_id = $1 ORDER BY day DESC LIMIT $2",
        organization_id, static_cast<std::int64_t>(limit));
    std::vector<QualitySnapshot> out;
    for (int i = r.rows() - 1; i >= 0; --i) {  // oldest first
      QualitySnapshot s;
      s.day = r.text(i, 0);
      s.organization_id = std::string(organization_id);
      s.datasets = r.integer(i, 1);
      s.mean_percent = static_cast<double>(r.integer(i, 2)) / 100;
      for (int k = 0; k < 4; ++k) s.by_rating[static_cast<std::size_t>(k)] = r.integer(i, 3 + k);
      s.overdue = r.integer(i, 7);
      s.broken_links = r.integer(i, 8);
      s.checked_values = r.integer(i, 9);
      s.invalid_values = r.integer(i, 10);
      out.push_back(std::move(s));
    }
    return out;
  }

  bool has_day(std::string_view day) override {
    std::lock_guard lock(mutex_);
    return !c().exec("SELECT 1 FROM quality_history WHERE organization_id = '' AND day = $1", day)
                .empty();
  }
};

}  // namespace
}  // namespace postgres

std::unique_ptr<QualityHistory> open_postgres_quality_history(const std::string& url) {
  return std::make_unique<postgres::PgQualityHistory>(url);
}

}  // namespace datamap::catalog

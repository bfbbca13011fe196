// QualityHistory on SQLite: one connection of its own to the catalog file, behind a mutex, as the
// link records do (WAL lets it write beside the Store's writer; busy_timeout absorbs the wait).
#include <cmath>
#include <mutex>

#include "catalog/quality_history.h"
#include "catalog/sqlite/connection.h"
#include "catalog/sqlite/records.h"

namespace datamap::catalog {
namespace {

using sqlite::Connection;
using sqlite::Statement;
using sqlite::WriteTx;

class SqliteQualityHistory : public QualityHistory, private sqlite::RecordStore {
 public:
  explicit SqliteQualityHistory(const std::string& path) : RecordStore(path) {}

  void put_day(std::string_view day, std::span<const QualitySnapshot> rows) override {
    std::lock_guard lock(mutex_);
    WriteTx tx(c_);
    {
      auto del = c_.cached("DELETE FROM quality_history WHERE day = ?1");
      del->bind_all(day);
      del->run();
    }
    for (const QualitySnapshot& s : rows) {
      auto q = c_.cached(
          "INSERT INTO quality_history (organization_id, day, datasets, mean_percent_x100, "
          "excellent, good, sufficient, bad, overdue, broken_links, checked_values, "
          "invalid_values) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
      q->bind_all(s.organization_id, day, s.datasets,
                  static_cast<std::int64_t>(std::llround(s.mean_percent * 100)), s.by_rating[0],
                  s.by_rating[1], s.by_rating[2], s.by_rating[3], s.overdue, s.broken_links,
                  s.checked_values, s.invalid_values);
      q->run();
    }
    tx.commit();
  }

  std::vector<QualitySnapshot> history(std::string_view organization_id,
                                       std::size_t limit) override {
    std::lock_guard lock(mutex_);
    auto q = c_.cached(
        "SELECT day, datasets, mean_percent_x100, excellent, good, sufficient, bad, overdue, "
        "broken_links, checked_values, invalid_values FROM quality_history "
        "WHERE organization_id = ?1 ORDER BY day DESC LIMIT ?2");
    q->bind_all(organization_id, limit);
    std::vector<QualitySnapshot> out;
    while (q->step()) {
      QualitySnapshot s;
      s.day = q->text(0);
      s.organization_id = std::string(organization_id);
      s.datasets = q->integer(1);
      s.mean_percent = static_cast<double>(q->integer(2)) / 100;
      for (int i = 0; i < 4; ++i) s.by_rating[static_cast<std::size_t>(i)] = q->integer(3 + i);
      s.overdue = q->integer(7);
      s.broken_links = q->integer(8);
      s.checked_values = q->integer(9);
      s.invalid_values = q->integer(10);
      out.push_back(std::move(s));
    }
    return {out.rbegin(), out.rend()};  // oldest first
  }

  bool has_day(std::string_view day) override {
    std::lock_guard lock(mutex_);
    auto q = c_.cached("SELECT 1 FROM quality_history WHERE organization_id = '' AND day = ?1");
    q->bind_all(day);
    return q->step();
  }
};

}  // namespace

std::unique_ptr<QualityHistory> open_sqlite_quality_history(const std::string& path) {
  return std::make_unique<SqliteQualityHistory>(path);
}

}  // namespace datamap::catalog

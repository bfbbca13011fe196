// The scoreboard's history (issue 15 item 4): one snapshot a day of every agency's figures and
// the national ones, so an agency sees its progress. Stored where the catalog is — its SQLite
// file (migration step 9, catalog/sqlite/migrations.cpp) or its PostgreSQL database (step 4,
// catalog/postgres/pg_migrations.cpp, one history for every node; opened with
// catalog/postgres/pg_record_stores.h) — beside the catalog, not in it: a snapshot is no change
// of any dataset and appends nothing to the change log.
//
// A day has one snapshot: taking it again the same day replaces that day's rows (the figures of
// the last one taken count), so the daily job, a sysadmin's quality_snapshot and
// `datamap quality snapshot` may all run without adding rows.
//
// Thread safety: every method may be called from any thread; each write is one transaction.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/quality_board.h"
#include "catalog/store.h"

namespace datamap::catalog {

// One agency's (or, with organization_id "", the nation's) figures on one day.
struct QualitySnapshot {
  std::string day;              // YYYY-MM-DD
  std::string organization_id;  // "" = national
  std::int64_t datasets = 0;
  double mean_percent = 0;                  // kept to 0.01
  std::array<std::int64_t, 4> by_rating{};  // indexed by quality::Rating
  std::int64_t overdue = 0;
  std::int64_t broken_links = 0;
  std::int64_t checked_values = 0, invalid_values = 0;
  double error_rate() const {
    return checked_values > 0 ? static_cast<double>(invalid_values) / checked_values : 0;
  }
};

class QualityHistory {
 public:
  virtual ~QualityHistory() = default;
  // Replaces every row of `day` with `rows` (all of that day), in one transaction.
  virtual void put_day(std::string_view day, std::span<const QualitySnapshot> rows) = 0;
  // The newest `limit` snapshots of one organization ("" = national), oldest first.
  virtual std::vector<QualitySnapshot> history(std::string_view organization_id,
                                               std::size_t limit) = 0;
  // Whether `day` has a snapshot (its national row).
  virtual bool has_day(std::string_view day) = 0;
};

// Opens the history in the SQLite catalog at `path` (migrating it when needed).
std::unique_ptr<QualityHistory> open_sqlite_quality_history(const std::string& path);

namespace quality {

// The board's figures as the day's snapshot rows: the national row first, then every agency.
std::vector<QualitySnapshot> snapshot_rows(const Board& board);

// Scores the catalog on `day` (YYYY-MM-DD) and records it as that day's snapshot; returns the
// rows written. What the daily job, the quality_snapshot action and the CLI all call.
std::vector<QualitySnapshot> take_snapshot(Store& store, QualityHistory& history,
                                           std::string_view day);

}  // namespace quality
}  // namespace datamap::catalog

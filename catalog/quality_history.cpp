#include "catalog/quality_history.h"

namespace datamap::catalog::quality {
namespace {

QualitySnapshot row_of(const AgencyBoard& a, const std::string& day) {
  QualitySnapshot s;
  s.day = day;
  s.organization_id = a.organization_id;
  s.datasets = a.datasets;
  s.mean_percent = a.mean_percent();
  s.by_rating = a.by_rating;
  s.overdue = a.overdue;
  s.broken_links = a.broken_links;
  s.checked_values = a.checked_values;
  s.invalid_values = a.invalid_values;
  return s;
}

}  // namespace

std::vector<QualitySnapshot> snapshot_rows(const Board& board) {
  std::vector<QualitySnapshot> rows;
  rows.reserve(board.agencies.size() + 1);
  rows.push_back(row_of(board.national, board.today));
  rows.back().organization_id.clear();
  for (const auto& a : board.agencies) rows.push_back(row_of(a, board.today));
  return rows;
}

std::vector<QualitySnapshot> take_snapshot(Store& store, QualityHistory& history,
                                           std::string_view day) {
  // The lists of worst datasets are not kept: no need to gather them.
  std::vector<QualitySnapshot> rows = snapshot_rows(compute_board(store, day, 0));
  history.put_day(day, rows);
  return rows;
}

}  // namespace datamap::catalog::quality

// datastore_join (TableStore::join) for every backend: which pairs of rows match, within what
// budget, in what order, and the page of records made of them. A backend gives the rows through
// a JoinReader reading one snapshot of both tables; everything a user can observe (the pairs,
// their order, totals, the budget's refusals, the errors naming unknown fields) is decided here,
// so the SQLite and the PostgreSQL DataStore answer a join alike.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "datastore/table_store.h"

namespace datamap::datastore {

using PointFields = std::pair<std::string, std::string>;  // {latitude field, longitude field}

// The rows of the two tables of one join, from one snapshot. Scans and probes return rows in
// _id order and honour `conditions` exactly as TableStore::search's filters do.
class JoinReader {
 public:
  virtual ~JoinReader() = default;

  // each(_id, join_key() of the row's value of `field`), until it returns false.
  virtual void scan_keys(const TableInfo& table, const std::vector<Condition>& conditions,
                         const Field& field,
                         const std::function<bool(std::int64_t, std::string)>& each) = 0;
  // each(_id, latitude, longitude): a value that is not a number (null, text) is nullopt.
  virtual void scan_points(const TableInfo& table, const std::vector<Condition>& conditions,
                           const PointFields& point,
                           const std::function<bool(std::int64_t, std::optional<double>,
                                                    std::optional<double>)>& each) = 0;
  // Values of `columns` of the rows `ids`, in the order of `ids`; a row not found is all null.
  virtual std::vector<Row> fetch(const TableInfo& table, const std::vector<Field>& columns,
                                 const std::vector<std::int64_t>& ids) = 0;

  // Whether the right table has an index finding the rows of one join key of `field` (then a
  // page of pairs is found without reading the whole right table), and the probe itself: the
  // _ids of the rows under `conditions` whose key is `key`.
  virtual bool can_probe_keys(const TableInfo& table, const Field& field);
  virtual void probe_keys(const TableInfo& table, const std::vector<Condition>& conditions,
                          const Field& field, const std::string& key,
                          const std::function<void(std::int64_t)>& each);
  // Whether the table has a spatial index over `point`, and the probe: every row under
  // `conditions` with a valid point inside `box` (each(_id, latitude, longitude)).
  virtual bool can_probe_points(const TableInfo& table, const PointFields& point);
  virtual void probe_points(const TableInfo& table, const std::vector<Condition>& conditions,
                            const PointFields& point, const BoundingBox& box,
                            const std::function<void(std::int64_t, double, double)>& each);
};

// The answer to `q` over `left` and `right` (the tables q.left and q.right, read by `rows`).
// ValidationError for a malformed query or unknown fields (all named at once), BadRequest once
// the query's budget is passed.
SearchResult run_join(const JoinQuery& q, const TableInfo& left, const TableInfo& right,
                      JoinReader& rows);

}  // namespace datamap::datastore

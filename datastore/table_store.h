// The DataStore's tables: one typed table of rows per loaded resource (CKAN's DataStore), behind
// an interface so a PostgreSQL backend can follow the embedded SQLite one (DESIGN.md). Callers
// (api/ actions, the loader job, the automatic Open API, the portal preview) never see SQL except
// through search_sql, which runs one read-only SELECT inside the engine's authorizer.
//
// Contract for every method: a table is named by its resource id; an unknown one is NotFound;
// a field name, filter, sort or value that does not fit is ValidationError{field, message} or
// BadRequest (catalog/errors.h), never a crash; a failed write leaves the table as it was.
// Permissions are not checked here: the caller (api/) decides who may read or write a resource.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace datamap::datastore {

// Column types, with CKAN DataStore's names.
inline constexpr const char* kFieldTypes[] = {"int",  "numeric",   "bool",
                                              "date", "timestamp", "text"};
bool is_field_type(std::string_view type);

// The data dictionary entry an agency edits (CKAN's field "info").
struct FieldInfo {
  std::string label;
  std::string notes;
  std::string type_override;  // one of kFieldTypes, or "" (keep the detected type)
  std::string standard_term;  // 공통표준용어 the column carries, or ""
};

struct Field {
  std::string id;    // the column name as the file or the caller gave it (any UTF-8)
  std::string type;  // one of kFieldTypes
  FieldInfo info;
};

// One value: null, int, numeric, bool or text. Dates and timestamps are text in ISO 8601.
using Cell = std::variant<std::monostate, std::int64_t, double, bool, std::string>;
using Row = std::vector<Cell>;  // in the order of the table's (or the query's) fields

struct TableOptions {
  std::vector<std::string> primary_key;  // field ids; empty: none (upsert/update need one)
  // The fields holding WGS84 latitude and longitude, when the rows carry coordinates: the
  // backend keeps a spatial index over them (SearchQuery::bbox, the preview's point map).
  std::optional<std::pair<std::string, std::string>> point;  // {latitude, longitude}
  // Fields to index for fast filters and sorts (CKAN's `indexes`); the primary key always is.
  std::vector<std::string> indexes;
  // Of those, the first kJoinKeyIndexes also get a join-key index (datastore_join probes it for
  // a page): the loader lists codes and categories first, the columns tables are joined on.
  static constexpr std::size_t kJoinKeyIndexes = 6;
  bool has_join_key_index(const std::string& field) const {
    for (std::size_t i = 0; i < indexes.size() && i < kJoinKeyIndexes; ++i)
      if (indexes[i] == field) return true;
    return false;
  }
};

struct TableInfo {
  std::string resource_id;
  std::vector<Field> fields;
  TableOptions options;
  std::int64_t row_count = 0;
  // The rows are in, but the B-tree indexes of TableOptions::indexes (filters and sorts work
  // without them, slower), the full-text, point and join-key indexes are still being built (the
  // last phase of a load, TableStore::build_search_indexes): `q` is refused with a ValidationError
  // naming q (409), `bbox` compares the point fields row by row, joins hash instead of probing.
  bool search_indexes_pending = false;
};

// A condition on one field. The value is text and is compared as the field's type.
// like: the field's text contains the value (no wildcards; `%` and `_` are plain characters).
enum class Op { eq, in, like, gt, gte, lt, lte };
struct Condition {
  std::string field;
  Op op = Op::eq;
  std::vector<std::string> values;  // one value, or several for Op::in
};

struct SortKey {
  std::string field;
  bool descending = false;
};

struct BoundingBox {
  double min_lat, min_lon, max_lat, max_lon;
};

struct SearchQuery {
  std::string resource_id;
  std::vector<Condition> conditions;  // all must hold (CKAN `filters` are eq / in)
  std::string q;                      // full-text over the whole row, Korean included
  std::vector<std::pair<std::string, std::string>> q_fields;  // CKAN `q` as {field: text}
  std::vector<std::string> fields;                            // empty: every field, in table order
  bool distinct = false;
  std::vector<SortKey> sort;        // empty: load order
  std::optional<BoundingBox> bbox;  // rows whose point lies inside (TableOptions::point)
  std::int64_t limit = 100;         // the caller caps it (CKAN: ≤ 32,000)
  std::int64_t offset = 0;
  bool include_total = true;
  // CKAN's total_estimation_threshold: when the matches are more than this, the total may be an
  // estimate (SearchResult::total_was_estimated), extrapolated from the first matches in load
  // order instead of counting them all. Unset: always exact. Ignored with distinct.
  std::optional<std::int64_t> total_estimation_threshold;
};

struct SearchResult {
  // Of the returned columns. With SearchQuery::fields empty: CKAN's `_id` (int, the row id)
  // first, then every field (no `_id` when distinct). `_id` may be named in fields, sort and
  // conditions like a field.
  std::vector<Field> fields;
  std::vector<Row> records;
  std::optional<std::int64_t> total;  // set when include_total
  bool total_was_estimated = false;   // total is an estimate (total_estimation_threshold)
};

struct SqlLimits {
  std::int64_t max_rows = 32000;  // more: the result is cut and `truncated` set
  int timeout_ms = 5000;          // longer: BadRequest "query took too long"
};

struct SqlResult {
  std::vector<Field> fields;
  std::vector<Row> records;
  bool truncated = false;
};

// ---- joins (datastore_join): the pairs of rows of two tables that match.

enum class JoinSide { left, right };
struct JoinField {
  JoinSide side = JoinSide::left;
  std::string field;  // a field of that side's table, or `_id`
};
struct JoinSortKey {
  JoinField field;
  bool descending = false;
};

// What one join may cost before it is refused (BadRequest naming the budget): rows read from
// either table plus candidate pairs compared, and wall time.
struct JoinBudget {
  std::int64_t max_rows_examined = 20'000'000;
  int timeout_ms = 5000;
};

// Exactly one of `on` and `within_meters`.
//  on: {left field, right field}; rows pair when their values are equal after join_key()
//      (the loader's sketch normalisation: white space, hyphens and leading zeros dropped, ASCII
//      upper-cased); empty values never pair.
//  within_meters: rows pair when their points are at most this far apart (haversine on WGS84).
//      The points are {latitude, longitude} fields: left_point/right_point, or each table's
//      TableOptions::point; a point is two numbers within ±90 and ±180. The right's points are
//      held sorted by latitude and each left point compares those in its band of latitude
//      (every candidate counted against the budget); for a first page without a total the
//      right table's spatial index is probed instead when it holds those fields. Same pairs.
struct JoinQuery {
  std::string left, right;  // resource ids
  std::optional<std::pair<std::string, std::string>> on;
  std::optional<double> within_meters;
  std::optional<std::pair<std::string, std::string>> left_point, right_point;
  std::vector<JoinField> fields;  // empty: every field of left, then of right (no _id)
  std::vector<Condition> left_conditions, right_conditions;
  std::vector<JoinSortKey> sort;  // empty: left's load order, then right's
  std::int64_t limit = 100;
  std::int64_t offset = 0;
  bool include_total = true;
  JoinBudget budget;
};

// The key two values are compared by in an equality join; "" for a value that never pairs.
std::string join_key(const Cell& value);
std::string join_key(std::string_view text);

// What a load found in the file's structure that the stored table cannot show: rows with fewer or
// more values than the header (stored padded or widened). Kept with the table so that every
// later validation of it (validator.h validate_table) still reports them: the loader's writer
// sets them, replacing or dropping the table forgets them, and so does any other write to it
// (upsert, delete, create on it): its rows then no longer are the file's rows.
struct LoadFindings {
  static constexpr std::size_t kMaxListed = 1'000'000;  // ragged rows listed; all are counted
  std::size_t header_width = 0;
  std::int64_t ragged_rows = 0;
  // (1-based data row, how many values it had), in load order, the first kMaxListed.
  std::vector<std::pair<std::int64_t, std::size_t>> ragged;
};

// Appends rows to a table being (re)loaded; nothing is visible until commit(). Destroying it
// without commit() leaves the previous table untouched. Writes are serialised: while a writer is
// open, other writes to the store wait for it (reads go on, seeing the previous table), so a
// thread holding one must not write through the store itself.
class TableWriter {
 public:
  virtual ~TableWriter() = default;
  virtual void append(const Row& row) = 0;  // in the order of the fields given to replace_table
  virtual std::int64_t rows() const = 0;
  // Appends a row under the row id (`_id`) it had elsewhere, larger than every id appended
  // before: `datamap migrate` copies a table keeping its ids, so answers naming `_id` stay the
  // same. The default (a backend that numbers rows only itself) throws NotImplemented.
  virtual void append_with_id(std::int64_t id, const Row& row);
  // Kept with the table at commit() / commit_rows(). The default (a backend that keeps none)
  // drops them.
  virtual void set_load_findings(const LoadFindings& findings) { (void)findings; }
  // Replaces the options given to replace_table, before commit: the loader writes rows while
  // it profiles them and decides the point and the indexes from the whole profile. Checked as
  // replace_table checks them (ValidationError).
  virtual void set_options(const TableOptions& options) = 0;
  // The new table, whole (rows and every index), replaces the old one.
  virtual void commit() = 0;
  // The loader's split commit: the rows (and the primary key's index) replace the old table now,
  // with TableInfo::search_indexes_pending set; TableStore::build_search_indexes builds the
  // other indexes after. The old table's full text goes with the old rows, so no `q` ever
  // answers from rows that are gone. Default: commit().
  virtual void commit_rows() { commit(); }
};

class TableStore {
 public:
  virtual ~TableStore() = default;

  // datastore_create: makes the table (or, when it exists, adds new fields) and inserts rows.
  virtual TableInfo create(const std::string& resource_id, const std::vector<Field>& fields,
                           const TableOptions& options, const std::vector<Row>& rows) = 0;
  enum class Method { insert, update, upsert };
  // datastore_upsert: rows carry the values of `columns` (field ids); update and upsert match
  // on the primary key. Returns the number of rows written.
  virtual std::int64_t upsert(const std::string& resource_id, Method method,
                              const std::vector<std::string>& columns,
                              const std::vector<Row>& rows) = 0;
  // datastore_delete: the rows matching all conditions; no conditions: the whole table.
  virtual std::int64_t delete_rows(const std::string& resource_id,
                                   const std::vector<Condition>& conditions) = 0;
  virtual void drop(const std::string& resource_id) = 0;  // no-op when there is no table

  virtual std::optional<TableInfo> info(const std::string& resource_id) = 0;
  // The resource ids of every table, in byte order (`datamap migrate` copies them all).
  virtual std::vector<std::string> table_ids() = 0;
  // A number that changes whenever the table's rows or fields may have changed through this
  // store object (committed writes, drop, retype): what lets a reader keep something derived
  // from the rows (near.h's prepared points) and know when to read them again. Read it before
  // reading the rows: a write that lands in between then shows as a changed number next time.
  // Writes by another process are not seen (the catalog's profile tells those). nullopt: the
  // backend cannot tell, so nothing derived may be kept (the default).
  virtual std::optional<std::uint64_t> revision(const std::string& resource_id) {
    (void)resource_id;
    return std::nullopt;
  }
  // The findings of the load that wrote the table (none when a write came after it, or when
  // the table was made by datastore_create). The default keeps none.
  virtual LoadFindings load_findings(const std::string& resource_id) {
    (void)resource_id;
    return {};
  }
  // Replaces the data dictionary (by field id); a type_override retypes the column.
  virtual void set_field_info(const std::string& resource_id,
                              const std::vector<std::pair<std::string, FieldInfo>>& infos) = 0;

  // The loader's bulk path: a fresh table replacing the old one atomically at commit().
  virtual std::unique_ptr<TableWriter> replace_table(const std::string& resource_id,
                                                     const std::vector<Field>& fields,
                                                     const TableOptions& options) = 0;
  // The last phase of a load after TableWriter::commit_rows(): builds the table's B-tree
  // indexes (committed first: filters are fast from then on), then its full-text, point and
  // join-key indexes from its rows (rows written meanwhile included) and clears
  // search_indexes_pending. No-op when nothing is pending or there is no table.
  // `abort` set from another thread stops it (BadRequest "aborted"), leaving the rows queryable
  // and the indexes pending. Default: no-op (a backend that builds everything at commit).
  virtual void build_search_indexes(const std::string& resource_id,
                                    const std::atomic<bool>* abort = nullptr);

  virtual SearchResult search(const SearchQuery& query) = 0;
  // How the backend would answer search(query): one line per step of its plan for the rows,
  // then for the total (SQLite's EXPLAIN QUERY PLAN details, e.g. "SEARCH t USING INDEX i
  // (f=?)"), so a test or an operator can see which index a filter uses. Default: empty.
  virtual std::vector<std::string> explain_search(const SearchQuery& query);
  // Streams every matching row (limit/offset/include_total ignored) until `each` returns false:
  // downloads of whole tables without holding them in memory.
  virtual void scan(const SearchQuery& query,
                    const std::function<bool(const std::vector<Field>&, const Row&)>& each) = 0;
  // datastore_search_sql: one read-only SELECT over datastore tables (named by resource id) that
  // `may_read` allows; anything else (writes, ATTACH, pragmas, extensions, other tables,
  // several statements) is BadRequest naming what was refused.
  virtual SqlResult search_sql(std::string_view sql, const SqlLimits& limits,
                               const std::function<bool(const std::string&)>& may_read) = 0;
  // datastore_join: one page of the matching pairs. SearchResult::fields are named
  // "left.<field>" and "right.<field>" (types and data dictionary of the source field), plus
  // "distance_m" (numeric) for a distance join; each record is one pair. Unknown fields are
  // ValidationError naming every unknown one under its parameter (on, fields, filters, sort,
  // left_point, right_point); a join past its budget is BadRequest. The default refuses
  // (a backend without joins).
  virtual SearchResult join(const JoinQuery& query);
};

// The embedded default: one SQLite database file (WAL, FTS5 for q, R*Tree for points), created
// when missing, e.g. <data dir>/datastore.db.
std::unique_ptr<TableStore> open_sqlite_table_store(const std::string& path);

}  // namespace datamap::datastore

#include "datastore/sqlite_table_store.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <type_traits>
#include <unordered_map>
#include <variant>

#include "catalog/errors.h"
#include "catalog/sqlite/connection.h"
#include "catalog/sqlite/read_pool.h"
#include "datastore/cell_types.h"
#include "datastore/fulltext.h"
#include "datastore/join_engine.h"
#include "datastore/near.h"
#include "datastore/sql_sandbox.h"
#include "datastore/sqlite_pair_indexes.h"
#include "datastore/sqlite_total_cache.h"
#include "datastore/sqlite_value_counts.h"
#include "datastore/table_rules.h"

namespace datamap::datastore {

using catalog::sqlite::Connection;
using catalog::sqlite::ReadPool;
using catalog::sqlite::SqliteError;
using catalog::sqlite::Statement;

namespace {

constexpr const char* kSchema = R"(
CREATE TABLE IF NOT EXISTS _ds_tables (
  resource_id TEXT PRIMARY KEY,
  primary_key TEXT NOT NULL DEFAULT '',  -- field ids joined by U+001F
  indexes TEXT NOT NULL DEFAULT '',      -- likewise
  point_lat TEXT, point_lon TEXT,
  row_count INTEGER NOT NULL DEFAULT 0,
  search_pending INTEGER NOT NULL DEFAULT 0  -- TableInfo::search_indexes_pending
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS _ds_fields (
  resource_id TEXT NOT NULL, position INTEGER NOT NULL,
  id TEXT NOT NULL, type TEXT NOT NULL,
  label TEXT NOT NULL DEFAULT '', notes TEXT NOT NULL DEFAULT '',
  type_override TEXT NOT NULL DEFAULT '', standard_term TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (resource_id, position)
) WITHOUT ROWID;
-- LoadFindings (table_store.h): the load's ragged rows, with the table they describe.
CREATE TABLE IF NOT EXISTS _ds_load_findings (
  resource_id TEXT PRIMARY KEY,
  header_width INTEGER NOT NULL,
  ragged_rows INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS _ds_ragged_rows (
  resource_id TEXT NOT NULL, row INTEGER NOT NULL, width INTEGER NOT NULL,
  PRIMARY KEY (resource_id, row)
) WITHOUT ROWID;
)";

constexpr char kSep = '\x1f';

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += kSep;
    out += s;
  }
  return out;
}

std::vector<std::string> split(std::string_view s) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  std::size_t start = 0;
  for (;;) {
    auto pos = s.find(kSep, start);
    out.emplace_back(s.substr(start, pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

// The SQL objects of one resource's table. Everything but the table itself starts with "_ds_",
// which no resource id may (check_resource_id), so search_sql can never be allowed to read them.
struct Names {
  std::string rid, table, fts, rtree, pk_index, insert_trigger, update_trigger, delete_trigger;
  explicit Names(const std::string& id)
      : rid(id),
        table(quote_identifier(id)),
        fts(quote_identifier("_ds_fts_" + id)),
        rtree(quote_identifier("_ds_pt_" + id)),
        pk_index(quote_identifier("_ds_pk_" + id)),
        insert_trigger(quote_identifier("_ds_ti_" + id)),
        update_trigger(quote_identifier("_ds_tu_" + id)),
        delete_trigger(quote_identifier("_ds_td_" + id)) {}
  std::string index(std::size_t i) const {
    return quote_identifier("_ds_ix" + std::to_string(i) + "_" + rid);
  }
  // A two-column index on the fields at positions i < j (sqlite_pair_indexes.h), unquoted: it
  // is also looked up by name in sqlite_schema.
  std::string pair_index(std::size_t i, std::size_t j) const {
    return "_ds_px" + std::to_string(i) + "_" + std::to_string(j) + "_" + rid;
  }
  // The same column's join keys (ds_join_key): datastore_join probes it for a page of pairs.
  std::string join_index(std::size_t i) const {
    return quote_identifier("_ds_jk" + std::to_string(i) + "_" + rid);
  }
};

constexpr NameLimits kLimits{kMaxFields, kMaxFieldNameBytes, 200};

void check_resource_id(const std::string& rid) {
  ::datamap::datastore::check_resource_id(rid, kLimits);
}

void check_fields(const std::vector<Field>& fields, const std::vector<Field>& existing = {}) {
  ::datamap::datastore::check_fields(fields, kLimits, existing);
}

// ---- values in and out

// SQLITE_STATIC when the cell outlives the statement's step (the bulk writer's rows).
void bind_cell(sqlite3_stmt* s, int i, const Cell& c,
               sqlite3_destructor_type text = SQLITE_TRANSIENT) {
  int rc = SQLITE_OK;
  if (std::holds_alternative<std::monostate>(c))
    rc = sqlite3_bind_null(s, i);
  else if (auto* v = std::get_if<std::int64_t>(&c))
    rc = sqlite3_bind_int64(s, i, *v);
  else if (auto* d = std::get_if<double>(&c))
    rc = sqlite3_bind_double(s, i, *d);
  else if (auto* b = std::get_if<bool>(&c))
    rc = sqlite3_bind_int64(s, i, *b ? 1 : 0);
  else {
    const auto& t = std::get<std::string>(c);
    rc = sqlite3_bind_text64(s, i, t.data(), t.size(), text, SQLITE_UTF8);
  }
  if (rc != SQLITE_OK) throw SqliteError(rc, "bind");
}

Cell read_cell(sqlite3_stmt* s, int col, const std::string& type) {
  switch (sqlite3_column_type(s, col)) {
    case SQLITE_NULL:
      return std::monostate{};
    case SQLITE_INTEGER:
    case SQLITE_FLOAT:
      if (type == "bool") return sqlite3_column_int64(s, col) != 0;
      if (type == "int") return sqlite3_column_int64(s, col);
      if (type == "numeric") return sqlite3_column_double(s, col);
      [[fallthrough]];
    default: {
      auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, col));
      return std::string(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(s, col)));
    }
  }
}

// ---- the full-text document, computed inside SQLite (triggers and the bulk build call it)

void fulltext_function(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  std::string doc;
  for (int i = 0; i < argc; ++i) {
    if (sqlite3_value_type(argv[i]) == SQLITE_NULL) continue;
    auto* p = reinterpret_cast<const char*>(sqlite3_value_text(argv[i]));
    append_fulltext(
        std::string_view(p ? p : "", static_cast<std::size_t>(sqlite3_value_bytes(argv[i]))), doc);
  }
  sqlite3_result_text64(ctx, doc.data(), doc.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

// ds_join_key(value): join_key() inside SQLite, for the join-key index of every indexed field.
// Values are read as read_cell does, so the index and a scan agree on every key.
void join_key_function(sqlite3_context* ctx, int, sqlite3_value** argv) {
  Cell cell;
  switch (sqlite3_value_type(argv[0])) {
    case SQLITE_NULL:
      break;
    case SQLITE_INTEGER:
      cell = static_cast<std::int64_t>(sqlite3_value_int64(argv[0]));
      break;
    case SQLITE_FLOAT:
      cell = sqlite3_value_double(argv[0]);
      break;
    default: {
      auto* p = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
      cell = std::string(p ? p : "", static_cast<std::size_t>(sqlite3_value_bytes(argv[0])));
    }
  }
  std::string key = join_key(cell);
  sqlite3_result_text64(ctx, key.data(), key.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

// Every connection that writes an indexed table or probes its join-key index needs the function.
void register_join_key(sqlite3* db) {
  int rc = sqlite3_create_function_v2(db, "ds_join_key", 1,
                                      SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                      nullptr, join_key_function, nullptr, nullptr, nullptr);
  catalog::sqlite::check(db, rc, "create function ds_join_key");
}

std::string column_list(const std::vector<Field>& fields, const char* prefix = "") {
  std::string out;
  for (const auto& f : fields) {
    if (!out.empty()) out += ", ";
    out += prefix;
    out += quote_identifier(f.id);
  }
  return out;
}

// ds_fulltext over the text fields (numbers, dates and booleans are for filters: leaving them
// out makes the index a third smaller and its build faster); in groups, as SQLite passes a
// function at most 127 arguments. "''" when there is no text field.
std::string fulltext_call(const std::vector<Field>& all, const char* prefix) {
  constexpr std::size_t kGroup = 100;
  std::vector<Field> fields;
  for (const auto& f : all)
    if (f.type == "text") fields.push_back(f);
  if (fields.empty()) return "''";
  std::string out;
  for (std::size_t i = 0; i < fields.size(); i += kGroup) {
    std::vector<Field> group(fields.begin() + i,
                             fields.begin() + std::min(fields.size(), i + kGroup));
    if (!out.empty()) out += " || ' ' || ";
    out += "ds_fulltext(" + column_list(group, prefix) + ")";
  }
  return out;
}

// Reads run inside one read transaction: the registry and the rows come from one snapshot,
// so a table replaced meanwhile is seen whole, old or new.
class ReadTransaction {
 public:
  explicit ReadTransaction(Connection& c) : c_(c) { c_.exec("BEGIN"); }
  ~ReadTransaction() {
    try {
      c_.exec("COMMIT");
    } catch (...) {
    }
  }

 private:
  Connection& c_;
};

class WriteTransaction {
 public:
  explicit WriteTransaction(Connection& c) : c_(c) { c_.exec("BEGIN IMMEDIATE"); }
  ~WriteTransaction() {
    if (!done_) {
      try {
        c_.exec("ROLLBACK");
      } catch (...) {
      }
    }
  }
  void commit() {
    c_.exec("COMMIT");
    done_ = true;
  }

 private:
  Connection& c_;
  bool done_ = false;
};

std::optional<TableInfo> load_info(Connection& c, const std::string& rid) {
  auto t = c.cached(
      "SELECT primary_key, indexes, point_lat, point_lon, row_count, search_pending "
      "FROM _ds_tables WHERE resource_id = ?");
  t->bind(1, rid);
  if (!t->step()) return std::nullopt;
  TableInfo info;
  info.resource_id = rid;
  info.options.primary_key = split(t->text_view(0));
  info.options.indexes = split(t->text_view(1));
  if (!t->is_null(2)) info.options.point = std::make_pair(t->text(2), t->text(3));
  info.row_count = t->integer(4);
  info.search_indexes_pending = t->integer(5) != 0;
  auto f = c.cached(
      "SELECT id, type, label, notes, type_override, standard_term FROM _ds_fields "
      "WHERE resource_id = ? ORDER BY position");
  f->bind(1, rid);
  while (f->step())
    info.fields.push_back(
        {f->text(0), f->text(1), {f->text(2), f->text(3), f->text(4), f->text(5)}});
  return info;
}

void save_info(Connection& c, const TableInfo& info) {
  auto del = c.cached("DELETE FROM _ds_fields WHERE resource_id = ?");
  del->bind(1, info.resource_id);
  del->run();
  auto t = c.cached(
      "INSERT OR REPLACE INTO _ds_tables (resource_id, primary_key, indexes, point_lat, "
      "point_lon, row_count, search_pending) VALUES (?, ?, ?, ?, ?, ?, ?)");
  t->bind_all(info.resource_id, join(info.options.primary_key), join(info.options.indexes));
  if (info.options.point) {
    t->bind(4, info.options.point->first);
    t->bind(5, info.options.point->second);
  } else {
    t->bind_null(4);
    t->bind_null(5);
  }
  t->bind(6, info.row_count);
  t->bind(7, info.search_indexes_pending ? 1 : 0);
  t->run();
  auto f = c.cached(
      "INSERT INTO _ds_fields (resource_id, position, id, type, label, notes, type_override, "
      "standard_term) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  for (std::size_t i = 0; i < info.fields.size(); ++i) {
    const auto& x = info.fields[i];
    f->bind_all(info.resource_id, i, x.id, x.type, x.info.label, x.info.notes, x.info.type_override,
                x.info.standard_term);
    f->run();
    f->reset();
  }
}

std::int64_t count_rows(Connection& c, const Names& n) {
  Statement s(c.handle(), "SELECT count(*) FROM " + n.table);
  return s.step() ? s.integer(0) : 0;
}

void create_bare_table(Connection& c, const Names& n, const std::vector<Field>& fields) {
  std::string sql = "CREATE TABLE " + n.table + " (" + kRowId + " INTEGER PRIMARY KEY";
  for (const auto& f : fields) sql += ", " + quote_identifier(f.id) + " " + f.type;
  sql += ")";
  c.exec(sql.c_str());
}

void drop_aux(Connection& c, const Names& n, std::size_t index_count) {
  for (const auto* name : {&n.insert_trigger, &n.update_trigger, &n.delete_trigger})
    c.exec(("DROP TRIGGER IF EXISTS " + *name).c_str());
  c.exec(("DROP INDEX IF EXISTS " + n.pk_index).c_str());
  for (std::size_t i = 0; i < index_count; ++i) {
    c.exec(("DROP INDEX IF EXISTS " + n.index(i)).c_str());
    c.exec(("DROP INDEX IF EXISTS " + n.join_index(i)).c_str());
  }
  c.exec(("DROP TABLE IF EXISTS " + n.fts).c_str());
  c.exec(("DROP TABLE IF EXISTS " + n.rtree).c_str());
  drop_value_counts(c, n.rid, index_count);
}

std::string point_condition(const std::string& lat, const std::string& lon) {
  return lat + " BETWEEN -90 AND 90 AND " + lon + " BETWEEN -180 AND 180";
}

// Indexes, full text, R*Tree and the triggers keeping them current, built over the rows the
// table has (the bulk path builds them once, after the rows).
void create_fts_table(Connection& c, const Names& n) {
  // ascii: Hangul bytes are token characters as in unicode61, and it is faster.
  c.exec(("CREATE VIRTUAL TABLE " + n.fts +
          " USING fts5(body, content='', columnsize=0, tokenize='ascii')")
             .c_str());
}

void create_rtree_table(Connection& c, const Names& n) {
  c.exec(
      ("CREATE VIRTUAL TABLE " + n.rtree + " USING rtree(id, min_lat, max_lat, min_lon, max_lon)")
          .c_str());
}

// The R*Tree of the rows' points, in one statement: neighbours inserted together keep the tree's
// pages in the cache (in file order, each insert lands on a random leaf: 5x slower at 1M rows).
void fill_rtree(Connection& c, const Names& n, const std::string& lat, const std::string& lon) {
  c.exec(("INSERT INTO " + n.rtree + " SELECT _id, " + lat + ", " + lat + ", " + lon + ", " + lon +
          " FROM " + n.table + " WHERE " + point_condition(lat, lon) + " ORDER BY CAST(" + lat +
          " * 10 AS INTEGER), " + lon)
             .c_str());
}

// The primary key's unique index: part of the rows' commit (a duplicate key fails the write).
void build_key_index(Connection& c, const Names& n, const TableInfo& info) {
  const auto& o = info.options;
  if (!o.primary_key.empty()) {
    std::string cols;
    for (const auto& k : o.primary_key) cols += (cols.empty() ? "" : ", ") + quote_identifier(k);
    try {
      // IF NOT EXISTS: a new index list on a keyed table (datastore_create) keeps the key's.
      c.exec(
          ("CREATE UNIQUE INDEX IF NOT EXISTS " + n.pk_index + " ON " + n.table + " (" + cols + ")")
              .c_str());
    } catch (const SqliteError& e) {
      if ((e.code() & 0xff) != SQLITE_CONSTRAINT) throw;
      throw ValidationError("primary_key", "the rows have duplicate values of the primary key");
    }
  }
}

// The indexes of TableOptions::indexes, for fast filters and sorts. A loaded table gets them
// after its rows (build_search_indexes), so they are skipped where they exist.
void build_field_indexes(Connection& c, const Names& n, const TableInfo& info) {
  const auto& ix = info.options.indexes;
  for (std::size_t i = 0; i < ix.size(); ++i)
    c.exec(("CREATE INDEX IF NOT EXISTS " + n.index(i) + " ON " + n.table + " (" +
            quote_identifier(ix[i]) + ")")
               .c_str());
}

// The planner's statistics of the table's indexes (sqlite_stat1), from a sample of each: without
// them a filter on a rare code sorted by a number walks the number's index and tests every row
// (50 ms at 1M rows) instead of sorting the code's few matches (0.1 ms).
void analyze(Connection& c, const Names& n) {
  c.exec("PRAGMA analysis_limit = 1000");
  c.exec(("ANALYZE " + n.table).c_str());
}

// The key's and the fields' B-tree indexes and, with count_min_rows > 0, the per-value counts
// of the fields' common values (sqlite_value_counts.h).
void build_btree_indexes(Connection& c, const Names& n, const TableInfo& info,
                         std::int64_t count_min_rows) {
  build_key_index(c, n, info);
  build_field_indexes(c, n, info);
  if (count_min_rows > 0) build_value_counts(c, info, count_min_rows);
}

// The join keys (ds_join_key) of the first indexed fields (TableOptions::kJoinKeyIndexes):
// datastore_join probes them for a page.
void build_join_key_indexes(Connection& c, const Names& n, const TableInfo& info) {
  const auto& ix = info.options.indexes;
  for (std::size_t i = 0; i < ix.size() && i < TableOptions::kJoinKeyIndexes; ++i)
    c.exec(("CREATE INDEX " + n.join_index(i) + " ON " + n.table + " (ds_join_key(" +
            quote_identifier(ix[i]) + "))")
               .c_str());
}

// What a loaded table gets after its rows are committed: the B-tree indexes of its fields
// (where missing), the join-key indexes, the full-text and point indexes filled from the rows
// in one statement each, and the triggers that keep the last two current from then on; clears
// search_indexes_pending. Filters and sorts work without any of them, only slower.
void build_search_indexes(Connection& c, const Names& n, TableInfo& info) {
  const auto& o = info.options;
  const auto& fields = info.fields;
  info.search_indexes_pending = false;
  build_field_indexes(c, n, info);
  build_join_key_indexes(c, n, info);
  create_fts_table(c, n);
  if (!fields.empty())
    c.exec(("INSERT INTO " + n.fts + " (rowid, body) SELECT _id, " + fulltext_call(fields, "") +
            " FROM " + n.table)
               .c_str());
  std::string pt_insert, pt_delete;
  if (o.point) {
    std::string lat = quote_identifier(o.point->first), lon = quote_identifier(o.point->second);
    create_rtree_table(c, n);
    fill_rtree(c, n, lat, lon);
    std::string nlat = "NEW." + lat, nlon = "NEW." + lon;
    pt_insert = "INSERT INTO " + n.rtree + " SELECT NEW._id, " + nlat + ", " + nlat + ", " + nlon +
                ", " + nlon + " WHERE " + point_condition(nlat, nlon) + ";";
    pt_delete = "DELETE FROM " + n.rtree + " WHERE id = OLD._id;";
  }
  if (fields.empty()) return;
  std::string fts_insert = "INSERT INTO " + n.fts + " (rowid, body) VALUES (NEW._id, " +
                           fulltext_call(fields, "NEW.") + ");";
  // A contentless FTS5 table forgets a row by being given its tokens again.
  std::string fts_delete = "INSERT INTO " + n.fts + " (" + n.fts +
                           ", rowid, body) VALUES ('delete', OLD._id, " +
                           fulltext_call(fields, "OLD.") + ");";
  c.exec(("CREATE TRIGGER " + n.insert_trigger + " AFTER INSERT ON " + n.table + " BEGIN " +
          fts_insert + pt_insert + " END")
             .c_str());
  c.exec(("CREATE TRIGGER " + n.delete_trigger + " AFTER DELETE ON " + n.table + " BEGIN " +
          fts_delete + pt_delete + " END")
             .c_str());
  c.exec(("CREATE TRIGGER " + n.update_trigger + " AFTER UPDATE ON " + n.table + " BEGIN " +
          fts_delete + pt_delete + fts_insert + pt_insert + " END")
             .c_str());
}

// Every index of a table built over the rows it has (datastore_create, a retype).
void build_aux(Connection& c, const Names& n, TableInfo& info, std::int64_t count_min_rows) {
  build_btree_indexes(c, n, info, count_min_rows);
  build_search_indexes(c, n, info);
}

// The load's findings describe the file the table was loaded from: any other write forgets them.
void forget_load_findings(Connection& c, const std::string& rid) {
  for (const char* sql : {"DELETE FROM _ds_load_findings WHERE resource_id = ?",
                          "DELETE FROM _ds_ragged_rows WHERE resource_id = ?"}) {
    auto d = c.cached(sql);
    d->bind(1, rid);
    d->run();
  }
}

void save_load_findings(Connection& c, const std::string& rid, const LoadFindings& f) {
  forget_load_findings(c, rid);
  if (f.ragged_rows == 0) return;
  auto s = c.cached(
      "INSERT INTO _ds_load_findings (resource_id, header_width, ragged_rows) VALUES (?, ?, ?)");
  s->bind_all(rid, f.header_width, f.ragged_rows);
  s->run();
  for (const auto& entry : f.ragged) {
    auto r = c.cached("INSERT INTO _ds_ragged_rows (resource_id, row, width) VALUES (?, ?, ?)");
    r->bind_all(rid, entry.first, entry.second);
    r->run();
  }
}

LoadFindings read_load_findings(Connection& c, const std::string& rid) {
  LoadFindings f;
  auto s =
      c.cached("SELECT header_width, ragged_rows FROM _ds_load_findings WHERE resource_id = ?");
  s->bind(1, rid);
  if (!s->step()) return f;
  f.header_width = static_cast<std::size_t>(s->integer(0));
  f.ragged_rows = s->integer(1);
  auto r = c.cached("SELECT row, width FROM _ds_ragged_rows WHERE resource_id = ? ORDER BY row");
  r->bind(1, rid);
  while (r->step()) f.ragged.emplace_back(r->integer(0), static_cast<std::size_t>(r->integer(1)));
  return f;
}

void drop_table(Connection& c, const std::string& rid, std::size_t index_count) {
  Names n(rid);
  forget_load_findings(c, rid);
  drop_aux(c, n, index_count);
  c.exec(("DROP TABLE IF EXISTS " + n.table).c_str());
  auto t = c.cached("DELETE FROM _ds_tables WHERE resource_id = ?");
  t->bind(1, rid);
  t->run();
  auto f = c.cached("DELETE FROM _ds_fields WHERE resource_id = ?");
  f->bind(1, rid);
  f->run();
}

struct StmtPtr {
  sqlite3_stmt* s = nullptr;
  explicit StmtPtr(sqlite3_stmt* prepared) : s(prepared) {}
  StmtPtr(sqlite3* db, const std::string& sql) {
    int rc = sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &s, nullptr);
    if (rc != SQLITE_OK) {
      std::string m = sqlite3_errmsg(db);
      sqlite3_finalize(s);
      s = nullptr;
      throw SqliteError(sqlite3_extended_errcode(db), "prepare: " + m);
    }
  }
  ~StmtPtr() { sqlite3_finalize(s); }
  StmtPtr(const StmtPtr&) = delete;
  StmtPtr& operator=(const StmtPtr&) = delete;
};

// Steps a write; a constraint failure is the caller's fault (ValidationError), not a bug.
void step_write(sqlite3* db, sqlite3_stmt* s, std::int64_t row) {
  int rc = sqlite3_step(s);
  if (rc == SQLITE_DONE || rc == SQLITE_ROW) return;
  std::string m = sqlite3_errmsg(db);
  int code = sqlite3_extended_errcode(db);
  sqlite3_reset(s);
  if ((code & 0xff) == SQLITE_CONSTRAINT)
    throw ValidationError("records",
                          "row " + std::to_string(row) + ": duplicate value of the primary key");
  throw SqliteError(code, "write: " + m);
}

// ---- WHERE clauses shared by search, scan and delete

struct Where {
  std::string sql;  // "" or " WHERE ..."
  std::vector<Cell> binds;
  void add(const std::string& condition) { sql += (sql.empty() ? " WHERE " : " AND ") + condition; }
};

void add_fulltext(Where& w, const Names& n, std::string_view text) {
  std::string match = fulltext_match(text);
  if (match.empty()) return;
  w.add("_id IN (SELECT rowid FROM " + n.fts + " WHERE " + n.fts + " MATCH ?)");
  w.binds.emplace_back(std::move(match));
}

Where build_where(const TableInfo& info, const Names& n, const SearchQuery& q) {
  check_fulltext_ready(info, q);
  Where w;
  for (const auto& cond : q.conditions) {
    const Field& f = need_field(info, cond.field, "filters");
    std::string col = quote_identifier(f.id);
    if (cond.op == Op::in || (cond.op == Op::eq && cond.values.size() != 1)) {
      if (cond.values.empty()) {
        w.add("0");
        continue;
      }
      std::string list;
      for (const auto& v : cond.values) {
        list += list.empty() ? "?" : ", ?";
        w.binds.push_back(condition_value(f, v));
      }
      w.add(col + " IN (" + list + ")");
      continue;
    }
    if (cond.values.size() != 1)
      throw ValidationError(f.id, "the condition takes exactly one value");
    if (cond.op == Op::like) {
      // A Hangul word in a text field: the full-text index narrows the rows to those holding
      // its bigrams in order (a superset), LIKE keeps the exact ones; other patterns scan.
      if (f.type == "text" && !info.search_indexes_pending &&
          fulltext_finds_substring(cond.values[0]))
        add_fulltext(w, n, cond.values[0]);
      w.add("CAST(" + col + " AS TEXT) LIKE ? ESCAPE '\\'");
      w.binds.emplace_back(like_contains(cond.values[0]));
      continue;
    }
    static const std::map<Op, const char*> ops = {{Op::eq, " = ?"},
                                                  {Op::gt, " > ?"},
                                                  {Op::gte, " >= ?"},
                                                  {Op::lt, " < ?"},
                                                  {Op::lte, " <= ?"}};
    w.add(col + ops.at(cond.op));
    w.binds.push_back(condition_value(f, cond.values[0]));
  }
  add_fulltext(w, n, q.q);
  for (const auto& [field, text] : q.q_fields) {
    const Field& f = need_field(info, field, "q");
    add_fulltext(w, n, text);  // the index narrows the rows; LIKE keeps those of this field
    for (std::string_view word : field_query_words(text)) {
      w.add("CAST(" + quote_identifier(f.id) + " AS TEXT) LIKE ? ESCAPE '\\'");
      w.binds.emplace_back(like_contains(word));
    }
  }
  if (q.bbox) {
    if (!info.options.point)
      throw ValidationError("bbox", "the table has no point fields (latitude, longitude)");
    if (info.search_indexes_pending)  // no R*Tree yet: the same box, row by row
      w.add(quote_identifier(info.options.point->first) + " BETWEEN ? AND ? AND " +
            quote_identifier(info.options.point->second) + " BETWEEN ? AND ?");
    else
      w.add("_id IN (SELECT id FROM " + n.rtree +
            " WHERE max_lat >= ? AND min_lat <= ? AND max_lon >= ? AND min_lon <= ?)");
    for (double v : {q.bbox->min_lat, q.bbox->max_lat, q.bbox->min_lon, q.bbox->max_lon})
      w.binds.emplace_back(v);
  }
  return w;
}

void bind_all(sqlite3_stmt* s, const std::vector<Cell>& binds) {
  for (std::size_t i = 0; i < binds.size(); ++i) bind_cell(s, static_cast<int>(i) + 1, binds[i]);
}

struct Select {
  std::vector<Field> fields;
  std::string sql;  // without LIMIT
  std::string count_sql;
  // The first `?` matches in load order: their number and the last one's _id (not distinct).
  std::string sample_sql;
  // The rows' SQL made to walk the first sort key's index (INDEXED BY), testing each row against
  // the conditions; "" when the query has no conditions, no sort on an indexed field, or `q`.
  std::string walk_sql;
  Where where;
};

Select build_select(const TableInfo& info, const SearchQuery& q) {
  Names n(info.resource_id);
  Select s;
  s.fields = search_fields(info, q);
  // `q` drives the query from the full-text index, in rowid order: the first page of a common
  // word's matches is then read without collecting every match first (0.1 ms, not 100 ms, at
  // 200k rows), and a total of `q` alone is counted on the index. The subquery exposes only
  // _ds_r, so field names never clash with the FTS table's own columns.
  check_fulltext_ready(info, q);
  std::string match = fulltext_match(q.q);
  SearchQuery rest = q;
  rest.q.clear();
  Where where = build_where(info, n, rest);
  std::string from = n.table, id = "_id";
  if (!match.empty()) {
    from = "(SELECT rowid AS _ds_r FROM " + n.fts + " WHERE " + n.fts + " MATCH ?) AS _ds_m JOIN " +
           n.table + " ON " + n.table + "._id = _ds_m._ds_r";
    id = "_ds_m._ds_r";
    s.where.binds.emplace_back(match);
  }
  s.where.sql = where.sql;
  for (auto& b : where.binds) s.where.binds.push_back(std::move(b));
  std::string cols;
  for (const auto& f : s.fields) cols += (cols.empty() ? "" : ", ") + quote_identifier(f.id);
  std::string order;
  for (const auto& k : q.sort) {
    const Field& f = need_field(info, k.field, "sort");
    order += (order.empty() ? "" : ", ") + quote_identifier(f.id) + (k.descending ? " DESC" : "");
  }
  if (!q.distinct) order += (order.empty() ? "" : ", ") + id;  // stable pages
  std::string body = " FROM " + from + s.where.sql;
  std::string select = q.distinct ? "SELECT DISTINCT " : "SELECT ";
  s.sql = select + cols + body + (order.empty() ? "" : " ORDER BY " + order);
  s.count_sql = q.distinct ? "SELECT count(*) FROM (SELECT DISTINCT " + cols + body + ")"
                           : "SELECT count(*)" + body;
  if (!match.empty() && !q.distinct && s.where.sql.empty())  // every row has its FTS row
    s.count_sql = "SELECT count(*) FROM " + n.fts + " WHERE " + n.fts + " MATCH ?";
  if (!q.distinct)
    s.sample_sql = "SELECT count(*), max(_ds_e) FROM (SELECT " + id + " AS _ds_e" + body +
                   " ORDER BY " + id + " LIMIT ?)";
  const auto& ix = info.options.indexes;
  if (match.empty() && !q.distinct && !q.sort.empty() && !s.where.sql.empty()) {
    auto at = std::find(ix.begin(), ix.end(), q.sort.front().field);
    if (at != ix.end())
      s.walk_sql = select + cols + " FROM " + n.table + " INDEXED BY " +
                   n.index(static_cast<std::size_t>(at - ix.begin())) + s.where.sql + " ORDER BY " +
                   order;
  }
  return s;
}

TableInfo table_or_not_found(Connection& c, const std::string& rid) {
  auto info = load_info(c, rid);
  if (!info) throw NotFound("Resource \"" + rid + "\" has no DataStore table");
  return *info;
}

// ---- joins (TableStore::join, decided by join_engine.h): the rows read from one read
// transaction, the join-key indexes and the R*Tree probed when they are built.

std::optional<double> column_number(sqlite3_stmt* s, int col) {
  int t = sqlite3_column_type(s, col);
  if (t != SQLITE_INTEGER && t != SQLITE_FLOAT) return std::nullopt;
  return sqlite3_column_double(s, col);
}

// Streams `SELECT _id, <columns> FROM table WHERE <conditions> ORDER BY _id` row by row.
class SideScan {
 public:
  SideScan(Connection& c, const TableInfo& info, const std::vector<Condition>& conditions,
           const std::vector<std::string>& columns, std::optional<BoundingBox> bbox = {})
      : info_(info) {
    Names n(info.resource_id);
    SearchQuery q;
    q.conditions = conditions;
    q.bbox = bbox;
    where_ = build_where(info, n, q);
    std::string cols = kRowId;
    for (const auto& id : columns) cols += ", " + quote_identifier(id);
    stmt_.emplace(c.handle(), "SELECT " + cols + " FROM " + n.table + where_.sql + " ORDER BY _id");
    bind_all(stmt_->s, where_.binds);
  }
  // Rebinds the box (the last four parameters) for the next probe.
  void rebox(const BoundingBox& b) {
    sqlite3_reset(stmt_->s);
    int last = static_cast<int>(where_.binds.size());
    sqlite3_bind_double(stmt_->s, last - 3, b.min_lat);
    sqlite3_bind_double(stmt_->s, last - 2, b.max_lat);
    sqlite3_bind_double(stmt_->s, last - 1, b.min_lon);
    sqlite3_bind_double(stmt_->s, last, b.max_lon);
  }
  bool next() {
    int rc = sqlite3_step(stmt_->s);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw SqliteError(rc, "join scan of " + info_.resource_id);
  }
  sqlite3_stmt* stmt() { return stmt_->s; }

 private:
  const TableInfo& info_;
  Where where_;
  std::optional<StmtPtr> stmt_;
};

// Text of column `col` as join_key() sees it.
std::string scanned_key(sqlite3_stmt* s, int col, const Field& f) {
  if (sqlite3_column_type(s, col) == SQLITE_TEXT) {  // the common case, without a Cell copy
    auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, col));
    return join_key(std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(s, col))));
  }
  return join_key(read_cell(s, col, f.type));
}

// One join's reads. The probes' statements are prepared on the first probe and rebound after:
// a join probes one table, under one set of conditions, by one field or point.
class SqliteJoinReader : public JoinReader {
 public:
  explicit SqliteJoinReader(Connection& c) : c_(c) {}

  void scan_keys(const TableInfo& t, const std::vector<Condition>& conditions, const Field& f,
                 const std::function<bool(std::int64_t, std::string)>& each) override {
    SideScan scan(c_, t, conditions, {f.id});
    while (scan.next())
      if (!each(sqlite3_column_int64(scan.stmt(), 0), scanned_key(scan.stmt(), 1, f))) return;
  }

  void scan_points(
      const TableInfo& t, const std::vector<Condition>& conditions, const PointFields& p,
      const std::function<bool(std::int64_t, std::optional<double>, std::optional<double>)>& each)
      override {
    SideScan scan(c_, t, conditions, {p.first, p.second});
    while (scan.next())
      if (!each(sqlite3_column_int64(scan.stmt(), 0), column_number(scan.stmt(), 1),
                column_number(scan.stmt(), 2)))
        return;
  }

  std::vector<Row> fetch(const TableInfo& t, const std::vector<Field>& columns,
                         const std::vector<std::int64_t>& ids) override {
    std::string cols;
    for (const auto& f : columns) cols += (cols.empty() ? "" : ", ") + quote_identifier(f.id);
    if (cols.empty()) cols = kRowId;
    StmtPtr stmt(c_.handle(),
                 "SELECT " + cols + " FROM " + quote_identifier(t.resource_id) + " WHERE _id = ?");
    std::vector<Row> out;
    out.reserve(ids.size());
    for (auto id : ids) {
      sqlite3_reset(stmt.s);
      sqlite3_bind_int64(stmt.s, 1, id);
      Row row;
      if (sqlite3_step(stmt.s) == SQLITE_ROW)
        for (std::size_t i = 0; i < columns.size(); ++i)
          row.push_back(read_cell(stmt.s, static_cast<int>(i), columns[i].type));
      else
        row.resize(columns.size());
      out.push_back(std::move(row));
    }
    return out;
  }

  bool can_probe_keys(const TableInfo& t, const Field& f) override {
    return t.options.has_join_key_index(f.id) && !t.search_indexes_pending;
  }

  void probe_keys(const TableInfo& t, const std::vector<Condition>& conditions, const Field& f,
                  const std::string& key, const std::function<void(std::int64_t)>& each) override {
    if (!key_probe_) {
      Names n(t.resource_id);
      SearchQuery q;
      q.conditions = conditions;
      Where w = build_where(t, n, q);
      w.add("ds_join_key(" + quote_identifier(f.id) + ") = ?");
      key_probe_.emplace(c_.handle(), "SELECT _id FROM " + n.table + w.sql + " ORDER BY _id");
      bind_all(key_probe_->s, w.binds);
      key_param_ = static_cast<int>(w.binds.size()) + 1;
    }
    sqlite3_stmt* s = key_probe_->s;
    sqlite3_reset(s);
    sqlite3_bind_text64(s, key_param_, key.data(), key.size(), SQLITE_STATIC, SQLITE_UTF8);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) each(sqlite3_column_int64(s, 0));
    if (rc != SQLITE_DONE) throw SqliteError(rc, "join probe of " + t.resource_id);
  }

  bool can_probe_points(const TableInfo& t, const PointFields& p) override {
    return t.options.point && *t.options.point == p && !t.search_indexes_pending;
  }

  void probe_points(const TableInfo& t, const std::vector<Condition>& conditions,
                    const PointFields& p, const BoundingBox& box,
                    const std::function<void(std::int64_t, double, double)>& each) override {
    if (!box_probe_)
      box_probe_.emplace(c_, t, conditions, std::vector<std::string>{p.first, p.second},
                         BoundingBox{0, 0, 0, 0});
    box_probe_->rebox(box);
    while (box_probe_->next()) {
      auto lat = column_number(box_probe_->stmt(), 1), lon = column_number(box_probe_->stmt(), 2);
      if (lat && lon) each(sqlite3_column_int64(box_probe_->stmt(), 0), *lat, *lon);
    }
  }

 private:
  Connection& c_;
  std::optional<StmtPtr> key_probe_;
  int key_param_ = 0;
  std::optional<SideScan> box_probe_;
};

class SqliteTableStore;

// TableStore::revision: per table, the store-wide count of writes at its last committed write
// (never reused, so a dropped and re-created table never shows an old number); 0 for a table
// not written since the store was opened. Bumped after the commit, never before: a reader that
// took the number before a write then sees it change.
class Revisions {
 public:
  void bump(const std::string& rid) {
    std::lock_guard lock(mutex_);
    revisions_[rid] = ++writes_;
  }
  std::uint64_t of(const std::string& rid) const {
    std::lock_guard lock(mutex_);
    auto it = revisions_.find(rid);
    return it == revisions_.end() ? 0 : it->second;
  }

 private:
  mutable std::mutex mutex_;
  std::uint64_t writes_ = 0;
  std::unordered_map<std::string, std::uint64_t> revisions_;
};

class SqliteTableWriter : public TableWriter {
 public:
  SqliteTableWriter(std::unique_lock<std::mutex> lock, Connection& c, TableInfo info,
                    std::int64_t count_min_rows, Revisions& revisions)
      : lock_(std::move(lock)),
        c_(c),
        info_(std::move(info)),
        n_(info_.resource_id),
        count_min_rows_(count_min_rows),
        revisions_(revisions) {
    tx_.emplace(c_);
    std::size_t old_indexes = 0;
    if (auto old = load_info(c_, info_.resource_id)) old_indexes = old->options.indexes.size();
    drop_table(c_, info_.resource_id, old_indexes);
    create_bare_table(c_, n_, info_.fields);
    std::string sql = "INSERT INTO " + n_.table + " (" + column_list(info_.fields) + ") VALUES (";
    for (std::size_t i = 0; i < info_.fields.size(); ++i) sql += i ? ", ?" : "?";
    insert_.emplace(c_.handle(), sql + ")");
  }

  void append(const Row& row) override {
    const std::int64_t row_no = rows_ + 1;
    check_row_width(row, info_.fields.size(), row_no);
    sqlite3_stmt* s = insert_->s;
    // A cell already of its field's type (the loader's typed cells) is bound where it is, with
    // no copy; only the others are converted into converted_.
    converted_.resize(row.size());
    for (std::size_t i = 0; i < row.size(); ++i) {
      const Cell* c = &row[i];
      if (!is_of_type(*c, info_.fields[i].type)) {
        converted_[i] = typed(*c, info_.fields[i], row_no);
        c = &converted_[i];
      }
      bind_cell(s, static_cast<int>(i) + 1, *c, SQLITE_STATIC);
    }
    step_write(c_.handle(), s, row_no);
    sqlite3_reset(s);
    rows_ = row_no;
  }

  std::int64_t rows() const override { return rows_; }

  void set_load_findings(const LoadFindings& findings) override { findings_ = findings; }

  void set_options(const TableOptions& options) override {
    check_options(options, info_.fields);
    info_.options = options;
  }

  void commit() override { finish(/*search_indexes=*/true); }
  void commit_rows() override { finish(/*search_indexes=*/false); }

 private:
  std::unique_lock<std::mutex> lock_;
  Connection& c_;
  TableInfo info_;
  Names n_;
  std::int64_t count_min_rows_;
  std::optional<WriteTransaction> tx_;
  std::optional<StmtPtr> insert_;
  std::vector<Cell> converted_;  // reused per row
  std::int64_t rows_ = 0;
  LoadFindings findings_;
  Revisions& revisions_;

  // The indexes are built after the rows, each in one statement over the whole table: B-trees
  // from a sort, the R*Tree in space order, the full text in one pass (cheaper than per row).
  // commit_rows() leaves all but the primary key's to build_search_indexes.
  void finish(bool search_indexes) {
    insert_.reset();
    if (search_indexes) {
      build_aux(c_, n_, info_, count_min_rows_);
    } else {
      build_key_index(c_, n_, info_);
      info_.search_indexes_pending = true;
    }
    info_.row_count = rows_;
    save_info(c_, info_);
    save_load_findings(c_, info_.resource_id, findings_);
    tx_->commit();
    tx_.reset();
    revisions_.bump(info_.resource_id);
    lock_.unlock();
  }
};

class SqliteTableStore : public TableStore {
 public:
  SqliteTableStore(const std::string& path, const SqliteSearchTuning& tuning)
      : tuning_(tuning),
        totals_(tuning.total_cache_entries),
        writer_(path, Connection::Mode::kReadWrite),
        reads_(path),
        sql_reads_(path),
        pairs_(tuning.pair_index_after,
               [this](const std::string& rid, const std::string& a, const std::string& b) {
                 build_pair_index(rid, a, b);
               }) {
    writer_.exec("PRAGMA journal_mode = WAL");
    writer_.exec("PRAGMA synchronous = NORMAL");
    writer_.exec("PRAGMA cache_size = -65536");
    writer_.exec("PRAGMA temp_store = MEMORY");
    writer_.exec(kSchema);
    add_search_pending_column();
    int rc = sqlite3_create_function_v2(writer_.handle(), "ds_fulltext", -1,
                                        SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                        nullptr, fulltext_function, nullptr, nullptr, nullptr);
    catalog::sqlite::check(writer_.handle(), rc, "create function ds_fulltext");
    register_join_key(writer_.handle());
  }

  TableInfo create(const std::string& rid, const std::vector<Field>& fields,
                   const TableOptions& options, const std::vector<Row>& rows) override {
    check_resource_id(rid);
    std::lock_guard lock(write_mutex_);
    WriteTransaction tx(writer_);
    Names n(rid);
    auto info = load_info(writer_, rid);
    const bool created = !info;
    if (created) {
      check_fields(fields);
      check_options(options, fields);
      info = TableInfo{rid, fields, options, 0};
      create_bare_table(writer_, n, fields);
      build_aux(writer_, n, *info, tuning_.counted_value_min_rows);
    } else {
      extend(*info, n, fields, options);
      forget_load_findings(writer_, rid);
    }
    std::vector<std::string> columns;
    for (const auto& f : fields) columns.push_back(f.id);
    if (!rows.empty()) write_rows(*info, n, Method::insert, columns, rows);
    // The counts were built over no rows: count the common values of the first ones. (Values
    // that become common through later writes are counted from the index, exactly, until the
    // counts are next built: a new index list, a retype, a reload.)
    if (created && !rows.empty() && tuning_.counted_value_min_rows > 0)
      build_value_counts(writer_, *info, tuning_.counted_value_min_rows);
    info->row_count = count_rows(writer_, n);
    save_info(writer_, *info);
    tx.commit();
    revisions_.bump(rid);
    return *info;
  }

  std::int64_t upsert(const std::string& rid, Method method,
                      const std::vector<std::string>& columns,
                      const std::vector<Row>& rows) override {
    std::lock_guard lock(write_mutex_);
    WriteTransaction tx(writer_);
    auto info = need_info(writer_, rid);
    Names n(rid);
    forget_load_findings(writer_, rid);
    auto written = write_rows(info, n, method, columns, rows);
    info.row_count = count_rows(writer_, n);
    save_info(writer_, info);
    tx.commit();
    revisions_.bump(rid);
    return written;
  }

  std::int64_t delete_rows(const std::string& rid,
                           const std::vector<Condition>& conditions) override {
    std::lock_guard lock(write_mutex_);
    WriteTransaction tx(writer_);
    auto info = need_info(writer_, rid);
    Names n(rid);
    SearchQuery q;
    q.conditions = conditions;
    Where w = build_where(info, n, q);
    forget_load_findings(writer_, rid);
    StmtPtr del(writer_.handle(), "DELETE FROM " + n.table + w.sql);
    bind_all(del.s, w.binds);
    step_write(writer_.handle(), del.s, 0);
    auto deleted = writer_.changes();
    info.row_count = count_rows(writer_, n);
    save_info(writer_, info);
    tx.commit();
    revisions_.bump(rid);
    return deleted;
  }

  void drop(const std::string& rid) override {
    std::lock_guard lock(write_mutex_);
    WriteTransaction tx(writer_);
    auto info = load_info(writer_, rid);
    if (!info) return;
    drop_table(writer_, rid, info->options.indexes.size());
    tx.commit();
    revisions_.bump(rid);
  }

  std::optional<std::uint64_t> revision(const std::string& rid) override {
    return revisions_.of(rid);
  }

  std::optional<TableInfo> info(const std::string& rid) override {
    auto lease = reads_.lease();
    ReadTransaction tx(*lease);
    return load_info(*lease, rid);
  }

  std::vector<std::string> table_ids() override {
    auto lease = reads_.lease();
    ReadTransaction tx(*lease);
    Statement s((*lease).handle(), "SELECT resource_id FROM _ds_tables ORDER BY resource_id");
    std::vector<std::string> out;
    while (s.step()) out.push_back(s.text(0));
    return out;
  }

  LoadFindings load_findings(const std::string& rid) override {
    auto lease = reads_.lease();
    ReadTransaction tx(*lease);
    return read_load_findings(*lease, rid);
  }

  void set_field_info(const std::string& rid,
                      const std::vector<std::pair<std::string, FieldInfo>>& infos) override {
    std::lock_guard lock(write_mutex_);
    WriteTransaction tx(writer_);
    auto info = need_info(writer_, rid);
    bool retype = apply_field_infos(info, infos);
    if (retype) {
      check_options(info.options, info.fields);  // a point field must stay numeric
      rebuild(info);
    }
    save_info(writer_, info);
    tx.commit();
    revisions_.bump(rid);
  }

  std::unique_ptr<TableWriter> replace_table(const std::string& rid,
                                             const std::vector<Field>& fields,
                                             const TableOptions& options) override {
    check_resource_id(rid);
    check_fields(fields);
    check_options(options, fields);
    std::unique_lock lock(write_mutex_);
    return std::make_unique<SqliteTableWriter>(std::move(lock), writer_,
                                               TableInfo{rid, fields, options, 0},
                                               tuning_.counted_value_min_rows, revisions_);
  }

  void build_search_indexes(const std::string& rid, const std::atomic<bool>* abort) override {
    std::lock_guard lock(write_mutex_);
    // The abort flag is polled by SQLite every few thousand steps; set, the build is interrupted
    // and rolled back.
    auto poll = [](void* flag) -> int {
      return static_cast<const std::atomic<bool>*>(flag)->load() ? 1 : 0;
    };
    if (abort)
      sqlite3_progress_handler(writer_.handle(), 10000, poll,
                               const_cast<std::atomic<bool>*>(abort));
    struct Unhook {
      sqlite3* db;
      ~Unhook() { sqlite3_progress_handler(db, 0, nullptr, nullptr); }
    } unhook{writer_.handle()};
    // Two commits: the fields' B-tree indexes first (filters are fast from then on, seconds
    // before the full text is ready at 1M rows), then the rest.
    for (bool btrees_only : {true, false}) {
      WriteTransaction tx(writer_);
      auto info = load_info(writer_, rid);
      if (!info || !info->search_indexes_pending) return;
      if (abort && abort->load()) throw BadRequest("aborted", "the index build was aborted");
      try {
        Names n(rid);
        if (btrees_only) {
          build_field_indexes(writer_, n, *info);
          analyze(writer_, n);
          if (tuning_.counted_value_min_rows > 0)
            build_value_counts(writer_, *info, tuning_.counted_value_min_rows);
        } else
          ::datamap::datastore::build_search_indexes(writer_, n, *info);
      } catch (const SqliteError& e) {
        if (abort && abort->load()) throw BadRequest("aborted", "the index build was aborted");
        throw;
      }
      if (!btrees_only) save_info(writer_, *info);
      tx.commit();
    }
  }

  SearchResult search(const SearchQuery& q) override {
    // Taken before the snapshot, as TableStore::revision asks: a kept total is keyed by it.
    const std::uint64_t revision = revisions_.of(q.resource_id);
    auto lease = reads_.lease();
    ReadTransaction tx(*lease);
    auto info = need_info(*lease, q.resource_id);
    Select s = build_select(info, q);
    SearchResult out;
    out.fields = s.fields;
    if (auto pair = filtered_pair(q); pair && !pair_index(*lease, info, q))
      pairs_.note(q.resource_id, pair->first, pair->second);
    // The total first: how many rows match decides how the page is read (walk_sort_index).
    read_total(*lease, info, q, s, out, revision);
    if (walk_sort_index(*lease, info, q, s, out)) return out;
    read_page(*lease, s.sql, q, s, out);
    return out;
  }

  std::vector<std::string> explain_search(const SearchQuery& q) override {
    auto lease = reads_.lease();
    ReadTransaction tx(*lease);
    auto info = need_info(*lease, q.resource_id);
    Select s = build_select(info, q);
    std::vector<std::string> out;
    std::string lookup;
    const bool counted = q.include_total && counted_total(*lease, info, q, &lookup).has_value();
    SearchResult total;
    read_total(*lease, info, q, s, total);
    const bool walk = should_walk(info, q, s, total.total);
    for (const auto* sql : {walk ? &s.walk_sql : &s.sql, counted ? &lookup : &s.count_sql}) {
      StmtPtr plan((*lease).handle(), "EXPLAIN QUERY PLAN " + *sql);
      // The lookup's one value goes unbound: a plan does not depend on it.
      if (sql != &lookup) bind_all(plan.s, s.where.binds);
      while (sqlite3_step(plan.s) == SQLITE_ROW)
        out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(plan.s, 3)));
    }
    return out;
  }

  void scan(const SearchQuery& q,
            const std::function<bool(const std::vector<Field>&, const Row&)>& each) override {
    auto lease = reads_.lease();
    ReadTransaction tx(*lease);
    auto info = need_info(*lease, q.resource_id);
    Select s = build_select(info, q);
    StmtPtr rows((*lease).handle(), s.sql);
    bind_all(rows.s, s.where.binds);
    read_rows(*lease, rows.s, s.fields, [&](const Row& r) { return each(s.fields, r); });
  }

  SearchResult join(const JoinQuery& q) override {
    auto lease = reads_.lease();
    register_join_key((*lease).handle());
    ReadTransaction tx(*lease);  // both tables from one snapshot
    TableInfo left = table_or_not_found(*lease, q.left);
    TableInfo right = table_or_not_found(*lease, q.right);
    SqliteJoinReader rows(*lease);
    return run_join(q, left, right, rows);
  }

  SqlResult search_sql(std::string_view sql, const SqlLimits& limits,
                       const std::function<bool(const std::string&)>& may_read) override {
    auto lease = sql_reads_.lease();
    ReadTransaction tx(*lease);
    // Names are compared as SQLite does, ASCII case-insensitively: FROM SQLITE_MASTER is
    // sqlite_master.
    std::map<std::string, std::string> datastore_tables;  // lower-cased -> resource id
    std::set<std::string> schema;                         // every other table, lower-cased
    {
      Statement s((*lease).handle(), "SELECT resource_id FROM _ds_tables");
      while (s.step()) datastore_tables.emplace(ascii_lower(s.text_view(0)), s.text(0));
      Statement m((*lease).handle(), "SELECT name FROM sqlite_schema");
      while (m.step()) schema.insert(ascii_lower(m.text_view(0)));
    }
    return run_sandboxed_sql(*lease, sql, limits, [&](const std::string& table) {
      std::string name = ascii_lower(table);
      if (auto it = datastore_tables.find(name); it != datastore_tables.end())
        return may_read(it->second);
      // Not a table at all (a CTE or subquery): reading it reads only what it selects.
      return !schema.count(name) && !starts_with_ci(name, "sqlite_");
    });
  }

 private:
  // CKAN's total_estimation_threshold. Reads the first max(threshold, kMinSample) + 1 matches in
  // load order: fewer means that is the exact total; otherwise the total is extrapolated from how
  // far into the table they reach (matches spread like the rows: a common word, a category).
  // Counting a word in most of 1M rows costs ~0.6 s; this costs the sample. False: not decided.
  static bool estimate_total(Connection& c, const TableInfo& info, const Select& s,
                             std::int64_t threshold, SearchResult& out) {
    constexpr std::int64_t kMinSample = 1000;
    const std::int64_t limit = std::max<std::int64_t>(threshold, kMinSample) + 1;
    StmtPtr sample(c.handle(), s.sample_sql);
    bind_all(sample.s, s.where.binds);
    sqlite3_bind_int64(sample.s, static_cast<int>(s.where.binds.size()) + 1, limit);
    if (sqlite3_step(sample.s) != SQLITE_ROW) return false;
    const std::int64_t seen = sqlite3_column_int64(sample.s, 0);
    const std::int64_t last = sqlite3_column_int64(sample.s, 1);
    out.total = seen;
    if (seen < limit) return true;  // every match was read: exact
    Statement top(c.handle(), "SELECT max(_id) FROM " + quote_identifier(info.resource_id));
    const std::int64_t max_id = top.step() ? top.integer(0) : 0;
    if (last <= 0 || max_id <= 0) return false;
    double estimate = static_cast<double>(seen) * static_cast<double>(max_id) / last;
    out.total = std::clamp<std::int64_t>(static_cast<std::int64_t>(std::llround(estimate)), seen,
                                         std::max(seen, info.row_count));
    out.total_was_estimated = true;
    return true;
  }

  // out.total when q.include_total. No condition and no `q`: the row count every write keeps in
  // _ds_tables, read in this snapshot (counting 1M rows costs 10-20 ms a page, e.g. for a sort
  // alone); a one-column equality: the value's count when it has one; else an estimate when
  // asked for (total_estimation_threshold) or the rows counted. A total that took counting (two
  // common values, or the count) is kept in totals_ for the next request on the same table
  // state; `revision` is TableStore::revision taken before the snapshot (nullopt: not kept).
  void read_total(Connection& c, const TableInfo& info, const SearchQuery& q, const Select& s,
                  SearchResult& out, std::optional<std::uint64_t> revision = std::nullopt) {
    if (!q.include_total) return;
    std::string key;  // made once, when a total is to be counted
    // `how` tells the two ways apart, so each is found only where it would have answered.
    auto remembered = [&](char how, const auto& compute) -> std::optional<std::int64_t> {
      if (!revision || !totals_.enabled() || info.search_indexes_pending) return compute();
      if (key.empty()) key = total_key(c, info, s, *revision);
      key.back() = how;
      if (auto kept = totals_.find(key)) return kept;
      auto total = compute();
      if (total) totals_.keep(key, *total);
      return total;
    };
    if (!q.distinct && s.where.sql.empty() && s.where.binds.empty()) {
      out.total = info.row_count;
    } else if (auto counted = counted_total(c, info, q)) {
      out.total = counted;  // exact, so no estimate is needed either
    } else if (auto both = remembered('2', [&] { return two_common_values_total(c, info, q); })) {
      out.total = both;
    } else if (!(q.total_estimation_threshold && !s.sample_sql.empty() &&
                 estimate_total(c, info, s, *q.total_estimation_threshold, out))) {
      out.total = remembered('c', [&]() -> std::optional<std::int64_t> {
        StmtPtr count(c.handle(), s.count_sql);
        bind_all(count.s, s.where.binds);
        if (sqlite3_step(count.s) != SQLITE_ROW) return std::nullopt;
        return sqlite3_column_int64(count.s, 0);
      });
    }
  }

  // What a counted total depends on (sqlite_total_cache.h), read in the count's snapshot: the
  // count's SQL and values; the revision (this process's writes); the database's schema version
  // (a reload, retype or new index list by any process creates and drops tables: a fresh
  // full-text index of a reloaded table can look exactly like the old one's, e.g. 주차장 → 주차면
  // in every row); and the FTS5 index's averages (rowid 1: rows and tokens) and structure (rowid
  // 10: its segments and a write counter every flush increases) records, which every row insert,
  // update or delete changes through the full-text triggers, whichever connection writes.
  static std::string total_key(Connection& c, const TableInfo& info, const Select& s,
                               std::uint64_t revision) {
    std::string key = info.resource_id;
    key += '\0';
    key += std::to_string(revision);
    key += '\0';
    Statement schema(c.handle(), "PRAGMA schema_version");
    key += std::to_string(schema.step() ? schema.integer(0) : -1);
    StmtPtr state(c.handle(), "SELECT id, block FROM " +
                                  quote_identifier("_ds_fts_" + info.resource_id + "_data") +
                                  " WHERE id IN (1, 10) ORDER BY id");
    while (sqlite3_step(state.s) == SQLITE_ROW) {
      key += '\0';
      key += std::to_string(sqlite3_column_int64(state.s, 0));
      key += ':';
      const auto* block = static_cast<const char*>(sqlite3_column_blob(state.s, 1));
      key.append(block ? block : "", static_cast<std::size_t>(sqlite3_column_bytes(state.s, 1)));
    }
    key += '\0';
    key += s.count_sql;
    for (const auto& b : s.where.binds) {
      key += '\0';
      key += std::to_string(b.index());
      key += ':';
      std::visit(
          [&key](const auto& v) {
            using V = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<V, std::string>) {
              key += std::to_string(v.size()) + ':' + v;
            } else if constexpr (std::is_same_v<V, double>) {
              char buf[32];
              std::snprintf(buf, sizeof buf, "%.17g", v);
              key += buf;
            } else if constexpr (!std::is_same_v<V, std::monostate>) {
              key += std::to_string(v);
            }
          },
          b);
    }
    key += '\0';
    key += ' ';  // read_total's `how`
    return key;
  }

  // One page of rows of `sql` (a Select's rows SQL) into out.records.
  static void read_page(Connection& c, const std::string& sql, const SearchQuery& q,
                        const Select& s, SearchResult& out) {
    StmtPtr rows(c.handle(), sql + " LIMIT ? OFFSET ?");
    bind_all(rows.s, s.where.binds);
    int next = static_cast<int>(s.where.binds.size()) + 1;
    sqlite3_bind_int64(rows.s, next, std::max<std::int64_t>(q.limit, 0));
    sqlite3_bind_int64(rows.s, next + 1, std::max<std::int64_t>(q.offset, 0));
    read_rows(c, rows.s, s.fields, [&](const Row& r) {
      out.records.push_back(r);
      return true;
    });
  }

  // A filter with many matches sorted by another indexed field. The plain plan reads and sorts
  // every match (28,643 of 1M rows: 53 ms in SQLite, 0.15 ms walked); walking the sort field's
  // index in order and testing each row finds a page after about (offset + limit) × rows /
  // matches rows when the matches are spread through the sort order. Tried when that estimate is at
  // most SqliteSearchTuning::sort_walk_rows; a walk that runs past its budget (the matches sit at
  // the far end of the order) is interrupted and the plain plan answers. Both have one ORDER BY
  // ending in _id, so they return the same rows. False: not walked (out untouched).
  bool walk_sort_index(Connection& c, const TableInfo& info, const SearchQuery& q, const Select& s,
                       SearchResult& out) const {
    if (!should_walk(info, q, s, out.total)) return false;
    const std::int64_t budget = tuning_.sort_walk_rows;
    struct Budget {
      std::int64_t left;
    } left{budget * kSortWalkOpsPerRow / kSortWalkOpsPerCheck};
    sqlite3_progress_handler(
        c.handle(), kSortWalkOpsPerCheck,
        [](void* b) -> int { return --static_cast<Budget*>(b)->left < 0 ? 1 : 0; }, &left);
    struct Unhook {
      sqlite3* db;
      ~Unhook() { sqlite3_progress_handler(db, 0, nullptr, nullptr); }
    } unhook{c.handle()};
    SearchResult walked;
    try {
      read_page(c, s.walk_sql, q, s, walked);
    } catch (const SqliteError& e) {
      // Past the budget (SQLITE_INTERRUPT), or no plan through the index (it is still being
      // built): the plain plan answers.
      if ((e.code() & 0xff) != SQLITE_INTERRUPT && (e.code() & 0xff) != SQLITE_ERROR) throw;
      return false;
    }
    out.records = std::move(walked.records);
    return true;
  }

  // The two fields of a search with exactly two equality filters on different fields and
  // nothing else that narrows it (no `q`, no box): what a two-column index would answer.
  static std::optional<std::pair<std::string, std::string>> filtered_pair(const SearchQuery& q) {
    if (q.conditions.size() != 2 || q.distinct || !fulltext_match(q.q).empty() ||
        !q.q_fields.empty() || q.bbox)
      return std::nullopt;
    for (const auto& c : q.conditions)
      if (!(c.op == Op::eq || (c.op == Op::in && c.values.size() == 1))) return std::nullopt;
    if (q.conditions[0].field == q.conditions[1].field) return std::nullopt;
    return std::make_pair(q.conditions[0].field, q.conditions[1].field);
  }

  // The name of the two-column index on the fields of filtered_pair(q) when it exists.
  static std::optional<std::string> pair_index(Connection& c, const TableInfo& info,
                                               const SearchQuery& q) {
    auto pair = filtered_pair(q);
    if (!pair) return std::nullopt;
    auto name = pair_index_name(info, pair->first, pair->second);
    if (!name) return std::nullopt;
    auto s = c.cached("SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?");
    s->bind(1, *name);
    if (!s->step()) return std::nullopt;
    return name;
  }

  static std::optional<std::string> pair_index_name(const TableInfo& info, const std::string& a,
                                                    const std::string& b) {
    auto at = [&](const std::string& id) {
      auto it = std::find_if(info.fields.begin(), info.fields.end(),
                             [&](const Field& f) { return f.id == id; });
      return static_cast<std::size_t>(it - info.fields.begin());
    };
    std::size_t i = at(a), j = at(b);
    if (i >= info.fields.size() || j >= info.fields.size() || i == j) return std::nullopt;
    return Names(info.resource_id).pair_index(std::min(i, j), std::max(i, j));
  }

  // How many two-column indexes the table has (the statement is reset before the caller's DDL).
  std::int64_t pair_indexes_of(const std::string& rid) {
    auto s = writer_.cached(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? AND "
        "substr(name, 1, 6) = '_ds_px'");
    s->bind(1, rid);
    return s->step() ? s->integer(0) : 0;
  }

  // PairIndexes' build, on its thread: the index on (a, b) in table order and its planner
  // statistics, holding the writer (~1 s of CPU at 1M rows). Nothing when the table or a field is
  // gone, its indexes are still being built or it has pair_indexes_per_table of them already; an
  // error (e.g. a busy database) is dropped: a later note retries.
  void build_pair_index(const std::string& rid, const std::string& a, const std::string& b) {
    try {
      std::lock_guard lock(write_mutex_);
      WriteTransaction tx(writer_);
      auto info = load_info(writer_, rid);
      if (!info || info->search_indexes_pending) return;
      auto name = pair_index_name(*info, a, b);
      if (!name) return;
      if (pair_indexes_of(rid) >= tuning_.pair_indexes_per_table) return;
      // In table order, as the name says (a and b come in name order).
      std::string first = a, second = b;
      auto pos = [&](const std::string& id) {
        return std::find_if(info->fields.begin(), info->fields.end(),
                            [&](const Field& f) { return f.id == id; });
      };
      if (pos(second) < pos(first)) std::swap(first, second);
      Names n(rid);
      writer_.exec(("CREATE INDEX IF NOT EXISTS " + quote_identifier(*name) + " ON " + n.table +
                    " (" + quote_identifier(first) + ", " + quote_identifier(second) + ")")
                       .c_str());
      // Its statistics in the same commit (sampled, < 1 ms): without them the planner takes it
      // for a filter on its first field alone, whose page it must then sort (932,350 rows of a
      // common category: 217 ms, not 0.2 ms on the field's own index, ordered by _id).
      writer_.exec("PRAGMA analysis_limit = 1000");
      writer_.exec(("ANALYZE " + quote_identifier(*name)).c_str());
      tx.commit();
    } catch (const std::exception&) {
    }
  }

  // The exact total of two equality filters whose values are both common (counted): the plain
  // count tests each row of one value against the other (26,682 of 28,643 rows at 1M: 147 ms,
  // a table seek each). Instead, with A the filter read whole and B the other: |A| minus the rows
  // of A whose B is any other value or null, both lists of row ids read from the two covering
  // indexes (B's as its ranges below and above the value: every non-null value is <, = or >
  // it, under the same comparison as `=`) and intersected sorted (≈ 0.1 µs an entry). Used when
  // that reads fewer than 50 entries per row the plain count would seek; nullopt otherwise.
  std::optional<std::int64_t> two_common_values_total(Connection& c, const TableInfo& info,
                                                      const SearchQuery& q) const {
    if (tuning_.counted_value_min_rows <= 0 || q.distinct || q.conditions.size() != 2 ||
        !fulltext_match(q.q).empty() || !q.q_fields.empty() || q.bbox)
      return std::nullopt;
    if (pair_index(c, info, q)) return std::nullopt;  // the plain count reads it: ~1 ms
    const auto& ix = info.options.indexes;
    struct Side {
      std::size_t index;
      const Field* field;
      Cell value;
      std::int64_t rows;
    };
    std::vector<Side> sides;
    for (const auto& cond : q.conditions) {
      SearchQuery one;
      one.conditions = {cond};
      auto rows = counted_total(c, info, one);
      auto at = std::find(ix.begin(), ix.end(), cond.field);
      if (!rows || at == ix.end()) return std::nullopt;
      const Field& f = need_field(info, cond.field, "filters");
      sides.push_back({static_cast<std::size_t>(at - ix.begin()), &f,
                       condition_value(f, cond.values.front()), *rows});
    }
    if (sides[0].field == sides[1].field) return std::nullopt;
    const std::int64_t n = info.row_count;
    // Read A whole and B's complement: the cheaper way round.
    if (sides[0].rows + (n - sides[1].rows) > sides[1].rows + (n - sides[0].rows))
      std::swap(sides[0], sides[1]);
    const Side& a = sides[0];
    const Side& b = sides[1];
    const std::int64_t reads = a.rows + (n - b.rows);
    if (reads > 50 * std::min(a.rows, b.rows)) return std::nullopt;
    Names names(info.resource_id);
    auto ids = [&](const Side& side, const std::string& condition, bool bind) {
      std::vector<std::int64_t> out;
      StmtPtr st(c.handle(), "SELECT _id FROM " + names.table + " INDEXED BY " +
                                 names.index(side.index) + " WHERE " +
                                 quote_identifier(side.field->id) + condition);
      if (bind) bind_cell(st.s, 1, side.value);
      int rc;
      while ((rc = sqlite3_step(st.s)) == SQLITE_ROW) out.push_back(sqlite3_column_int64(st.s, 0));
      if (rc != SQLITE_DONE) throw SqliteError(rc, "two-value total");
      return out;
    };
    try {
      auto in_a = ids(a, " = ?", true);
      std::vector<std::int64_t> not_b;
      for (const auto* condition : {" < ?", " > ?", " IS NULL"}) {
        auto part = ids(b, condition, std::string_view(condition) != " IS NULL");
        not_b.insert(not_b.end(), part.begin(), part.end());
      }
      std::sort(in_a.begin(), in_a.end());
      std::sort(not_b.begin(), not_b.end());
      std::int64_t both_not = 0;
      for (std::size_t i = 0, j = 0; i < in_a.size() && j < not_b.size();) {
        if (in_a[i] < not_b[j]) {
          ++i;
        } else if (not_b[j] < in_a[i]) {
          ++j;
        } else {
          ++both_not, ++i, ++j;
        }
      }
      return static_cast<std::int64_t>(in_a.size()) - both_not;
    } catch (const SqliteError&) {
      return std::nullopt;  // an index still being built: the plain count
    }
  }

  // Whether walk_sort_index tries the walk, given the total (when asked for).
  bool should_walk(const TableInfo& info, const SearchQuery& q, const Select& s,
                   std::optional<std::int64_t> total) const {
    const std::int64_t budget = tuning_.sort_walk_rows;
    if (budget <= 0 || s.walk_sql.empty() || info.row_count <= 0) return false;
    const double page = static_cast<double>(std::max<std::int64_t>(q.offset, 0)) +
                        static_cast<double>(std::max<std::int64_t>(q.limit, 0));
    if (!total) return page <= static_cast<double>(budget);
    // Few matches: sorting them is cheap. Otherwise: the walk's expected length.
    return *total >= tuning_.sort_walk_min_matches &&
           page * static_cast<double>(info.row_count) / static_cast<double>(*total) <=
               static_cast<double>(budget);
  }

  // The lookup of a one-column equality filter's total in the field's count table
  // (sqlite_value_counts.h): its SQL and value; nullopt for any other query.
  std::optional<std::pair<std::string, Cell>> count_lookup(const TableInfo& info,
                                                           const SearchQuery& q) const {
    if (tuning_.counted_value_min_rows <= 0 || q.distinct || q.conditions.size() != 1 ||
        !fulltext_match(q.q).empty() || !q.q_fields.empty() || q.bbox)
      return std::nullopt;
    const Condition& cond = q.conditions.front();
    if ((cond.op != Op::eq && cond.op != Op::in) || cond.values.size() != 1) return std::nullopt;
    const auto& ix = info.options.indexes;
    auto at = std::find(ix.begin(), ix.end(), cond.field);
    if (at == ix.end()) return std::nullopt;
    const Field& f = need_field(info, cond.field, "filters");
    return std::make_pair("SELECT n FROM " + value_count_table(info.resource_id, at - ix.begin()) +
                              " WHERE value = ?",
                          condition_value(f, cond.values.front()));
  }

  // The exact total of a one-column equality filter on a value its field's count table holds;
  // nullopt for any other query or value (the caller counts the rows). `sql` gets the lookup.
  std::optional<std::int64_t> counted_total(Connection& c, const TableInfo& info,
                                            const SearchQuery& q,
                                            std::string* sql = nullptr) const {
    auto lookup = count_lookup(info, q);
    if (!lookup) return std::nullopt;
    sqlite3_stmt* s = nullptr;
    // No such table: the field has no common value (or the counts are not built yet).
    if (sqlite3_prepare_v2(c.handle(), lookup->first.c_str(),
                           static_cast<int>(lookup->first.size()), &s, nullptr) != SQLITE_OK) {
      sqlite3_finalize(s);
      return std::nullopt;
    }
    StmtPtr owned(s);
    bind_cell(s, 1, lookup->second);
    if (sqlite3_step(s) != SQLITE_ROW) return std::nullopt;
    if (sql) *sql = lookup->first;
    return sqlite3_column_int64(s, 0);
  }

  // Databases made before the load's second phase lack _ds_tables.search_pending.
  void add_search_pending_column() {
    Statement s(writer_.handle(),
                "SELECT 1 FROM pragma_table_info('_ds_tables') WHERE name = 'search_pending'");
    if (!s.step())
      writer_.exec("ALTER TABLE _ds_tables ADD COLUMN search_pending INTEGER NOT NULL DEFAULT 0");
  }

  static TableInfo need_info(Connection& c, const std::string& rid) {
    return table_or_not_found(c, rid);
  }

  template <typename Fn>
  static void read_rows(Connection& c, sqlite3_stmt* s, const std::vector<Field>& fields, Fn&& fn) {
    for (;;) {
      int rc = sqlite3_step(s);
      if (rc == SQLITE_DONE) return;
      if (rc != SQLITE_ROW) {
        std::string m = sqlite3_errmsg(c.handle());
        if (m.find("fts5") != std::string::npos) throw BadRequest("Search Query Error", "q: " + m);
        throw SqliteError(sqlite3_extended_errcode(c.handle()), "search: " + m);
      }
      Row r;
      r.reserve(fields.size());
      for (std::size_t i = 0; i < fields.size(); ++i)
        r.push_back(read_cell(s, static_cast<int>(i), fields[i].type));
      if (!fn(r)) return;
    }
  }

  // datastore_create on an existing table: new fields are added, the data dictionary of given
  // ones replaced (CKAN 2.10's way to edit it), a new primary key or index list applied.
  void extend(TableInfo& info, const Names& n, const std::vector<Field>& fields,
              const TableOptions& options) {
    std::size_t old_indexes = info.options.indexes.size();
    auto [added, merged] = plan_extension(info, fields, options, kLimits);
    for (auto& f : added) info.fields.push_back(f);
    bool aux_changes = !added.empty() || merged.primary_key != info.options.primary_key ||
                       merged.indexes != info.options.indexes || merged.point != info.options.point;
    if (!aux_changes) return;
    if (added.empty() && merged.primary_key == info.options.primary_key &&
        merged.point == info.options.point) {
      // Only the indexes an agency asks for (CKAN's `indexes`): build those, and leave the full
      // text and the R*Tree alone (rebuilding them cost seconds per 100,000 rows).
      for (std::size_t i = 0; i < old_indexes; ++i) {
        writer_.exec(("DROP INDEX IF EXISTS " + n.index(i)).c_str());
        writer_.exec(("DROP INDEX IF EXISTS " + n.join_index(i)).c_str());
      }
      drop_value_counts(writer_, n.rid, old_indexes);
      info.options = merged;
      build_btree_indexes(writer_, n, info, tuning_.counted_value_min_rows);
      if (!info.search_indexes_pending) build_join_key_indexes(writer_, n, info);
      return;
    }
    drop_aux(writer_, n, old_indexes);
    for (const auto& f : added)
      writer_.exec(
          ("ALTER TABLE " + n.table + " ADD COLUMN " + quote_identifier(f.id) + " " + f.type)
              .c_str());
    info.options = merged;
    build_aux(writer_, n, info, tuning_.counted_value_min_rows);
  }

  // Rewrites every row into a table with the fields' (new) types, keeping _id.
  void rebuild(TableInfo& info) {
    Names n(info.resource_id);
    std::string old = quote_identifier("_ds_old_" + info.resource_id);
    drop_aux(writer_, n, info.options.indexes.size());
    writer_.exec(("ALTER TABLE " + n.table + " RENAME TO " + old).c_str());
    create_bare_table(writer_, n, info.fields);
    std::string cols = column_list(info.fields);
    StmtPtr read(writer_.handle(), "SELECT _id, " + cols + " FROM " + old + " ORDER BY _id");
    std::string sql = "INSERT INTO " + n.table + " (_id, " + cols + ") VALUES (?";
    for (std::size_t i = 0; i < info.fields.size(); ++i) sql += ", ?";
    StmtPtr insert(writer_.handle(), sql + ")");
    while (sqlite3_step(read.s) == SQLITE_ROW) {
      std::int64_t id = sqlite3_column_int64(read.s, 0);
      sqlite3_bind_int64(insert.s, 1, id);
      for (std::size_t i = 0; i < info.fields.size(); ++i) {
        Cell raw = read_cell(read.s, static_cast<int>(i) + 1, "text");
        bind_cell(insert.s, static_cast<int>(i) + 2, typed(raw, info.fields[i], id));
      }
      step_write(writer_.handle(), insert.s, id);
      sqlite3_reset(insert.s);
    }
    writer_.exec(("DROP TABLE " + old).c_str());
    build_aux(writer_, n, info, tuning_.counted_value_min_rows);
  }

  std::int64_t write_rows(const TableInfo& info, const Names& n, Method method,
                          const std::vector<std::string>& columns, const std::vector<Row>& rows) {
    const WriteColumns checked = write_columns(info, method, columns);
    const std::vector<const Field*>& cols = checked.fields;
    const auto& pk = info.options.primary_key;
    std::string list, placeholders, sets, keys;
    for (const auto* f : cols) {
      list += (list.empty() ? "" : ", ") + quote_identifier(f->id);
      placeholders += placeholders.empty() ? "?" : ", ?";
    }
    const std::vector<int>& set_order = checked.set_positions;
    const std::vector<int>& key_order = checked.key_positions;
    for (int i : key_order)
      keys += (keys.empty() ? "" : " AND ") + quote_identifier(cols[i]->id) + " = ?";
    for (int i : set_order) {
      std::string q = quote_identifier(cols[i]->id);
      sets +=
          (sets.empty() ? "" : ", ") + q + (method == Method::update ? " = ?" : " = excluded." + q);
    }
    std::string sql;
    if (method == Method::insert) {
      sql = "INSERT INTO " + n.table + " (" + list + ") VALUES (" + placeholders + ")";
    } else if (method == Method::upsert) {
      std::string target;
      for (const auto& k : pk) target += (target.empty() ? "" : ", ") + quote_identifier(k);
      sql = "INSERT INTO " + n.table + " (" + list + ") VALUES (" + placeholders +
            ") ON CONFLICT (" + target + ") DO " +
            (sets.empty() ? "NOTHING" : "UPDATE SET " + sets);
    } else {
      if (sets.empty()) return 0;  // nothing but the key: nothing to change
      sql = "UPDATE " + n.table + " SET " + sets + " WHERE " + keys;
    }
    StmtPtr stmt(writer_.handle(), sql);
    std::int64_t written = 0, row_no = 0;
    std::vector<Cell> values(cols.size());
    for (const auto& row : rows) {
      ++row_no;
      check_row_width(row, cols.size(), row_no);
      for (std::size_t i = 0; i < cols.size(); ++i) values[i] = typed(row[i], *cols[i], row_no);
      if (method == Method::update) {
        int p = 0;
        for (int i : set_order) bind_cell(stmt.s, ++p, values[i]);
        for (int i : key_order) bind_cell(stmt.s, ++p, values[i]);
      } else {
        for (std::size_t i = 0; i < values.size(); ++i)
          bind_cell(stmt.s, static_cast<int>(i) + 1, values[i]);
      }
      step_write(writer_.handle(), stmt.s, row_no);
      sqlite3_reset(stmt.s);
      auto changed = writer_.changes();
      if (method == Method::update && changed == 0)
        throw ValidationError("records",
                              "row " + std::to_string(row_no) + ": no row has this primary key");
      written += changed > 0 ? 1 : 0;
    }
    return written;
  }

  // walk_sort_index: VM instructions per row walked (the index step, the row's seek and its
  // first condition: 4.1–4.5 measured at 1M rows), and between two checks of the budget.
  static constexpr std::int64_t kSortWalkOpsPerRow = 5;
  static constexpr int kSortWalkOpsPerCheck = 1000;
  SqliteSearchTuning tuning_;
  TotalCache totals_;
  std::mutex write_mutex_;
  Revisions revisions_;
  Connection writer_;
  ReadPool reads_;
  ReadPool sql_reads_;  // only search_sql's sandbox uses these
  // Last: destroyed first, so its thread stops before the writer it uses goes.
  PairIndexes pairs_;
};

}  // namespace

std::unique_ptr<TableStore> open_sqlite_table_store(const std::string& path) {
  return open_sqlite_table_store(path, SqliteSearchTuning{});
}

std::unique_ptr<TableStore> open_sqlite_table_store(const std::string& path,
                                                    const SqliteSearchTuning& tuning) {
  return std::make_unique<SqliteTableStore>(path, tuning);
}

}  // namespace datamap::datastore

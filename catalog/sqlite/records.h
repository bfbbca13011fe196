// What the record stores beside the catalog (harvest, demand, link records, quality history)
// share on their own connection to the catalog file: how the connection is opened, how rows are
// read into fields, how a filtered list is counted and paged, and how a change is logged.
// One place, so the stores cannot drift apart.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/demand.h"
#include "catalog/sqlite/connection.h"

namespace datamap::catalog::sqlite {

// Prepares a record store's own connection: WAL (it writes beside the Store's writer; SQLite
// serialises the two and busy_timeout absorbs the wait), synchronous NORMAL, schema migrated.
void prepare_records_connection(Connection& c);

// The base of a record store: its own connection to the catalog file, prepared as above, and the
// mutex every method takes before using it.
class RecordStore {
 protected:
  explicit RecordStore(const std::string& path) : c_(path, Connection::Mode::kReadWrite) {
    prepare_records_connection(c_);
  }
  std::mutex mutex_;
  Connection c_;
};

// The row `sql` (a string literal with one parameter, ?1 = key) selects, read by `read`; none
// when there is no such row.
template <typename T, typename Read>
std::optional<T> read_row(Connection& c, const char* sql, std::string_view key, Read read) {
  auto q = c.cached(sql);
  q->bind_all(key);
  if (!q->step()) return std::nullopt;
  return read(*q);
}

// One stepped statement as the shared row mappings (catalog/activity_rows.h, demand_rows.h) read
// it.
struct StatementRow {
  const Statement& s;
  std::string text(int col) const { return s.text(col); }
  std::int64_t integer(int col) const { return s.integer(col); }
  bool flag(int col) const { return s.integer(col) != 0; }
  bool is_null(int col) const { return s.is_null(col); }
};

// Reads consecutive columns from `first` into the fields; returns the column after the last.
int read_texts(const Statement& s, int first, std::initializer_list<std::string*> fields);
int read_integers(const Statement& s, int first, std::initializer_list<std::int64_t*> fields);

// Appends a change-log row (catalog/store.h) from a record store's connection, inside the
// caller's transaction, so the indexes that follow the log see the record's change.
void log_change(Connection& c, std::string_view entity, std::string_view id, std::string_view kind);

// A WHERE clause of fixed fragments with bound values: no value is ever spliced into the SQL.
struct Where {
  std::string sql = " WHERE 1";
  std::vector<std::string> values;
  void add(const char* fragment, std::string value) {
    sql += fragment;
    values.push_back(std::move(value));
  }
  void bind(Statement& s) const;
};

// The rows of `from` (a table, or tables joined) matching `where`: their count and the page
// [offset, offset + limit) in `order` (an ORDER BY clause), each row read by `read` from the
// columns `columns`.
template <typename T, typename Read>
Page<T> read_page(Connection& c, const char* columns, const std::string& from, const Where& where,
                  const std::string& order, std::int64_t offset, std::int64_t limit, Read read) {
  Page<T> page;
  {
    Statement count(c.handle(), "SELECT COUNT(*) FROM " + from + where.sql);
    where.bind(count);
    count.step();
    page.count = count.integer(0);
  }
  Statement s(c.handle(), std::string("SELECT ") + columns + " FROM " + from + where.sql + order +
                              " LIMIT " + std::to_string(limit) + " OFFSET " +
                              std::to_string(offset));
  where.bind(s);
  while (s.step()) page.items.push_back(read(s));
  return page;
}

}  // namespace datamap::catalog::sqlite

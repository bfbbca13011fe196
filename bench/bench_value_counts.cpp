// What the per-value count triggers (datastore/sqlite_value_counts.h) cost a write: TableStore::
// upsert (datastore_upsert's store call, method insert) of N rows into a loaded table (e.g. the
// 1M-row generated parking table of bench_load --into, whole load) with the count tables and
// their triggers as the load built them, then with them dropped, alternating; the counts are
// rebuilt between pairs (also timed). The rows written are copies of the table's first rows, so
// every value is a value the counts know. The table grows by 2 N rows per pair.
//
//   build/bench/bench_value_counts --db /tmp/x/datastore.db --resource generated [--rows 10000]
//                                  [--pairs 3]
#include <sqlite3.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>

#include "bench/lib/process_usage.h"
#include "catalog/sqlite/connection.h"
#include "datastore/sqlite_table_store.h"
#include "datastore/sqlite_value_counts.h"
#include "datastore/table_store.h"

using namespace datamap;

namespace {

using bench::timed;
using bench::Timing;

// The table's first `n` rows, as the values SQLite holds.
std::vector<datastore::Row> first_rows(const std::string& db, const datastore::TableInfo& info,
                                       std::int64_t n) {
  catalog::sqlite::Connection c(db, catalog::sqlite::Connection::Mode::kReadOnly);
  std::string sql = "SELECT ";
  for (std::size_t i = 0; i < info.fields.size(); ++i)
    sql += (i ? ", " : "") + datastore::quote_identifier(info.fields[i].id);
  sql += " FROM " + datastore::quote_identifier(info.resource_id) + " ORDER BY _id LIMIT " +
         std::to_string(n);
  sqlite3_stmt* s = nullptr;
  catalog::sqlite::check(c.handle(), sqlite3_prepare_v2(c.handle(), sql.c_str(), -1, &s, nullptr),
                         "prepare");
  std::vector<datastore::Row> rows;
  while (sqlite3_step(s) == SQLITE_ROW) {
    datastore::Row row(info.fields.size());
    for (int i = 0; i < static_cast<int>(row.size()); ++i) switch (sqlite3_column_type(s, i)) {
        case SQLITE_INTEGER:
          row[static_cast<std::size_t>(i)] = static_cast<std::int64_t>(sqlite3_column_int64(s, i));
          break;
        case SQLITE_FLOAT:
          row[static_cast<std::size_t>(i)] = sqlite3_column_double(s, i);
          break;
        case SQLITE_NULL:
          break;
        default:
          row[static_cast<std::size_t>(i)] =
              std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, i)));
      }
    rows.push_back(std::move(row));
  }
  sqlite3_finalize(s);
  return rows;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"cost of the per-value count triggers on datastore_upsert"};
  std::string db, rid = "generated";
  std::int64_t n = 10000;
  int pairs = 3;
  app.add_option("--db", db, "a datastore.db with the table loaded (whole load)")->required();
  app.add_option("--resource", rid, "the table's resource id");
  app.add_option("--rows", n, "rows per upsert");
  app.add_option("--pairs", pairs, "with/without pairs");
  CLI11_PARSE(app, argc, argv);

  auto store = datastore::open_sqlite_table_store(db);
  auto info = store->info(rid);
  if (!info) {
    std::fprintf(stderr, "no table %s in %s\n", rid.c_str(), db.c_str());
    return 1;
  }
  std::vector<std::string> columns;
  for (const auto& f : info->fields) columns.push_back(f.id);
  const auto rows = first_rows(db, *info, n);
  catalog::sqlite::Connection c(db, catalog::sqlite::Connection::Mode::kReadWrite);
  std::printf("%s: %lld rows, %zu indexed fields with counts; %zu rows per upsert\n", rid.c_str(),
              static_cast<long long>(info->row_count), info->options.indexes.size(), rows.size());
  auto upsert = [&] {
    return timed([&] { store->upsert(rid, datastore::TableStore::Method::insert, columns, rows); });
  };
  for (int p = 0; p < pairs; ++p) {
    Timing with = upsert();
    datastore::drop_value_counts(c, rid, info->options.indexes.size());
    Timing without = upsert();
    Timing rebuild = timed([&] {
      datastore::build_value_counts(c, *store->info(rid),
                                    datastore::SqliteSearchTuning{}.counted_value_min_rows);
    });
    std::printf(
        "pair %d: upsert with the count triggers %.3f s wall, %.3f s CPU; without %.3f s wall, "
        "%.3f s CPU (%.2f x CPU); counts rebuilt in %.2f s wall, %.2f s CPU\n",
        p + 1, with.wall, with.cpu, without.wall, without.cpu, with.cpu / without.cpu, rebuild.wall,
        rebuild.cpu);
  }
  return 0;
}

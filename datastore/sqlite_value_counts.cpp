#include "datastore/sqlite_value_counts.h"

#include "datastore/sqlite_table_store.h"

namespace datamap::datastore {
namespace {

using catalog::sqlite::Connection;
using catalog::sqlite::Statement;

std::string trigger_name(const char* kind, const std::string& rid) {
  return quote_identifier(std::string("_ds_c") + kind + "_" + rid);
}

}  // namespace

std::string value_count_table(const std::string& resource_id, std::size_t index_position) {
  return quote_identifier("_ds_vc" + std::to_string(index_position) + "_" + resource_id);
}

void drop_value_counts(Connection& c, const std::string& rid, std::size_t index_count) {
  for (const char* kind : {"i", "u", "d"})
    c.exec(("DROP TRIGGER IF EXISTS " + trigger_name(kind, rid)).c_str());
  for (std::size_t i = 0; i < index_count; ++i)
    c.exec(("DROP TABLE IF EXISTS " + value_count_table(rid, i)).c_str());
}

void build_value_counts(Connection& c, const TableInfo& info, std::int64_t min_rows) {
  const auto& rid = info.resource_id;
  const auto& ix = info.options.indexes;
  drop_value_counts(c, rid, ix.size());
  const std::string table = quote_identifier(rid);
  std::string on_insert, on_delete, updated_columns;
  for (std::size_t i = 0; i < ix.size(); ++i) {
    const Field* field = nullptr;
    for (const auto& f : info.fields)
      if (f.id == ix[i]) field = &f;
    if (!field) continue;
    const std::string counts = value_count_table(rid, i), col = quote_identifier(field->id);
    // The field's own type: the same affinity, hence the same equality, as the table's column.
    c.exec(("CREATE TABLE " + counts + " (value " + field->type +
            " PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID")
               .c_str());
    Statement fill(c.handle(), "INSERT INTO " + counts + " SELECT " + col + ", count(*) FROM " +
                                   table + " WHERE " + col + " IS NOT NULL GROUP BY " + col +
                                   " HAVING count(*) >= ?");
    fill.bind(1, min_rows);
    fill.run();
    if (c.changes() == 0) {  // no common value: nothing to keep current on every write
      c.exec(("DROP TABLE " + counts).c_str());
      continue;
    }
    on_insert += "UPDATE " + counts + " SET n = n + 1 WHERE value = NEW." + col + ";";
    on_delete += "UPDATE " + counts + " SET n = n - 1 WHERE value = OLD." + col + ";";
    updated_columns += (updated_columns.empty() ? "" : ", ") + col;
  }
  if (on_insert.empty()) return;
  c.exec(("CREATE TRIGGER " + trigger_name("i", rid) + " AFTER INSERT ON " + table + " BEGIN " +
          on_insert + " END")
             .c_str());
  c.exec(("CREATE TRIGGER " + trigger_name("d", rid) + " AFTER DELETE ON " + table + " BEGIN " +
          on_delete + " END")
             .c_str());
  // An update moves its row from the old value's count to the new one's (the same: no change).
  c.exec(("CREATE TRIGGER " + trigger_name("u", rid) + " AFTER UPDATE OF " + updated_columns +
          " ON " + table + " BEGIN " + on_delete + on_insert + " END")
             .c_str());
}

}  // namespace datamap::datastore

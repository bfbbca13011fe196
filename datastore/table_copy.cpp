#include "datastore/table_copy.h"

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include "catalog/errors.h"
#include "catalog/row_checksum.h"

namespace datamap::datastore {
namespace {

void add_cell(catalog::RowChecksum& sum, const Cell& c) {
  if (std::holds_alternative<std::monostate>(c)) {
    sum.null();
  } else if (auto* i = std::get_if<std::int64_t>(&c)) {
    sum.value('i', std::to_string(*i));
  } else if (auto* d = std::get_if<double>(&c)) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *d);
    sum.value('n', std::string_view(buf, static_cast<std::size_t>(end - buf)));
  } else if (auto* b = std::get_if<bool>(&c)) {
    sum.value('b', *b ? "1" : "0");
  } else {
    sum.value('t', std::get<std::string>(c));
  }
}

void add_list(catalog::RowChecksum& sum, const std::vector<std::string>& list) {
  for (const auto& v : list) sum.value(v);
  sum.end_row();
}

SearchQuery whole_table(const std::string& resource_id) {
  SearchQuery q;
  q.resource_id = resource_id;
  q.sort = {{"_id", false}};
  q.include_total = false;
  return q;
}

}  // namespace

std::string table_checksum(TableStore& store, const std::string& resource_id, std::int64_t* rows) {
  const std::optional<TableInfo> info = store.info(resource_id);
  if (!info) throw NotFound("DataStore table " + resource_id);
  catalog::RowChecksum sum;
  for (const Field& f : info->fields)
    add_list(sum, {f.id, f.type, f.info.label, f.info.notes, f.info.type_override,
                   f.info.standard_term});
  add_list(sum, info->options.primary_key);
  add_list(sum, info->options.indexes);
  if (info->options.point)
    add_list(sum, {info->options.point->first, info->options.point->second});
  else
    add_list(sum, {});
  const std::int64_t header_rows = sum.rows();
  store.scan(whole_table(resource_id), [&](const std::vector<Field>&, const Row& row) {
    for (const Cell& c : row) add_cell(sum, c);
    sum.end_row();
    return true;
  });
  if (rows) *rows = sum.rows() - header_rows;
  return sum.hex();
}

std::vector<CopiedStoreTable> copy_tables(
    TableStore& from, TableStore& to,
    const std::function<void(const CopiedStoreTable&)>& progress) {
  const std::vector<std::string> ids = from.table_ids();
  for (const std::string& id : to.table_ids())
    if (!std::binary_search(ids.begin(), ids.end(), id))
      throw std::runtime_error("the PostgreSQL DataStore holds table " + id +
                               ", which the SQLite one has not: migrate copies into a new, "
                               "empty database only");
  std::vector<CopiedStoreTable> out;
  for (const std::string& id : ids) {
    CopiedStoreTable t;
    t.resource_id = id;
    t.checksum = table_checksum(from, id, &t.rows);
    if (to.info(id) && table_checksum(to, id) == t.checksum) {
      t.already_there = true;
    } else {
      const TableInfo info = *from.info(id);
      auto writer = to.replace_table(id, info.fields, info.options);
      from.scan(whole_table(id), [&](const std::vector<Field>&, const Row& row) {
        // scan's rows start with `_id` (SearchQuery::fields empty), then the table's fields.
        writer->append_with_id(std::get<std::int64_t>(row.at(0)), Row(row.begin() + 1, row.end()));
        return true;
      });
      writer->commit();
      std::int64_t copied = 0;
      const std::string sum = table_checksum(to, id, &copied);
      if (sum != t.checksum || copied != t.rows)
        throw std::runtime_error("DataStore table " + id + ": checksums differ (SQLite " +
                                 t.checksum + ", PostgreSQL " + sum + ", " +
                                 std::to_string(copied) + " rows of " + std::to_string(t.rows) +
                                 "): the copy does not hold the same rows");
    }
    out.push_back(t);
    if (progress) progress(out.back());
  }
  return out;
}

}  // namespace datamap::datastore

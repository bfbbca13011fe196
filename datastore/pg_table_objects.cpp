#include "datastore/pg_table_objects.h"

#include <random>
#include <string_view>

#include "catalog/errors.h"
#include "catalog/postgres/pg_copy_in.h"
#include "datastore/fulltext.h"
#include "datastore/pg_values.h"

namespace datamap::datastore::pg {

using catalog::postgres::CopyIn;
using catalog::postgres::Params;
using catalog::postgres::PgError;

namespace {

std::vector<std::string> parse_text_array(std::string_view v) {
  // PostgreSQL's text[] output: {a,"b c","d\"e"}.
  std::vector<std::string> out;
  if (v.size() < 2) return out;
  std::size_t i = 1;
  while (i < v.size() - 1) {
    std::string item;
    if (v[i] == '"') {
      ++i;
      while (i < v.size() && v[i] != '"') {
        if (v[i] == '\\' && i + 1 < v.size()) ++i;
        item += v[i++];
      }
      ++i;  // closing quote
    } else {
      while (i < v.size() - 1 && v[i] != ',') item += v[i++];
    }
    out.push_back(std::move(item));
    if (i < v.size() && v[i] == ',') ++i;
  }
  return out;
}

}  // namespace

std::optional<Loaded> load_info(Connection& c, const std::string& rid) {
  auto t = c.exec(
      "SELECT num, primary_key, indexes, point_lat, point_lon, row_count "
      "FROM datastore._ds_tables WHERE resource_id = $1",
      rid);
  if (t.empty()) return std::nullopt;
  Loaded out;
  out.num = t.integer(0, 0);
  auto& info = out.info;
  info.resource_id = rid;
  info.options.primary_key = parse_text_array(t.text_view(0, 1));
  info.options.indexes = parse_text_array(t.text_view(0, 2));
  if (!t.is_null(0, 3)) info.options.point = std::make_pair(t.text(0, 3), t.text(0, 4));
  info.row_count = t.integer(0, 5);
  auto f = c.exec(
      "SELECT id, type, label, notes, type_override, standard_term FROM datastore._ds_fields "
      "WHERE resource_id = $1 ORDER BY position",
      rid);
  for (int i = 0; i < f.rows(); ++i)
    info.fields.push_back(
        {f.text(i, 0), f.text(i, 1), {f.text(i, 2), f.text(i, 3), f.text(i, 4), f.text(i, 5)}});
  return out;
}

Loaded need_info(Connection& c, const std::string& rid) {
  auto loaded = load_info(c, rid);
  if (!loaded) throw NotFound("Resource \"" + rid + "\" has no DataStore table");
  return std::move(*loaded);
}

// The registry's row of a new table; returns its number.
std::int64_t register_table(Connection& c, const std::string& rid) {
  return c.exec("INSERT INTO datastore._ds_tables (resource_id) VALUES ($1) RETURNING num", rid)
      .integer(0, 0);
}

// A registry number for a table built before it is registered (replace_table's new table).
std::int64_t reserve_number(Connection& c) {
  return c.exec("SELECT nextval(pg_get_serial_sequence('datastore._ds_tables', 'num'))")
      .integer(0, 0);
}

void save_info(Connection& c, const TableInfo& info) {
  Params t;
  t.add(info.resource_id);
  t.add(info.options.primary_key);
  t.add(info.options.indexes);
  if (info.options.point) {
    t.add(info.options.point->first);
    t.add(info.options.point->second);
  } else {
    t.add(std::optional<std::int64_t>{});
    t.add(std::optional<std::int64_t>{});
  }
  t.add(info.row_count);
  c.run(
      "UPDATE datastore._ds_tables SET primary_key = $2::text[], indexes = $3::text[], "
      "point_lat = $4::text, point_lon = $5::text, row_count = $6 WHERE resource_id = $1",
      t);
  c.exec("DELETE FROM datastore._ds_fields WHERE resource_id = $1", info.resource_id);
  for (std::size_t i = 0; i < info.fields.size(); ++i) {
    const auto& x = info.fields[i];
    c.exec(
        "INSERT INTO datastore._ds_fields (resource_id, position, id, type, label, notes, "
        "type_override, standard_term) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        info.resource_id, static_cast<std::int64_t>(i), x.id, x.type, x.info.label, x.info.notes,
        x.info.type_override, x.info.standard_term);
  }
}

std::string random_hex(std::size_t bytes) {
  std::random_device rd;
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < bytes; ++i) {
    auto b = rd() & 0xff;
    out += digits[b >> 4];
    out += digits[b & 0xf];
  }
  return out;
}

std::string column_list(const std::vector<Field>& fields) {
  std::string out;
  for (const auto& f : fields) out += (out.empty() ? "" : ", ") + quote_identifier(f.id);
  return out;
}

// The table (named `name`, the resource's by default) with _id and the fields, and, with
// `fts`, its empty full-text table; the reader role may read the table.
void create_bare_table(Connection& c, const Names& n, const std::vector<Field>& fields,
                       const std::string& reader, const std::string& name) {
  const std::string& table = name.empty() ? n.table : name;
  // _id: no identity sequence (a sequence's name could clash with a later resource's table);
  // writes number new rows max(_id) + 1, as SQLite does, under the write lock. The key's name
  // is the store's own, fresh for a rebuilt table.
  std::string sql = "CREATE TABLE " + table + " (_id bigint NOT NULL CONSTRAINT " +
                    quote_identifier("_ds_id_" + std::to_string(n.num) + "_" + random_hex(4)) +
                    " PRIMARY KEY";
  for (const auto& f : fields) sql += ", " + quote_identifier(f.id) + " " + pg_column_type(f.type);
  c.script(sql + ")");
  if (!reader.empty()) c.script("GRANT SELECT ON " + table + " TO " + quote_identifier(reader));
}

void create_fts_table(Connection& c, const Names& n) {
  c.script("CREATE TABLE IF NOT EXISTS " + n.fts +
           " (_id bigint PRIMARY KEY, doc tsvector NOT NULL)");
}

void build_fts_index(Connection& c, const Names& n) {
  c.script("CREATE INDEX IF NOT EXISTS " + n.fts_index + " ON " + n.fts + " USING gin (doc)");
}

// The primary key's unique index (a duplicate key fails the write, and ON CONFLICT needs it).
void build_key_index(Connection& c, const Names& n, const TableInfo& info) {
  const auto& pk = info.options.primary_key;
  if (pk.empty()) return;
  std::string cols;
  for (const auto& k : pk) cols += (cols.empty() ? "" : ", ") + quote_identifier(k);
  try {
    c.script("CREATE UNIQUE INDEX IF NOT EXISTS " + n.pk_index + " ON " + n.table + " (" + cols +
             ")");
  } catch (const PgError& e) {
    if (e.sqlstate() != "23505") throw;
    throw ValidationError("primary_key", "the rows have duplicate values of the primary key");
  }
}

// Whether the table has the join-key index of `field` (the first indexed text fields).
bool has_join_key_index(const TableInfo& info, const Field& field) {
  return field.type == "text" && info.options.has_join_key_index(field.id);
}

void build_field_indexes(Connection& c, const Names& n, const TableInfo& info) {
  const auto& ix = info.options.indexes;
  for (std::size_t i = 0; i < ix.size(); ++i) {
    c.script("CREATE INDEX IF NOT EXISTS " + n.index(i) + " ON " + n.table + " (" +
             quote_identifier(ix[i]) + ")");
    const Field* f = find_field(info.fields, ix[i]);
    if (f && has_join_key_index(info, *f))
      c.script("CREATE INDEX IF NOT EXISTS " + n.join_index(i) + " ON " + n.table +
               " (datastore._ds_join_key(" + quote_identifier(ix[i]) + "))");
  }
}

void drop_field_indexes(Connection& c, const Names& n, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    c.script("DROP INDEX IF EXISTS datastore." + n.index(i));
    c.script("DROP INDEX IF EXISTS datastore." + n.join_index(i));
  }
}

void drop_table(Connection& c, const std::string& rid) {
  auto loaded = load_info(c, rid);
  if (!loaded) return;
  Names n(rid, loaded->num);
  c.script("DROP TABLE IF EXISTS " + n.table);
  c.script("DROP TABLE IF EXISTS " + n.fts);
  c.exec("DELETE FROM datastore._ds_tables WHERE resource_id = $1", rid);
}

std::int64_t count_rows(Connection& c, const Names& n) {
  return c.run_unprepared("SELECT count(*) FROM " + n.table, Params()).integer(0, 0);
}

std::string id_array(const std::vector<std::int64_t>& ids) {
  std::string out = "'{";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(ids[i]);
  }
  return out + "}'::bigint[]";
}

// The full-text rows of the table's rows (those of `ids`, or all), computed here (the same
// append_fulltext as SQLite's index) and written with COPY, a batch read from a cursor at a time.
void index_fulltext(Connection& c, const Names& n, const TableInfo& info,
                    const std::vector<std::int64_t>* ids) {
  std::vector<Field> text;
  for (const auto& f : info.fields)
    if (f.type == "text") text.push_back(f);
  std::string where = ids ? " WHERE _id = ANY(" + id_array(*ids) + ")" : "";
  if (ids) c.script("DELETE FROM " + n.fts + where);
  if (text.empty() || (ids && ids->empty())) return;
  c.script("DECLARE _ds_ft NO SCROLL CURSOR FOR SELECT _id, " + column_list(text) + " FROM " +
           n.table + where);
  std::string doc;
  for (;;) {
    auto batch = c.run_unprepared("FETCH FORWARD 5000 FROM _ds_ft", Params());
    if (batch.empty()) break;
    CopyIn copy(c, "COPY " + n.fts + " (_id, doc) FROM STDIN");
    for (int r = 0; r < batch.rows(); ++r) {
      doc.clear();
      for (std::size_t k = 0; k < text.size(); ++k)
        if (!batch.is_null(r, static_cast<int>(k) + 1))
          append_fulltext(batch.text_view(r, static_cast<int>(k) + 1), doc);
      auto& line = copy.buffer();
      line.append(batch.text_view(r, 0));
      line += '\t';
      line += fulltext_tsvector(doc);
      line += '\n';
    }
    copy.finish();
  }
  c.script("CLOSE _ds_ft");
}

}  // namespace datamap::datastore::pg

#include "datastore/pg_table_query.h"

#include <map>
#include <string_view>

#include "catalog/errors.h"
#include "datastore/fulltext.h"
#include "datastore/pg_values.h"
#include "datastore/table_rules.h"

namespace datamap::datastore::pg {

namespace {

void add_fulltext(Where& w, const Names& n, std::string_view text) {
  std::string query = fulltext_tsquery(text);
  if (query.empty()) return;
  std::string p = w.next();
  w.params.add(query);
  w.add("_id IN (SELECT _id FROM " + n.fts + " WHERE doc @@ " + p + "::tsquery)");
}

}  // namespace

std::string Where::bind(const Cell& c) {
  std::string p = next();
  add_param(params, c);
  return p;
}

// $n, built by appending (GCC 12's -Wrestrict misreads "$" + std::to_string(n)).
std::string placeholder(std::size_t n) {
  std::string out("$");
  out += std::to_string(n);
  return out;
}

Where build_where(const TableInfo& info, const Names& n, const SearchQuery& q) {
  check_fulltext_ready(info, q);
  Where w;
  for (const auto& cond : q.conditions) {
    const Field& f = need_field(info, cond.field, "filters");
    std::string col = quote_identifier(f.id);
    if (cond.op == Op::in || (cond.op == Op::eq && cond.values.size() != 1)) {
      if (cond.values.empty()) {
        w.add("false");
        continue;
      }
      std::string list;
      for (const auto& v : cond.values)
        list += (list.empty() ? "" : ", ") + w.bind(condition_value(f, v));
      w.add(col + " IN (" + list + ")");
      continue;
    }
    if (cond.values.size() != 1)
      throw ValidationError(f.id, "the condition takes exactly one value");
    if (cond.op == Op::like) {
      w.add("CAST(" + col + " AS text) LIKE " + w.bind(like_contains(cond.values[0])) +
            " ESCAPE '\\'");
      continue;
    }
    static const std::map<Op, const char*> ops = {
        {Op::eq, " = "}, {Op::gt, " > "}, {Op::gte, " >= "}, {Op::lt, " < "}, {Op::lte, " <= "}};
    w.add(col + ops.at(cond.op) + w.bind(condition_value(f, cond.values[0])));
  }
  add_fulltext(w, n, q.q);
  for (const auto& [field, text] : q.q_fields) {
    const Field& f = need_field(info, field, "q");
    add_fulltext(w, n, text);  // the index narrows the rows; LIKE keeps those of this field
    for (std::string_view word : field_query_words(text))
      w.add("CAST(" + quote_identifier(f.id) + " AS text) LIKE " + w.bind(like_contains(word)) +
            " ESCAPE '\\'");
  }
  if (q.bbox) {
    // The point fields are numeric (check_options); the box is compared row by row, as SQLite
    // does while its R*Tree is not built yet (PostgreSQL has no spatial index without PostGIS).
    if (!info.options.point)
      throw ValidationError("bbox", "the table has no point fields (latitude, longitude)");
    const std::string lat = quote_identifier(info.options.point->first);
    const std::string lon = quote_identifier(info.options.point->second);
    const std::string min_lat = w.bind(q.bbox->min_lat), max_lat = w.bind(q.bbox->max_lat);
    const std::string min_lon = w.bind(q.bbox->min_lon), max_lon = w.bind(q.bbox->max_lon);
    w.add(lat + " BETWEEN " + min_lat + "::double precision AND " + max_lat +
          "::double precision AND " + lon + " BETWEEN " + min_lon + "::double precision AND " +
          max_lon + "::double precision");
  }
  return w;
}

Select build_select(const TableInfo& info, const Names& n, const SearchQuery& q) {
  Select s;
  s.fields = search_fields(info, q);
  s.where = build_where(info, n, q);
  std::string cols = column_list(s.fields);
  std::string order;
  for (const auto& k : q.sort) {
    const Field& f = need_field(info, k.field, "sort");
    if (q.distinct && !find_field(s.fields, f.id) && f.id != kRowId)
      throw ValidationError("sort", "with distinct, sort by returned fields only ('" + f.id +
                                        "' is not among fields)");
    // SQLite's order: nulls first ascending, last descending.
    order += (order.empty() ? "" : ", ") + quote_identifier(f.id) +
             (k.descending ? " DESC NULLS LAST" : " ASC NULLS FIRST");
  }
  if (!q.distinct) order += (order.empty() ? "" : ", ") + std::string(kRowId);  // stable pages
  std::string body = " FROM " + n.table + s.where.sql;
  std::string select = q.distinct ? "SELECT DISTINCT " : "SELECT ";
  s.sql = select + cols + body + (order.empty() ? "" : " ORDER BY " + order);
  s.count_sql = q.distinct ? "SELECT count(*) FROM (SELECT DISTINCT " + cols + body + ") AS _ds_d"
                           : "SELECT count(*)" + body;
  return s;
}

void read_rows(const Result& r, const std::vector<Field>& fields, std::vector<Row>& out) {
  for (int i = 0; i < r.rows(); ++i) {
    Row row;
    row.reserve(fields.size());
    for (std::size_t k = 0; k < fields.size(); ++k)
      row.push_back(read_pg_cell(r, i, static_cast<int>(k), fields[k].type));
    out.push_back(std::move(row));
  }
}

}  // namespace datamap::datastore::pg

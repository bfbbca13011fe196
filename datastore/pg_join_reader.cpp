#include "datastore/pg_join_reader.h"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <variant>

#include "datastore/pg_table_query.h"
#include "datastore/pg_values.h"
#include "datastore/table_rules.h"

namespace datamap::datastore::pg {
namespace {

class PgJoinReader : public JoinReader {
 public:
  PgJoinReader(Connection& c, const Loaded& left, const Loaded& right) : c_(c) {
    nums_[left.info.resource_id] = left.num;
    nums_[right.info.resource_id] = right.num;
  }

  void scan_keys(const TableInfo& t, const std::vector<Condition>& conditions, const Field& f,
                 const std::function<bool(std::int64_t, std::string)>& each) override {
    const bool text = f.type == "text";
    scan(t, conditions, {f.id}, [&](const Result& r, int i) {
      std::string key;
      if (!r.is_null(i, 1))
        key = text ? join_key(r.text_view(i, 1)) : join_key(read_pg_cell(r, i, 1, f.type));
      return each(r.integer(i, 0), std::move(key));
    });
  }

  void scan_points(
      const TableInfo& t, const std::vector<Condition>& conditions, const PointFields& p,
      const std::function<bool(std::int64_t, std::optional<double>, std::optional<double>)>& each)
      override {
    auto number = [](const Result& r, int i, int col) -> std::optional<double> {
      Cell c = read_pg_cell(r, i, col, "numeric");
      if (auto* d = std::get_if<double>(&c)) return *d;
      if (auto* n = std::get_if<std::int64_t>(&c)) return static_cast<double>(*n);
      return std::nullopt;
    };
    scan(t, conditions, {p.first, p.second}, [&](const Result& r, int i) {
      return each(r.integer(i, 0), number(r, i, 1), number(r, i, 2));
    });
  }

  bool can_probe_keys(const TableInfo& t, const Field& f) override {
    return has_join_key_index(t, f);
  }

  // One statement per key, planned each time (the conditions' SQL is the request's): the
  // join-key index finds the rows.
  void probe_keys(const TableInfo& t, const std::vector<Condition>& conditions, const Field& f,
                  const std::string& key, const std::function<void(std::int64_t)>& each) override {
    if (probe_sql_.empty()) {
      Names n = names(t);
      SearchQuery q;
      q.conditions = conditions;
      probe_where_ = build_where(t, n, q);
      probe_sql_ = "SELECT _id FROM " + n.table + probe_where_.sql +
                   (probe_where_.sql.empty() ? " WHERE " : " AND ") + "datastore._ds_join_key(" +
                   quote_identifier(f.id) + ") = " + probe_where_.next() + " ORDER BY _id";
    }
    Params params = probe_where_.params;
    params.add(key);
    Result r = c_.run_unprepared(probe_sql_, params);
    for (int i = 0; i < r.rows(); ++i) each(r.integer(i, 0));
  }

  std::vector<Row> fetch(const TableInfo& t, const std::vector<Field>& columns,
                         const std::vector<std::int64_t>& ids) override {
    constexpr std::size_t kBatch = 10'000;
    std::unordered_map<std::int64_t, Row> found;
    std::string select = kRowId;
    for (const auto& f : columns) select += ", " + quote_identifier(f.id);
    select = "SELECT " + select + " FROM " + names(t).table + " WHERE _id = ANY(";
    for (std::size_t from = 0; from < ids.size(); from += kBatch) {
      std::vector<std::int64_t> batch(
          ids.begin() + static_cast<std::ptrdiff_t>(from),
          ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), from + kBatch)));
      Result r = c_.run_unprepared(select + id_array(batch) + ")", Params());
      for (int i = 0; i < r.rows(); ++i) {
        Row row;
        row.reserve(columns.size());
        for (std::size_t k = 0; k < columns.size(); ++k)
          row.push_back(read_pg_cell(r, i, static_cast<int>(k) + 1, columns[k].type));
        found.emplace(r.integer(i, 0), std::move(row));
      }
    }
    std::vector<Row> out;
    out.reserve(ids.size());
    for (auto id : ids) {
      auto it = found.find(id);
      out.push_back(it == found.end() ? Row(columns.size()) : it->second);
    }
    return out;
  }

 private:
  Names names(const TableInfo& t) const { return Names(t.resource_id, nums_.at(t.resource_id)); }

  // `SELECT _id, <columns> ... ORDER BY _id` under the conditions; each(batch, row) until false.
  void scan(const TableInfo& t, const std::vector<Condition>& conditions,
            const std::vector<std::string>& columns,
            const std::function<bool(const Result&, int)>& each) {
    Names n = names(t);
    SearchQuery q;
    q.conditions = conditions;
    Where w = build_where(t, n, q);
    std::string cols = kRowId;
    for (const auto& id : columns) cols += ", " + quote_identifier(id);
    c_.run_unprepared("DECLARE _ds_join NO SCROLL CURSOR FOR SELECT " + cols + " FROM " + n.table +
                          w.sql + " ORDER BY _id",
                      w.params);
    struct Close {
      Connection& c;
      ~Close() {
        try {
          c.script("CLOSE _ds_join");
        } catch (...) {  // the transaction failed; the snapshot's ROLLBACK ends it
        }
      }
    } close{c_};
    for (;;) {
      Result batch = c_.run_unprepared("FETCH FORWARD 5000 FROM _ds_join", Params());
      if (batch.empty()) return;
      for (int i = 0; i < batch.rows(); ++i)
        if (!each(batch, i)) return;
    }
  }

  Connection& c_;
  std::map<std::string, std::int64_t> nums_;
  // The key probe's statement, made on the first probe: a join probes one table, under one set
  // of conditions, by one field.
  std::string probe_sql_;
  Where probe_where_;
};

}  // namespace

std::unique_ptr<JoinReader> join_reader(Connection& c, const Loaded& left, const Loaded& right) {
  return std::make_unique<PgJoinReader>(c, left, right);
}

}  // namespace datamap::datastore::pg

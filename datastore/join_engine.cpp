#include "datastore/join_engine.h"

#include <algorithm>
#include <chrono>
#include <climits>
#include <cmath>
#include <stdexcept>
#include <unordered_map>
#include <variant>

#include "catalog/errors.h"
#include "datastore/near.h"
#include "datastore/table_rules.h"

namespace datamap::datastore {

bool JoinReader::can_probe_keys(const TableInfo&, const Field&) {
  return false;
}
void JoinReader::probe_keys(const TableInfo&, const std::vector<Condition>&, const Field&,
                            const std::string&, const std::function<void(std::int64_t)>&) {
  throw std::logic_error("probe_keys without a join-key index");
}
bool JoinReader::can_probe_points(const TableInfo&, const PointFields&) {
  return false;
}
void JoinReader::probe_points(const TableInfo&, const std::vector<Condition>&, const PointFields&,
                              const BoundingBox&,
                              const std::function<void(std::int64_t, double, double)>&) {
  throw std::logic_error("probe_points without a spatial index");
}

namespace {

// Counts the rows and pairs a join reads against its budget.
class JoinBudgetGuard {
 public:
  explicit JoinBudgetGuard(const JoinBudget& b)
      : budget_(b),
        deadline_(std::chrono::steady_clock::now() + std::chrono::milliseconds(b.timeout_ms)) {}
  void examine(std::int64_t rows) {
    examined_ += rows;
    if (examined_ > budget_.max_rows_examined) refuse();
    if ((++ticks_ & 1023) == 0 && std::chrono::steady_clock::now() > deadline_)
      throw BadRequest("Join too expensive",
                       "the join took longer than " + std::to_string(budget_.timeout_ms) +
                           " ms; add filters, join on an indexed column or use a smaller "
                           "within_meters");
  }

 private:
  [[noreturn]] void refuse() const {
    throw BadRequest("Join too expensive",
                     "the join would examine more than " +
                         std::to_string(budget_.max_rows_examined) +
                         " rows and pairs (the configured budget); add filters, join on an "
                         "indexed column (the tables' point index for within_meters) or narrow "
                         "the distance");
  }
  JoinBudget budget_;
  std::chrono::steady_clock::time_point deadline_;
  std::int64_t examined_ = 0;
  std::int64_t ticks_ = 0;
};

struct JoinPair {
  std::int64_t left, right;
  double distance = 0;
};

constexpr const char* side_name(JoinSide s) {
  return s == JoinSide::left ? "left" : "right";
}

// Every unknown field the query names, under its parameter: one 409 naming them all.
void check_join_fields(const JoinQuery& q, const TableInfo& l, const TableInfo& r) {
  FieldErrors errors;
  auto known = [](const TableInfo& t, const std::string& id) {
    return id == kRowId || find_field(t.fields, id) != nullptr;
  };
  auto check = [&](const char* param, JoinSide side, const std::string& id) {
    if (!known(side == JoinSide::left ? l : r, id))
      errors[param].push_back("unknown field '" + std::string(side_name(side)) + "." + id + "'");
  };
  if (q.on) {
    check("on", JoinSide::left, q.on->first);
    check("on", JoinSide::right, q.on->second);
  }
  for (const auto& f : q.fields) check("fields", f.side, f.field);
  for (const auto& c : q.left_conditions) check("filters", JoinSide::left, c.field);
  for (const auto& c : q.right_conditions) check("filters", JoinSide::right, c.field);
  for (const auto& k : q.sort) check("sort", k.field.side, k.field.field);
  if (q.left_point) {
    check("left_point", JoinSide::left, q.left_point->first);
    check("left_point", JoinSide::left, q.left_point->second);
  }
  if (q.right_point) {
    check("right_point", JoinSide::right, q.right_point->first);
    check("right_point", JoinSide::right, q.right_point->second);
  }
  if (!errors.empty()) throw ValidationError(errors);
}

// The pairs, in left-then-right _id order; stops once `enough` pairs are found (0: all).
std::vector<JoinPair> equality_pairs(JoinReader& rows, const JoinQuery& q, const TableInfo& l,
                                     const TableInfo& r, JoinBudgetGuard& budget,
                                     std::size_t enough) {
  const Field& lf = need_field(l, q.on->first, "on");
  const Field& rf = need_field(r, q.on->second, "on");
  std::vector<JoinPair> pairs;
  if (enough && rows.can_probe_keys(r, rf)) {
    // A page is wanted and the right field has its join-key index: probe it per left row, so
    // the first pairs come without reading the whole right table.
    rows.scan_keys(l, q.left_conditions, lf, [&](std::int64_t lid, std::string key) {
      budget.examine(1);
      if (key.empty()) return true;
      rows.probe_keys(r, q.right_conditions, rf, key, [&](std::int64_t rid) {
        budget.examine(1);
        pairs.push_back({lid, rid});
      });
      return pairs.size() < enough;
    });
    return pairs;
  }
  // Build on the right: key -> its row ids, in load order.
  std::unordered_map<std::string, std::vector<std::int64_t>> build;
  build.reserve(static_cast<std::size_t>(std::max<std::int64_t>(r.row_count, 0)));
  rows.scan_keys(r, q.right_conditions, rf, [&](std::int64_t rid, std::string key) {
    budget.examine(1);
    if (!key.empty()) build[std::move(key)].push_back(rid);
    return true;
  });
  rows.scan_keys(l, q.left_conditions, lf, [&](std::int64_t lid, std::string key) {
    budget.examine(1);
    if (key.empty()) return true;
    auto it = build.find(key);
    if (it == build.end()) return true;
    budget.examine(static_cast<std::int64_t>(it->second.size()));
    for (auto rid : it->second) pairs.push_back({lid, rid});
    return !enough || pairs.size() < enough;
  });
  return pairs;
}

// A point on WGS84: both values numbers, within range (what a spatial index holds).
bool valid_point(const std::optional<double>& lat, const std::optional<double>& lon) {
  return lat && lon && std::abs(*lat) <= 90 && std::abs(*lon) <= 180;
}

// The box holding every point within `d` metres of (lat, lon), with slack for a spatial index's
// single-precision bounds.
BoundingBox box_around(double lat, double lon, double d) {
  const double dlat = d / 111194.9 + 1e-6;  // metres per degree of latitude
  const double coslat = std::max(std::cos(lat * 3.14159265358979323846 / 180), 1e-6);
  const double dlon = std::min(180.0, d / (111194.9 * coslat) + 1e-6);
  return {lat - dlat, lon - dlon, lat + dlat, lon + dlon};
}

std::vector<JoinPair> distance_pairs(JoinReader& rows, const JoinQuery& q, const TableInfo& l,
                                     const TableInfo& r, JoinBudgetGuard& budget,
                                     std::size_t enough) {
  auto point_of = [](const TableInfo& t, const std::optional<PointFields>& given,
                     const char* param) {
    if (given) return *given;
    if (t.options.point) return *t.options.point;
    throw ValidationError(param, "the table of " + t.resource_id +
                                     " has no latitude/longitude fields; name them as [lat, lon]");
  };
  const PointFields lp = point_of(l, q.left_point, "left_point");
  const PointFields rp = point_of(r, q.right_point, "right_point");
  const double d = *q.within_meters;
  std::vector<JoinPair> pairs;
  if (enough && rows.can_probe_points(r, rp)) {
    // A page is wanted and the right's points have a spatial index: one probe per left point
    // (the box around it, then the exact distance), so the first pairs come without reading the
    // whole right table. For every pair, reading it once and sorting is faster.
    rows.scan_points(l, q.left_conditions, lp,
                     [&](std::int64_t lid, std::optional<double> lat, std::optional<double> lon) {
                       budget.examine(1);
                       if (!valid_point(lat, lon)) return true;
                       rows.probe_points(r, q.right_conditions, rp, box_around(*lat, *lon, d),
                                         [&](std::int64_t rid, double rlat, double rlon) {
                                           budget.examine(1);
                                           double m = haversine_m(*lat, *lon, rlat, rlon);
                                           if (m <= d) pairs.push_back({lid, rid, m});
                                         });
                       return !enough || pairs.size() < enough;
                     });
    return pairs;
  }
  // The right's points held sorted by latitude; each left point compares those in its box's
  // band of latitude (each counted against the budget).
  struct Point {
    double lat, lon;
    std::int64_t id;
    bool operator<(const Point& o) const { return lat < o.lat || (lat == o.lat && id < o.id); }
  };
  std::vector<Point> right;
  rows.scan_points(r, q.right_conditions, rp,
                   [&](std::int64_t rid, std::optional<double> lat, std::optional<double> lon) {
                     budget.examine(1);
                     if (valid_point(lat, lon)) right.push_back({*lat, *lon, rid});
                     return true;
                   });
  std::sort(right.begin(), right.end());
  std::vector<JoinPair> found;  // one left point's pairs, put in right _id order
  rows.scan_points(
      l, q.left_conditions, lp,
      [&](std::int64_t lid, std::optional<double> lat, std::optional<double> lon) {
        budget.examine(1);
        if (!valid_point(lat, lon)) return true;
        const BoundingBox box = box_around(*lat, *lon, d);
        auto from = std::lower_bound(right.begin(), right.end(), Point{box.min_lat, 0, INT64_MIN});
        auto to = std::upper_bound(from, right.end(), Point{box.max_lat, 0, INT64_MAX});
        budget.examine(to - from);
        found.clear();
        for (auto p = from; p != to; ++p) {
          if (p->lon < box.min_lon || p->lon > box.max_lon) continue;
          double m = haversine_m(*lat, *lon, p->lat, p->lon);
          if (m <= d) found.push_back({lid, p->id, m});
        }
        std::sort(found.begin(), found.end(),
                  [](const JoinPair& a, const JoinPair& b) { return a.right < b.right; });
        pairs.insert(pairs.end(), found.begin(), found.end());
        return !enough || pairs.size() < enough;
      });
  return pairs;
}

bool cell_less(const Cell& a, const Cell& b) {
  // Nulls first, then numbers, then text (SQLite's order).
  auto rank = [](const Cell& c) {
    if (std::holds_alternative<std::monostate>(c)) return 0;
    if (std::holds_alternative<std::string>(c)) return 2;
    return 1;
  };
  int ra = rank(a), rb = rank(b);
  if (ra != rb) return ra < rb;
  if (ra == 0) return false;
  if (ra == 2) return std::get<std::string>(a) < std::get<std::string>(b);
  auto num = [](const Cell& c) {
    if (auto* i = std::get_if<std::int64_t>(&c)) return static_cast<double>(*i);
    if (auto* d = std::get_if<double>(&c)) return *d;
    return std::get<bool>(c) ? 1.0 : 0.0;
  };
  return num(a) < num(b);
}

// Values of `columns` for every distinct id of `ids`, fetched once each.
std::unordered_map<std::int64_t, Row> fetch_distinct(JoinReader& rows, const TableInfo& t,
                                                     const std::vector<Field>& columns,
                                                     const std::vector<std::int64_t>& ids,
                                                     JoinBudgetGuard* budget) {
  std::unordered_map<std::int64_t, Row> out;
  if (columns.empty()) return out;
  std::vector<std::int64_t> wanted;
  for (auto id : ids)
    if (out.emplace(id, Row{}).second) wanted.push_back(id);
  if (budget) budget->examine(static_cast<std::int64_t>(wanted.size()));
  auto fetched = rows.fetch(t, columns, wanted);
  for (std::size_t i = 0; i < wanted.size(); ++i) out[wanted[i]] = std::move(fetched.at(i));
  return out;
}

void sort_pairs(std::vector<JoinPair>& pairs, const JoinQuery& q, const TableInfo& l,
                const TableInfo& r, JoinReader& rows, JoinBudgetGuard& budget) {
  std::vector<Field> lsort, rsort;
  for (const auto& k : q.sort)
    (k.field.side == JoinSide::left ? lsort : rsort)
        .push_back(need_field(k.field.side == JoinSide::left ? l : r, k.field.field, "sort"));
  std::vector<std::int64_t> lids, rids;
  for (const auto& p : pairs) {
    lids.push_back(p.left);
    rids.push_back(p.right);
  }
  auto lv = fetch_distinct(rows, l, lsort, lids, &budget);
  auto rv = fetch_distinct(rows, r, rsort, rids, &budget);
  std::stable_sort(pairs.begin(), pairs.end(), [&](const JoinPair& a, const JoinPair& b) {
    std::size_t li = 0, ri = 0;
    for (const auto& k : q.sort) {
      bool left = k.field.side == JoinSide::left;
      const Cell& x = left ? lv.at(a.left)[li] : rv.at(a.right)[ri];
      const Cell& y = left ? lv.at(b.left)[li] : rv.at(b.right)[ri];
      (left ? li : ri)++;
      if (cell_less(x, y)) return !k.descending;
      if (cell_less(y, x)) return k.descending;
    }
    return false;
  });
}

}  // namespace

SearchResult run_join(const JoinQuery& q, const TableInfo& l, const TableInfo& r,
                      JoinReader& rows) {
  if (q.on.has_value() == q.within_meters.has_value())
    throw ValidationError("on", "give either on {left, right} or within_meters");
  if (q.within_meters && !(*q.within_meters > 0 && *q.within_meters <= 100000))
    throw ValidationError("within_meters",
                          "must be a distance in metres, above 0 and at most "
                          "100000");
  check_join_fields(q, l, r);
  JoinBudgetGuard budget(q.budget);
  const std::size_t page_end = static_cast<std::size_t>(std::max<std::int64_t>(q.offset, 0) +
                                                        std::max<std::int64_t>(q.limit, 0));
  const std::size_t enough =
      q.include_total || !q.sort.empty() ? 0 : std::max<std::size_t>(page_end, 1);
  std::vector<JoinPair> pairs = q.on ? equality_pairs(rows, q, l, r, budget, enough)
                                     : distance_pairs(rows, q, l, r, budget, enough);

  // The output columns.
  std::vector<JoinField> wanted = q.fields;
  if (wanted.empty()) {
    for (const auto& f : l.fields) wanted.push_back({JoinSide::left, f.id});
    for (const auto& f : r.fields) wanted.push_back({JoinSide::right, f.id});
  }
  SearchResult out;
  std::vector<Field> left_cols, right_cols;
  std::vector<std::pair<JoinSide, std::size_t>> where;  // output column -> side, fetch column
  for (const auto& w : wanted) {
    const TableInfo& t = w.side == JoinSide::left ? l : r;
    Field f = need_field(t, w.field, "fields");
    auto& cols = w.side == JoinSide::left ? left_cols : right_cols;
    where.emplace_back(w.side, cols.size());
    cols.push_back(f);
    f.id = std::string(side_name(w.side)) + "." + f.id;
    out.fields.push_back(f);
  }
  if (q.within_meters) out.fields.push_back({"distance_m", "numeric", {}});

  if (!q.sort.empty()) sort_pairs(pairs, q, l, r, rows, budget);
  if (q.include_total) out.total = static_cast<std::int64_t>(pairs.size());

  const std::size_t from =
      std::min(pairs.size(), static_cast<std::size_t>(std::max<std::int64_t>(q.offset, 0)));
  const std::size_t to = std::min(pairs.size(), page_end);
  std::vector<std::int64_t> lids, rids;
  for (std::size_t i = from; i < to; ++i) {
    lids.push_back(pairs[i].left);
    rids.push_back(pairs[i].right);
  }
  auto lrows = fetch_distinct(rows, l, left_cols, lids, nullptr);
  auto rrows = fetch_distinct(rows, r, right_cols, rids, nullptr);
  for (std::size_t i = from; i < to; ++i) {
    const Row* lrow = left_cols.empty() ? nullptr : &lrows.at(pairs[i].left);
    const Row* rrow = right_cols.empty() ? nullptr : &rrows.at(pairs[i].right);
    Row row;
    row.reserve(out.fields.size());
    for (const auto& [side, k] : where)
      row.push_back(side == JoinSide::left ? (*lrow)[k] : (*rrow)[k]);
    if (q.within_meters) row.emplace_back(std::round(pairs[i].distance * 10) / 10);
    out.records.push_back(std::move(row));
  }
  return out;
}

}  // namespace datamap::datastore

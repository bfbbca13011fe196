#include "graph/joinable.h"

#include <algorithm>
#include <cmath>
#include <string_view>
#include <tuple>

namespace datamap::graph {

namespace {

// Code semantic types (datastore/loader/semantic.h's ids) by the name a reader knows them by.
const char* code_key(const std::string& semantic_type) {
  if (semantic_type == "org_code") return "제공기관코드";
  if (semantic_type == "legal_dong_code") return "법정동코드";
  if (semantic_type == "admin_dong_code") return "행정동코드";
  if (semantic_type == "business_reg_no") return "사업자등록번호";
  if (semantic_type == "postal_code") return "우편번호";
  return nullptr;
}

std::string percent(double share) {
  return std::to_string(static_cast<int>(std::lround(share * 100))) + "%";
}

// Bottom-k estimate of |A ∩ B| / |A ∪ B|: of the k smallest hashes of the union, those in both.
double jaccard(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
  std::size_t k = std::min(a.size(), b.size());
  if (k == 0) return 0;
  std::size_t i = 0, j = 0, taken = 0, both = 0;
  while (taken < k && (i < a.size() || j < b.size())) {
    if (j == b.size() || (i < a.size() && a[i] < b[j])) {
      ++i;
    } else if (i == a.size() || b[j] < a[i]) {
      ++j;
    } else {
      ++both, ++i, ++j;
    }
    ++taken;
  }
  return double(both) / double(k);
}

}  // namespace

std::vector<JoinColumn> join_columns(const catalog::Dataset& d) {
  std::vector<JoinColumn> out;
  for (const auto& r : d.resources)
    for (const auto& c : r.columns) {
      if (c.rows <= 0 || (c.sketch.empty() && c.value_counts.empty())) continue;
      const char* key = code_key(c.semantic_type);
      if (!key && c.standard_term.empty()) continue;
      out.push_back({key ? key : c.standard_term, c.name, r.id, c.rows, c.distinct, c.sketch,
                     c.value_counts});
    }
  return out;
}

JoinMeasure JoinMeasure::swapped() const {
  JoinMeasure m = *this;
  std::swap(m.column_a, m.column_b);
  std::swap(m.resource_a, m.resource_b);
  std::swap(m.share_a, m.share_b);
  return m;
}

std::string JoinMeasure::text() const {
  return "joinable on " + key + ": " + std::to_string(shared) + " shared codes; " +
         percent(share_a) + " of A's rows and " + percent(share_b) + " of B's rows match (" +
         (exact ? "exact value sets" : "MinHash estimate") + ")";
}

std::optional<JoinMeasure> measure_join(const JoinColumn& a, const JoinColumn& b) {
  if (a.key != b.key || a.rows <= 0 || b.rows <= 0) return std::nullopt;
  JoinMeasure m{a.key, a.column, b.column, a.resource, b.resource};
  if (!a.value_counts.empty() && !b.value_counts.empty()) {
    // Both small: every value with its rows, merged by hash.
    std::int64_t rows_a = 0, rows_b = 0;
    auto i = a.value_counts.begin(), j = b.value_counts.begin();
    while (i != a.value_counts.end() && j != b.value_counts.end()) {
      if (i->first < j->first) {
        ++i;
      } else if (j->first < i->first) {
        ++j;
      } else {
        ++m.shared;
        rows_a += i->second;
        rows_b += j->second;
        ++i, ++j;
      }
    }
    m.share_a = double(rows_a) / double(a.rows);
    m.share_b = double(rows_b) / double(b.rows);
    m.exact = true;
  } else {
    double j = jaccard(a.sketch, b.sketch);
    double da = double(std::max<std::int64_t>(a.distinct, 1));
    double db = double(std::max<std::int64_t>(b.distinct, 1));
    // |A ∩ B| = J / (1 + J) * (|A| + |B|); each row's value is assumed as likely as any other.
    double shared = std::min({j / (1 + j) * (da + db), da, db});
    m.shared = std::llround(shared);
    m.share_a = std::min(1.0, shared / da);
    m.share_b = std::min(1.0, shared / db);
  }
  if (m.shared <= 0) return std::nullopt;
  return m;
}

std::size_t JoinIndex::update(const std::string& id, std::vector<JoinColumn> columns) {
  // Out with the old: its postings and every pair it was in.
  if (auto old = columns_.find(id); old != columns_.end()) {
    for (const auto& c : old->second)
      if (auto p = postings_.find(c.key); p != postings_.end()) {
        p->second.erase(id);
        if (p->second.empty()) postings_.erase(p);
      }
    columns_.erase(old);
  }
  if (auto mine = partners_.find(id); mine != partners_.end()) {
    for (const auto& other : mine->second) {
      edges_.erase(id < other ? std::make_pair(id, other) : std::make_pair(other, id));
      if (auto theirs = partners_.find(other); theirs != partners_.end()) theirs->second.erase(id);
    }
    partners_.erase(mine);
  }
  if (columns.empty()) return 0;
  // In with the new: candidates are the datasets sharing a key, nothing else is read.
  std::unordered_set<std::string> candidates;
  for (const auto& c : columns)
    if (auto p = postings_.find(c.key); p != postings_.end())
      candidates.insert(p->second.begin(), p->second.end());
  std::size_t measured = 0;
  for (const auto& other : candidates) {
    const auto& theirs = columns_.at(other);
    bool mine_first = id < other;
    const auto& first = mine_first ? columns : theirs;
    const auto& second = mine_first ? theirs : columns;
    std::map<std::string, JoinMeasure> best;  // per key: the pair whose rows match best
    for (const auto& x : first)
      for (const auto& y : second) {
        if (x.key != y.key) continue;
        ++measured;
        auto m = measure_join(x, y);
        if (!m) continue;
        auto it = best.find(m->key);
        if (it == best.end() || m->share_a * m->share_b > it->second.share_a * it->second.share_b)
          best.insert_or_assign(m->key, *m);
      }
    if (best.empty()) continue;
    auto edge = std::make_shared<JoinEdge>();
    edge->a = mine_first ? id : other;
    edge->b = mine_first ? other : id;
    for (auto& [key, m] : best) edge->measures.push_back(std::move(m));
    std::sort(edge->measures.begin(), edge->measures.end(), [](const auto& x, const auto& y) {
      return x.share_a * x.share_b > y.share_a * y.share_b;
    });
    edges_[{edge->a, edge->b}] = std::move(edge);
    partners_[id].insert(other);
    partners_[other].insert(id);
  }
  for (const auto& c : columns) postings_[c.key].insert(id);
  columns_[id] = std::move(columns);
  return measured;
}

void JoinIndex::clear() {
  columns_.clear();
  postings_.clear();
  edges_.clear();
  partners_.clear();
}

std::vector<std::shared_ptr<const JoinEdge>> JoinIndex::edges(std::size_t per_dataset) const {
  std::vector<std::shared_ptr<const JoinEdge>> out;
  if (per_dataset == 0) {
    out.reserve(edges_.size());
    for (const auto& [ids, e] : edges_) out.push_back(e);
    return out;
  }
  auto score = [](const JoinEdge& e) {
    const JoinMeasure& m = e.measures.front();
    return m.share_a * m.share_b;
  };
  using Ranked = std::pair<double, const std::shared_ptr<const JoinEdge>*>;
  std::unordered_map<std::string_view, std::vector<Ranked>> mine;
  for (const auto& [ids, e] : edges_) {
    double s = score(*e);
    mine[e->a].emplace_back(s, &e);
    mine[e->b].emplace_back(s, &e);
  }
  std::unordered_set<const JoinEdge*> kept;
  for (auto& [id, list] : mine) {
    std::size_t k = std::min(per_dataset, list.size());
    std::partial_sort(list.begin(), list.begin() + std::ptrdiff_t(k), list.end(),
                      [](const auto& x, const auto& y) {
                        return x.first != y.first ? x.first > y.first
                                                  : std::tie((*x.second)->a, (*x.second)->b) <
                                                        std::tie((*y.second)->a, (*y.second)->b);
                      });
    for (std::size_t i = 0; i < k; ++i)
      if (kept.insert(list[i].second->get()).second) out.push_back(*list[i].second);
  }
  return out;
}

}  // namespace datamap::graph

#include "graph/builder.h"

#include <algorithm>
#include <boost/range/iterator_range.hpp>
#include <chrono>
#include <cmath>
#include <numeric>
#include <thread>
#include <unordered_map>

#include "catalog/ids.h"
#include "graph/map_algorithms.h"

namespace datamap::graph {

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// IDF normalised to [0, 1]: 1 for a key two datasets share, towards 0 for one everybody has.
float idf_norm(std::size_t df, std::size_t n) {
  if (df == 0 || n < 2) return 0;
  double v = std::log(double(n + 1) / double(df)) / std::log(double(n + 1));
  return float(std::clamp(v, 0.0, 1.0));
}

int relationship_type_index(std::string_view type) {
  for (int i = 0; i < int(std::size(catalog::kRelationshipTypes)); ++i)
    if (type == catalog::kRelationshipTypes[i]) return i;
  return -1;
}

// Out-edge order within a node: what explains a dataset best comes first.
int edge_priority(EdgeType t) {
  switch (t) {
    case EdgeType::explicit_relation:
      return 0;
    case EdgeType::related:
      return 1;
    case EdgeType::has_term:
      return 2;
    case EdgeType::tagged:
      return 3;
    case EdgeType::published_by:
      return 4;
    case EdgeType::in_subcategory:
      return 5;
    case EdgeType::in_category:
      return 6;
    case EdgeType::uses:
      return 7;
  }
  return 8;
}

template <typename Key>
struct Interner {
  std::unordered_map<Key, std::uint32_t> ordinal;
  std::vector<Key> keys;
  std::uint32_t get(const Key& k) {
    auto [it, fresh] = ordinal.emplace(k, std::uint32_t(keys.size()));
    if (fresh) keys.push_back(k);
    return it->second;
  }
};

}  // namespace

class MapBuilder {
 public:
  MapBuilder(MapInput input, const BuildOptions& options)
      : in_(std::move(input)), opt_(options), map_(new DataMap()) {}

  std::shared_ptr<const DataMap> build() {
    auto t0 = std::chrono::steady_clock::now();
    map_->terms_ = in_.terms;
    map_->weights_ = opt_.weights;
    index_datasets();  // may turn an incremental build into a full one
    const bool incremental = in_.previous != nullptr;
    index_other_nodes();
    index_postings();
    index_explicit();
    index_joinable();
    index_near();
    map_->stats_.index_seconds = seconds_since(t0);
    auto t_related = std::chrono::steady_clock::now();
    if (in_.previous) {
      compute_related_incrementally();
    } else {
      compute_related();
      map_->stats_.changed = map_->datasets_.size();
    }
    map_->stats_.related_seconds = seconds_since(t_related);
    auto t_assemble = std::chrono::steady_clock::now();
    assemble_graph();
    map_->stats_.assemble_seconds = seconds_since(t_assemble);
    auto t_alg = std::chrono::steady_clock::now();
    MapAlgorithms::components(*map_);
    if (incremental) {
      MapAlgorithms::carry_over(*map_, *in_.previous, old_to_new_);
    } else {
      MapAlgorithms::pagerank(*map_, opt_.pagerank_iterations);
      MapAlgorithms::communities(*map_, opt_.label_propagation_rounds);
    }
    MapAlgorithms::crossings(*map_);
    map_->stats_.algorithms_seconds = seconds_since(t_alg);
    map_->stats_.build_seconds = seconds_since(t0);
    map_->stats_.revision = in_.revision;
    map_->stats_.extract_seconds = in_.extract_seconds;
    map_->stats_.incremental = incremental;
    map_->stats_.built_at = catalog::now_iso8601();
    return std::shared_ptr<const DataMap>(std::move(map_));
  }

 private:
  void index_datasets() {
    if (in_.previous && merge_with_previous()) return;
    in_.previous = nullptr;  // not mergeable: a full build
    auto& ds = in_.datasets;
    std::stable_sort(ds.begin(), ds.end(),
                     [](const auto& a, const auto& b) { return a->id < b->id; });
    // Duplicates by id: keep the last given (stable sort keeps input order among equals).
    std::vector<std::shared_ptr<const DatasetRecord>> unique;
    unique.reserve(ds.size());
    for (std::size_t i = 0; i < ds.size(); ++i)
      if (i + 1 == ds.size() || ds[i + 1]->id != ds[i]->id) unique.push_back(std::move(ds[i]));
    map_->datasets_ = std::move(unique);
    ds.clear();
    const std::size_t n = map_->datasets_.size();
    map_->by_name_.resize(n);
    std::iota(map_->by_name_.begin(), map_->by_name_.end(), Node(0));
    std::sort(map_->by_name_.begin(), map_->by_name_.end(),
              [&](Node a, Node b) { return map_->datasets_[a]->name < map_->datasets_[b]->name; });
  }

  // Incremental: the previous snapshot's datasets are sorted already; merge the changed records
  // in (O(n) instead of sorting), and learn old_to_new_ on the way. False when the input does not
  // match previous + changed (then the caller sorts everything).
  bool merge_with_previous() {
    const DataMap& prev = *in_.previous;
    std::vector<std::shared_ptr<const DatasetRecord>> fresh;
    for (auto& r : in_.datasets)
      if (in_.changed.count(r->id)) fresh.push_back(r);
    std::sort(fresh.begin(), fresh.end(),
              [](const auto& a, const auto& b) { return a->id < b->id; });
    for (std::size_t i = 1; i < fresh.size(); ++i)
      if (fresh[i]->id == fresh[i - 1]->id) return false;
    auto& now = map_->datasets_;
    now.clear();
    now.reserve(in_.datasets.size());
    old_to_new_.assign(prev.dataset_count(), kNoNode);
    std::size_t f = 0;
    for (Node u = 0; u < prev.dataset_count(); ++u) {
      const auto& old = prev.datasets_[u];
      while (f < fresh.size() && fresh[f]->id < old->id) now.push_back(fresh[f++]);
      if (in_.changed.count(old->id)) continue;
      old_to_new_[u] = Node(now.size());
      now.push_back(old);
    }
    while (f < fresh.size()) now.push_back(fresh[f++]);
    if (now.size() != in_.datasets.size()) {
      now.clear();
      old_to_new_.clear();
      return false;
    }
    in_.datasets.clear();
    // Names: the previous order mapped through old_to_new_, merged with the fresh ones.
    std::vector<Node> kept, added;
    for (Node u : prev.by_name_)
      if (old_to_new_[u] != kNoNode) kept.push_back(old_to_new_[u]);
    carried_.assign(now.size(), false);
    for (Node nu : old_to_new_)
      if (nu != kNoNode) carried_[nu] = true;
    for (Node d = 0; d < now.size(); ++d)
      if (!carried_[d]) added.push_back(d);
    auto by_name = [&](Node a, Node b) { return now[a]->name < now[b]->name; };
    std::sort(added.begin(), added.end(), by_name);
    map_->by_name_.resize(now.size());
    std::merge(kept.begin(), kept.end(), added.begin(), added.end(), map_->by_name_.begin(),
               by_name);
    return true;
  }

  void index_other_nodes() {
    const auto& datasets = map_->datasets_;
    const std::size_t n = datasets.size();
    std::unordered_map<std::string, const catalog::Organization*> orgs;
    for (const auto& o : in_.organizations) orgs.emplace(o.id, &o);
    std::unordered_map<std::string, const catalog::Group*> groups;
    for (const auto& g : in_.groups) groups.emplace(g.name, &g);

    // Keys are views into the records, which the map keeps alive: no string copies.
    Interner<std::string_view> agencies, categories, keywords;
    Interner<std::string> subcategories;
    std::vector<std::uint32_t> term_ordinal(in_.terms->size(), kNoNode);
    std::vector<std::uint32_t> term_keys;
    map_->dataset_agency_.assign(n, kNoNode);
    map_->dataset_subcategory_.assign(n, kNoNode);
    // First pass: ordinals within each kind (converted to nodes once block sizes are known).
    std::vector<std::uint32_t> agency_ord(n, kNoNode), sub_ord(n, kNoNode), list;
    for (Node d = 0; d < n; ++d) {
      const DatasetRecord& r = *datasets[d];
      if (!r.organization_id.empty()) agency_ord[d] = agencies.get(r.organization_id);
      list.clear();
      for (const auto& c : r.categories) list.push_back(categories.get(c));
      map_->dataset_categories_.append(list, true);
      if (!r.category_sub.empty())
        sub_ord[d] =
            subcategories.get((r.categories.empty() ? "" : r.categories[0]) + "/" + r.category_sub);
      list.clear();
      for (const auto& k : r.keywords) list.push_back(keywords.get(k));
      map_->dataset_keywords_.append(list, true);
      list.clear();
      for (auto t : r.terms) {
        if (t >= term_ordinal.size()) continue;  // a record from another term list: ignore
        if (term_ordinal[t] == kNoNode) {
          term_ordinal[t] = std::uint32_t(term_keys.size());
          term_keys.push_back(t);
        }
        list.push_back(term_ordinal[t]);
      }
      map_->dataset_terms_.append(list, true);
    }
    Node* block = map_->block_;
    block[0] = 0;
    block[1] = Node(n);
    block[2] = block[1] + Node(agencies.keys.size());
    block[3] = block[2] + Node(categories.keys.size());
    block[4] = block[3] + Node(subcategories.keys.size());
    block[5] = block[4] + Node(keywords.keys.size());
    block[6] = block[5] + Node(term_keys.size());
    std::vector<const catalog::Reuse*> reuses;
    for (const auto& r : in_.reuses) {
      list.clear();
      for (const auto& id : r.dataset_ids)
        if (auto d = map_->find(id); d && *d < n) list.push_back(*d);
      if (list.empty()) continue;  // none of its datasets is on the map
      map_->reuse_datasets_.append(list, true);
      reuses.push_back(&r);
    }
    block[7] = block[6] + Node(reuses.size());
    map_->node_count_ = block[7];
    keyword_count_ = keywords.keys.size();
    term_count_ = term_keys.size();

    auto& others = map_->others_;
    others.reserve(map_->node_count_ - n);
    for (std::string_view id : agencies.keys) {
      auto it = orgs.find(std::string(id));
      const catalog::Organization* o = it == orgs.end() ? nullptr : it->second;
      std::string name = o && !o->name.empty() ? o->name : std::string(id);
      std::string label = o && !o->title.empty() ? o->title : name;
      others.push_back({"agency:" + name, label, 0});
    }
    for (std::string_view c : categories.keys) {
      auto it = groups.find(std::string(c));
      std::string label =
          it != groups.end() && !it->second->title.empty() ? it->second->title : std::string(c);
      others.push_back({"category:" + std::string(c), label, 0});
    }
    for (const auto& s : subcategories.keys)
      others.push_back({"subcategory:" + s, s.substr(s.find('/') + 1), 0});
    for (std::string_view k : keywords.keys)
      others.push_back({"keyword:" + std::string(k), std::string(k), 0});
    map_->term_ids_ = term_keys;
    for (auto t : term_keys) {
      const std::string& name = in_.terms->term(t).name;
      others.push_back({"term:" + name, name, 0});
    }
    for (std::size_t i = 0; i < reuses.size(); ++i)
      others.push_back({"reuse:" + reuses[i]->id, reuses[i]->title,
                        std::uint32_t(map_->reuse_datasets_[i].size())});
    // Ordinals -> nodes (category ordinals become nodes in place: order is kept), and counts.
    for (std::size_t i = 0; i < map_->dataset_categories_.total(); ++i)
      map_->dataset_categories_.mutable_data()[i] += block[2];
    for (Node d = 0; d < n; ++d) {
      if (agency_ord[d] != kNoNode) map_->dataset_agency_[d] = block[1] + agency_ord[d];
      if (sub_ord[d] != kNoNode) map_->dataset_subcategory_[d] = block[3] + sub_ord[d];
      auto bump = [&](Node node) { ++others[node - n].count; };
      if (map_->dataset_agency_[d] != kNoNode) bump(map_->dataset_agency_[d]);
      if (map_->dataset_subcategory_[d] != kNoNode) bump(map_->dataset_subcategory_[d]);
      for (Node c : map_->dataset_categories_[d]) bump(c);
      for (auto k : map_->dataset_keywords_[d]) bump(block[4] + k);
      for (auto t : map_->dataset_terms_[d]) bump(block[5] + t);
    }
    map_->key_index_.reserve(others.size());
    for (std::size_t i = 0; i < others.size(); ++i)
      map_->key_index_.emplace_back(others[i].key, Node(n + i));
    std::sort(map_->key_index_.begin(), map_->key_index_.end());
  }

  void index_postings() {
    const std::size_t n = map_->datasets_.size();
    term_postings_.assign(term_count_, {});
    keyword_postings_.assign(keyword_count_, {});
    for (Node d = 0; d < n; ++d) {
      for (auto t : map_->dataset_terms_[d]) term_postings_[t].push_back(d);
      for (auto k : map_->dataset_keywords_[d]) keyword_postings_[k].push_back(d);
    }
    const ReasonWeights& w = opt_.weights;
    map_->term_weight_.resize(term_count_);
    for (std::size_t t = 0; t < term_count_; ++t)
      map_->term_weight_[t] = w.term_base + w.term_rarity * idf_norm(term_postings_[t].size(), n);
    map_->keyword_weight_.resize(keyword_count_);
    for (std::size_t k = 0; k < keyword_count_; ++k)
      map_->keyword_weight_[k] = w.keyword_rarity * idf_norm(keyword_postings_[k].size(), n);
    // Buckets of datasets sharing agency and main category, ordered by title: neighbours in a
    // bucket are the agency's similar datasets, a cheap stand-in for "same agency" candidates.
    // Incremental builds score only the changed datasets: only their buckets are needed.
    std::unordered_map<std::uint64_t, std::uint32_t> bucket_of;
    bucket_pos_.assign(n, 0);
    dataset_bucket_.assign(n, kNoNode);
    auto bucket_key = [&](Node d) -> std::uint64_t {
      Node a = map_->dataset_agency_[d];
      if (a == kNoNode) return ~std::uint64_t(0);
      auto cats = map_->dataset_categories_[d];
      return (std::uint64_t(a) << 32) | (cats.empty() ? 0xFFFFFFFFu : cats[0]);
    };
    std::unordered_set<std::uint64_t> wanted;
    if (!carried_.empty())
      for (Node d = 0; d < n; ++d)
        if (!carried_[d]) wanted.insert(bucket_key(d));
    for (Node d = 0; d < n; ++d) {
      std::uint64_t key = bucket_key(d);
      if (key == ~std::uint64_t(0) || (!carried_.empty() && !wanted.count(key))) continue;
      auto [it, fresh] = bucket_of.emplace(key, std::uint32_t(buckets_.size()));
      if (fresh) buckets_.emplace_back();
      buckets_[it->second].push_back(d);
      dataset_bucket_[d] = it->second;
    }
    for (auto& b : buckets_) {
      std::sort(b.begin(), b.end(), [&](Node x, Node y) {
        const auto& tx = map_->datasets_[x]->title;
        const auto& ty = map_->datasets_[y]->title;
        return tx != ty ? tx < ty : x < y;
      });
      for (std::uint32_t i = 0; i < b.size(); ++i) bucket_pos_[b[i]] = i;
    }
  }

  void index_explicit() {
    for (const auto& r : in_.relationships) {
      auto a = map_->find(r.subject_id), b = map_->find(r.object_id);
      int type = relationship_type_index(r.type);
      if (!a || !b || *a == *b || type < 0 || *a >= map_->dataset_count() ||
          *b >= map_->dataset_count())
        continue;
      // Types come in pairs (depends_on, dependency_of, ...): the inverse is the other of the pair.
      map_->explicit_.push_back({*a, *b, std::uint8_t(type)});
      map_->explicit_.push_back({*b, *a, std::uint8_t(type ^ 1)});
    }
    std::sort(map_->explicit_.begin(), map_->explicit_.end(), [](const auto& x, const auto& y) {
      return x.a != y.a ? x.a < y.a : x.b != y.b ? x.b < y.b : x.type < y.type;
    });
    map_->explicit_.erase(std::unique(map_->explicit_.begin(), map_->explicit_.end(),
                                      [](const auto& x, const auto& y) {
                                        return x.a == y.a && x.b == y.b && x.type == y.type;
                                      }),
                          map_->explicit_.end());
  }

  void index_joinable() {
    auto& list = map_->joinable_;
    for (auto& e : in_.joinable) {
      auto a = map_->find(e->a), b = map_->find(e->b);
      if (!a || !b || *a == *b || *a >= map_->dataset_count() || *b >= map_->dataset_count())
        continue;
      list.push_back({*a, *b, e.get(), true});
      list.push_back({*b, *a, e.get(), false});
      map_->join_edges_.push_back(std::move(e));
    }
    in_.joinable.clear();
    std::sort(list.begin(), list.end(),
              [](const auto& x, const auto& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
  }

  void index_near() {
    auto& list = map_->near_;
    for (auto& e : in_.near) {
      auto a = map_->find(e->a), b = map_->find(e->b);
      if (!a || !b || *a == *b || *a >= map_->dataset_count() || *b >= map_->dataset_count())
        continue;
      list.push_back({*a, *b, e.get(), true});
      list.push_back({*b, *a, e.get(), false});
      map_->near_edges_.push_back(std::move(e));
    }
    in_.near.clear();
    std::sort(list.begin(), list.end(),
              [](const auto& x, const auto& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
  }

  struct RelatedEdge {
    Node a, b;  // a < b
    float weight;
  };

  // Candidates for one dataset, scored roughly through the inverted lists, then exactly.
  void related_for(Node d, std::vector<float>& acc, std::vector<Node>& touched,
                   std::vector<RelatedEdge>& out) const {
    const ReasonWeights& w = opt_.weights;
    auto add = [&](Node j, float weight) {
      if (j == d) return;
      if (acc[j] == 0) touched.push_back(j);
      acc[j] += weight;
    };
    auto visit = [&](const std::vector<Node>& list, float weight) {
      if (list.size() <= opt_.full_posting_max) {
        for (Node j : list) add(j, weight);
        return;
      }
      auto pos = std::size_t(std::lower_bound(list.begin(), list.end(), d) - list.begin());
      std::size_t lo = pos > opt_.posting_window ? pos - opt_.posting_window : 0;
      std::size_t hi = std::min(list.size(), pos + opt_.posting_window + 1);
      for (std::size_t i = lo; i < hi; ++i) add(list[i], weight);
    };
    for (auto t : map_->dataset_terms_[d]) visit(term_postings_[t], map_->term_weight_[t]);
    for (auto k : map_->dataset_keywords_[d]) visit(keyword_postings_[k], map_->keyword_weight_[k]);
    if (dataset_bucket_[d] != kNoNode) {
      const auto& b = buckets_[dataset_bucket_[d]];
      std::size_t pos = bucket_pos_[d];
      std::size_t lo = pos > opt_.bucket_window ? pos - opt_.bucket_window : 0;
      std::size_t hi = std::min(b.size(), pos + opt_.bucket_window + 1);
      for (std::size_t i = lo; i < hi; ++i) add(b[i], w.agency + w.category);
    }
    auto ex = std::lower_bound(map_->explicit_.begin(), map_->explicit_.end(),
                               DataMap::Explicit{d, 0, 0});
    for (; ex != map_->explicit_.end() && ex->a == d; ++ex) add(ex->b, w.explicit_relation);
    auto jn = std::lower_bound(map_->joinable_.begin(), map_->joinable_.end(), d,
                               [](const DataMap::Joinable& j, Node node) { return j.a < node; });
    for (; jn != map_->joinable_.end() && jn->a == d; ++jn)
      add(jn->b, map_->joinable_weight(d, jn->b));
    auto nr = std::lower_bound(map_->near_.begin(), map_->near_.end(), d,
                               [](const DataMap::Near& n, Node node) { return n.a < node; });
    for (; nr != map_->near_.end() && nr->a == d; ++nr) add(nr->b, map_->near_weight(d, nr->b));

    if (touched.size() > opt_.candidate_pool) {
      std::nth_element(touched.begin(), touched.begin() + opt_.candidate_pool, touched.end(),
                       [&](Node x, Node y) { return acc[x] != acc[y] ? acc[x] > acc[y] : x < y; });
    }
    std::size_t pool = std::min<std::size_t>(touched.size(), opt_.candidate_pool);
    std::vector<std::pair<float, Node>> scored;
    scored.reserve(pool);
    for (std::size_t i = 0; i < pool; ++i) {
      float exact = map_->relation_weight(d, touched[i]);
      if (exact >= opt_.min_related_weight) scored.emplace_back(exact, touched[i]);
    }
    for (Node j : touched) acc[j] = 0;
    touched.clear();
    std::size_t k = std::min<std::size_t>(scored.size(), opt_.related_per_dataset);
    std::partial_sort(scored.begin(), scored.begin() + k, scored.end(),
                      [](const auto& x, const auto& y) {
                        return x.first != y.first ? x.first > y.first : x.second < y.second;
                      });
    for (std::size_t i = 0; i < k; ++i)
      out.push_back(
          {std::min(d, scored[i].second), std::max(d, scored[i].second), scored[i].first});
  }

  void compute_related() {
    const std::size_t n = map_->datasets_.size();
    unsigned threads = std::max(1u, std::min<unsigned>(opt_.threads, unsigned(n / 1000 + 1)));
    std::vector<std::vector<RelatedEdge>> parts(threads);
    auto work = [&](unsigned part) {
      std::vector<float> acc(n, 0.0f);
      std::vector<Node> touched;
      // Interleaved stripes keep the threads' loads even whatever the order of hard datasets.
      for (Node d = part; d < n; d += threads) related_for(d, acc, touched, parts[part]);
    };
    std::vector<std::thread> pool;
    for (unsigned p = 1; p < threads; ++p) pool.emplace_back(work, p);
    work(0);
    for (auto& t : pool) t.join();
    for (auto& p : parts) {
      related_.insert(related_.end(), p.begin(), p.end());
      p.clear();
      p.shrink_to_fit();
    }
    std::sort(related_.begin(), related_.end(),
              [](const auto& x, const auto& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
    related_.erase(
        std::unique(related_.begin(), related_.end(),
                    [](const auto& x, const auto& y) { return x.a == y.a && x.b == y.b; }),
        related_.end());
  }

  void compute_related_incrementally() {
    const DataMap& prev = *in_.previous;
    const Graph& pg = prev.graph_;
    for (Node u = 0; u < prev.dataset_count(); ++u) {
      Node nu = old_to_new_[u];
      if (nu == kNoNode) continue;
      for (auto e : boost::make_iterator_range(boost::out_edges(u, pg))) {
        Node v = Node(boost::target(e, pg));
        if (pg[e].type != EdgeType::related || v <= u || old_to_new_[v] == kNoNode) continue;
        Node nv = old_to_new_[v];
        related_.push_back({std::min(nu, nv), std::max(nu, nv), pg[e].weight});
      }
    }
    // Carried edges join two carried datasets; new ones touch a changed one: only the new ones
    // can repeat (two changed datasets choosing each other), so only they need sorting.
    const auto& carried = carried_;
    std::vector<RelatedEdge> fresh;
    std::vector<float> acc(map_->datasets_.size(), 0.0f);
    std::vector<Node> touched;
    std::size_t computed = 0;
    for (Node d = 0; d < map_->datasets_.size(); ++d)
      if (!carried[d]) {
        related_for(d, acc, touched, fresh);
        ++computed;
      }
    map_->stats_.changed = computed;
    std::sort(fresh.begin(), fresh.end(),
              [](const auto& x, const auto& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
    fresh.erase(std::unique(fresh.begin(), fresh.end(),
                            [](const auto& x, const auto& y) { return x.a == y.a && x.b == y.b; }),
                fresh.end());
    related_.insert(related_.end(), fresh.begin(), fresh.end());
  }

  // Every undirected edge once, in a fixed order: emit(a, b, props from a, props from b).
  template <typename Emit>
  void for_each_edge(Emit emit) const {
    const Node* block = map_->block_;
    auto same = [](EdgeType t, float w) { return EdgeProps{w, t, 0}; };
    for (Node d = 0; d < map_->datasets_.size(); ++d) {
      if (Node a = map_->dataset_agency_[d]; a != kNoNode)
        emit(d, a, same(EdgeType::published_by, 1), same(EdgeType::published_by, 1));
      for (Node c : map_->dataset_categories_[d])
        emit(d, c, same(EdgeType::in_category, 1), same(EdgeType::in_category, 1));
      if (Node sub = map_->dataset_subcategory_[d]; sub != kNoNode)
        emit(d, sub, same(EdgeType::in_subcategory, 1), same(EdgeType::in_subcategory, 1));
      for (auto k : map_->dataset_keywords_[d]) {
        float w = map_->keyword_weight_[k];
        emit(d, block[4] + k, same(EdgeType::tagged, w), same(EdgeType::tagged, w));
      }
      for (auto t : map_->dataset_terms_[d]) {
        float w = map_->term_weight_[t];
        emit(d, block[5] + t, same(EdgeType::has_term, w), same(EdgeType::has_term, w));
      }
    }
    const float ew = opt_.weights.explicit_relation;
    for (const auto& e : map_->explicit_)
      if (e.a < e.b)  // each relationship is stored in both directions
        emit(e.a, e.b, EdgeProps{ew, EdgeType::explicit_relation, e.type},
             EdgeProps{ew, EdgeType::explicit_relation, std::uint8_t(e.type ^ 1)});
    for (const auto& r : related_)
      emit(r.a, r.b, same(EdgeType::related, r.weight), same(EdgeType::related, r.weight));
    for (std::size_t i = 0; i < map_->reuse_datasets_.size(); ++i)
      for (Node d : map_->reuse_datasets_[i])
        emit(block[6] + Node(i), d, same(EdgeType::uses, 1), same(EdgeType::uses, 1));
  }

  // The CSR graph: directed edges grouped by source with a two-pass counting sort (count, then
  // place), each group ordered strongest first, handed to Boost in place (no further copy).
  // Edges are placed straight into the arrays Boost takes over; a group is sorted through a
  // scratch buffer the size of the largest group, never a copy of every edge (at 1M datasets
  // that copy was 28M slots, 338 MB, at the build's peak).
  void assemble_graph() {
    const std::size_t v = map_->node_count_;
    std::vector<std::uint32_t> start(v + 1, 0);
    for_each_edge([&](Node a, Node b, const EdgeProps& ab, const EdgeProps&) {
      ++start[a + 1];
      ++start[b + 1];
      ++map_->edge_counts_[int(ab.type)];
    });
    for (std::size_t i = 0; i < v; ++i) start[i + 1] += start[i];
    std::vector<Node> sources(start[v]), targets(start[v]);
    std::vector<EdgeProps> props(start[v]);
    {
      std::vector<std::uint32_t> fill(start.begin(), start.end() - 1);
      for_each_edge([&](Node a, Node b, const EdgeProps& ab, const EdgeProps& ba) {
        targets[fill[a]] = b;
        props[fill[a]++] = ab;
        targets[fill[b]] = a;
        props[fill[b]++] = ba;
      });
    }
    related_.clear();
    related_.shrink_to_fit();
    struct Slot {
      Node target;
      EdgeProps props;
    };
    auto stronger = [](const Slot& x, const Slot& y) {
      int px = edge_priority(x.props.type), py = edge_priority(y.props.type);
      if (px != py) return px < py;
      if (x.props.weight != y.props.weight) return x.props.weight > y.props.weight;
      return x.target < y.target;
    };
    std::vector<Slot> group;
    for (std::size_t s = 0; s < v; ++s) {
      const std::uint32_t first = start[s], last = start[s + 1];
      std::fill(sources.begin() + first, sources.begin() + last, Node(s));
      group.clear();
      for (std::uint32_t i = first; i < last; ++i) group.push_back({targets[i], props[i]});
      if (std::is_sorted(group.begin(), group.end(), stronger)) continue;
      std::sort(group.begin(), group.end(), stronger);
      for (std::uint32_t i = first; i < last; ++i) {
        targets[i] = group[i - first].target;
        props[i] = group[i - first].props;
      }
    }
    group.clear();
    group.shrink_to_fit();
    // Already grouped by source, so Boost's in-place histogram sort moves nothing.
    map_->graph_ =
        Graph(boost::construct_inplace_from_sources_and_targets, sources, targets, props, v);
  }

  MapInput in_;
  BuildOptions opt_;
  std::unique_ptr<DataMap> map_;
  std::size_t keyword_count_ = 0, term_count_ = 0;
  std::vector<std::vector<Node>> term_postings_, keyword_postings_, buckets_;
  std::vector<std::uint32_t> bucket_pos_, dataset_bucket_;
  std::vector<RelatedEdge> related_;
  std::vector<Node>
      old_to_new_;  // incremental: previous dataset node -> node now (kNoNode: changed/gone)
  std::vector<bool> carried_;  // incremental: datasets whose relations are carried over
};

std::shared_ptr<const DataMap> build_map(MapInput input, const BuildOptions& options) {
  return MapBuilder(std::move(input), options).build();
}

}  // namespace datamap::graph

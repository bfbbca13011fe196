#include "graph/builder.h"

#include <algorithm>
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
  }
  return 7;
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
    index_datasets();
    index_other_nodes();
    index_postings();
    index_explicit();
    auto t_related = std::chrono::steady_clock::now();
    compute_related();
    map_->stats_.related_seconds = seconds_since(t_related);
    assemble_graph();
    auto t_alg = std::chrono::steady_clock::now();
    MapAlgorithms::components(*map_);
    MapAlgorithms::pagerank(*map_, opt_.pagerank_iterations);
    MapAlgorithms::communities(*map_, opt_.label_propagation_rounds);
    MapAlgorithms::crossings(*map_);
    map_->stats_.algorithms_seconds = seconds_since(t_alg);
    map_->stats_.build_seconds = seconds_since(t0);
    map_->stats_.revision = in_.revision;
    map_->stats_.extract_seconds = in_.extract_seconds;
    map_->stats_.incremental = in_.incremental;
    map_->stats_.built_at = catalog::now_iso8601();
    return std::shared_ptr<const DataMap>(std::move(map_));
  }

 private:
  void index_datasets() {
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
    map_->node_count_ = block[6];
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
    std::unordered_map<std::uint64_t, std::uint32_t> bucket_of;
    bucket_pos_.assign(n, 0);
    dataset_bucket_.assign(n, kNoNode);
    for (Node d = 0; d < n; ++d) {
      Node a = map_->dataset_agency_[d];
      if (a == kNoNode) continue;
      const auto& cats = map_->dataset_categories_[d];
      std::uint64_t key = (std::uint64_t(a) << 32) | (cats.empty() ? 0xFFFFFFFFu : cats[0]);
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

  void assemble_graph() {
    const std::size_t n = map_->datasets_.size();
    const Node* block = map_->block_;
    struct Undirected {
      Node a, b;
      EdgeProps ab, ba;
    };
    std::vector<Undirected> edges;
    auto add = [&](Node a, Node b, EdgeType type, float weight) {
      edges.push_back({a, b, EdgeProps{weight, type, 0}, EdgeProps{weight, type, 0}});
      ++map_->edge_counts_[int(type)];
    };
    for (Node d = 0; d < n; ++d) {
      if (map_->dataset_agency_[d] != kNoNode)
        add(d, map_->dataset_agency_[d], EdgeType::published_by, 1);
      for (Node c : map_->dataset_categories_[d]) add(d, c, EdgeType::in_category, 1);
      if (map_->dataset_subcategory_[d] != kNoNode)
        add(d, map_->dataset_subcategory_[d], EdgeType::in_subcategory, 1);
      for (auto k : map_->dataset_keywords_[d])
        add(d, block[4] + k, EdgeType::tagged, map_->keyword_weight_[k]);
      for (auto t : map_->dataset_terms_[d])
        add(d, block[5] + t, EdgeType::has_term, map_->term_weight_[t]);
    }
    for (const auto& e : map_->explicit_) {
      if (e.a > e.b) continue;  // each relationship is stored in both directions
      edges.push_back(
          {e.a, e.b, EdgeProps{opt_.weights.explicit_relation, EdgeType::explicit_relation, e.type},
           EdgeProps{opt_.weights.explicit_relation, EdgeType::explicit_relation,
                     std::uint8_t(e.type ^ 1)}});
      ++map_->edge_counts_[int(EdgeType::explicit_relation)];
    }
    for (const auto& r : related_) add(r.a, r.b, EdgeType::related, r.weight);
    related_.clear();
    related_.shrink_to_fit();

    // Directed edges grouped by source (counting sort), each group ordered strongest first.
    const std::size_t v = map_->node_count_;
    std::vector<std::uint32_t> start(v + 1, 0);
    for (const auto& e : edges) {
      ++start[e.a + 1];
      ++start[e.b + 1];
    }
    for (std::size_t i = 0; i < v; ++i) start[i + 1] += start[i];
    std::vector<std::pair<Node, Node>> pairs(start[v]);
    std::vector<EdgeProps> props(start[v]);
    {
      std::vector<std::uint32_t> fill(start.begin(), start.end() - 1);
      for (const auto& e : edges) {
        auto i = fill[e.a]++;
        pairs[i] = {e.a, e.b};
        props[i] = e.ab;
        auto j = fill[e.b]++;
        pairs[j] = {e.b, e.a};
        props[j] = e.ba;
      }
    }
    edges.clear();
    edges.shrink_to_fit();
    std::vector<std::uint32_t> order;
    std::vector<std::pair<Node, Node>> p2;
    std::vector<EdgeProps> e2;
    for (std::size_t s = 0; s < v; ++s) {
      std::uint32_t lo = start[s], hi = start[s + 1];
      if (hi - lo < 2) continue;
      order.resize(hi - lo);
      std::iota(order.begin(), order.end(), lo);
      std::sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
        int px = edge_priority(props[x].type), py = edge_priority(props[y].type);
        if (px != py) return px < py;
        if (props[x].weight != props[y].weight) return props[x].weight > props[y].weight;
        return pairs[x].second < pairs[y].second;
      });
      p2.resize(order.size());
      e2.resize(order.size());
      for (std::size_t i = 0; i < order.size(); ++i) {
        p2[i] = pairs[order[i]];
        e2[i] = props[order[i]];
      }
      std::copy(p2.begin(), p2.end(), pairs.begin() + lo);
      std::copy(e2.begin(), e2.end(), props.begin() + lo);
    }
    map_->graph_ = Graph(boost::edges_are_sorted, pairs.begin(), pairs.end(), props.begin(), v);
  }

  MapInput in_;
  BuildOptions opt_;
  std::unique_ptr<DataMap> map_;
  std::size_t keyword_count_ = 0, term_count_ = 0;
  std::vector<std::vector<Node>> term_postings_, keyword_postings_, buckets_;
  std::vector<std::uint32_t> bucket_pos_, dataset_bucket_;
  std::vector<RelatedEdge> related_;
};

std::shared_ptr<const DataMap> build_map(MapInput input, const BuildOptions& options) {
  return MapBuilder(std::move(input), options).build();
}

}  // namespace datamap::graph

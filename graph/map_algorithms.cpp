#include "graph/map_algorithms.h"

#include <algorithm>
#include <boost/graph/page_rank.hpp>
#include <boost/pending/disjoint_sets.hpp>
#include <boost/property_map/property_map.hpp>  // before disjoint_sets: pointer property maps
#include <cmath>
#include <numeric>
#include <random>

namespace datamap::graph {

void MapAlgorithms::components(DataMap& map) {
  const std::size_t n = map.dataset_count();
  std::vector<std::uint32_t> rank(n, 0), parent(n);
  auto index = boost::typed_identity_property_map<std::uint32_t>();
  auto rank_map = boost::make_iterator_property_map(rank.begin(), index);
  auto parent_map = boost::make_iterator_property_map(parent.begin(), index);
  boost::disjoint_sets<decltype(rank_map), decltype(parent_map)> sets(rank_map, parent_map);
  for (Node v = 0; v < n; ++v) sets.make_set(v);
  for (Node v = 0; v < n; ++v)
    for (auto e : boost::make_iterator_range(boost::out_edges(v, map.graph_))) {
      Node u = Node(boost::target(e, map.graph_));
      if (u > v && links_datasets(map.graph_[e].type)) sets.union_set(v, u);
    }
  std::vector<std::uint32_t> renumber(n, 0xFFFFFFFFu);
  map.component_.resize(n);
  std::uint32_t next = 0;
  for (Node v = 0; v < n; ++v) {
    std::uint32_t root = sets.find_set(v);
    if (renumber[root] == 0xFFFFFFFFu) renumber[root] = next++;
    map.component_[v] = renumber[root];
  }
  map.component_count_ = next;
}

void MapAlgorithms::pagerank(DataMap& map, unsigned iterations) {
  map.pagerank_.assign(map.node_count(), 0.0f);
  if (map.node_count() == 0) return;
  boost::graph::page_rank(map.graph_,
                          boost::make_iterator_property_map(
                              map.pagerank_.begin(), boost::get(boost::vertex_index, map.graph_)),
                          boost::graph::n_iterations(iterations));
  rank(map);
}

void MapAlgorithms::rank(DataMap& map) {
  for (int t = 0; t < kNodeTypeCount; ++t) {
    auto& ranked = map.ranked_[t];
    ranked.resize(map.block_[t + 1] - map.block_[t]);
    std::iota(ranked.begin(), ranked.end(), map.block_[t]);
    std::sort(ranked.begin(), ranked.end(), [&](Node a, Node b) {
      return map.pagerank_[a] != map.pagerank_[b] ? map.pagerank_[a] > map.pagerank_[b] : a < b;
    });
  }
}

void MapAlgorithms::carry_over(DataMap& map, const DataMap& previous,
                               const std::vector<Node>& old_to_new) {
  const std::size_t n = map.dataset_count();
  const Graph& g = map.graph_;
  // PageRank: datasets through old_to_new, other nodes by key; new nodes start at the minimum
  // rank (1 - damping, in Boost's unnormalised form).
  map.pagerank_.assign(map.node_count(), 0.15f);
  for (Node u = 0; u < old_to_new.size(); ++u)
    if (old_to_new[u] != kNoNode) map.pagerank_[old_to_new[u]] = previous.pagerank_[u];
  for (Node u = Node(previous.dataset_count()); u < previous.node_count(); ++u)
    if (auto now = map.find(previous.key(u))) map.pagerank_[*now] = previous.pagerank_[u];
  rank(map);

  map.community_.assign(n, 0xFFFFFFFFu);
  for (Node u = 0; u < old_to_new.size(); ++u)
    if (old_to_new[u] != kNoNode) map.community_[old_to_new[u]] = previous.community_[u];
  std::vector<bool> carried(n, false);
  for (Node u = 0; u < old_to_new.size(); ++u)
    if (old_to_new[u] != kNoNode) carried[old_to_new[u]] = true;
  std::vector<std::pair<std::uint32_t, float>> tally;
  for (Node v = 0; v < n; ++v) {
    if (carried[v]) continue;
    tally.clear();
    for (auto e : boost::make_iterator_range(boost::out_edges(v, g))) {
      Node u = Node(boost::target(e, g));
      if (links_datasets(g[e].type) && carried[u] && map.community_[u] != 0xFFFFFFFFu)
        tally.emplace_back(map.community_[u], g[e].weight);
    }
    std::sort(tally.begin(), tally.end());
    float best_weight = 0;
    for (std::size_t i = 0; i < tally.size();) {
      std::uint32_t c = tally[i].first;
      float sum = 0;
      for (; i < tally.size() && tally[i].first == c; ++i) sum += tally[i].second;
      if (sum > best_weight) best_weight = sum, map.community_[v] = c;
    }
  }
  // Same community ids and labels as before; members recounted.
  map.communities_.clear();
  for (const auto& c : previous.communities_)
    map.communities_.push_back(DataMap::Community{c.id, {}, c.label_terms, c.label});
  for (Node v = 0; v < n; ++v)
    if (map.community_[v] != 0xFFFFFFFFu) map.communities_[map.community_[v]].members.push_back(v);
  for (auto& c : map.communities_)
    std::sort(c.members.begin(), c.members.end(), [&](Node a, Node b) {
      return map.pagerank_[a] != map.pagerank_[b] ? map.pagerank_[a] > map.pagerank_[b] : a < b;
    });
}

void MapAlgorithms::crossings(DataMap& map) {
  const Graph& g = map.graph_;
  std::vector<std::uint64_t> pairs;  // (a << 32 | b), one per crossing related edge
  for (Node v = 0; v < map.dataset_count(); ++v)
    for (auto e : boost::make_iterator_range(boost::out_edges(v, g))) {
      Node u = Node(boost::target(e, g));
      if (u <= v || g[e].type != EdgeType::related) continue;
      Node av = map.dataset_agency_[v], au = map.dataset_agency_[u];
      if (av != kNoNode && au != kNoNode && av != au)
        pairs.push_back((std::uint64_t(std::min(av, au)) << 32) | std::max(av, au));
      for (Node cv : map.dataset_categories_[v])
        for (Node cu : map.dataset_categories_[u])
          if (cv != cu) pairs.push_back((std::uint64_t(std::min(cv, cu)) << 32) | std::max(cv, cu));
    }
  std::sort(pairs.begin(), pairs.end());
  map.crossings_.clear();
  for (std::size_t i = 0; i < pairs.size();) {
    std::size_t j = i;
    while (j < pairs.size() && pairs[j] == pairs[i]) ++j;
    map.crossings_.push_back(
        {Node(pairs[i] >> 32), Node(pairs[i] & 0xFFFFFFFFu), std::uint32_t(j - i)});
    i = j;
  }
  std::sort(map.crossings_.begin(), map.crossings_.end(), [](const auto& x, const auto& y) {
    return x.count != y.count ? x.count > y.count : x.a != y.a ? x.a < y.a : x.b < y.b;
  });
}

void MapAlgorithms::communities(DataMap& map, unsigned rounds) {
  const std::size_t n = map.dataset_count();
  const Graph& g = map.graph_;
  std::vector<std::uint32_t> label(n);
  std::iota(label.begin(), label.end(), 0u);
  std::vector<Node> order(n);
  std::iota(order.begin(), order.end(), Node(0));
  std::mt19937 rng(20240611);  // fixed: the same catalog always yields the same communities
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<std::pair<std::uint32_t, float>> tally;
  for (unsigned round = 0; round < rounds; ++round) {
    std::size_t changed = 0;
    for (Node v : order) {
      tally.clear();
      for (auto e : boost::make_iterator_range(boost::out_edges(v, g)))
        if (links_datasets(g[e].type)) tally.emplace_back(label[boost::target(e, g)], g[e].weight);
      if (tally.empty()) continue;
      std::sort(tally.begin(), tally.end());
      std::uint32_t best = label[v];
      float best_weight = -1, current_weight = 0;
      for (std::size_t i = 0; i < tally.size();) {
        std::uint32_t l = tally[i].first;
        float sum = 0;
        for (; i < tally.size() && tally[i].first == l; ++i) sum += tally[i].second;
        if (l == label[v]) current_weight = sum;
        if (sum > best_weight) {
          best_weight = sum;
          best = l;
        }
      }
      if (current_weight >= best_weight)
        best = label[v];  // ties keep the current label: convergence
      if (best != label[v]) {
        label[v] = best;
        ++changed;
      }
    }
    if (changed <= n / 1000) break;
  }

  // Group, largest first; singletons belong to no community.
  std::vector<std::uint32_t> size(n, 0);
  for (Node v = 0; v < n; ++v) ++size[label[v]];
  std::vector<std::uint32_t> roots;
  for (Node v = 0; v < n; ++v)
    if (size[v] >= 2) roots.push_back(v);
  std::sort(roots.begin(), roots.end(), [&](std::uint32_t a, std::uint32_t b) {
    return size[a] != size[b] ? size[a] > size[b] : a < b;
  });
  std::vector<std::uint32_t> id_of(n, 0xFFFFFFFFu);
  map.communities_.clear();
  for (std::uint32_t i = 0; i < roots.size(); ++i) {
    id_of[roots[i]] = i;
    map.communities_.push_back(DataMap::Community{i, {}, {}, {}});
    map.communities_.back().members.reserve(size[roots[i]]);
  }
  map.community_.assign(n, 0xFFFFFFFFu);
  for (Node v = 0; v < n; ++v) {
    std::uint32_t c = id_of[label[v]];
    map.community_[v] = c;
    if (c != 0xFFFFFFFFu) map.communities_[c].members.push_back(v);
  }

  // Labels: the terms most characteristic of the members (frequency x rarity), else keywords,
  // else the dominant category.
  const double logn = std::log(double(n + 1));
  for (auto& c : map.communities_) {
    std::sort(c.members.begin(), c.members.end(), [&](Node a, Node b) {
      return map.pagerank_[a] != map.pagerank_[b] ? map.pagerank_[a] > map.pagerank_[b] : a < b;
    });
    auto dominant = [&](auto members_keys, Node block_start) {
      std::vector<std::uint32_t> all;
      for (Node m : c.members)
        for (auto k : members_keys(m)) all.push_back(k);
      std::sort(all.begin(), all.end());
      std::vector<std::pair<double, std::uint32_t>> scored;
      for (std::size_t i = 0; i < all.size();) {
        std::size_t j = i;
        while (j < all.size() && all[j] == all[i]) ++j;
        std::size_t in_community = j - i;
        std::size_t df = map.count(block_start + all[i]);
        if (in_community >= 2)
          scored.emplace_back(double(in_community) * (logn - std::log(double(df))), all[i]);
        i = j;
      }
      std::sort(scored.begin(), scored.end(), [](const auto& x, const auto& y) {
        return x.first != y.first ? x.first > y.first : x.second < y.second;
      });
      std::vector<std::string> out;
      for (std::size_t i = 0; i < scored.size() && out.size() < 3; ++i)
        out.push_back(map.label(block_start + scored[i].second));
      return out;
    };
    c.label_terms = dominant([&](Node m) { return map.dataset_terms_[m]; }, map.block_[5]);
    if (c.label_terms.empty())
      c.label_terms = dominant([&](Node m) { return map.dataset_keywords_[m]; }, map.block_[4]);
    if (c.label_terms.empty()) {
      std::vector<Node> cats;
      for (Node m : c.members)
        for (Node cat : map.dataset_categories_[m]) cats.push_back(cat);
      std::sort(cats.begin(), cats.end());
      Node best = kNoNode;
      std::size_t best_count = 0;
      for (std::size_t i = 0; i < cats.size();) {
        std::size_t j = i;
        while (j < cats.size() && cats[j] == cats[i]) ++j;
        if (j - i > best_count) best_count = j - i, best = cats[i];
        i = j;
      }
      if (best != kNoNode) c.label_terms.push_back(map.label(best));
    }
    for (const auto& t : c.label_terms) c.label += (c.label.empty() ? "" : " · ") + t;
    if (c.label.empty()) c.label = map.label(c.members.front());
  }
}

}  // namespace datamap::graph

// Read-only questions asked of one DataMap snapshot. Every function is const over the map and
// safe to call from many threads at once. Limits are the caller's business (the actions cap
// them); these functions only trust that node arguments are valid nodes of the map.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "graph/map.h"

namespace datamap::graph {

// ---- neighbourhood and export
struct SubgraphEdge {
  Node source, target;
  EdgeType type;
  float weight;
  std::uint8_t
      relation;  // explicit_relation: index into catalog::kRelationshipTypes, source->target
};
struct Subgraph {
  std::vector<Node> nodes;           // BFS order: the start first
  std::vector<std::uint32_t> depth;  // parallel to nodes
  std::vector<SubgraphEdge> edges;   // each undirected relation once
  bool truncated = false;            // the node limit stopped the walk
};
struct NeighborQuery {
  unsigned depth = 1;
  std::size_t limit = 50;                 // nodes, the start included
  std::uint32_t node_types = 0xFFFFFFFF;  // bit (1 << NodeType)
  std::uint32_t edge_types = 0xFFFFFFFF;  // bit (1 << EdgeType)
  // Only relations measured on the rows (joinable or near): related edges whose two datasets
  // have one, nothing else.
  bool measured_only = false;
};
// Breadth first from `start`, strongest edges first, through edges and nodes the filters allow.
Subgraph neighbors(const DataMap& map, Node start, const NeighborQuery& q);
// Every node and edge (for export of the whole map).
Subgraph whole_map(const DataMap& map);

// ---- related datasets
struct RelatedDataset {
  Node node;
  float weight;
  std::vector<Reason> reasons;
};
std::vector<RelatedDataset> related(const DataMap& map, Node dataset, std::size_t limit);

// ---- paths (bidirectional Dijkstra over dataset-to-dataset relations; edge cost = 1 / weight)
struct PathHop {
  Node from, to;
  float weight;
  std::vector<Reason> reasons;
};
struct PathResult {
  bool found = false;
  std::vector<PathHop> hops;
  float weight = 0;  // the weakest hop's weight: how strong the chain is as a whole
  float cost = 0;    // sum of 1 / weight over the hops (what Dijkstra minimised)
  std::size_t explored = 0;
  std::string reason_if_none;
};
PathResult path(const DataMap& map, Node from, Node to, std::size_t max_explored = 2'000'000);

// ---- aggregates
struct OverviewNode {
  Node node;
  std::size_t count;
};
struct OverviewEdge {
  Node a, b;
  std::size_t count;  // related edges crossing between the two
};
struct Overview {
  std::vector<OverviewNode> categories, agencies;  // largest first; agencies limited
  std::vector<OverviewEdge> edges;                 // among the listed nodes, heaviest first
  std::size_t agencies_total = 0;
};
Overview overview(const DataMap& map, std::size_t agency_limit);

struct Hub {
  Node node;
  std::size_t degree;  // datasets: related + explicit relations; terms and others: datasets linked
  float pagerank;
};
// The most central nodes of one type, by PageRank (ties by degree).
std::vector<Hub> hubs(const DataMap& map, NodeType type, std::size_t limit);

}  // namespace datamap::graph

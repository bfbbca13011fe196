// Whole-map algorithms run once per snapshot by the builder: connected components of the
// dataset layer (so "no path" is answered without a search), PageRank over the whole map
// (Boost.Graph's page_rank), the category/agency crossings the overview shows, and communities by
// weighted label propagation over related edges, labelled by their dominant standard terms.
#pragma once

#include "graph/map.h"

namespace datamap::graph {

struct MapAlgorithms {
  static void components(DataMap& map);
  static void pagerank(DataMap& map, unsigned iterations);  // then rank()
  static void rank(DataMap& map);                           // ranked(): nodes by PageRank
  // Incremental builds: PageRank and communities of the nodes `previous` had, carried over
  // (old_to_new maps previous dataset nodes, kNoNode when changed or gone); changed datasets
  // join the community their relations weigh most in. Then rank().
  static void carry_over(DataMap& map, const DataMap& previous,
                         const std::vector<Node>& old_to_new);
  static void communities(DataMap& map, unsigned rounds);  // after pagerank
  static void crossings(DataMap& map);
};

// True for the edges that link two datasets (computed `related` and explicit relationships).
inline bool links_datasets(EdgeType t) {
  return t == EdgeType::related || t == EdgeType::explicit_relation;
}

}  // namespace datamap::graph

// The reference path search: Boost.Graph's one-sided dijkstra_shortest_paths over the same
// dataset-to-dataset edges and costs as path() (queries.h), stopping when the target is settled.
// Kept as the baseline the bidirectional search is tested and benchmarked against (bench_map
// --compare-paths); the API uses path().
#pragma once

#include "graph/queries.h"

namespace datamap::graph {

// Cost of the cheapest path (sum of 1 / weight), or a negative number when there is none.
// `settled` receives how many datasets the search settled.
float reference_path_cost(const DataMap& map, Node from, Node to, std::size_t* settled = nullptr);

}  // namespace datamap::graph

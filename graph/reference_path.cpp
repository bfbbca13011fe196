#include "graph/reference_path.h"

#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/property_map/function_property_map.hpp>
#include <limits>

#include "graph/map_algorithms.h"

namespace datamap::graph {

namespace {

struct DatasetLinks {
  const Graph* g = nullptr;
  bool operator()(const GraphEdge& e) const { return links_datasets((*g)[e].type); }
};

struct Settled {};

class StopAtTarget : public boost::default_dijkstra_visitor {
 public:
  StopAtTarget(Node target, std::size_t* settled) : target_(target), settled_(settled) {}
  template <typename G>
  void examine_vertex(Node u, const G&) {
    ++*settled_;
    if (u == target_) throw Settled{};
  }

 private:
  Node target_;
  std::size_t* settled_;
};

}  // namespace

float reference_path_cost(const DataMap& map, Node from, Node to, std::size_t* settled) {
  const Graph& g = map.graph();
  boost::filtered_graph<Graph, DatasetLinks> fg(g, DatasetLinks{&g});
  std::vector<float> dist(map.node_count());
  std::size_t count = 0;
  auto cost = boost::make_function_property_map<GraphEdge, float>(
      [&g](const GraphEdge& e) { return 1.0f / std::max(g[e].weight, 1e-3f); });
  auto index = boost::get(boost::vertex_index, g);
  try {
    boost::dijkstra_shortest_paths(
        fg, from,
        boost::weight_map(cost)
            .distance_map(boost::make_iterator_property_map(dist.begin(), index))
            .visitor(StopAtTarget(to, &count)));
  } catch (const Settled&) {
  }
  if (settled) *settled = count;
  return dist[to] < std::numeric_limits<float>::max() / 2 ? dist[to] : -1.0f;
}

}  // namespace datamap::graph

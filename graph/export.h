// The map's outward forms: the JSON objects every map action answers with (one reason object,
// one node object, one edge object, used everywhere) and GraphML (Boost.Graph's write_graphml)
// for drawing tools such as Gephi, yEd or Cytoscape.
#pragma once

#include <rapidjson/document.h>

#include <ostream>
#include <string>
#include <vector>

#include "graph/map.h"
#include "graph/queries.h"

namespace datamap::graph {

using JsonAlloc = rapidjson::Document::AllocatorType;

// {"kind": "term", "value": "법정동코드", "weight": 0.8}
void write_reason(const Reason& r, rapidjson::Value& out, JsonAlloc& alloc);
void write_reasons(const std::vector<Reason>& reasons, rapidjson::Value& out, JsonAlloc& alloc);
// {"id", "type", "label", "count"} and, for datasets, "name", "title", "agency", "community".
void write_node(const DataMap& map, Node n, rapidjson::Value& out, JsonAlloc& alloc);
// {"source", "target", "type", "weight"}; dataset-to-dataset edges add "reasons", explicit ones
// "relation" (read from source to target).
void write_edge(const DataMap& map, const SubgraphEdge& e, rapidjson::Value& out, JsonAlloc& alloc);
// {"nodes": [...], "edges": [...], "truncated": bool}; nodes carry "depth" when `with_depth`.
void write_subgraph(const DataMap& map, const Subgraph& s, bool with_depth, rapidjson::Value& out,
                    JsonAlloc& alloc);

// GraphML 1.0 (undirected), node and edge attributes as <data> keys: key, type, label, count,
// name for nodes; type, weight, reasons (as "kind:value" joined by "; ") and relation for edges.
void write_graphml(const DataMap& map, const Subgraph& s, std::ostream& out);
std::string to_graphml(const DataMap& map, const Subgraph& s);

}  // namespace datamap::graph

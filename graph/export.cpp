#include "graph/export.h"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphml.hpp>
#include <sstream>
#include <unordered_map>

#include "graph/map_algorithms.h"

namespace datamap::graph {

namespace {

rapidjson::Value str(const std::string& s, JsonAlloc& alloc) {
  return rapidjson::Value(s.c_str(), rapidjson::SizeType(s.size()), alloc);
}

// XML 1.0 forbids most C0 controls even when escaped; a title might carry one.
std::string xml_safe(std::string s) {
  for (char& c : s)
    if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') c = ' ';
  return s;
}

// Round to 4 decimals: weights are floats, and 0.80000001 helps nobody.
double rounded(float w) {
  return double(std::lround(double(w) * 10000.0)) / 10000.0;
}

}  // namespace

void write_reason(const Reason& r, rapidjson::Value& out, JsonAlloc& alloc) {
  out.SetObject();
  out.AddMember("kind", rapidjson::StringRef(reason_kind_name(r.kind)), alloc);
  out.AddMember("value", str(r.value, alloc), alloc);
  out.AddMember("weight", rounded(r.weight), alloc);
  if (r.guessed) out.AddMember("guessed", true, alloc);
  if (r.join) {
    const JoinMeasure& m = *r.join;
    rapidjson::Value j(rapidjson::kObjectType);
    j.AddMember("on", str(m.key, alloc), alloc);
    j.AddMember("column", str(m.column_a, alloc), alloc);
    j.AddMember("other_column", str(m.column_b, alloc), alloc);
    if (!m.resource_a.empty()) j.AddMember("resource", str(m.resource_a, alloc), alloc);
    if (!m.resource_b.empty()) j.AddMember("other_resource", str(m.resource_b, alloc), alloc);
    j.AddMember("shared_values", m.shared, alloc);
    j.AddMember("rows_matched", double(std::lround(m.share_a * 10000.0)) / 10000.0, alloc);
    j.AddMember("other_rows_matched", double(std::lround(m.share_b * 10000.0)) / 10000.0, alloc);
    j.AddMember("method", rapidjson::StringRef(m.exact ? "exact" : "minhash"), alloc);
    out.AddMember("join", j, alloc);
  }
  if (r.near) {
    const NearMeasure& m = *r.near;
    rapidjson::Value n(rapidjson::kObjectType);
    n.AddMember("resource", str(m.resource_a, alloc), alloc);
    n.AddMember("other_resource", str(m.resource_b, alloc), alloc);
    n.AddMember("within_m", m.within_m, alloc);
    n.AddMember("points", m.points_a, alloc);
    n.AddMember("points_near", m.near_a, alloc);
    n.AddMember("other_points", m.points_b, alloc);
    n.AddMember("other_points_near", m.near_b, alloc);
    out.AddMember("near", n, alloc);
  }
}

void write_reasons(const std::vector<Reason>& reasons, rapidjson::Value& out, JsonAlloc& alloc) {
  out.SetArray();
  for (const auto& r : reasons) {
    rapidjson::Value v;
    write_reason(r, v, alloc);
    out.PushBack(v, alloc);
  }
}

void write_node(const DataMap& map, Node n, rapidjson::Value& out, JsonAlloc& alloc) {
  out.SetObject();
  out.AddMember("id", str(map.key(n), alloc), alloc);
  out.AddMember("type", rapidjson::StringRef(node_type_name(map.type(n))), alloc);
  out.AddMember("label", str(map.label(n), alloc), alloc);
  out.AddMember("count", std::uint64_t(map.count(n)), alloc);
  if (map.type(n) != NodeType::dataset) return;
  const DatasetRecord& d = map.dataset(n);
  out.AddMember("name", str(d.name, alloc), alloc);
  out.AddMember("title", str(d.title, alloc), alloc);
  if (map.agency_of(n) != kNoNode)
    out.AddMember("agency", str(map.key(map.agency_of(n)), alloc), alloc);
  if (map.community(n) != 0xFFFFFFFFu) out.AddMember("community", map.community(n), alloc);
}

void write_edge(const DataMap& map, const SubgraphEdge& e, rapidjson::Value& out,
                JsonAlloc& alloc) {
  out.SetObject();
  out.AddMember("source", str(map.key(e.source), alloc), alloc);
  out.AddMember("target", str(map.key(e.target), alloc), alloc);
  out.AddMember("type", rapidjson::StringRef(edge_type_name(e.type)), alloc);
  out.AddMember("weight", rounded(e.weight), alloc);
  if (e.type == EdgeType::explicit_relation)
    out.AddMember("relation", rapidjson::StringRef(catalog::kRelationshipTypes[e.relation]), alloc);
  if (links_datasets(e.type)) {
    rapidjson::Value reasons;
    write_reasons(map.explain(e.source, e.target), reasons, alloc);
    out.AddMember("reasons", reasons, alloc);
  }
}

void write_subgraph(const DataMap& map, const Subgraph& s, bool with_depth, rapidjson::Value& out,
                    JsonAlloc& alloc) {
  out.SetObject();
  rapidjson::Value nodes(rapidjson::kArrayType), edges(rapidjson::kArrayType);
  nodes.Reserve(rapidjson::SizeType(s.nodes.size()), alloc);
  for (std::size_t i = 0; i < s.nodes.size(); ++i) {
    rapidjson::Value v;
    write_node(map, s.nodes[i], v, alloc);
    if (with_depth) v.AddMember("depth", s.depth[i], alloc);
    nodes.PushBack(v, alloc);
  }
  edges.Reserve(rapidjson::SizeType(s.edges.size()), alloc);
  for (const auto& e : s.edges) {
    rapidjson::Value v;
    write_edge(map, e, v, alloc);
    edges.PushBack(v, alloc);
  }
  out.AddMember("nodes", nodes, alloc);
  out.AddMember("edges", edges, alloc);
  out.AddMember("truncated", s.truncated, alloc);
}

void write_graphml(const DataMap& map, const Subgraph& s, std::ostream& out) {
  struct VertexAttrs {
    std::string key, type, label, name;
    std::uint64_t count = 0;
  };
  struct EdgeAttrs {
    std::string type, reasons, relation;
    double weight = 0;
  };
  using G =
      boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, VertexAttrs, EdgeAttrs>;
  G g(s.nodes.size());
  std::unordered_map<Node, std::size_t> position;
  for (std::size_t i = 0; i < s.nodes.size(); ++i) {
    Node n = s.nodes[i];
    position.emplace(n, i);
    VertexAttrs& a = g[i];
    a.key = xml_safe(map.key(n));
    a.type = node_type_name(map.type(n));
    a.label = xml_safe(map.label(n));
    a.count = map.count(n);
    if (map.type(n) == NodeType::dataset) a.name = xml_safe(map.dataset(n).name);
  }
  for (const auto& e : s.edges) {
    auto [edge, added] = boost::add_edge(position.at(e.source), position.at(e.target), g);
    EdgeAttrs& a = g[edge];
    a.type = edge_type_name(e.type);
    a.weight = rounded(e.weight);
    if (e.type == EdgeType::explicit_relation) a.relation = catalog::kRelationshipTypes[e.relation];
    if (links_datasets(e.type))
      for (const auto& r : map.explain(e.source, e.target))
        a.reasons += (a.reasons.empty() ? "" : "; ") + std::string(reason_kind_name(r.kind)) + ":" +
                     xml_safe(r.value);
  }
  boost::dynamic_properties dp;
  dp.property("key", boost::get(&VertexAttrs::key, g));
  dp.property("type", boost::get(&VertexAttrs::type, g));
  dp.property("label", boost::get(&VertexAttrs::label, g));
  dp.property("name", boost::get(&VertexAttrs::name, g));
  dp.property("count", boost::get(&VertexAttrs::count, g));
  dp.property("edge_type", boost::get(&EdgeAttrs::type, g));
  dp.property("weight", boost::get(&EdgeAttrs::weight, g));
  dp.property("reasons", boost::get(&EdgeAttrs::reasons, g));
  dp.property("relation", boost::get(&EdgeAttrs::relation, g));
  boost::write_graphml(out, g, dp, true);
}

std::string to_graphml(const DataMap& map, const Subgraph& s) {
  std::ostringstream out;
  write_graphml(map, s, out);
  return out.str();
}

}  // namespace datamap::graph

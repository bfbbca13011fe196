// The National Data Map actions (datamap_*): questions asked of the current MapService snapshot.
// Every relation is explained with the same reason objects ({"kind","value","weight"}), written
// by graph/export.h. The map holds active public datasets only, so a private or deleted dataset
// is "not found" here whoever asks.
#include <chrono>

#include "api/action.h"
#include "api/actions/map_glance.h"
#include "api/config.h"
#include "api/errors.h"
#include "api/json.h"
#include "api/map_export_cache.h"
#include "api/params.h"
#include "api/resolve.h"
#include "catalog/errors.h"
#include "graph/export.h"
#include "graph/queries.h"
#include "graph/service.h"

namespace datamap::api {
namespace {

using rapidjson::Document;
using rapidjson::Value;
namespace g = datamap::graph;

constexpr std::int64_t kMaxDepth = 3;
constexpr std::int64_t kMaxNeighbors = 1000;
constexpr std::int64_t kMaxRelated = 100;
constexpr std::int64_t kMaxList = 500;
// The first build of a big catalog takes a while; a request waits this long for it.
constexpr auto kFirstBuildWait = std::chrono::seconds(20);

std::shared_ptr<const g::DataMap> current_map(ActionContext& ctx) {
  if (!ctx.services.map) throw BadRequest("The data map is not enabled on this server");
  auto map = ctx.services.map->wait_for_snapshot(kFirstBuildWait);
  if (!map) throw ServiceUnavailable("The data map is still being built; try again in a moment", 5);
  return map;
}

const LimitsConfig& limits(const ActionContext& ctx) {
  static const LimitsConfig defaults;
  return ctx.services.config ? ctx.services.config->limits : defaults;
}

// An integer parameter with a cap: out of range is a 400 that says what is allowed.
std::int64_t capped(const Value& params, const char* key, std::int64_t fallback, std::int64_t min,
                    std::int64_t max) {
  std::int64_t v = opt_int(params, key, fallback, INT64_MIN, INT64_MAX);
  if (v < min || v > max)
    throw BadRequest(std::string(key) + " must be between " + std::to_string(min) + " and " +
                     std::to_string(max) + " (got " + std::to_string(v) + ")");
  return v;
}

// The map's own key of what `ref` names, through the one resolver (api/resolve.h): a dataset by
// any identifier package_show accepts (id, name, 목록키) is keyed by its id; "agency:<ref>" by
// the organization's id, name or 기관코드, "category:<ref>" by the group's id or name. Anything
// else (keywords, terms, sub categories) is the map's own key as given.
std::string map_key(ActionContext& ctx, const std::string& ref) {
  catalog::Store* store = ctx.services.store;
  if (!store) return ref;
  auto typed = [&](std::string_view prefix) {
    return ref.size() > prefix.size() && ref.compare(0, prefix.size(), prefix) == 0;
  };
  if (typed("agency:")) {
    auto o = resolve_organization(*store, std::string_view(ref).substr(7));
    return o ? "agency:" + o->name : ref;
  }
  if (typed("category:")) {
    auto g = resolve_group(*store, std::string_view(ref).substr(9));
    return g ? "category:" + g->name : ref;
  }
  auto d = resolve_dataset(*store, ref);
  return d ? d->id : ref;
}

// The map holds public datasets only: a private one stays "not on the data map", word for word
// like a reference that names nothing.
g::Node need_node(ActionContext& ctx, const g::DataMap& map, const Value& params, const char* key) {
  std::string ref = need_string(params, key);
  auto n = map.find(map_key(ctx, ref));
  if (!n) throw NotFound(ref.substr(0, 200) + " is not on the data map");
  return *n;
}

g::Node need_dataset(ActionContext& ctx, const g::DataMap& map, const Value& params,
                     const char* key) {
  g::Node n = need_node(ctx, map, params, key);
  if (map.type(n) != g::NodeType::dataset)
    throw BadRequest(std::string(key) + " must name a dataset (id or name), not a " +
                     g::node_type_name(map.type(n)));
  return n;
}

// "dataset,term" or ["dataset","term"] -> bit mask; absent -> all.
template <typename Parse>
std::uint32_t type_mask(const Value& params, const char* key, Parse parse) {
  auto it = params.FindMember(key);
  if (it == params.MemberEnd() || it->value.IsNull()) return 0xFFFFFFFFu;
  std::vector<std::string> names;
  auto split = [&](std::string_view s) {
    std::size_t start = 0;
    while (start <= s.size()) {
      std::size_t comma = s.find(',', start);
      if (comma == std::string_view::npos) comma = s.size();
      std::string_view item = s.substr(start, comma - start);
      while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
      while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
      if (!item.empty()) names.emplace_back(item);
      start = comma + 1;
    }
  };
  if (it->value.IsString()) {
    split(std::string_view(it->value.GetString(), it->value.GetStringLength()));
  } else if (it->value.IsArray()) {
    for (const auto& v : it->value.GetArray()) {
      if (!v.IsString()) throw BadRequest(std::string(key) + " must be a list of names");
      split(std::string_view(v.GetString(), v.GetStringLength()));
    }
  } else {
    throw BadRequest(std::string(key) + " must be a comma-separated list of names");
  }
  if (names.empty()) return 0xFFFFFFFFu;
  std::uint32_t mask = 0;
  for (const auto& n : names) {
    auto t = parse(n);
    if (!t) throw BadRequest("Unknown " + std::string(key) + " value: " + n.substr(0, 50));
    mask |= 1u << int(*t);
  }
  return mask;
}

g::NeighborQuery neighbor_query(const Value& params, std::int64_t default_limit) {
  g::NeighborQuery q;
  q.depth = unsigned(capped(params, "depth", 1, 1, kMaxDepth));
  q.limit = std::size_t(capped(params, "limit", default_limit, 1, kMaxNeighbors));
  q.node_types = type_mask(params, "node_types", g::parse_node_type);
  q.edge_types = type_mask(params, "edge_types", g::parse_edge_type);
  q.measured_only = opt_bool(params, "measured_only", false);
  return q;
}

void datamap_neighbors(ActionContext& ctx, const Value& params, Document& result) {
  auto q = neighbor_query(params, 50);  // limits first: a bad request is 400 whatever the id
  auto map = current_map(ctx);
  g::Node start = need_node(ctx, *map, params, "id");
  auto sub = g::neighbors(*map, start, q);
  auto& a = result.GetAllocator();
  g::write_subgraph(*map, sub, true, result, a);
  Value center;
  g::write_node(*map, start, center, a);
  result.AddMember("center", center, a);
}

void write_related(const g::DataMap& map, const g::RelatedDataset& r, Value& out, Alloc& a) {
  const g::DatasetRecord& d = map.dataset(r.node);
  out.SetObject();
  out.AddMember("id", json_string(d.id, a), a);
  out.AddMember("name", json_string(d.name, a), a);
  out.AddMember("title", json_string(d.title, a), a);
  out.AddMember("weight", double(std::lround(double(r.weight) * 10000.0)) / 10000.0, a);
  Value reasons;
  g::write_reasons(r.reasons, reasons, a);
  out.AddMember("reasons", reasons, a);
}

void datamap_related(ActionContext& ctx, const Value& params, Document& result) {
  auto limit = std::size_t(capped(params, "limit", 10, 1, kMaxRelated));
  auto map = current_map(ctx);
  g::Node d = need_dataset(ctx, *map, params, "id");
  auto& a = result.GetAllocator();
  result.SetArray();
  for (const auto& r : g::related(*map, d, limit)) {
    Value v;
    write_related(*map, r, v, a);
    result.PushBack(v, a);
  }
}

void datamap_path(ActionContext& ctx, const Value& params, Document& result) {
  auto map = current_map(ctx);
  g::Node from = need_dataset(ctx, *map, params, "from");
  g::Node to = need_dataset(ctx, *map, params, "to");
  const auto budget = std::size_t(limits(ctx).path_max_explored);
  auto p = g::path(*map, from, to, budget);
  if (p.explored > budget)  // gave up: a 400 that says so, not a "no path" that is not known
    throw BadRequest("The path search between these datasets needs more than " +
                     std::to_string(budget) +
                     " datasets explored, the limit of this server (limits.path_max_explored); "
                     "ask datamap_related or datamap_neighbors for nearby datasets instead");
  auto& a = result.GetAllocator();
  result.SetObject();
  result.AddMember("found", p.found, a);
  Value hops(rapidjson::kArrayType), nodes(rapidjson::kArrayType);
  for (const auto& h : p.hops) {
    Value hop(rapidjson::kObjectType), reasons;
    hop.AddMember("from", json_string(map->key(h.from), a), a);
    hop.AddMember("to", json_string(map->key(h.to), a), a);
    hop.AddMember("weight", double(std::lround(double(h.weight) * 10000.0)) / 10000.0, a);
    g::write_reasons(h.reasons, reasons, a);
    hop.AddMember("reasons", reasons, a);
    hops.PushBack(hop, a);
  }
  std::vector<g::Node> chain{from};
  for (const auto& h : p.hops) chain.push_back(h.to);
  if (!p.found) chain.push_back(to);
  for (g::Node n : chain) {
    Value v;
    g::write_node(*map, n, v, a);
    nodes.PushBack(v, a);
  }
  result.AddMember("hops", hops, a);
  result.AddMember("nodes", nodes, a);
  result.AddMember("length", std::uint64_t(p.hops.size()), a);
  result.AddMember("weight",
                   p.found ? double(std::lround(double(p.weight) * 10000.0)) / 10000.0 : 0.0, a);
  result.AddMember("cost", double(p.cost), a);
  if (!p.found) result.AddMember("message", json_string(p.reason_if_none, a), a);
}

void datamap_overview(ActionContext& ctx, const Value& params, Document& result) {
  auto map = current_map(ctx);
  if (wants_glance(params)) return glance_overview(ctx, map, params, result);
  auto limit = std::size_t(capped(params, "agency_limit", 50, 0, 5000));
  auto o = g::overview(*map, limit);
  auto& a = result.GetAllocator();
  result.SetObject();
  Value nodes(rapidjson::kArrayType), edges(rapidjson::kArrayType);
  auto add_node = [&](const g::OverviewNode& n) {
    Value v(rapidjson::kObjectType);
    v.AddMember("id", json_string(map->key(n.node), a), a);
    v.AddMember("type", rapidjson::StringRef(g::node_type_name(map->type(n.node))), a);
    v.AddMember("label", json_string(map->label(n.node), a), a);
    v.AddMember("count", std::uint64_t(n.count), a);
    nodes.PushBack(v, a);
  };
  for (const auto& n : o.categories) add_node(n);
  for (const auto& n : o.agencies) add_node(n);
  for (const auto& e : o.edges) {
    Value v(rapidjson::kObjectType);
    v.AddMember("source", json_string(map->key(e.a), a), a);
    v.AddMember("target", json_string(map->key(e.b), a), a);
    v.AddMember("weight", std::uint64_t(e.count), a);
    edges.PushBack(v, a);
  }
  result.AddMember("nodes", nodes, a);
  result.AddMember("edges", edges, a);
  result.AddMember("datasets", std::uint64_t(map->dataset_count()), a);
  result.AddMember("categories_total", std::uint64_t(o.categories.size()), a);
  result.AddMember("agencies_total", std::uint64_t(o.agencies_total), a);
}

void datamap_clusters(ActionContext& ctx, const Value& params, Document& result) {
  auto map = current_map(ctx);
  auto limit = std::size_t(capped(params, "limit", 20, 1, kMaxList));
  auto members = std::size_t(capped(params, "members", 5, 0, 100));
  auto& a = result.GetAllocator();
  result.SetObject();
  const auto& communities = map->communities();
  Value list(rapidjson::kArrayType);
  for (std::size_t i = 0; i < communities.size() && i < limit; ++i) {
    const auto& c = communities[i];
    Value v(rapidjson::kObjectType), terms(rapidjson::kArrayType), people(rapidjson::kArrayType);
    v.AddMember("id", c.id, a);
    v.AddMember("label", json_string(c.label, a), a);
    for (const auto& t : c.label_terms) terms.PushBack(json_string(t, a), a);
    v.AddMember("terms", terms, a);
    v.AddMember("size", std::uint64_t(c.members.size()), a);
    for (std::size_t m = 0; m < c.members.size() && m < members; ++m) {
      Value n;
      g::write_node(*map, c.members[m], n, a);
      people.PushBack(n, a);
    }
    v.AddMember("members", people, a);
    list.PushBack(v, a);
  }
  result.AddMember("count", std::uint64_t(communities.size()), a);
  result.AddMember("clusters", list, a);
}

void datamap_hubs(ActionContext& ctx, const Value& params, Document& result) {
  auto map = current_map(ctx);
  std::string type_name = opt_string(params, "type").value_or("dataset");
  auto type = g::parse_node_type(type_name);
  if (!type) throw BadRequest("Unknown type: " + type_name.substr(0, 50));
  auto limit = std::size_t(capped(params, "limit", 20, 1, kMaxList));
  auto& a = result.GetAllocator();
  result.SetArray();
  for (const auto& h : g::hubs(*map, *type, limit)) {
    Value v;
    g::write_node(*map, h.node, v, a);
    v.AddMember("degree", std::uint64_t(h.degree), a);
    v.AddMember("pagerank", double(h.pagerank), a);
    result.PushBack(v, a);
  }
}

void datamap_stats(ActionContext& ctx, const Value&, Document& result) {
  auto map = current_map(ctx);
  auto status = ctx.services.map->status();
  auto& a = result.GetAllocator();
  result.SetObject();
  Value nodes(rapidjson::kObjectType), edges(rapidjson::kObjectType);
  for (int t = 0; t < g::kNodeTypeCount; ++t)
    nodes.AddMember(rapidjson::StringRef(g::node_type_name(g::NodeType(t))),
                    std::uint64_t(map->node_count(g::NodeType(t))), a);
  for (int t = 0; t < g::kEdgeTypeCount; ++t)
    edges.AddMember(rapidjson::StringRef(g::edge_type_name(g::EdgeType(t))),
                    std::uint64_t(map->edge_count(g::EdgeType(t))), a);
  result.AddMember("nodes", nodes, a);
  result.AddMember("edges", edges, a);
  result.AddMember("node_count", std::uint64_t(map->node_count()), a);
  result.AddMember("components", std::uint64_t(map->component_count()), a);
  result.AddMember("clusters", std::uint64_t(map->communities().size()), a);
  const auto& s = map->stats();
  result.AddMember("revision", s.revision, a);
  result.AddMember("catalog_revision", ctx.services.store->head_revision(), a);
  result.AddMember("built_at", json_string(s.built_at, a), a);
  result.AddMember("build_seconds", s.build_seconds, a);
  result.AddMember("extract_seconds", s.extract_seconds, a);
  result.AddMember("incremental", s.incremental, a);
  result.AddMember("builds", std::uint64_t(status.builds), a);
  if (!status.last_error.empty())
    result.AddMember("last_error", json_string(status.last_error, a), a);
}

// The export document of `sub`: {nodes, edges, truncated, format} or, for GraphML,
// {graphml, node_count, edge_count, format}.
void write_export(const g::DataMap& map, const g::Subgraph& sub, const std::string& format,
                  Document& result) {
  auto& a = result.GetAllocator();
  if (format == "json") {
    g::write_subgraph(map, sub, false, result, a);
  } else {
    result.SetObject();
    std::string xml = g::to_graphml(map, sub);
    result.AddMember("graphml", json_string(xml, a), a);
    result.AddMember("node_count", std::uint64_t(sub.nodes.size()), a);
    result.AddMember("edge_count", std::uint64_t(sub.edges.size()), a);
  }
  result.AddMember("format", json_string(format, a), a);
}

// The whole map is the same for every caller until the next snapshot: it is built and
// serialized once per snapshot (MapExportCache), and refused past the configured size, before
// any work, with the numbers and what to do instead.
void export_whole_map(ActionContext& ctx, const std::shared_ptr<const g::DataMap>& map,
                      const std::string& format, Document& result) {
  const LimitsConfig& caps = limits(ctx);
  std::uint64_t edges = 0;
  for (int t = 0; t < g::kEdgeTypeCount; ++t) edges += map->edge_count(g::EdgeType(t));
  if (map->node_count() > std::uint64_t(caps.map_export_max_nodes) ||
      edges > std::uint64_t(caps.map_export_max_edges))
    throw PayloadTooLarge("The whole map has " + std::to_string(map->node_count()) + " nodes and " +
                          std::to_string(edges) +
                          " edges, more than this server exports at once (" +
                          std::to_string(caps.map_export_max_nodes) + " nodes, " +
                          std::to_string(caps.map_export_max_edges) +
                          " edges); export a neighbourhood (id, depth, limit) instead");
  auto build = [&] {
    Document doc;
    write_export(*map, g::whole_map(*map), format, doc);
    return to_json(doc);
  };
  if (!ctx.services.map_exports) {  // no cache wired (CLI, tests of actions): build it here
    write_export(*map, g::whole_map(*map), format, result);
    return;
  }
  auto cached = ctx.services.map_exports->get(map, format, build);
  if (ctx.accepts_serialized) {
    ctx.serialized = std::move(cached);
  } else {
    result.Parse(cached->data(), cached->size());
  }
}

void datamap_export(ActionContext& ctx, const Value& params, Document& result) {
  auto map = current_map(ctx);
  std::string format = opt_string(params, "format").value_or("json");
  if (format != "json" && format != "graphml") throw BadRequest("format must be json or graphml");
  if (opt_string(params, "id").value_or("").empty())
    return export_whole_map(ctx, map, format, result);
  g::Subgraph sub =
      g::neighbors(*map, need_node(ctx, *map, params, "id"), neighbor_query(params, 200));
  write_export(*map, sub, format, result);
}

}  // namespace

void register_map_actions(Registry& r) {
  r.add({"datamap_neighbors", datamap_neighbors, false,
         "A node's neighbourhood on the data map. id: a dataset id or name, or a typed key "
         "(agency:NAME, category:NAME, subcategory:CAT/SUB, keyword:KW, term:TERM); depth 1-3 "
         "(default 1); limit 1-1000 nodes (default 50); node_types and edge_types: comma-separated "
         "filters; measured_only: true keeps only relations measured on the rows (joinable, near). "
         "Returns {center, nodes, edges, truncated}; dataset-to-dataset edges carry "
         "reasons.",
         Cost::expensive});
  r.add({"datamap_related", datamap_related, false,
         "A dataset's most related datasets: id, limit 1-100 (default 10). Each item is "
         "{id, name, title, weight, reasons: [{kind: term|keyword|agency|category|explicit, value, "
         "weight}]}."});
  r.add({"datamap_path", datamap_path, false,
         "The strongest chain of relations between two datasets: from, to (id or name). Returns "
         "{found, hops: [{from, to, weight, reasons}], nodes, length, weight (weakest hop), cost}; "
         "when none exists, found is false and message says why. A search that would explore "
         "more datasets than the server's limits.path_max_explored (default 200,000) is "
         "answered 400.",
         Cost::expensive});
  r.add({"datamap_overview", datamap_overview, false,
         "The aggregate map: categories and agencies as nodes {id, type, label, count} sized by "
         "their dataset counts, edges {source, target, weight} counting the related edges that "
         "cross between them. agency_limit 0-5000 (default 50) keeps the largest agencies. "
         "With levels (category,agency,dataset), relations (category|agency), terms (a count) or "
         "term (a standard term's name) it answers the map at a glance instead: the hierarchy "
         "with measures (datasets, downloads, views, 국가중점, type, quality rating and freshness "
         "mix), relation edges weighted by linked dataset pairs with the terms and join keys "
         "named, and the exact categories and agencies carrying a term (docs/API.md).",
         Cost::expensive});
  r.add({"datamap_clusters", datamap_clusters, false,
         "Communities of related datasets (label propagation), largest first, labelled by their "
         "dominant standard terms. limit 1-500 (default 20); members 0-100 per cluster (default "
         "5)."});
  r.add({"datamap_hubs", datamap_hubs, false,
         "The most central nodes of one type (default dataset; also term, agency, category, "
         "subcategory, keyword) by PageRank, with their degree. limit 1-500 (default 20)."});
  r.add({"datamap_stats", datamap_stats, false,
         "Node and edge counts by type, components, clusters, and when and how fast the current "
         "map was built (revision of the change log it includes)."});
  r.add({"datamap_export", datamap_export, false,
         "Exports the whole map (no id; built once per map revision; a map larger than the "
         "server's limits.map_export_max_nodes / map_export_max_edges, by default 250,000 nodes "
         "and 2,000,000 edges, answers 413) or a neighbourhood (id, depth, limit, node_types, "
         "edge_types as datamap_neighbors) as JSON {nodes, edges} or, with format=graphml, as a "
         "GraphML document in result.graphml.",
         Cost::expensive});
}

}  // namespace datamap::api

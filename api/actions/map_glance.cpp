#include "api/actions/map_glance.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "api/errors.h"
#include "api/json.h"
#include "api/params.h"
#include "catalog/demand.h"
#include "catalog/errors.h"
#include "graph/glance.h"
#include "graph/service.h"

namespace datamap::api {
namespace {

using rapidjson::Document;
using rapidjson::Value;
namespace g = datamap::graph;

constexpr std::int64_t kMaxDatasets = 2000;
constexpr std::int64_t kMaxTerms = 5000;
constexpr std::int64_t kMaxRelationNodes = 1000;
constexpr std::int64_t kMaxEdges = 5000;

// The first glance a server ever computes is waited for this long (as the map's first build is):
// a user opening /map expects the map, and concurrent first callers share the one computation.
constexpr auto kFirstGlanceWait = std::chrono::seconds(20);

std::int64_t capped(const Value& params, const char* key, std::int64_t fallback, std::int64_t min,
                    std::int64_t max) {
  std::int64_t v = opt_int(params, key, fallback, INT64_MIN, INT64_MAX);
  if (v < min || v > max)
    throw BadRequest(std::string(key) + " must be between " + std::to_string(min) + " and " +
                     std::to_string(max) + " (got " + std::to_string(v) + ")");
  return v;
}

struct Levels {
  bool category = false, agency = false, dataset = false;
  bool agency_first = false;  // "agency" without "category": a flat list of agencies
};

Levels parse_levels(const Value& params) {
  Levels l;
  std::string text = opt_string(params, "levels").value_or("");
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    std::string_view item = std::string_view(text).substr(start, comma - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item == "category")
      l.category = true;
    else if (item == "agency")
      l.agency = true;
    else if (item == "dataset")
      l.dataset = true;
    else if (!item.empty())
      throw BadRequest("levels takes category, agency and dataset (got " +
                       std::string(item.substr(0, 50)) + ")");
    start = comma + 1;
  }
  l.agency_first = l.agency && !l.category;
  return l;
}

// A category or agency named by its name or its map key ("category:NAME", "agency:NAME").
std::optional<g::Node> need_group(const g::DataMap& map, const Value& params, const char* key,
                                  g::NodeType type) {
  auto ref = opt_string(params, key);
  if (!ref || ref->empty()) return std::nullopt;
  const std::string prefix = std::string(type == g::NodeType::category ? "category:" : "agency:");
  auto n = map.find(ref->rfind(prefix, 0) == 0 ? *ref : prefix + *ref);
  if (!n || map.type(*n) != type)
    throw NotFound(std::string(key) + " " + ref->substr(0, 200) + " is not on the data map");
  return n;
}

std::string key_of(const g::DataMap& map, g::Node n) {
  return n == g::kNoNode ? "" : map.key(n);
}
std::string label_of(const g::DataMap& map, g::Node n) {
  return n == g::kNoNode ? "" : map.label(n);
}

Value measures_json(const g::Measures& m, Alloc& a) {
  Value v(rapidjson::kArrayType);
  for (auto x : m.values) v.PushBack(x, a);
  return v;
}

Value entry(const g::DataMap& map, g::Node n, const g::Measures& m, Alloc& a) {
  Value v(rapidjson::kObjectType);
  v.AddMember("key", json_string(key_of(map, n), a), a);
  v.AddMember("label", json_string(label_of(map, n), a), a);
  v.AddMember("m", measures_json(m, a), a);
  return v;
}

// Unmet demand (issue 16): open data requests (none has an answering dataset yet) and their
// votes, per agency asked and per category. Requests carry no category of their own, so a
// request counts in its agency's main category: the one holding most of the agency's datasets
// on the map (the first such cell on a tie). Requests naming no agency, or an agency with no
// dataset on the map, count only in the total. Read fresh on every call (one indexed query): a
// vote does not wait for the glance to be recomputed.
struct Unmet {
  std::int64_t requests = 0, votes = 0;
  void add(const catalog::DataRequest& r) {
    ++requests;
    votes += r.votes;
  }
};
struct UnmetDemand {
  Unmet total;
  std::unordered_map<g::Node, Unmet> agencies, categories;
  std::unordered_map<g::Node, g::Node> main_category;  // agency -> category
};
constexpr std::int64_t kMaxOpenRequests = 1'000'000;

UnmetDemand unmet_demand(ActionContext& ctx, const g::Glance& gl) {
  UnmetDemand out;
  if (!ctx.services.demand) return out;
  const g::DataMap& map = *gl.map;
  std::unordered_map<g::Node, std::int64_t> most;
  for (const auto& c : gl.cells) {
    const std::int64_t n = c.measures[g::Measure::datasets];
    auto [it, fresh] = most.try_emplace(c.agency, n);
    if (fresh || n > it->second) {
      it->second = n;
      out.main_category[c.agency] = c.category;
    }
  }
  std::unordered_map<std::string, g::Node> agency_of;  // organization id -> map node
  for (const catalog::DataRequest& r : ctx.services.demand->open_requests(kMaxOpenRequests)) {
    out.total.add(r);
    if (r.organization_id.empty()) continue;
    auto it = agency_of.find(r.organization_id);
    if (it == agency_of.end()) {
      g::Node node = g::kNoNode;
      if (auto o = ctx.services.store->organization(r.organization_id))
        if (auto n = map.find("agency:" + o->name); n && map.type(*n) == g::NodeType::agency)
          node = *n;
      it = agency_of.emplace(r.organization_id, node).first;
    }
    const g::Node agency = it->second;
    auto main = out.main_category.find(agency);
    if (agency == g::kNoNode || main == out.main_category.end()) continue;
    out.agencies[agency].add(r);
    out.categories[main->second].add(r);
  }
  return out;
}

void add_demand(Value& v, const std::unordered_map<g::Node, Unmet>& by_node, g::Node n, Alloc& a) {
  auto it = by_node.find(n);
  const Unmet u = it == by_node.end() ? Unmet{} : it->second;
  Value d(rapidjson::kObjectType);
  d.AddMember("requests", u.requests, a);
  d.AddMember("votes", u.votes, a);
  v.AddMember("demand", d, a);
}

// The datasets of one cell, most downloaded first, `limit` of them; the rest are summed.
void write_datasets(const g::Glance& gl, std::optional<g::Node> category, g::Node agency,
                    std::size_t limit, Value& out, Alloc& a) {
  const g::DataMap& map = *gl.map;
  std::vector<g::Node> members;
  for (g::Node n = 0; n < map.dataset_count(); ++n) {
    if (!gl.facts[n].known || map.agency_of(n) != agency) continue;
    if (category) {
      auto cats = map.categories_of(n);
      if (std::find(cats.begin(), cats.end(), *category) == cats.end()) continue;
    }
    members.push_back(n);
  }
  std::sort(members.begin(), members.end(), [&](g::Node x, g::Node y) {
    const auto &fx = gl.facts[x], &fy = gl.facts[y];
    if (fx.downloads != fy.downloads) return fx.downloads > fy.downloads;
    return x < y;
  });
  Value list(rapidjson::kArrayType);
  g::Measures rest;
  for (std::size_t i = 0; i < members.size(); ++i) {
    const g::Node n = members[i];
    if (i >= limit) {
      rest.add(gl.facts[n].measures());
      continue;
    }
    const g::DatasetRecord& d = map.dataset(n);
    Value v(rapidjson::kObjectType);
    v.AddMember("id", json_string(d.id, a), a);
    v.AddMember("name", json_string(d.name, a), a);
    v.AddMember("title", json_string(d.title, a), a);
    v.AddMember("m", measures_json(gl.facts[n].measures(), a), a);
    list.PushBack(v, a);
  }
  out.AddMember("datasets", list, a);
  out.AddMember("datasets_total", std::uint64_t(members.size()), a);
  if (members.size() > limit) out.AddMember("others", measures_json(rest, a), a);
}

void write_hierarchy(const g::Glance& gl, const UnmetDemand& unmet, const Levels& l,
                     std::optional<g::Node> category, std::optional<g::Node> agency,
                     std::size_t dataset_limit, Document& result) {
  const g::DataMap& map = *gl.map;
  auto& a = result.GetAllocator();
  static const std::unordered_map<g::Node, Unmet> none;
  if (l.agency_first) {
    Value list(rapidjson::kArrayType);
    for (const auto& [node, m] : gl.agencies) {
      if (agency && node != *agency) continue;
      Value v = entry(map, node, m, a);
      add_demand(v, unmet.agencies, node, a);
      Value cats(rapidjson::kArrayType);
      bool in_category = !category;
      for (const auto& c : gl.cells)
        if (c.agency == node) {
          cats.PushBack(json_string(key_of(map, c.category), a), a);
          in_category = in_category || c.category == *category;
        }
      if (!in_category) continue;
      v.AddMember("categories", cats, a);
      list.PushBack(v, a);
    }
    result.AddMember("agencies", list, a);
    return;
  }
  Value list(rapidjson::kArrayType);
  for (const auto& [node, m] : gl.categories) {
    if (category && node != *category) continue;
    Value v = entry(map, node, m, a);
    add_demand(v, unmet.categories, node, a);
    if (l.agency) {
      Value children(rapidjson::kArrayType);
      for (const auto& c : gl.cells) {
        if (c.category != node || (agency && c.agency != *agency)) continue;
        Value child = entry(map, c.agency, c.measures, a);
        // An agency's demand stands in the cell of its main category only, so cells add up.
        auto main = unmet.main_category.find(c.agency);
        const bool home = main != unmet.main_category.end() && main->second == node;
        add_demand(child, home ? unmet.agencies : none, c.agency, a);
        if (l.dataset) write_datasets(gl, node, c.agency, dataset_limit, child, a);
        children.PushBack(child, a);
      }
      v.AddMember("agencies", children, a);
    }
    list.PushBack(v, a);
  }
  result.AddMember("categories", list, a);
}

Value term_carriers(const g::DataMap& map, const std::vector<std::pair<g::Node, std::uint32_t>>& c,
                    Alloc& a) {
  Value list(rapidjson::kArrayType);
  for (const auto& [node, count] : c) {
    Value v(rapidjson::kObjectType);
    v.AddMember("key", json_string(key_of(map, node), a), a);
    v.AddMember("label", json_string(label_of(map, node), a), a);
    v.AddMember("datasets", std::uint64_t(count), a);
    list.PushBack(v, a);
  }
  return list;
}

void write_relations(const g::Glance& gl, const std::string& level, std::optional<g::Node> category,
                     std::size_t node_limit, std::size_t edge_limit, Document& result) {
  const g::DataMap& map = *gl.map;
  const auto& terms = map.standard_terms();
  auto& a = result.GetAllocator();
  const bool agencies = level == "agency";
  // Which nodes are drawn: every category; the largest agencies (of one category when given).
  std::vector<std::pair<g::Node, std::int64_t>> nodes;
  if (!agencies) {
    for (const auto& [n, m] : gl.categories)
      if (n != g::kNoNode) nodes.emplace_back(n, m[g::Measure::datasets]);
  } else if (category) {
    for (const auto& c : gl.cells)
      if (c.category == *category && c.agency != g::kNoNode)
        nodes.emplace_back(c.agency, c.measures[g::Measure::datasets]);
  } else {
    for (const auto& [n, m] : gl.agencies)
      if (n != g::kNoNode) nodes.emplace_back(n, m[g::Measure::datasets]);
  }
  if (nodes.size() > node_limit) nodes.resize(node_limit);
  std::unordered_set<g::Node> drawn;
  Value node_list(rapidjson::kArrayType);
  for (const auto& [n, count] : nodes) {
    drawn.insert(n);
    Value v(rapidjson::kObjectType);
    v.AddMember("key", json_string(map.key(n), a), a);
    v.AddMember("label", json_string(map.label(n), a), a);
    v.AddMember("datasets", count, a);
    node_list.PushBack(v, a);
  }
  Value edges(rapidjson::kArrayType);
  for (const auto& e : agencies ? gl.agency_edges : gl.category_edges) {
    if (edges.Size() >= edge_limit) break;
    if (!drawn.count(e.a) || !drawn.count(e.b)) continue;
    Value v(rapidjson::kObjectType);
    v.AddMember("source", json_string(map.key(e.a), a), a);
    v.AddMember("target", json_string(map.key(e.b), a), a);
    v.AddMember("pairs", e.term_pairs + e.joinable_pairs + e.explicit_pairs, a);
    v.AddMember("term_pairs", e.term_pairs, a);
    v.AddMember("joinable_pairs", e.joinable_pairs, a);
    v.AddMember("explicit_pairs", e.explicit_pairs, a);
    Value t(rapidjson::kArrayType), j(rapidjson::kArrayType);
    for (const auto& [id, pairs] : e.terms) {
      Value x(rapidjson::kObjectType);
      x.AddMember("name", json_string(terms.term(id).name, a), a);
      x.AddMember("pairs", pairs, a);
      t.PushBack(x, a);
    }
    for (const auto& [name, pairs] : e.joins) {
      Value x(rapidjson::kObjectType);
      x.AddMember("name", json_string(name, a), a);
      x.AddMember("pairs", pairs, a);
      j.PushBack(x, a);
    }
    v.AddMember("terms", t, a);
    v.AddMember("joins", j, a);
    edges.PushBack(v, a);
  }
  Value rel(rapidjson::kObjectType);
  rel.AddMember("level", json_string(agencies ? "agency" : "category", a), a);
  rel.AddMember("nodes", node_list, a);
  rel.AddMember("edges", edges, a);
  result.AddMember("relations", rel, a);
}

// What `category`, `agency` and `term` name on one snapshot (404 when it does not hold them).
struct Targets {
  std::optional<g::Node> category, agency;
  std::optional<std::uint32_t> term;
};
Targets resolve(const g::DataMap& map, const Value& params, const Levels& levels) {
  Targets t;
  t.category = need_group(map, params, "category", g::NodeType::category);
  t.agency = need_group(map, params, "agency", g::NodeType::agency);
  if (levels.dataset && !t.agency)
    throw BadRequest("levels=dataset lists one agency's datasets: give agency (and category)");
  if (levels.dataset && !levels.agency)
    throw BadRequest(
        "levels=dataset needs the agency level above it (levels=category,agency,dataset)");
  if (auto name = opt_string(params, "term"); name && !name->empty()) {
    auto id = map.standard_terms().find(*name);
    if (id < 0) throw NotFound("term " + name->substr(0, 200) + " is not a common standard term");
    t.term = std::uint32_t(id);
  }
  return t;
}

}  // namespace

bool wants_glance(const Value& params) {
  for (const char* key : {"levels", "relations", "term", "terms"})
    if (params.HasMember(key)) return true;
  return false;
}

void glance_overview(ActionContext& ctx, const std::shared_ptr<const g::DataMap>& current,
                     const Value& params, Document& result) {
  // Every parameter the snapshot does not answer is checked before the (first) computation.
  const Levels levels = parse_levels(params);
  const auto dataset_limit = std::size_t(capped(params, "limit", 500, 1, kMaxDatasets));
  const auto term_limit = std::size_t(capped(params, "terms", 0, 0, kMaxTerms));
  const auto node_limit = std::size_t(capped(params, "agency_limit", 60, 1, kMaxRelationNodes));
  const auto edge_limit = std::size_t(capped(params, "edge_limit", 300, 1, kMaxEdges));
  const std::string relations = opt_string(params, "relations").value_or("");
  if (!relations.empty() && relations != "category" && relations != "agency")
    throw BadRequest("relations must be category or agency");
  if (!ctx.services.store || !ctx.services.map)
    throw BadRequest("The data map overview needs the catalog");
  resolve(*current, params, levels);  // a bad name is a 404 before any (first) computation
  // Never computed here while an older glance exists (GlanceService): a stale one is served,
  // marked `computing`, and the names below are resolved against its own snapshot.
  auto answer = ctx.services.map->glance().get(current, kFirstGlanceWait);
  if (!answer.glance)
    throw ServiceUnavailable("The map at a glance is still being computed; try again in a moment",
                             2);
  const auto& gl = answer.glance;
  const auto& map = gl->map;
  const auto [category, agency, term] = resolve(*map, params, levels);
  auto& a = result.GetAllocator();
  result.SetObject();
  result.AddMember("datasets", gl->total[g::Measure::datasets], a);
  result.AddMember("revision", gl->revision, a);
  result.AddMember("computing", answer.stale, a);
  result.AddMember("computed_on", json_string(gl->today, a), a);
  result.AddMember("seconds", std::round(gl->seconds * 1000) / 1000, a);
  result.AddMember("not_on_map", std::uint64_t(gl->not_on_map), a);
  Value names(rapidjson::kArrayType);
  for (std::size_t i = 0; i < g::kMeasureCount; ++i)
    names.PushBack(rapidjson::StringRef(g::measure_name(g::Measure(i))), a);
  result.AddMember("measures", names, a);
  result.AddMember("total", measures_json(gl->total, a), a);
  if (levels.category || levels.agency) {
    const UnmetDemand unmet = unmet_demand(ctx, *gl);
    Value total(rapidjson::kObjectType);
    total.AddMember("requests", unmet.total.requests, a);
    total.AddMember("votes", unmet.total.votes, a);
    result.AddMember("demand", total, a);
    write_hierarchy(*gl, unmet, levels, category, agency, dataset_limit, result);
  }
  if (!relations.empty()) write_relations(*gl, relations, category, node_limit, edge_limit, result);
  if (term_limit > 0) {
    Value list(rapidjson::kArrayType);
    for (const auto& t : gl->terms) {
      if (list.Size() >= term_limit) break;
      Value v(rapidjson::kObjectType);
      v.AddMember("name", json_string(map->standard_terms().term(t.id).name, a), a);
      v.AddMember("datasets", std::uint64_t(t.datasets), a);
      v.AddMember("categories", std::uint64_t(t.categories.size()), a);
      v.AddMember("agencies", std::uint64_t(t.agencies.size()), a);
      list.PushBack(v, a);
    }
    result.AddMember("terms", list, a);
  }
  if (term) {
    Value v(rapidjson::kObjectType);
    v.AddMember("name", json_string(map->standard_terms().term(*term).name, a), a);
    const g::GlanceTerm* t = gl->term(*term);
    static const g::GlanceTerm none{};
    if (!t) t = &none;
    v.AddMember("datasets", std::uint64_t(t->datasets), a);
    v.AddMember("categories", term_carriers(*map, t->categories, a), a);
    v.AddMember("agencies", term_carriers(*map, t->agencies, a), a);
    result.AddMember("term", v, a);
  }
}

}  // namespace datamap::api

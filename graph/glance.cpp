#include "graph/glance.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <span>
#include <unordered_map>

#include "catalog/quality_inputs.h"
#include "catalog/quality_score.h"
#include "catalog/visibility.h"

namespace datamap::graph {
namespace {

namespace q = catalog::quality;

std::optional<std::chrono::sys_days> parse_day(std::string_view s) {
  int y = 0;
  unsigned m = 0, d = 0;
  // YYYY-MM-DD, as nearly every stored date is, is read without sscanf (3% of the glance's
  // instructions went there); anything else is read by sscanf as before.
  auto digits = [&](std::size_t from, std::size_t count) {
    unsigned v = 0;
    for (std::size_t i = from; i < from + count; ++i) {
      if (s[i] < '0' || s[i] > '9') return -1;
      v = v * 10 + unsigned(s[i] - '0');
    }
    return int(v);
  };
  if (s.size() >= 10 && s[4] == '-' && s[7] == '-' && digits(0, 4) >= 0 && digits(5, 2) >= 0 &&
      digits(8, 2) >= 0) {
    y = digits(0, 4);
    m = unsigned(digits(5, 2));
    d = unsigned(digits(8, 2));
  } else if (s.size() < 10 ||
             std::sscanf(std::string(s.substr(0, 10)).c_str(), "%d-%u-%u", &y, &m, &d) != 3)
    return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days(ymd);
}

std::uint8_t type_slot(const std::string& type) {
  if (type == "file") return 0;
  if (type == "api") return 1;
  if (type == "standard") return 2;
  return 3;
}

// The publisher's own date first (what the dataset page shows), the catalog's record date else.
std::uint8_t freshness_slot(const catalog::Dataset& d, std::optional<std::chrono::sys_days> today) {
  auto day = parse_day(d.modified);
  if (!day) day = parse_day(d.metadata_modified);
  if (!day || !today) return 3;
  const auto age = (*today - *day).count();
  if (age <= 366) return 0;
  if (age <= 3 * 366) return 1;
  return 2;
}

std::uint64_t pair_key(Node a, Node b) {
  return (std::uint64_t(std::min(a, b)) << 32) | std::max(a, b);
}

GlanceEdge& edge_of(std::unordered_map<std::uint64_t, GlanceEdge>& edges, Node a, Node b) {
  auto [it, fresh] = edges.try_emplace(pair_key(a, b));
  if (fresh) {
    it->second.a = std::min(a, b);
    it->second.b = std::max(a, b);
  }
  return it->second;
}

// Term pairs between every two carriers of each term, in two passes so the big agency level
// stays cheap: the first sums each edge's pairs (a flat counter per edge), the second names the
// top terms of the `limit` heaviest edges only.
void add_term_edges(std::unordered_map<std::uint64_t, GlanceEdge>& edges,
                    const std::vector<GlanceTerm>& terms, bool agencies, std::size_t limit) {
  auto carriers = [&](const GlanceTerm& t) -> const std::vector<std::pair<Node, std::uint32_t>>& {
    return agencies ? t.agencies : t.categories;
  };
  auto each_pair = [&](auto&& fn) {
    for (const auto& t : terms) {
      const auto& c = carriers(t);
      for (std::size_t i = 0; i < c.size(); ++i)
        for (std::size_t j = i + 1; j < c.size(); ++j)
          fn(t.id, c[i].first, c[j].first, std::uint64_t(c[i].second) * c[j].second);
    }
  };
  std::unordered_map<std::uint64_t, std::uint64_t> sums;
  each_pair(
      [&](std::uint32_t, Node a, Node b, std::uint64_t pairs) { sums[pair_key(a, b)] += pairs; });
  std::vector<std::pair<std::uint64_t, std::uint64_t>> heaviest(sums.begin(), sums.end());
  sums.clear();
  const std::size_t keep = std::min(limit, heaviest.size());
  std::partial_sort(heaviest.begin(), heaviest.begin() + std::ptrdiff_t(keep), heaviest.end(),
                    [](const auto& x, const auto& y) {
                      return x.second != y.second ? x.second > y.second : x.first < y.first;
                    });
  heaviest.resize(keep);
  for (const auto& [key, pairs] : heaviest) {
    GlanceEdge& e = edge_of(edges, Node(key >> 32), Node(key & 0xFFFFFFFFu));
    e.term_pairs = pairs;
  }
  each_pair([&](std::uint32_t term, Node a, Node b, std::uint64_t pairs) {
    auto it = edges.find(pair_key(a, b));
    if (it == edges.end() || it->second.term_pairs == 0) return;
    auto& t = it->second.terms;
    if (t.size() < kEdgeTerms) {
      t.emplace_back(term, pairs);
      return;
    }
    auto least = std::min_element(t.begin(), t.end(),
                                  [](const auto& x, const auto& y) { return x.second < y.second; });
    if (least->second < pairs) *least = {term, pairs};
  });
}

std::vector<GlanceEdge> sorted_edges(std::unordered_map<std::uint64_t, GlanceEdge>& edges,
                                     std::size_t limit) {
  std::vector<GlanceEdge> out;
  out.reserve(edges.size());
  auto most_first = [](const auto& x, const auto& y) {
    return x.second != y.second ? x.second > y.second : x.first < y.first;
  };
  for (auto& kv : edges) {
    GlanceEdge& e = kv.second;
    std::sort(e.terms.begin(), e.terms.end(), most_first);
    std::sort(e.joins.begin(), e.joins.end(), most_first);
    out.push_back(std::move(e));
  }
  auto weight = [](const GlanceEdge& e) {
    return e.term_pairs + e.joinable_pairs + e.explicit_pairs;
  };
  const std::size_t keep = std::min(limit, out.size());
  std::partial_sort(out.begin(), out.begin() + std::ptrdiff_t(keep), out.end(),
                    [&](const GlanceEdge& x, const GlanceEdge& y) {
                      if (weight(x) != weight(y)) return weight(x) > weight(y);
                      return x.a != y.a ? x.a < y.a : x.b < y.b;
                    });
  out.resize(keep);
  return out;
}

template <typename Map>
std::vector<std::pair<Node, std::uint32_t>> most_first(const Map& counts) {
  std::vector<std::pair<Node, std::uint32_t>> out(counts.begin(), counts.end());
  std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) {
    return x.second != y.second ? x.second > y.second : x.first < y.first;
  });
  return out;
}

// Reads the store: each public dataset on the map gets its facts (one scoring per dataset, with
// the organization looked up once per agency, as the quality board does).
std::size_t read_facts(const DataMap& map, catalog::Store& store, std::string_view today,
                       std::vector<DatasetFacts>& facts) {
  const auto today_day = parse_day(today);
  std::map<std::string, std::optional<catalog::Organization>, std::less<>> orgs;
  std::size_t missing = 0;
  store.for_each_dataset([&](const catalog::Dataset& d) {
    if (!catalog::is_public(d)) return;
    auto node = map.find(d.id);
    if (!node || map.type(*node) != NodeType::dataset) {
      ++missing;
      return;
    }
    auto org = orgs.find(d.owner_org);
    if (org == orgs.end())
      org = orgs.emplace(d.owner_org,
                         d.owner_org.empty() ? std::nullopt : store.organization(d.owner_org))
                .first;
    const q::Score s = q::score_dataset(d, org->second ? &*org->second : nullptr,
                                        q::link_results(store, d), today);
    DatasetFacts& f = facts[*node];
    f.downloads = std::max<std::int64_t>(d.downloads, 0);
    f.views = std::max<std::int64_t>(d.views, 0);
    f.type = type_slot(d.type);
    f.rating = std::uint8_t(s.rating);
    f.freshness = freshness_slot(d, today_day);
    f.national_priority = d.national_priority;
    f.known = true;
  });
  return missing;
}

}  // namespace

const char* measure_name(Measure m) {
  static constexpr const char* kNames[kMeasureCount] = {
      "datasets",          "downloads",     "views",      "national_priority", "type_file",
      "type_api",          "type_standard", "type_other", "rating_excellent",  "rating_good",
      "rating_sufficient", "rating_bad",    "fresh_year", "fresh_three_years", "fresh_older",
      "fresh_unknown"};
  return kNames[std::size_t(m)];
}

Measures DatasetFacts::measures() const {
  Measures m;
  if (!known) return m;
  m.values[std::size_t(Measure::datasets)] = 1;
  m.values[std::size_t(Measure::downloads)] = downloads;
  m.values[std::size_t(Measure::views)] = views;
  m.values[std::size_t(Measure::national_priority)] = national_priority ? 1 : 0;
  m.values[std::size_t(Measure::type_file) + type] = 1;
  m.values[std::size_t(Measure::rating_excellent) + rating] = 1;
  m.values[std::size_t(Measure::fresh_year) + freshness] = 1;
  return m;
}

const GlanceTerm* Glance::term(std::uint32_t id) const {
  for (const auto& t : terms)
    if (t.id == id) return &t;
  return nullptr;
}

Glance compute_glance(std::shared_ptr<const DataMap> map_ptr, catalog::Store& store,
                      std::string_view today, std::size_t agency_edge_limit) {
  const auto started = std::chrono::steady_clock::now();
  const DataMap& map = *map_ptr;
  Glance g;
  g.map = map_ptr;
  g.today = std::string(today);
  g.revision = store.head_revision();
  g.facts.assign(map.dataset_count(), DatasetFacts{});
  g.not_on_map = read_facts(map, store, today, g.facts);

  std::map<std::pair<Node, Node>, Measures> cells;
  std::unordered_map<Node, Measures> categories, agencies;
  std::unordered_map<std::uint32_t, std::unordered_map<Node, std::uint32_t>> term_categories,
      term_agencies;
  std::unordered_map<std::uint32_t, std::uint32_t> term_datasets;
  std::unordered_map<std::uint64_t, GlanceEdge> category_edges, agency_edges;

  for (Node n = 0; n < map.dataset_count(); ++n) {
    const DatasetFacts& f = g.facts[n];
    if (!f.known) continue;
    const Measures m = f.measures();
    g.total.add(m);
    const Node agency = map.agency_of(n);
    agencies[agency].add(m);
    auto cats = map.categories_of(n);
    // A dataset without a category is counted under kNoNode.
    const std::span<const Node> own = cats.empty() ? std::span<const Node>(&kNoNode, 1)
                                                   : std::span<const Node>(cats.first, cats.size());
    for (Node c : own) {
      categories[c].add(m);
      cells[{c, agency}].add(m);
    }
    for (std::uint32_t t : map.dataset(n).terms) {
      ++term_datasets[t];
      for (Node c : own) ++term_categories[t][c];
      ++term_agencies[t][agency];
    }
    // Dataset-to-dataset edges come first in each node's list; each pair once (n < other).
    for (const auto& e : boost::make_iterator_range(boost::out_edges(n, map.graph()))) {
      const auto& props = map.graph()[e];
      if (props.type != EdgeType::explicit_relation && props.type != EdgeType::related) break;
      const Node other = Node(boost::target(e, map.graph()));
      if (other <= n || other >= map.dataset_count()) continue;
      const bool declared = props.type == EdgeType::explicit_relation;
      const bool joined = !declared && map.joinable_weight(n, other) > 0;
      if (!declared && !joined) continue;
      std::string join_key;
      if (joined)
        for (const auto& r : map.explain(n, other))
          if (r.kind == ReasonKind::joinable) {
            join_key = r.value;
            break;
          }
      auto count = [&](std::unordered_map<std::uint64_t, GlanceEdge>& edges, Node a, Node b) {
        if (a == b || a == kNoNode || b == kNoNode) return;
        GlanceEdge& ge = edge_of(edges, a, b);
        if (declared) {
          ++ge.explicit_pairs;
          return;
        }
        ++ge.joinable_pairs;
        auto it = std::find_if(ge.joins.begin(), ge.joins.end(),
                               [&](const auto& j) { return j.first == join_key; });
        if (it == ge.joins.end())
          ge.joins.emplace_back(join_key, 1);
        else
          ++it->second;
      };
      count(agency_edges, agency, map.agency_of(other));
      for (Node c : cats)
        for (Node oc : map.categories_of(other)) count(category_edges, c, oc);
    }
  }

  auto largest = [](std::unordered_map<Node, Measures>& from) {
    std::vector<std::pair<Node, Measures>> out(from.begin(), from.end());
    std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) {
      auto a = x.second[Measure::datasets], b = y.second[Measure::datasets];
      return a != b ? a > b : x.first < y.first;
    });
    return out;
  };
  g.categories = largest(categories);
  g.agencies = largest(agencies);
  for (auto& [key, m] : cells) g.cells.push_back({key.first, key.second, m});
  std::sort(g.cells.begin(), g.cells.end(), [](const GlanceCell& x, const GlanceCell& y) {
    if (x.category != y.category) return x.category < y.category;
    auto a = x.measures[Measure::datasets], b = y.measures[Measure::datasets];
    return a != b ? a > b : x.agency < y.agency;
  });

  for (auto& [id, count] : term_datasets) {
    GlanceTerm t;
    t.id = id;
    t.datasets = count;
    t.categories = most_first(term_categories[id]);
    t.agencies = most_first(term_agencies[id]);
    std::erase_if(t.categories, [](const auto& c) { return c.first == kNoNode; });
    std::erase_if(t.agencies, [](const auto& a) { return a.first == kNoNode; });
    g.terms.push_back(std::move(t));
  }
  std::sort(g.terms.begin(), g.terms.end(), [](const GlanceTerm& x, const GlanceTerm& y) {
    return x.datasets != y.datasets ? x.datasets > y.datasets : x.id < y.id;
  });
  add_term_edges(category_edges, g.terms, false, SIZE_MAX);
  add_term_edges(agency_edges, g.terms, true, agency_edge_limit);
  g.category_edges = sorted_edges(category_edges, SIZE_MAX);
  g.agency_edges = sorted_edges(agency_edges, agency_edge_limit);
  g.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return g;
}

}  // namespace datamap::graph

#include "graph/map.h"

#include <algorithm>
#include <cmath>

#include "catalog/text.h"

namespace datamap::graph {

namespace {
constexpr const char* kNodeTypeNames[] = {"dataset", "agency", "category", "subcategory",
                                          "keyword", "term",   "reuse"};
constexpr const char* kEdgeTypeNames[] = {"published_by", "in_category", "in_subcategory",
                                          "tagged",       "has_term",    "explicit_relation",
                                          "related",      "uses"};
constexpr const char* kReasonKindNames[] = {"term",     "keyword",  "agency", "category",
                                            "explicit", "joinable", "near"};
}  // namespace

const char* node_type_name(NodeType t) {
  return kNodeTypeNames[int(t)];
}
const char* edge_type_name(EdgeType t) {
  return kEdgeTypeNames[int(t)];
}
const char* reason_kind_name(ReasonKind k) {
  return kReasonKindNames[int(k)];
}

std::optional<NodeType> parse_node_type(std::string_view s) {
  for (int i = 0; i < kNodeTypeCount; ++i)
    if (s == kNodeTypeNames[i]) return NodeType(i);
  return std::nullopt;
}

std::optional<EdgeType> parse_edge_type(std::string_view s) {
  for (int i = 0; i < kEdgeTypeCount; ++i)
    if (s == kEdgeTypeNames[i]) return EdgeType(i);
  if (s == "explicit") return EdgeType::explicit_relation;
  return std::nullopt;
}

DatasetRecord extract_record(const catalog::Dataset& d, const StandardTerms& terms) {
  DatasetRecord r;
  r.id = d.id;
  r.name = d.name;
  r.title = d.title;
  r.organization_id = d.owner_org;
  r.categories = d.groups;
  r.category_sub = d.category_sub;
  for (const auto& tag : d.tags) {
    std::string k = catalog::to_lower_ascii(catalog::trim(tag));
    if (!k.empty() && std::find(r.keywords.begin(), r.keywords.end(), k) == r.keywords.end())
      r.keywords.push_back(std::move(k));
  }
  r.terms = terms.detect(d);
  r.modified = d.metadata_modified;
  r.join_columns = join_columns(d);
  r.near_sides = near_sides(d);
  return r;
}

void FlatLists::append(std::vector<std::uint32_t>& list, bool sort) {
  if (sort) {
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
  }
  data_.insert(data_.end(), list.begin(), list.end());
  offsets_.push_back(std::uint32_t(data_.size()));
}

NodeType DataMap::type(Node n) const {
  for (int t = kNodeTypeCount - 1; t > 0; --t)
    if (n >= block_[t]) return NodeType(t);
  return NodeType::dataset;
}

std::size_t DataMap::node_count(NodeType t) const {
  return block_[int(t) + 1] - block_[int(t)];
}

std::string DataMap::key(Node n) const {
  return n < datasets_.size() ? datasets_[n]->id : others_[n - datasets_.size()].key;
}

std::string DataMap::label(Node n) const {
  if (n < datasets_.size())
    return datasets_[n]->title.empty() ? datasets_[n]->name : datasets_[n]->title;
  return others_[n - datasets_.size()].label;
}

std::size_t DataMap::count(Node n) const {
  return n < datasets_.size() ? 1 : others_[n - datasets_.size()].count;
}

std::optional<Node> DataMap::find(std::string_view ref) const {
  if (ref.empty()) return std::nullopt;
  auto by_id = std::lower_bound(datasets_.begin(), datasets_.end(), ref,
                                [](const auto& d, std::string_view r) { return d->id < r; });
  if (by_id != datasets_.end() && (*by_id)->id == ref) return Node(by_id - datasets_.begin());
  auto by_name =
      std::lower_bound(by_name_.begin(), by_name_.end(), ref,
                       [&](Node d, std::string_view r) { return datasets_[d]->name < r; });
  if (by_name != by_name_.end() && datasets_[*by_name]->name == ref) return *by_name;
  auto by_key = std::lower_bound(key_index_.begin(), key_index_.end(), ref,
                                 [](const auto& k, std::string_view r) { return k.first < r; });
  if (by_key != key_index_.end() && by_key->first == ref) return by_key->second;
  return std::nullopt;
}

std::size_t DataMap::degree(Node n, EdgeType t) const {
  std::size_t count = 0;
  for (auto e : boost::make_iterator_range(boost::out_edges(n, graph_)))
    count += graph_[e].type == t;
  return count;
}

namespace {
// Calls fn for each element the two sorted lists share.
template <typename Fn>
void for_each_common(FlatLists::Span a, FlatLists::Span b, Fn fn) {
  auto i = a.begin(), j = b.begin();
  while (i != a.end() && j != b.end()) {
    if (*i < *j)
      ++i;
    else if (*j < *i)
      ++j;
    else {
      fn(*i);
      ++i;
      ++j;
    }
  }
}

bool share_any(FlatLists::Span a, FlatLists::Span b) {
  bool shared = false;
  for_each_common(a, b, [&](Node) { shared = true; });
  return shared;
}
}  // namespace

const DataMap::Joinable* DataMap::find_joinable(Node a, Node b) const {
  auto it = std::lower_bound(joinable_.begin(), joinable_.end(), std::make_pair(a, b),
                             [](const Joinable& j, std::pair<Node, Node> k) {
                               return j.a != k.first ? j.a < k.first : j.b < k.second;
                             });
  return it != joinable_.end() && it->a == a && it->b == b ? &*it : nullptr;
}

float DataMap::joinable_weight(Node a, Node b) const {
  const Joinable* j = find_joinable(a, b);
  if (!j || j->edge->measures.empty()) return 0;
  const JoinMeasure& m = j->edge->measures.front();
  return weights_.joinable_base + weights_.joinable_share * float(std::sqrt(m.share_a * m.share_b));
}

const DataMap::Near* DataMap::find_near(Node a, Node b) const {
  auto it = std::lower_bound(near_.begin(), near_.end(), std::make_pair(a, b),
                             [](const Near& n, std::pair<Node, Node> k) {
                               return n.a != k.first ? n.a < k.first : n.b < k.second;
                             });
  return it != near_.end() && it->a == a && it->b == b ? &*it : nullptr;
}

float DataMap::near_weight(Node a, Node b) const {
  const Near* n = find_near(a, b);
  if (!n) return 0;
  const NearMeasure& m = n->edge->measure;
  return weights_.near_base + weights_.near_share * float(std::sqrt(m.share_a() * m.share_b()));
}

int DataMap::measured_rank(Node a, Node b) const {
  if (find_joinable(a, b)) return 2;
  return find_near(a, b) ? 1 : 0;
}

float DataMap::relation_weight(Node a, Node b) const {
  const ReasonWeights& w = weights_;
  float near = near_weight(a, b);
  float sum = joinable_weight(a, b);
  // Guessed standard terms give way to a measured join between the same datasets.
  if (sum == 0)
    for_each_common(dataset_terms_[a], dataset_terms_[b],
                    [&](std::uint32_t t) { sum += term_weight_[t]; });
  sum += near;
  for_each_common(dataset_keywords_[a], dataset_keywords_[b],
                  [&](std::uint32_t k) { sum += keyword_weight_[k]; });
  if (dataset_agency_[a] != kNoNode && dataset_agency_[a] == dataset_agency_[b]) sum += w.agency;
  if (dataset_subcategory_[a] != kNoNode && dataset_subcategory_[a] == dataset_subcategory_[b])
    sum += w.subcategory;
  else if (share_any(dataset_categories_[a], dataset_categories_[b]))
    sum += w.category;
  for (auto ex = std::lower_bound(explicit_.begin(), explicit_.end(), Explicit{a, b, 0});
       ex != explicit_.end() && ex->a == a && ex->b == b; ++ex)
    sum += w.explicit_relation;
  return sum;
}

std::vector<Reason> DataMap::explain(Node a, Node b) const {
  const ReasonWeights& w = weights_;
  std::vector<Reason> out;
  if (a >= datasets_.size() || b >= datasets_.size() || a == b) return out;
  for (auto ex = std::lower_bound(explicit_.begin(), explicit_.end(), Explicit{a, b, 0});
       ex != explicit_.end() && ex->a == a && ex->b == b; ++ex)
    out.push_back({ReasonKind::explicit_relation, catalog::kRelationshipTypes[ex->type],
                   w.explicit_relation});
  if (const Joinable* j = find_joinable(a, b)) {
    // The first (best) column pair carries the relation's weight; the others are listed too.
    float weight = joinable_weight(a, b);
    for (const auto& m : j->edge->measures) {
      JoinMeasure mine = j->a_first ? m : m.swapped();
      out.push_back({ReasonKind::joinable, mine.text(), weight, false, mine});
      weight = 0;
    }
  } else {
    for_each_common(dataset_terms_[a], dataset_terms_[b], [&](std::uint32_t t) {
      out.push_back({ReasonKind::term, terms_->term(term_ids_[t]).name, term_weight_[t], true});
    });
  }
  if (const Near* n = find_near(a, b)) {
    NearMeasure mine = n->a_first ? n->edge->measure : n->edge->measure.swapped();
    out.push_back({ReasonKind::near, mine.text(), near_weight(a, b), false, std::nullopt, mine});
  }
  for_each_common(dataset_keywords_[a], dataset_keywords_[b], [&](std::uint32_t k) {
    out.push_back(
        {ReasonKind::keyword, others_[block_[4] - datasets_.size() + k].label, keyword_weight_[k]});
  });
  if (dataset_agency_[a] != kNoNode && dataset_agency_[a] == dataset_agency_[b])
    out.push_back({ReasonKind::agency, label(dataset_agency_[a]), w.agency});
  if (dataset_subcategory_[a] != kNoNode && dataset_subcategory_[a] == dataset_subcategory_[b]) {
    const std::string& key = others_[dataset_subcategory_[a] - datasets_.size()].key;
    std::string value = key.substr(key.find(':') + 1);  // "<category>/<sub>"
    auto slash = value.find('/');
    if (slash != std::string::npos)
      value = value.substr(0, slash) + " - " + value.substr(slash + 1);
    out.push_back({ReasonKind::category, value, w.subcategory});
  } else {
    for_each_common(dataset_categories_[a], dataset_categories_[b], [&](Node c) {
      if (out.empty() || out.back().kind != ReasonKind::category)  // one category reason
        out.push_back({ReasonKind::category, label(c), w.category});
    });
  }
  std::stable_sort(out.begin(), out.end(), [](const Reason& x, const Reason& y) {
    // Measured first: joinable, then near; then by weight.
    auto rank = [](const Reason& r) {
      return r.kind == ReasonKind::joinable ? 2 : r.kind == ReasonKind::near ? 1 : 0;
    };
    return rank(x) != rank(y) ? rank(x) > rank(y) : x.weight > y.weight;
  });
  return out;
}

}  // namespace datamap::graph

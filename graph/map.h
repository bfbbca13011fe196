// The data map: one immutable snapshot of how the catalog's datasets relate, built by
// build_map() (builder.h) and queried by queries.h. Readers share a snapshot without locks;
// MapService swaps in a new one when the catalog changes.
//
// Representation: a Boost compressed_sparse_row_graph (CSR). The map is built in one pass from
// a sorted edge list and never mutated afterwards (changes produce a new snapshot), which is
// exactly CSR's case: two flat arrays, 12 bytes per directed edge, cache-friendly out-edge scans
// for BFS/Dijkstra/PageRank, and no per-node allocations (an adjacency_list would cost ~4x the
// memory at a million datasets). Undirected relations are stored as two directed edges; each
// node's out-edges are ordered by kind and then by weight, strongest first, so a limited
// neighbourhood shows the strongest relations. The dataset-to-dataset kinds (explicit_relation,
// then related) come first: related() and path() stop scanning at the first edge of another kind.
#pragma once

#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/range/iterator_range.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/joinable.h"
#include "graph/near.h"
#include "graph/standard_terms.h"

namespace datamap::graph {

using Node = std::uint32_t;
inline constexpr Node kNoNode = 0xFFFFFFFFu;

// `reuse`: an application, article or study built on datasets (catalog/activity.h), linked to
// the public datasets it uses.
enum class NodeType : std::uint8_t { dataset, agency, category, subcategory, keyword, term, reuse };
inline constexpr int kNodeTypeCount = 7;
// Edge kinds. `explicit_relation` is a CKAN package_relationship; `related` is computed.
enum class EdgeType : std::uint8_t {
  published_by,
  in_category,
  in_subcategory,
  tagged,
  has_term,
  explicit_relation,
  related,
  uses,  // a reuse uses a dataset
};
inline constexpr int kEdgeTypeCount = 8;

const char* node_type_name(NodeType t);
const char* edge_type_name(EdgeType t);
std::optional<NodeType> parse_node_type(std::string_view s);
std::optional<EdgeType> parse_edge_type(std::string_view s);

struct EdgeProps {
  float weight = 1.0f;
  EdgeType type = EdgeType::related;
  // explicit_relation: index into catalog::kRelationshipTypes as read from source to target.
  std::uint8_t relation = 0;
};

using Graph = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, EdgeProps,
                                                 boost::no_property, std::uint32_t, std::uint32_t>;
using GraphEdge = boost::graph_traits<Graph>::edge_descriptor;

// Per-dataset lists in two flat arrays (CSR style): one allocation instead of one per dataset,
// and one cache miss fewer per lookup, which the related-edge scoring does tens of millions of
// times.
class FlatLists {
 public:
  struct Span {
    const std::uint32_t* first;
    const std::uint32_t* last;
    const std::uint32_t* begin() const { return first; }
    const std::uint32_t* end() const { return last; }
    std::size_t size() const { return std::size_t(last - first); }
    bool empty() const { return first == last; }
    std::uint32_t operator[](std::size_t i) const { return first[i]; }
  };
  Span operator[](std::size_t i) const {
    return {data_.data() + offsets_[i], data_.data() + offsets_[i + 1]};
  }
  std::size_t size() const { return offsets_.size() - 1; }
  // Appends the next list (sorted and de-duplicated first when `sort`).
  void append(std::vector<std::uint32_t>& list, bool sort);
  std::uint32_t* mutable_data() { return data_.data(); }
  std::size_t total() const { return data_.size(); }

 private:
  std::vector<std::uint32_t> offsets_{0};
  std::vector<std::uint32_t> data_;
};

// What the map keeps of a dataset (extracted once, shared between snapshots).
struct DatasetRecord {
  std::string id, name, title;
  std::string organization_id;
  std::vector<std::string> categories;  // group names
  std::string category_sub;
  std::vector<std::string> keywords;     // trimmed, ASCII lower-cased, unique
  std::vector<std::uint32_t> terms;      // StandardTerms ids, sorted
  std::string modified;                  // metadata_modified when extracted
  std::vector<JoinColumn> join_columns;  // of its loaded resources (joinable.h)
  std::vector<NearSide> near_sides;      // of its loaded resources with points (near.h)
};
DatasetRecord extract_record(const catalog::Dataset& d, const StandardTerms& terms);

// Why two datasets are related. `value` occurs in both datasets (a term's name is given even
// when a dataset spells it as a synonym). The same object explains every relation in the API.
//
// `joinable` is measured on the rows (joinable.h) and is the strongest kind; `term` is guessed
// from words in titles and descriptions (guessed = true) and gives way to a measured joinable
// relation between the same two datasets. `near` is measured on the rows' coordinates (near.h)
// and ranks right after `joinable`.
enum class ReasonKind : std::uint8_t {
  term,
  keyword,
  agency,
  category,
  explicit_relation,
  joinable,
  near
};
const char* reason_kind_name(ReasonKind k);
struct Reason {
  Reason(ReasonKind kind, std::string value, float weight, bool guessed = false,
         std::optional<JoinMeasure> join = std::nullopt,
         std::optional<NearMeasure> near = std::nullopt)
      : kind(kind),
        value(std::move(value)),
        weight(weight),
        guessed(guessed),
        join(std::move(join)),
        near(std::move(near)) {}
  ReasonKind kind;
  std::string value;
  float weight;
  bool guessed = false;             // term: spotted in words, not measured
  std::optional<JoinMeasure> join;  // joinable: the figures, read from the first dataset's side
  std::optional<NearMeasure> near;  // near: the figures, read from the first dataset's side
};

struct BuildStats {
  double extract_seconds = 0;  // reading the catalog and detecting terms (service only)
  double build_seconds = 0;    // nodes, postings, related edges, CSR, algorithms
  double index_seconds = 0;    // nodes, lists, inverted lists
  double related_seconds = 0;
  double assemble_seconds = 0;  // the CSR graph
  double algorithms_seconds = 0;
  std::int64_t revision = 0;
  std::string built_at;
  bool incremental = false;  // built from the previous snapshot plus the changes since it
  std::size_t changed = 0;   // datasets whose relations were computed (all of them when full)
};

// Reason weights: a shared standard term makes two datasets joinable (strongest); a shared
// keyword counts by its rarity (IDF); agency and category are weak context.
struct ReasonWeights {
  float term_base = 0.5f, term_rarity = 0.5f;  // term: base + rarity * idf_norm
  float keyword_rarity = 0.6f;                 // keyword: rarity * idf_norm
  float agency = 0.15f;
  float category = 0.1f;
  float subcategory = 0.15f;  // replaces `category` when the sub category is shared too
  float explicit_relation = 1.0f;
  // joinable: base + share * sqrt(share_a * share_b) of the best column pair; the base puts a
  // measured join above any sum of the word-based reasons.
  float joinable_base = 3.0f, joinable_share = 1.0f;
  // near: base + share * sqrt(share_a * share_b); below any joinable relation, above the
  // agency and category context.
  float near_base = 2.0f, near_share = 1.0f;
};

class DataMap {
 public:
  // ---- nodes: datasets are [0, dataset_count()), other kinds follow in blocks
  std::size_t node_count() const { return node_count_; }
  std::size_t dataset_count() const { return datasets_.size(); }
  NodeType type(Node n) const;
  // Stable key: a dataset's id; "agency:<org name>", "category:<name>",
  // "subcategory:<category>/<sub>", "keyword:<kw>", "term:<name>" for the others.
  std::string key(Node n) const;
  std::string label(Node n) const;  // title / display name
  // Datasets connected to a non-dataset node (e.g. an agency's dataset count); 1 for a dataset.
  std::size_t count(Node n) const;
  // A dataset id or name, or a typed key as above. Empty when unknown.
  std::optional<Node> find(std::string_view ref) const;

  const DatasetRecord& dataset(Node n) const { return *datasets_[n]; }
  Node agency_of(Node dataset) const { return dataset_agency_[dataset]; }
  FlatLists::Span categories_of(Node dataset) const { return dataset_categories_[dataset]; }

  // Reasons two datasets relate, strongest first; empty when nothing is shared.
  std::vector<Reason> explain(Node a, Node b) const;
  float relation_weight(Node a, Node b) const;  // sum of explain()'s weights, without strings
  // The measured joinable relation's weight (0 when none): what ranks it first.
  float joinable_weight(Node a, Node b) const;
  std::size_t joinable_count() const { return joinable_.size() / 2; }  // dataset pairs
  // The measured near relation's weight (0 when none): what ranks it after joinable ones.
  float near_weight(Node a, Node b) const;
  std::size_t near_count() const { return near_.size() / 2; }  // dataset pairs
  // 2: joinable, 1: near, 0: neither (word-based or context only): the order lists show.
  int measured_rank(Node a, Node b) const;

  const Graph& graph() const { return graph_; }
  std::size_t edge_count(EdgeType t) const {
    return edge_counts_[static_cast<int>(t)];
  }  // undirected
  std::size_t node_count(NodeType t) const;

  // ---- precomputed algorithms
  std::uint32_t component(Node dataset) const { return component_[dataset]; }
  std::size_t component_count() const { return component_count_; }
  std::uint32_t community(Node dataset) const { return community_[dataset]; }
  struct Community {
    std::uint32_t id;
    std::vector<Node> members;             // strongest (highest PageRank) first
    std::vector<std::string> label_terms;  // dominant terms, or keywords, or category
    std::string label;
  };
  const std::vector<Community>& communities() const { return communities_; }  // largest first
  float pagerank(Node n) const { return pagerank_[n]; }
  // Nodes of one type, highest PageRank first.
  const std::vector<Node>& ranked(NodeType t) const { return ranked_[int(t)]; }
  // Related edges crossing between two categories or two agencies (a < b), heaviest first.
  struct Crossing {
    Node a, b;
    std::uint32_t count;
  };
  const std::vector<Crossing>& crossings() const { return crossings_; }
  std::size_t degree(Node n, EdgeType t) const;

  const BuildStats& stats() const { return stats_; }
  const StandardTerms& standard_terms() const { return *terms_; }
  const ReasonWeights& weights() const { return weights_; }

 private:
  friend class MapBuilder;
  friend struct MapAlgorithms;
  DataMap() = default;

  std::size_t node_count_ = 0;
  // block starts: dataset=0, agency, category, subcategory, keyword, term, reuse, end
  Node block_[kNodeTypeCount + 1] = {};

  std::vector<std::shared_ptr<const DatasetRecord>> datasets_;  // sorted by id
  std::vector<Node> by_name_;                                   // dataset nodes sorted by name
  std::vector<Node> dataset_agency_;
  FlatLists dataset_categories_;  // main category nodes, sorted
  std::vector<Node> dataset_subcategory_;
  FlatLists dataset_keywords_;  // keyword ordinals, sorted
  FlatLists dataset_terms_;     // term ordinals, sorted
  FlatLists reuse_datasets_;    // reuse ordinal -> the dataset nodes it uses, sorted

  struct OtherNode {
    std::string key;
    std::string label;
    std::uint32_t count = 0;
  };
  std::vector<OtherNode> others_;                        // node - dataset_count()
  std::vector<std::pair<std::string, Node>> key_index_;  // sorted by key
  std::vector<std::uint32_t> term_ids_;                  // term ordinal -> StandardTerms id
  std::vector<float> term_weight_;     // term ordinal -> reason weight (by rarity)
  std::vector<float> keyword_weight_;  // keyword ordinal -> reason weight (by rarity)
  // Explicit relationships as (a, b, type index as read from a to b), sorted, both directions.
  struct Explicit {
    Node a, b;
    std::uint8_t type;
    bool operator<(const Explicit& o) const { return a != o.a ? a < o.a : b < o.b; }
  };
  std::vector<Explicit> explicit_;
  // Measured joinable pairs, both directions, sorted by (a, b); `a_first`: the edge's measures
  // read from a's side.
  struct Joinable {
    Node a, b;
    const JoinEdge* edge;
    bool a_first;
  };
  std::vector<Joinable> joinable_;
  std::vector<std::shared_ptr<const JoinEdge>> join_edges_;  // owns what joinable_ points to
  const Joinable* find_joinable(Node a, Node b) const;
  // Measured near pairs, both directions, sorted by (a, b), as joinable_.
  struct Near {
    Node a, b;
    const NearEdge* edge;
    bool a_first;
  };
  std::vector<Near> near_;
  std::vector<std::shared_ptr<const NearEdge>> near_edges_;  // owns what near_ points to
  const Near* find_near(Node a, Node b) const;

  Graph graph_;
  std::size_t edge_counts_[kEdgeTypeCount] = {};
  std::vector<std::uint32_t> component_;
  std::size_t component_count_ = 0;
  std::vector<std::uint32_t> community_;
  std::vector<Community> communities_;
  std::vector<float> pagerank_;
  std::vector<Node> ranked_[kNodeTypeCount];
  std::vector<Crossing> crossings_;
  BuildStats stats_;
  ReasonWeights weights_;
  std::shared_ptr<const StandardTerms> terms_;
};

}  // namespace datamap::graph

// Builds a DataMap snapshot from dataset records. Cost is linear in the catalog, never quadratic:
// candidate related pairs come from inverted lists (term -> datasets, keyword -> datasets, and
// agency+category buckets ordered by title); a list longer than `full_posting_max` is sampled
// around the dataset instead of enumerated, so a term every tenth dataset carries adds at most
// 2*posting_window candidates. Each dataset keeps its top `related_per_dataset` relations.
#pragma once

#include <memory>
#include <unordered_set>
#include <vector>

#include "catalog/activity.h"
#include "catalog/model.h"
#include "graph/map.h"

namespace datamap::graph {

struct BuildOptions {
  unsigned related_per_dataset = 8;  // k: top related edges each dataset keeps
  unsigned full_posting_max = 200;   // longer inverted lists are sampled
  unsigned posting_window = 24;      // samples each side of the dataset in a long list
  unsigned bucket_window = 4;        // same agency+category neighbours each side, by title
  unsigned candidate_pool = 24;      // candidates scored exactly per dataset (3k)
  float min_related_weight = 0.2f;
  unsigned threads = 2;
  unsigned pagerank_iterations = 20;
  unsigned label_propagation_rounds = 8;
  ReasonWeights weights;
};

struct MapInput {
  std::vector<std::shared_ptr<const DatasetRecord>>
      datasets;  // any order; duplicates by id: last wins
  std::vector<catalog::Relationship> relationships;
  std::vector<catalog::Organization> organizations;  // labels for agencies
  std::vector<catalog::Group> groups;                // labels for categories
  // Reuse nodes, linked to the given datasets they use; a reuse using none of them is left out.
  std::vector<catalog::Reuse> reuses;
  std::shared_ptr<const StandardTerms> terms;
  // Measured joinable pairs (JoinIndex::edges()); pairs naming a dataset not given are skipped.
  std::vector<std::shared_ptr<const JoinEdge>> joinable;
  // Measured near pairs (NearIndex::edges()); the same rule.
  std::vector<std::shared_ptr<const NearEdge>> near;
  std::int64_t revision = 0;
  double extract_seconds = 0;  // reported in the snapshot's BuildStats

  // Incremental build: the previous snapshot and the ids of the datasets added, updated or
  // removed since. Related edges between unchanged datasets, PageRank and communities are
  // carried over from `previous`; only the changed datasets' relations are computed. Until the
  // next full build, an unchanged dataset does not gain a new dataset into its own top k (the
  // new dataset's top k links them anyway), and stored weights keep their old rarity.
  std::shared_ptr<const DataMap> previous;
  std::unordered_set<std::string> changed;
};

std::shared_ptr<const DataMap> build_map(MapInput input, const BuildOptions& options = {});

}  // namespace datamap::graph

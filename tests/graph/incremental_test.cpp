// Incremental builds: a snapshot built from the previous one plus a few changed datasets gives
// the changed datasets the same relations a full build would, keeps the others' relations, and
// drops what was removed.
#include <gtest/gtest.h>

#include <set>

#include "graph/builder.h"
#include "graph/queries.h"

namespace datamap::graph {
namespace {

std::shared_ptr<const StandardTerms> terms() {
  static auto t = StandardTerms::from_terms(
      {{"법정동코드", "", {}, ""}, {"측정소명", "", {}, ""}, {"노선번호", "", {}, ""}});
  return t;
}

std::shared_ptr<const DatasetRecord> record(const std::string& name, const std::string& org,
                                            std::vector<std::uint32_t> term_ids) {
  auto r = std::make_shared<DatasetRecord>();
  r->id = "id-" + name;
  r->name = name;
  r->title = name;
  r->organization_id = org;  // no categories: only terms relate these datasets
  r->terms = std::move(term_ids);
  return r;
}

MapInput catalog_input(std::vector<std::shared_ptr<const DatasetRecord>> records) {
  MapInput in;
  in.terms = terms();
  in.datasets = std::move(records);
  return in;
}

std::set<std::string> related_names(const DataMap& m, const std::string& name) {
  std::set<std::string> out;
  for (const auto& r : related(m, *m.find(name), 100)) out.insert(m.dataset(r.node).name);
  return out;
}

std::vector<std::shared_ptr<const DatasetRecord>> base_records() {
  std::vector<std::shared_ptr<const DatasetRecord>> v;
  for (int i = 0; i < 12; ++i) {
    std::string n = "a";
    n += std::to_string(i);
    v.push_back(record(n, "org-" + n, {0}));
  }
  for (int i = 0; i < 12; ++i) {
    std::string n = "b";
    n += std::to_string(i);
    v.push_back(record(n, "org-" + n, {1}));
  }
  return v;
}

TEST(Incremental, AChangedDatasetGetsTheRelationsAFullBuildGivesIt) {
  auto records = base_records();
  auto first = build_map(catalog_input(records));

  // Added: "new" carries 측정소명 like the b's. Updated: a3 moves from 법정동코드 to 노선번호.
  // Removed: b5.
  records.push_back(record("new", "org-9", {1}));
  for (auto& r : records)
    if (r->name == "a3") r = record("a3", "org-a3", {2});
  std::erase_if(records, [](const auto& r) { return r->name == "b5"; });

  MapInput in = catalog_input(records);
  in.previous = first;
  in.changed = {"id-new", "id-a3", "id-b5"};
  auto incremental = build_map(in);
  auto full = build_map(catalog_input(records));

  EXPECT_TRUE(incremental->stats().incremental);
  EXPECT_EQ(incremental->stats().changed, 2u) << "new and a3; b5 is gone";
  EXPECT_EQ(incremental->dataset_count(), full->dataset_count());
  EXPECT_EQ(incremental->node_count(), full->node_count());
  EXPECT_FALSE(incremental->find("b5"));
  EXPECT_EQ(related_names(*incremental, "new"), related_names(*full, "new"));
  for (const auto& name : related_names(*incremental, "new")) EXPECT_EQ(name[0], 'b') << name;
  EXPECT_TRUE(related_names(*incremental, "a3").empty()) << "a3 no longer shares a term";
  for (const auto& name : related_names(*incremental, "a1")) EXPECT_NE(name, "a3");
  // Unchanged datasets keep their relations (minus the removed one).
  auto before = related_names(*first, "a0");
  before.erase("a3");
  EXPECT_EQ(related_names(*incremental, "a0"), before);
  // Every reason still explains from the current lists.
  for (Node d = 0; d < incremental->dataset_count(); ++d)
    for (const auto& r : related(*incremental, d, 100)) EXPECT_FALSE(r.reasons.empty());
  // Communities carried over; the new dataset joins the b's.
  EXPECT_EQ(incremental->community(*incremental->find("new")),
            incremental->community(*incremental->find("b0")));
  EXPECT_EQ(incremental->count(*incremental->find("term:측정소명")), 12u);
}

TEST(Incremental, PathsAndComponentsFollowTheChange) {
  auto records = base_records();
  BuildOptions options;
  options.related_per_dataset = 30;  // the bridge keeps every relation it has
  auto first = build_map(catalog_input(records), options);
  EXPECT_FALSE(path(*first, *first->find("a0"), *first->find("b0")).found);
  records.push_back(record("bridge", "org-9", {0, 1}));  // carries both terms: joins the groups
  MapInput in = catalog_input(records);
  in.previous = first;
  in.changed = {"id-bridge"};
  auto next = build_map(in, options);
  auto p = path(*next, *next->find("a0"), *next->find("b0"));
  ASSERT_TRUE(p.found) << p.reason_if_none;
  bool through_bridge = false;
  for (const auto& hop : p.hops) through_bridge |= next->dataset(hop.to).name == "bridge";
  EXPECT_TRUE(through_bridge);
}

}  // namespace
}  // namespace datamap::graph

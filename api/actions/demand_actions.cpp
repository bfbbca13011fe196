// demand_ranking (issue 16 item 5): candidates for 국가중점데이터, ranked by catalog::rank_demand
// (docs/DEMAND.md) over each public dataset's views and downloads and the requests, votes and
// error reports the store counts for it. Datasets already marked national_priority are not
// candidates; a dataset nobody has looked at, asked for or reported on is left out.
#include <unordered_map>

#include "api/actions/support.h"
#include "api/params.h"
#include "catalog/demand_ranking.h"
#include "catalog/visibility.h"

namespace datamap::api {
namespace {

using rapidjson::Document;
using rapidjson::Value;

struct Candidate {
  catalog::DemandCounts counts;
  std::string name, title, owner_org;
};

void demand_ranking(ActionContext& ctx, const Value& params, Document& result) {
  auto limit = opt_int(params, "limit", 20, 1, 100);
  auto& store = *ctx.services.store;
  std::unordered_map<std::string, catalog::DemandCounts> signals;
  for (auto& s : store.demand_signals()) signals[s.dataset_id] = s;
  std::vector<Candidate> candidates;
  store.for_each_dataset([&](const catalog::Dataset& d) {
    if (!catalog::is_public(d) || d.national_priority) return;
    catalog::DemandCounts c;
    if (auto it = signals.find(d.id); it != signals.end()) c = it->second;
    c.dataset_id = d.id;
    c.views = d.views;
    c.downloads = d.downloads;
    if (c.views + c.downloads + c.votes + c.requests + c.error_reports == 0) return;
    candidates.push_back({c, d.name, d.title, d.owner_org});
  });
  std::vector<catalog::DemandCounts> counts;
  std::unordered_map<std::string, const Candidate*> by_id;
  for (const auto& c : candidates) {
    counts.push_back(c.counts);
    by_id[c.counts.dataset_id] = &c;
  }
  const catalog::DemandWeights weights;
  auto ranked = catalog::rank_demand(counts, weights);

  auto& a = result.GetAllocator();
  result.SetObject();
  result.AddMember("count", std::int64_t(ranked.size()), a);
  Value w(rapidjson::kObjectType);
  w.AddMember("votes", weights.votes, a);
  w.AddMember("requests", weights.requests, a);
  w.AddMember("downloads", weights.downloads, a);
  w.AddMember("views", weights.views, a);
  w.AddMember("error_reports", weights.error_reports, a);
  result.AddMember("weights", w, a);
  Value results(rapidjson::kArrayType);
  for (std::size_t i = 0; i < ranked.size() && std::int64_t(i) < limit; ++i) {
    const auto& s = ranked[i];
    const Candidate& c = *by_id[s.dataset_id];
    Value v(rapidjson::kObjectType);
    v.AddMember("rank", std::int64_t(i + 1), a);
    v.AddMember("id", json_string(s.dataset_id, a), a);
    v.AddMember("name", json_string(c.name, a), a);
    v.AddMember("title", json_string(c.title, a), a);
    v.AddMember("owner_org", json_string(c.owner_org, a), a);
    v.AddMember("score", s.score, a);
    Value counts_v(rapidjson::kObjectType);
    counts_v.AddMember("votes", c.counts.votes, a);
    counts_v.AddMember("requests", c.counts.requests, a);
    counts_v.AddMember("downloads", c.counts.downloads, a);
    counts_v.AddMember("views", c.counts.views, a);
    counts_v.AddMember("error_reports", c.counts.error_reports, a);
    v.AddMember("counts", counts_v, a);
    results.PushBack(v, a);
  }
  result.AddMember("results", results, a);
}

}  // namespace

void register_demand_actions(Registry& r) {
  r.add({"demand_ranking", demand_ranking, false,
         "Candidates for 국가중점데이터: public datasets not yet national_priority, ranked by "
         "demand = 100 x sum of weight x ln(1+x)/ln(1+max x) over votes, requests, downloads, "
         "views and error reports (docs/DEMAND.md). Returns {count, weights, results: [{rank, "
         "id, name, title, owner_org, score, counts}]}. limit 1-100 (default 20).",
         Cost::expensive});
}

}  // namespace datamap::api

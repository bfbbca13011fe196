#include "catalog/quality_board.h"

#include <algorithm>
#include <map>
#include <optional>

#include "catalog/quality_inputs.h"
#include "catalog/visibility.h"

namespace datamap::catalog::quality {
namespace {

bool worse(const BoardDataset& a, const BoardDataset& b) {
  if (a.ratio() != b.ratio()) return a.ratio() < b.ratio();
  return a.id < b.id;
}
bool worse_resource(const BoardResource& a, const BoardResource& b) {
  if (a.error_rate() != b.error_rate()) return a.error_rate() > b.error_rate();
  if (a.invalid != b.invalid) return a.invalid > b.invalid;
  return a.resource_id < b.resource_id;
}
bool more_broken(const BoardBrokenDataset& a, const BoardBrokenDataset& b) {
  if (a.links.size() != b.links.size()) return a.links.size() > b.links.size();
  return a.id < b.id;
}

// Keeps the `limit` worst entries seen: a bounded max-heap on `worse`, so the best of them leaves
// first; sort_heap() at the end puts them worst first.
template <class T, class Worse>
void keep_worst(std::vector<T>& w, T entry, std::size_t limit, Worse worse_than) {
  if (limit == 0) return;
  if (w.size() < limit) {
    w.push_back(std::move(entry));
    std::push_heap(w.begin(), w.end(), worse_than);
  } else if (worse_than(entry, w.front())) {
    std::pop_heap(w.begin(), w.end(), worse_than);
    w.back() = std::move(entry);
    std::push_heap(w.begin(), w.end(), worse_than);
  }
}

// What one dataset adds to a board besides its score: its broken links and validated resources.
struct Extras {
  std::vector<BoardLink> broken;
  std::vector<BoardResource> validated;
};

Extras extras_of(const Dataset& d, const LinkResults& links) {
  Extras e;
  if (!d.url.empty() && links.landing_page == LinkAnswer::kNo) e.broken.push_back({"", d.url});
  // link_results() lists the resources in order (or none, for a store without link checks).
  const bool answered = links.resources.size() == d.resources.size();
  for (std::size_t i = 0; i < d.resources.size(); ++i) {
    const Resource& r = d.resources[i];
    if (answered && !r.url.empty() && links.resources[i].second == LinkAnswer::kNo)
      e.broken.push_back({r.id, r.url});
    if (!r.validation.done) continue;
    e.validated.push_back({d.id, d.name, d.title, r.id, r.name, r.validation.checked_values,
                           r.validation.invalid_values, r.validation.failing_rows});
  }
  return e;
}

void add(AgencyBoard& board, const Score& s, const Dataset& d, const Extras& e, std::size_t limit) {
  if (board.failing.empty()) board.failing.assign(indicators().size(), 0);
  ++board.datasets;
  ++board.by_rating[static_cast<std::size_t>(s.rating)];
  board.ratio_sum += s.ratio();
  if (s.overdue) ++board.overdue;
  for (std::size_t i = 0; i < s.results.size(); ++i)
    if (s.results[i].outcome == Outcome::failed) ++board.failing[i];
  keep_worst(board.worst, BoardDataset{d.id, d.name, d.title, s.points, s.max, s.rating, s.overdue},
             limit, worse);
  if (!e.broken.empty()) {
    board.broken_links += static_cast<std::int64_t>(e.broken.size());
    ++board.datasets_with_broken_links;
    keep_worst(board.broken, BoardBrokenDataset{d.id, d.name, d.title, e.broken}, limit,
               more_broken);
  }
  for (const auto& r : e.validated) {
    ++board.validated_resources;
    board.checked_values += r.checked;
    board.invalid_values += r.invalid;
    if (r.error_rate() > kMaxErrorRate) ++board.resources_over_limit;
    keep_worst(board.worst_resources, r, limit, worse_resource);
  }
}

}  // namespace

const AgencyBoard* Board::agency(std::string_view organization_id) const {
  for (const auto& a : agencies)
    if (a.organization_id == organization_id) return &a;
  return nullptr;
}

Board compute_board(Store& store, std::string_view today, std::size_t worst_per_agency) {
  Board board;
  board.today = std::string(today);
  board.revision = store.head_revision();
  std::map<std::string, std::optional<Organization>, std::less<>> orgs;
  std::map<std::string, AgencyBoard, std::less<>> by_org;
  store.for_each_dataset([&](const Dataset& d) {
    if (!is_public(d)) return;
    auto it = orgs.find(d.owner_org);
    if (it == orgs.end())
      it = orgs.emplace(d.owner_org,
                        d.owner_org.empty() ? std::nullopt : store.organization(d.owner_org))
               .first;
    const LinkResults links = link_results(store, d);
    const Score s = score_dataset(d, it->second ? &*it->second : nullptr, links, today);
    const Extras e = extras_of(d, links);
    add(board.national, s, d, e, worst_per_agency);
    if (!d.owner_org.empty()) {
      AgencyBoard& a = by_org[d.owner_org];
      a.organization_id = d.owner_org;
      add(a, s, d, e, worst_per_agency);
    }
  });
  auto finish = [](AgencyBoard& a) {
    std::sort_heap(a.worst.begin(), a.worst.end(), worse);
    std::sort_heap(a.broken.begin(), a.broken.end(), more_broken);
    std::sort_heap(a.worst_resources.begin(), a.worst_resources.end(), worse_resource);
  };
  finish(board.national);
  for (auto& [id, a] : by_org) {
    finish(a);
    board.agencies.push_back(std::move(a));
  }
  std::sort(board.agencies.begin(), board.agencies.end(),
            [](const AgencyBoard& a, const AgencyBoard& b) {
              if (a.mean_percent() != b.mean_percent()) return a.mean_percent() > b.mean_percent();
              if (a.datasets != b.datasets) return a.datasets > b.datasets;
              return a.organization_id < b.organization_id;
            });
  return board;
}

}  // namespace datamap::catalog::quality

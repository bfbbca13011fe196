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

void add(AgencyBoard& board, const Score& s, const Dataset& d, std::size_t limit) {
  if (board.failing.empty()) board.failing.assign(indicators().size(), 0);
  ++board.datasets;
  ++board.by_rating[static_cast<std::size_t>(s.rating)];
  board.ratio_sum += s.ratio();
  if (s.overdue) ++board.overdue;
  for (std::size_t i = 0; i < s.results.size(); ++i)
    if (s.results[i].outcome == Outcome::failed) ++board.failing[i];
  if (limit == 0) return;
  BoardDataset entry{d.id, d.name, d.title, s.points, s.max, s.rating, s.overdue};
  // Keep the `limit` worst: a bounded max-heap on "worse", so the best of them leaves first.
  auto& w = board.worst;
  if (w.size() < limit) {
    w.push_back(std::move(entry));
    std::push_heap(w.begin(), w.end(), worse);
  } else if (worse(entry, w.front())) {
    std::pop_heap(w.begin(), w.end(), worse);
    w.back() = std::move(entry);
    std::push_heap(w.begin(), w.end(), worse);
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
    const Score s =
        score_dataset(d, it->second ? &*it->second : nullptr, link_results(store, d), today);
    add(board.national, s, d, worst_per_agency);
    if (!d.owner_org.empty()) {
      AgencyBoard& a = by_org[d.owner_org];
      a.organization_id = d.owner_org;
      add(a, s, d, worst_per_agency);
    }
  });
  auto finish = [](AgencyBoard& a) { std::sort_heap(a.worst.begin(), a.worst.end(), worse); };
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

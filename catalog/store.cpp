#include "catalog/store.h"

#include <algorithm>
#include <stdexcept>

namespace datamap::catalog {

std::vector<LinkAnswer> Store::link_answers(std::span<const std::string> urls) {
  return std::vector<LinkAnswer>(urls.size(), LinkAnswer::kUnknown);
}

std::vector<std::string> Store::dataset_ids_by_views() {
  std::vector<std::pair<std::int64_t, std::string>> ranked;
  for_each_dataset([&](const Dataset& d) { ranked.emplace_back(-d.views, d.id); });
  std::sort(ranked.begin(), ranked.end());
  std::vector<std::string> ids;
  ids.reserve(ranked.size());
  for (auto& r : ranked) ids.push_back(std::move(r.second));
  return ids;
}

void Transaction::purge_organization(std::string_view) {
  throw std::logic_error("this store cannot purge organizations");
}
void Transaction::purge_group(std::string_view) {
  throw std::logic_error("this store cannot purge groups");
}
void Transaction::put_collaborator(Collaborator&) {
  throw std::logic_error("this store keeps no collaborators");
}
void Transaction::delete_collaborator(std::string_view, std::string_view) {
  throw std::logic_error("this store keeps no collaborators");
}

std::vector<User> Store::users() {
  return {};
}
std::vector<Collaborator> Store::collaborators(std::string_view) {
  return {};
}

std::vector<std::string> Store::dataset_ids_in_group(std::string_view group_name) {
  std::vector<std::string> ids;
  for_each_dataset([&](const Dataset& d) {
    if (std::find(d.groups.begin(), d.groups.end(), group_name) != d.groups.end())
      ids.push_back(d.id);
  });
  std::sort(ids.begin(), ids.end());
  return ids;
}

void Store::for_each_dataset_of(std::span<const std::string> ids,
                                const std::function<void(const Dataset&)>& fn) {
  for (const auto& id : ids) {
    if (auto d = dataset(id); d && d->id == id) fn(*d);
  }
}

// ---- activity, follows, reuses: a store without them has none and refuses to write them.

namespace {
[[noreturn]] void unsupported(const char* what) {
  throw std::logic_error(std::string(what) + " is not supported by this store");
}
}  // namespace

bool Transaction::follow(const Follow&) {
  unsupported("follow");
}
bool Transaction::unfollow(const Follow&) {
  unsupported("unfollow");
}
void Transaction::put_reuse(Reuse&) {
  unsupported("put_reuse");
}
void Transaction::delete_reuse(std::string_view) {
  unsupported("delete_reuse");
}
void Transaction::record_activity(Activity&) {
  unsupported("record_activity");
}

std::vector<Activity> Store::activities(const ActivityQuery&, const Visibility&) {
  return {};
}
std::int64_t Store::follower_count(std::string_view, std::string_view) {
  return 0;
}
bool Store::is_following(std::string_view, std::string_view, std::string_view) {
  return false;
}
std::vector<Follow> Store::followees(std::string_view) {
  return {};
}
std::vector<std::string> Store::followers(std::string_view, std::string_view) {
  return {};
}
std::optional<Reuse> Store::reuse(std::string_view) {
  return std::nullopt;
}
std::vector<Reuse> Store::reuses(std::string_view, std::int64_t, std::int64_t) {
  return {};
}
std::int64_t Store::count_reuses(std::string_view) {
  return 0;
}
void Store::for_each_reuse(const std::function<void(const Reuse&)>&) {}
std::vector<DemandCounts> Store::demand_signals() {
  return {};
}
void Store::on_changes(std::function<void()>) {}

}  // namespace datamap::catalog

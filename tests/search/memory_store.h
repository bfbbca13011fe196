// A small in-memory catalog::Store for the search unit tests: datasets, organizations and a
// change log, groups, nothing else. (The API tests use the real SQLite store through the server.)
#pragma once

#include <map>
#include <mutex>

#include "catalog/store.h"

namespace datamap::testing {

class MemoryStore : public catalog::Store {
 public:
  // Test helpers: each call is one committed change.
  void put(catalog::Dataset d) {
    std::lock_guard lock(mu_);
    if (d.metadata_modified.empty()) d.metadata_modified = "2024-01-01T00:00:00.000000";
    if (d.metadata_created.empty()) d.metadata_created = d.metadata_modified;
    const bool exists = datasets_.count(d.id) > 0;
    datasets_[d.id] = d;
    log("dataset", d.id, exists ? "update" : "create");
  }
  void remove(const std::string& id) {
    std::lock_guard lock(mu_);
    datasets_[id].state = "deleted";
    log("dataset", id, "delete");
  }
  // Gone from the catalog altogether (dataset_purge): the index drops it.
  void purge(const std::string& id) {
    std::lock_guard lock(mu_);
    datasets_.erase(id);
    log("dataset", id, "delete");
  }
  void put_org(catalog::Organization o) {
    std::lock_guard lock(mu_);
    orgs_[o.id] = o;
    log("organization", o.id, "update");
  }

  void put_group(catalog::Group g) {
    std::lock_guard lock(mu_);
    groups_[g.id] = g;
    log("group", g.id, "update");
  }

  void write(const std::function<void(catalog::Transaction&)>&) override {}
  std::optional<catalog::Dataset> dataset(std::string_view ref) override {
    std::lock_guard lock(mu_);
    auto it = datasets_.find(std::string(ref));
    if (it == datasets_.end()) return std::nullopt;
    return it->second;
  }
  std::optional<catalog::Resource> resource(std::string_view) override { return std::nullopt; }
  std::vector<std::string> dataset_names(std::int64_t, std::int64_t) override { return {}; }
  std::int64_t count_datasets() override {
    std::lock_guard lock(mu_);
    std::int64_t n = 0;
    for (auto& [id, d] : datasets_) n += d.state == "active";
    return n;
  }
  void for_each_dataset(const std::function<void(const catalog::Dataset&)>& fn) override {
    std::vector<catalog::Dataset> copy;
    {
      std::lock_guard lock(mu_);
      for (auto& [id, d] : datasets_) {
        if (d.state == "active") copy.push_back(d);
      }
    }
    for (const auto& d : copy) fn(d);
  }
  std::vector<std::string> dataset_ids_by_views() override {  // drafts and deleted ones last
    std::vector<std::string> ids = Store::dataset_ids_by_views();
    std::lock_guard lock(mu_);
    for (auto& [id, d] : datasets_)
      if (d.state != "active") ids.push_back(id);
    return ids;
  }
  std::optional<catalog::Organization> organization(std::string_view ref) override {
    std::lock_guard lock(mu_);
    for (auto& [id, o] : orgs_) {
      if (id == ref || o.name == ref) return o;
    }
    return std::nullopt;
  }
  std::vector<catalog::Organization> organizations() override { return {}; }
  std::optional<catalog::Group> group(std::string_view ref) override {
    std::lock_guard lock(mu_);
    for (auto& [id, g] : groups_) {
      if (id == ref || g.name == ref) return g;
    }
    return std::nullopt;
  }
  std::vector<catalog::Group> groups() override { return {}; }
  std::vector<std::pair<std::string, std::int64_t>> dataset_counts_by_organization(
      const catalog::Visibility&) override {
    return {};
  }
  std::vector<std::pair<std::string, std::int64_t>> dataset_counts_by_group(
      const catalog::Visibility&) override {
    return {};
  }
  std::vector<std::pair<std::string, std::int64_t>> tags(std::string_view, std::int64_t) override {
    return {};
  }
  std::vector<catalog::License> licenses() override { return {}; }
  std::optional<catalog::User> user(std::string_view) override { return std::nullopt; }
  std::vector<catalog::User> members(std::string_view) override { return {}; }
  std::optional<catalog::User> user_for_token(std::string_view) override { return std::nullopt; }
  std::vector<catalog::ApiToken> tokens(std::string_view) override { return {}; }
  std::optional<catalog::ConsoleSession> console_session(std::string_view) override {
    return std::nullopt;
  }
  std::vector<catalog::Relationship> relationships(std::string_view) override { return {}; }
  void for_each_relationship(const std::function<void(const catalog::Relationship&)>&) override {}
  std::int64_t head_revision() override {
    std::lock_guard lock(mu_);
    return static_cast<std::int64_t>(log_.size());
  }
  std::vector<catalog::Change> changes_since(std::int64_t after, std::size_t limit) override {
    std::lock_guard lock(mu_);
    std::vector<catalog::Change> out;
    for (std::size_t i = static_cast<std::size_t>(std::max<std::int64_t>(after, 0));
         i < log_.size() && out.size() < limit; ++i) {
      out.push_back(log_[i]);
    }
    return out;
  }

 private:
  void log(const std::string& entity, const std::string& id, const std::string& kind) {
    catalog::Change c;
    c.revision = static_cast<std::int64_t>(log_.size()) + 1;
    c.entity = entity;
    c.id = id;
    c.kind = kind;
    log_.push_back(c);
  }
  std::mutex mu_;
  std::map<std::string, catalog::Dataset> datasets_;
  std::map<std::string, catalog::Organization> orgs_;
  std::map<std::string, catalog::Group> groups_;
  std::vector<catalog::Change> log_;
};

}  // namespace datamap::testing

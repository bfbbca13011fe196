#include "catalog/import/upserter.h"

#include <algorithm>
#include <exception>

#include "catalog/errors.h"
#include "catalog/ids.h"
#include "catalog/package_json.h"
#include "catalog/validation.h"

namespace datamap::catalog::importer {
namespace {

// After this many records in a row fail for a reason that is not the record's own (disk full,
// a locked database), the import stops instead of rejecting the rest of the file one by one.
constexpr int kMaxConsecutiveStoreFailures = 50;

std::string reason_of(const std::exception& e) {
  if (const auto* v = dynamic_cast<const ValidationError*>(&e)) return describe(v->fields());
  return e.what();
}

// What the DataStore measured on a resource's rows is not the source's to take away: a record
// that gives the same resource again (same id) keeps its loaded state, column profile and
// validation summary until the next load replaces them. Without this every harvest would drop
// the joinable edges and the data-quality figures of fetched resources.
void keep_loaded_profiles(const Dataset& existing, Dataset& d) {
  for (auto& r : d.resources) {
    auto old = std::find_if(existing.resources.begin(), existing.resources.end(),
                            [&](const Resource& x) { return x.id == r.id; });
    if (old == existing.resources.end() || !old->datastore_active) continue;
    r.datastore_active = true;
    r.columns = old->columns;
    r.validation = old->validation;
    r.points = old->points;  // and the near edges measured on its points
  }
}

// Resource ids are stable too, so a re-import finds nothing to change.
void fill_resource_ids(Dataset& d) {
  for (std::size_t i = 0; i < d.resources.size(); ++i) {
    Resource& r = d.resources[i];
    if (r.id.empty())
      r.id = stable_id(d.id, "resource:" + std::to_string(i) + ":" + r.format + ":" + r.url);
    r.package_id = d.id;
  }
}

}  // namespace

std::string describe(const FieldErrors& errors) {
  std::string out;
  for (const auto& [field, messages] : errors) {
    for (const auto& m : messages) {
      if (!out.empty()) out += "; ";
      out += field + ": " + m;
    }
  }
  return out;
}

Upserter::Upserter(Store& store, std::size_t batch_size, std::size_t max_batch_size)
    : store_(store),
      batch_size_(batch_size == 0 ? 1 : batch_size),
      max_batch_size_(std::max(batch_size_, max_batch_size)) {}

void Upserter::reject(const Record& r, std::string reason) {
  if (listener_) listener_(r, Outcome::rejected, reason);
  summary_.rejected.push_back(Rejection{r.line, r.where, r.ref, std::move(reason)});
}

void Upserter::add(Record r) {
  ++seen_;
  if (!r.errors.empty()) return reject(r, describe(r.errors));
  Dataset& d = r.dataset;
  if (d.id.empty()) d.id = d.source_key.empty() ? new_id() : stable_id(d.source, d.source_key);
  fill_resource_ids(d);
  FieldErrors errors;
  validate_dataset(d, errors);
  if (r.organization) {
    FieldErrors org_errors;
    validate_organization(*r.organization, org_errors);
    for (auto& [field, messages] : org_errors)
      for (auto& m : messages) errors["organization." + field].push_back(m);
  }
  if (!errors.empty()) return reject(r, describe(errors));
  auto [it, fresh] = seen_ids_.emplace(d.id, r.where);
  if (!fresh)
    return reject(r, "duplicate: the same dataset as " + it->second + " (kept the first)");
  queue_.push_back(std::move(r));
  if (queue_.size() >= batch_size_) flush();
}

void Upserter::flush() {
  if (queue_.empty()) return;
  std::vector<Result> results;
  Pending pending;
  try {
    write_batch(queue_, results, pending);
    commit(queue_, results, pending);
  } catch (const std::exception&) {
    // The store failed for a reason that is not one record's (or did not say whose) and rolled
    // the batch back: write each record alone so only the guilty one is rejected.
    int consecutive_failures = 0;
    for (auto& r : queue_) {
      std::vector<Record> one;
      one.push_back(std::move(r));
      try {
        write_batch(one, results, pending);
        commit(one, results, pending);
        consecutive_failures = 0;
      } catch (const std::exception& e) {
        reject(one.front(), reason_of(e));
        if (++consecutive_failures >= kMaxConsecutiveStoreFailures) {
          queue_.clear();
          throw;
        }
      }
    }
  }
  written_ += queue_.size();
  queue_.clear();
  batch_size_ = std::clamp(written_ / 4, batch_size_, max_batch_size_);
}

void Upserter::commit(const std::vector<Record>& batch, const std::vector<Result>& results,
                      Pending& pending) {
  for (std::size_t i = 0; i < batch.size(); ++i) {
    switch (results[i].outcome) {
      case Outcome::added:
        ++summary_.added;
        break;
      case Outcome::updated:
        ++summary_.updated;
        break;
      case Outcome::unchanged:
        ++summary_.unchanged;
        break;
      case Outcome::rejected:
        reject(batch[i], results[i].reason);
        continue;
    }
    if (listener_) listener_(batch[i], results[i].outcome, "");
  }
  organizations_.insert(pending.organizations.begin(), pending.organizations.end());
  groups_.insert(pending.groups.begin(), pending.groups.end());
}

void Upserter::write_batch(std::vector<Record>& batch, std::vector<Result>& results,
                           Pending& pending) {
  store_.write([&](Transaction& tx) {
    results.clear();
    pending = Pending{};
    for (auto& r : batch) {
      try {
        results.push_back(upsert(tx, r, pending));
      } catch (const ValidationError& e) {
        // The store wrote nothing for this call (store.h): skip the record, keep the batch.
        results.push_back({Outcome::rejected, reason_of(e)});
      }
    }
  });
}

Upserter::Result Upserter::upsert(Transaction& tx, Record& r, Pending& pending) {
  Dataset& d = r.dataset;
  // find_dataset also matches names and source keys; only the same id is the same dataset (a
  // different dataset holding this name makes the insert fail with a name clash instead).
  std::optional<Dataset> existing = tx.find_dataset(d.id);
  if (existing && existing->id != d.id) existing.reset();
  if (guard_)
    if (std::string why = guard_(r, existing ? &*existing : nullptr); !why.empty())
      return {Outcome::rejected, std::move(why)};
  resolve_organization(tx, r, pending);
  ensure_groups(tx, r, pending);
  if (!existing) {
    tx.insert_dataset(d);
    return {Outcome::added, ""};
  }
  keep_loaded_profiles(*existing, d);
  if (content_hash(*existing) == content_hash(d)) return {Outcome::unchanged, ""};
  tx.update_dataset(d);
  return {Outcome::updated, ""};
}

void Upserter::resolve_organization(Transaction& tx, Record& r, Pending& pending) {
  Dataset& d = r.dataset;
  if (!r.organization && d.owner_org.empty()) return;
  // The cache key: the record's own organization id, or the bare reference it gives.
  std::string key = r.organization ? r.organization->id : "ref:" + d.owner_org;
  auto lookup = [&](const std::string& k) -> const std::string* {
    if (auto it = organizations_.find(k); it != organizations_.end()) return &it->second;
    if (auto it = pending.organizations.find(k); it != pending.organizations.end())
      return &it->second;
    return nullptr;
  };
  std::string resolved;
  if (const std::string* known = lookup(key)) {
    resolved = *known;
  } else if (r.organization) {
    Organization& o = *r.organization;
    // The same agency may already be here under another id: registered through the API with
    // its 기관코드, or imported from another source under the same name.
    auto matching_id = [&](const std::string& ref, std::string Organization::*field) {
      if (ref.empty()) return std::string();
      std::optional<Organization> hit = tx.find_organization(ref);
      return hit && (*hit).*field == ref ? hit->id : std::string();
    };
    std::string existing = matching_id(o.id, &Organization::id);
    if (existing.empty()) existing = matching_id(o.code, &Organization::code);
    // An agency with a 기관코드 is that code's holder and no other: an organization whose admin
    // renamed it to the name this agency would get ("org-<code>") must not receive its datasets
    // (the insert below then fails on the name, and the record is rejected with that reason).
    if (existing.empty() && o.code.empty()) existing = matching_id(o.name, &Organization::name);
    if (!existing.empty()) {
      resolved = existing;
    } else {
      tx.put_organization(o);
      resolved = o.id;
    }
    pending.organizations.emplace(key, resolved);
  } else {
    std::optional<Organization> found = tx.find_organization(d.owner_org);
    resolved = found ? found->id : "";
    pending.organizations.emplace(key, resolved);
  }
  if (resolved.empty() && !d.owner_org.empty()) {
    // An organization this catalog does not know: keep the reference, do not invent an agency.
    d.extras.emplace_back("owner_org", d.owner_org);
  }
  d.owner_org = resolved;
}

void Upserter::ensure_groups(Transaction& tx, const Record& r, Pending& pending) {
  for (const std::string& name : r.dataset.groups) {
    if (groups_.count(name) || pending.groups.count(name)) continue;
    if (!tx.find_group(name)) {
      Group g;
      for (const Group& candidate : r.groups)
        if (candidate.name == name) g = candidate;
      g.name = name;
      if (g.title.empty()) g.title = name;
      if (g.id.empty()) g.id = stable_id("group", name);
      tx.put_group(g);
    }
    pending.groups.insert(name);
  }
}

}  // namespace datamap::catalog::importer

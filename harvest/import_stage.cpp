#include "harvest/import_stage.h"

#include <deque>
#include <limits>
#include <set>

#include "catalog/ids.h"
#include "catalog/import/repair.h"
#include "catalog/import/upserter.h"
#include "catalog/package_json.h"
#include "catalog/validation.h"
#include "harvest/naming.h"
#include "harvest/sources/source_type.h"
#include "net/url.h"

namespace datamap::harvest {
namespace {

using catalog::HarvestObject;
using catalog::HarvestProvenance;
using Outcome = catalog::importer::Upserter::Outcome;

const char* report_status(Outcome o) {
  switch (o) {
    case Outcome::added: return "added";
    case Outcome::updated: return "updated";
    case Outcome::unchanged: return "not modified";
    case Outcome::rejected: return "errored";
  }
  return "errored";
}

}  // namespace

ImportStage::ImportStage(catalog::Store& store, catalog::HarvestRecords& records,
                         const catalog::HarvestSource& source, catalog::HarvestJob& job,
                         const rapidjson::Value& config, std::size_t batch_size)
    : store_(store), records_(records), source_(source), job_(job),
      batch_size_(batch_size == 0 ? 1 : batch_size) {
  // An agency's source files everything under that agency; only a sysadmin's source (no
  // owner) creates the remote's organizations, unless its config says otherwise.
  org_mode_ = source.owner_org.empty() ? config_string(config, "remote_orgs", "create") : "owner";
  if (org_mode_ != "owner" && org_mode_ != "create") org_mode_ = "create";
  if (config.IsObject()) {
    auto map = config.FindMember("organization_map");
    if (map != config.MemberEnd() && map->value.IsObject())
      for (const auto& m : map->value.GetObject())
        if (m.value.IsString()) org_map_.emplace_back(m.name.GetString(), m.value.GetString());
  }
}

void ImportStage::add(HarvestItem&& item) {
  items_.push_back(std::move(item));
  if (items_.size() >= batch_size_) flush();
}

bool ImportStage::same_agency(const std::string& source_id) {
  if (source_id == source_.id) return true;
  auto it = agency_of_.find(source_id);
  if (it == agency_of_.end()) {
    std::optional<catalog::HarvestSource> other = records_.source(source_id);
    std::optional<std::string> owner;
    if (other && other->id == source_id) owner = other->owner_org;
    it = agency_of_.emplace(source_id, owner).first;
  }
  return it->second && *it->second == source_.owner_org;
}

std::string ImportStage::refusal(const std::string& ref, const Found& found,
                                 const std::string& why) const {
  return "not written: identifier \"" + ref + "\" is dataset \"" + found.name +
         "\" of organization " + (found.org_name.empty() ? "(none)" : found.org_name) + ", " + why +
         "; a harvest source writes only the datasets it created";
}

void ImportStage::decide(Target& t, const Found& found, const std::string& ref) {
  const bool agency_source = !source_.owner_org.empty();
  auto adopt = [&] {
    t.owner = true;
    t.expect_existing = true;
    t.expect_org = agency_source ? source_.owner_org : found.owner_org;
  };
  std::vector<HarvestProvenance> provenances = records_.provenances_of_dataset(found.id);
  const HarvestProvenance* owner = nullptr;
  for (const auto& p : provenances)
    if (p.owner && !owner) owner = &p;
  if (owner && owner->source_id == source_.id) {  // ours, under another remote identifier
    if (agency_source && found.owner_org != source_.owner_org)
      t.refusal = refusal(ref, found, "which is no longer in this source's organization");
    else
      adopt();
    return;
  }
  if (owner) {
    // The same dataset from two sources of one agency: one dataset, two provenances.
    if (same_agency(owner->source_id)) {
      t.owner = false;
      return;
    }
    t.refusal = refusal(ref, found, "which another organization's harvest source gives");
    return;
  }
  // No source owns it: registered through the API or console, written by `datamap import`, or
  // left by a source that no longer lists it.
  const std::string harvest_prefix = "harvest:";
  if (found.source == "api") {
    t.refusal = refusal(ref, found, "registered through the API or console");
  } else if (agency_source && found.owner_org != source_.owner_org) {
    t.refusal = refusal(ref, found, "not this source's organization");
  } else if (found.source.rfind(harvest_prefix, 0) == 0 &&
             !same_agency(found.source.substr(harvest_prefix.size()))) {
    t.refusal = refusal(ref, found, "which another organization's harvest source created");
  } else {
    adopt();
  }
}

std::vector<ImportStage::Target> ImportStage::resolve_all() {
  const std::size_t n = items_.size();
  const bool agency_source = !source_.owner_org.empty();
  std::vector<Target> targets(n);
  std::vector<std::string> refs(n);
  for (std::size_t i = 0; i < n; ++i) refs[i] = items_[i].ref;
  // (1) This source's own provenance of the record.
  std::vector<std::optional<HarvestProvenance>> provenances = records_.provenances(source_.id, refs);

  // (2) The stored dataset: by provenance, else by the same identifier (from another source, an
  // import or the API). One transaction for the whole batch: it only reads, so it commits
  // nothing, and a read per record would cost a lock round trip each.
  std::vector<std::optional<Found>> found(n);
  store_.write([&](catalog::Transaction& tx) {
    auto org_name = [&](const std::string& id) {
      if (id.empty()) return std::string();
      auto o = tx.find_organization(id);
      return o ? o->name : id;
    };
    for (std::size_t i = 0; i < n; ++i) {
      Target& t = targets[i];
      t = Target{};
      found[i].reset();
      const HarvestItem& item = items_[i];
      if (!item.errors.empty() || item.ref.empty()) continue;
      const catalog::Dataset& d = item.dataset;
      if (const auto& p = provenances[i]) {
        t.dataset_id = p->dataset_id;
        t.owner = p->owner;
        t.resolved = true;
        if (auto e = tx.find_dataset(p->dataset_id); e && e->id == p->dataset_id) {
          t.existing_name = e->name;
          t.expect_existing = true;
          t.expect_org = agency_source ? source_.owner_org : e->owner_org;
          // Moved to another agency since (by a sysadmin): no longer this source's to write.
          if (t.owner && agency_source && e->owner_org != source_.owner_org)
            t.refusal = refusal(
                item.ref, Found{e->id, e->name, e->owner_org, org_name(e->owner_org), e->source},
                "which is no longer in this source's organization");
        }
        continue;
      }
      std::optional<catalog::Dataset> existing;
      if (!d.id.empty())
        if (auto e = tx.find_dataset(d.id); e && e->id == d.id) existing = std::move(e);
      if (!existing && item.ref != d.id)
        if (auto e = tx.find_dataset(item.ref); e && e->source_key == item.ref)
          existing = std::move(e);
      if (existing) {
        t.dataset_id = existing->id;
        t.existing_name = existing->name;
        t.resolved = true;
        found[i] = Found{existing->id, existing->name, existing->owner_org,
                         org_name(existing->owner_org), existing->source};
        continue;
      }
      t.dataset_id = d.id.empty() ? catalog::stable_id("harvest", item.ref) : d.id;
      std::string name = catalog::is_valid_name(d.name) ? d.name : derived_name(d, item.ref);
      if (auto other = tx.find_dataset(name); other && other->id != t.dataset_id)
        name = derived_name(d, item.ref);
      t.free_name = name;
    }
  });
  for (std::size_t i = 0; i < n; ++i)
    if (found[i]) decide(targets[i], *found[i], items_[i].ref);

  // (3) The same landing page, given by exactly one dataset of exactly one other source of the
  // same agency (another agency's dataset is never this source's to share).
  std::vector<std::string> landings(n);
  for (std::size_t i = 0; i < n; ++i)
    if (!targets[i].resolved && !targets[i].dataset_id.empty())
      landings[i] = net::normalize_landing_url(items_[i].dataset.url);
  auto by_landing = records_.provenances_with_landings(landings);
  for (std::size_t i = 0; i < n; ++i) {
    if (landings[i].empty()) continue;
    std::set<std::string> datasets;
    bool ours = false;
    for (const auto& p : by_landing[i]) {
      if (p.source_id == source_.id) ours = true;
      if (same_agency(p.source_id)) datasets.insert(p.dataset_id);
    }
    if (!ours && datasets.size() == 1) {
      targets[i].dataset_id = *datasets.begin();
      targets[i].owner = false;
      targets[i].resolved = true;
    }
  }
  return targets;
}

// The Upserter's guard: the decision resolve_all made still holds in the writing transaction (an
// API write between the two may have created the dataset or moved it to another agency).
std::string ImportStage::guard(const catalog::importer::Record& r,
                               const catalog::Dataset* existing) const {
  auto it = expected_.find(r.dataset.id);
  if (it == expected_.end()) return "";
  const Expectation& e = it->second;
  if (!e.existing && existing)
    return "not written: dataset \"" + existing->name +
           "\" with this id was registered while the job ran; a harvest source writes only the "
           "datasets it created";
  if (e.existing && existing && existing->owner_org != e.org)
    return "not written: dataset \"" + existing->name +
           "\" moved to another organization while the job ran";
  return "";
}

void ImportStage::prepare(HarvestItem& item, const Target& target) {
  catalog::Dataset& d = item.dataset;
  d.id = target.dataset_id;
  d.source = "harvest:" + source_.id;
  if (d.source_key.empty()) d.source_key = item.ref;
  // A dataset's URL does not change under its users: a stored dataset keeps its name.
  d.name = !target.existing_name.empty() ? target.existing_name : target.free_name;
  // The agency: the source's own, or the remote's (mapped, or created on first sight).
  std::string remote_org;
  if (item.organization) remote_org = item.organization->name;
  for (const auto& [remote, local] : org_map_)
    if (remote == remote_org && !remote.empty()) {
      item.organization.reset();
      d.owner_org = local;
    }
  if (org_mode_ == "owner") {
    if (item.organization)
      d.extras.emplace_back("publisher", item.organization->title.empty()
                                             ? item.organization->name
                                             : item.organization->title);
    item.organization.reset();
    d.owner_org = source_.owner_org;
  } else if (item.organization) {
    if (item.organization->id.empty())
      item.organization->id = organization_id(*item.organization);
    d.owner_org = item.organization->id;
  } else if (d.owner_org.empty()) {
    d.owner_org = source_.owner_org;
  }
}

void ImportStage::flush() {
  if (items_.empty()) return;
  const std::size_t n = items_.size();
  std::vector<std::string> refs(n);
  for (std::size_t i = 0; i < n; ++i) refs[i] = items_[i].ref;
  std::vector<HarvestObject> objects(n);
  for (std::size_t i = 0; i < n; ++i) {
    objects[i].job_id = job_.id;
    objects[i].source_id = source_.id;
    objects[i].remote_id = items_[i].ref;
    objects[i].state = "IMPORT";
  }
  records_.put_objects(objects);

  std::vector<HarvestProvenance> provenances;
  std::vector<std::string> seen;
  // What repair_record changed in each record: kept on its object (harvest_object_show) as the
  // record's warning when it lands.
  std::vector<std::string> repaired(n);
  auto finish = [&](std::size_t i, Outcome o, const std::string& reason,
                    const catalog::Dataset* d, bool owner) {
    HarvestObject& obj = objects[i];
    obj.state = o == Outcome::rejected ? "ERROR" : "COMPLETE";
    obj.report_status = report_status(o);
    obj.error = reason;
    if (!repaired[i].empty())
      obj.error = (reason.empty() ? "" : reason + "; ") + "repaired: " + repaired[i];
    switch (o) {
      case Outcome::added: ++job_.added; break;
      case Outcome::updated: ++job_.updated; break;
      case Outcome::unchanged: ++job_.unchanged; break;
      case Outcome::rejected: ++job_.errored; break;
    }
    if (o == Outcome::rejected || !d) return;
    obj.dataset_id = d->id;
    obj.content_hash = catalog::content_hash(*d);
    provenances.push_back({source_.id, refs[i], d->id, net::normalize_landing_url(d->url),
                           obj.content_hash, job_.id, owner});
  };

  catalog::importer::Upserter upserter(store_, std::numeric_limits<std::size_t>::max());
  upserter.set_guard([this](const catalog::importer::Record& r, const catalog::Dataset* existing) {
    return guard(r, existing);
  });
  bool adding = false;
  std::size_t current = 0;
  bool answered = false;
  std::deque<std::size_t> queued;
  upserter.set_listener([&](const catalog::importer::Record& r, Outcome o, const std::string& why) {
    std::size_t i;
    if (adding) {
      i = current;
      answered = true;
    } else {
      if (queued.empty()) return;
      i = queued.front();
      queued.pop_front();
    }
    finish(i, o, why, &r.dataset, true);
  });

  job_.gathered += static_cast<std::int64_t>(n);
  for (auto& item : items_)
    if (item.ref.empty() && item.errors.empty())
      item.errors["identifier"].push_back("The record has no identifier");
  std::vector<Target> targets = resolve_all();
  for (std::size_t i = 0; i < n; ++i) {
    HarvestItem& item = items_[i];
    if (!item.errors.empty()) {
      finish(i, Outcome::rejected, catalog::importer::describe(item.errors), nullptr, true);
      continue;
    }
    const Target& target = targets[i];
    if (!target.refusal.empty()) {
      finish(i, Outcome::rejected, target.refusal, nullptr, true);
      continue;
    }
    if (!target.owner) {  // a second provenance: the dataset keeps its owner's content
      item.dataset.id = target.dataset_id;
      finish(i, Outcome::unchanged, "", &item.dataset, false);
      continue;
    }
    prepare(item, target);
    for (const auto& warning : catalog::importer::repair_record(item.dataset))
      repaired[i] += (repaired[i].empty() ? "" : "; ") + warning;
    expected_[target.dataset_id] = Expectation{target.expect_existing, target.expect_org};
    adding = true;
    answered = false;
    current = i;
    upserter.add(std::move(item));
    adding = false;
    if (!answered) queued.push_back(i);
  }
  upserter.flush();
  for (std::size_t i : queued)  // the store refused the batch and a record silently vanished
    finish(i, Outcome::rejected, "not written: the store stopped the batch", nullptr, true);
  // Errored records are still listed by the source: their datasets (if any) must stay.
  for (std::size_t i = 0; i < n; ++i)
    if (objects[i].state == "ERROR" && !refs[i].empty()) seen.push_back(refs[i]);

  records_.put_objects(objects);
  records_.put_provenances(provenances);
  records_.mark_seen(source_.id, seen, job_.id);
  records_.put_job(job_);
  items_.clear();
  expected_.clear();
}

void ImportStage::delete_unseen() {
  for (;;) {
    std::vector<HarvestProvenance> gone = records_.unseen_provenances(source_.id, job_.id, 500);
    if (gone.empty()) return;
    std::vector<std::string> to_delete;
    std::vector<HarvestProvenance> promote;
    for (const auto& p : gone) {
      if (!p.owner) continue;
      // Only a source of the same agency inherits: another agency's source never comes to own
      // (and then overwrite) this agency's dataset.
      std::optional<HarvestProvenance> heir;
      for (const auto& other : records_.provenances_of_dataset(p.dataset_id))
        if (other.source_id != p.source_id && same_agency(other.source_id)) heir = other;
      if (heir) {
        heir->owner = true;  // the other source's next job brings its own content
        heir->content_hash.clear();
        promote.push_back(*heir);
      } else {
        to_delete.push_back(p.dataset_id);
      }
    }
    std::vector<HarvestObject> objects;
    store_.write([&](catalog::Transaction& tx) {
      objects.clear();
      for (const auto& id : to_delete) {
        auto d = tx.find_dataset(id);
        if (!d || d->id != id || d->state == "deleted") continue;
        // Moved to another agency since (by a sysadmin): that agency's now, not ours to delete.
        if (!source_.owner_org.empty() && d->owner_org != source_.owner_org) continue;
        tx.delete_dataset(id);
        HarvestObject o;
        o.job_id = job_.id;
        o.source_id = source_.id;
        o.dataset_id = id;
        o.state = "COMPLETE";
        o.report_status = "deleted";
        objects.push_back(o);
      }
    });
    for (std::size_t i = 0; i < objects.size(); ++i)
      for (const auto& p : gone)
        if (p.dataset_id == objects[i].dataset_id) objects[i].remote_id = p.remote_id;
    job_.deleted += static_cast<std::int64_t>(objects.size());
    records_.put_objects(objects);
    records_.put_provenances(promote);
    for (const auto& p : gone) records_.remove_provenance(p.source_id, p.remote_id);
    records_.put_job(job_);
  }
}

}  // namespace datamap::harvest

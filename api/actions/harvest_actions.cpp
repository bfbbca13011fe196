// ckanext-harvest's actions over harvest::HarvestService: sources, jobs and their reports,
// objects. An agency's editors manage the agency's own sources (owner_org); sources without an
// owner are a sysadmin's. Source configs may hold API keys (serviceKey), so only those who may
// manage a source see its config; others see its URL with credentials redacted (an older source
// may carry its key there). Job and object errors come redacted from the records.
#include <algorithm>
#include <functional>
#include <iterator>
#include <limits>

#include "api/actions/support.h"
#include "api/params.h"
#include "api/resolve.h"
#include "catalog/errors.h"
#include "catalog/harvest_records.h"
#include "catalog/ids.h"
#include "catalog/redact.h"
#include "catalog/text.h"
#include "catalog/untrusted_json.h"
#include "catalog/validation.h"
#include "harvest/service.h"

namespace datamap::api {
namespace {

using catalog::HarvestJob;
using catalog::HarvestObject;
using catalog::HarvestSource;
using rapidjson::Document;
using rapidjson::Value;

harvest::HarvestService& service(ActionContext& ctx) {
  if (!ctx.services.harvest)
    throw BadRequest("Harvesting is not enabled on this server");
  return *ctx.services.harvest;
}

bool may_manage(const Caller& caller, const HarvestSource& s) {
  if (!caller.user) return false;
  return s.owner_org.empty() ? caller.sysadmin() : caller.can_edit_org(s.owner_org);
}

void require_manage(ActionContext& ctx, const HarvestSource& s) {
  actions::require_login(ctx.caller);
  if (!may_manage(ctx.caller, s))
    throw NotAuthorized("user " + ctx.caller.user->name + " may not manage harvest source " +
                        s.name);
}

HarvestSource find_source(ActionContext& ctx, const std::string& ref) {
  auto s = service(ctx).records().source(ref);
  if (!s || s->state != "active") throw NotFound("Harvest source not found");
  return *s;
}

template <std::size_t N>
bool one_of(const std::string& v, const char* const (&allowed)[N]) {
  return std::any_of(std::begin(allowed), std::end(allowed), [&](const char* a) { return v == a; });
}

void write_job(const HarvestJob& j, Value& out, Alloc& a) {
  out.SetObject();
  out.AddMember("id", json_string(j.id, a), a);
  out.AddMember("source_id", json_string(j.source_id, a), a);
  out.AddMember("status", json_string(j.status, a), a);
  out.AddMember("created", json_string(j.created, a), a);
  out.AddMember("gather_started", json_string(j.started, a), a);
  out.AddMember("gather_finished", json_string(j.gather_finished, a), a);
  out.AddMember("finished", json_string(j.finished, a), a);
  out.AddMember("since", json_string(j.since, a), a);
  out.AddMember("complete_listing", j.complete_listing, a);
  out.AddMember("not_modified", j.not_modified, a);
  out.AddMember("gathered", j.gathered, a);
  out.AddMember("error", json_string(j.error, a), a);
  Value stats(rapidjson::kObjectType);
  stats.AddMember("added", j.added, a);
  stats.AddMember("updated", j.updated, a);
  stats.AddMember("not modified", j.unchanged, a);
  stats.AddMember("deleted", j.deleted, a);
  stats.AddMember("errored", j.errored, a);
  out.AddMember("stats", stats, a);
}

void write_object(const HarvestObject& o, Value& out, Alloc& a) {
  out.SetObject();
  out.AddMember("id", json_string(o.id, a), a);
  out.AddMember("harvest_job_id", json_string(o.job_id, a), a);
  out.AddMember("harvest_source_id", json_string(o.source_id, a), a);
  out.AddMember("guid", json_string(o.remote_id, a), a);
  out.AddMember("package_id", json_string(o.dataset_id, a), a);
  out.AddMember("state", json_string(o.state, a), a);
  out.AddMember("report_status", json_string(o.report_status, a), a);
  out.AddMember("error", json_string(o.error, a), a);
  out.AddMember("content_hash", json_string(o.content_hash, a), a);
  out.AddMember("created", json_string(o.created, a), a);
  out.AddMember("modified", json_string(o.modified, a), a);
}

void write_source(ActionContext& ctx, const HarvestSource& s, Value& out, Alloc& a) {
  out.SetObject();
  out.AddMember("id", json_string(s.id, a), a);
  out.AddMember("name", json_string(s.name, a), a);
  out.AddMember("title", json_string(s.title, a), a);
  const bool manager = may_manage(ctx.caller, s);
  out.AddMember("url", json_string(manager ? s.url : catalog::redact_secrets(s.url), a), a);
  out.AddMember("source_type", json_string(s.type, a), a);
  out.AddMember("frequency", json_string(s.frequency, a), a);
  out.AddMember("owner_org", json_string(s.owner_org, a), a);
  out.AddMember("creator_user_id", json_string(s.creator_user_id, a), a);
  out.AddMember("state", json_string(s.state, a), a);
  out.AddMember("created", json_string(s.created, a), a);
  out.AddMember("metadata_modified", json_string(s.modified, a), a);
  if (manager) out.AddMember("config", json_string(s.config, a), a);
  auto& svc = service(ctx);
  auto jobs = svc.records().jobs(s.id, 1);
  Value status(rapidjson::kObjectType);
  if (jobs.empty()) {
    status.AddMember("last_job", Value(rapidjson::kNullType), a);
  } else {
    Value last;
    write_job(jobs.front(), last, a);
    status.AddMember("last_job", last, a);
  }
  status.AddMember("next_harvest", json_string(svc.next_run(s), a), a);
  status.AddMember("total_datasets", svc.records().count_provenances(s.id), a);
  out.AddMember("status", status, a);
}

// Fields of a source from params; `s` holds the current values on update.
void read_source(const Value& params, HarvestSource& s, FieldErrors& errors) {
  if (auto v = opt_string(params, "url")) s.url = std::string(catalog::trim(*v));
  if (auto v = opt_string(params, "name")) s.name = *v;
  if (auto v = opt_string(params, "title")) s.title = *v;
  if (auto v = opt_string(params, "source_type")) s.type = *v;
  if (auto v = opt_string(params, "frequency")) s.frequency = *v;
  for (char& c : s.frequency) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (auto v = opt_string(params, "owner_org")) s.owner_org = *v;
  if (params.HasMember("config")) {
    const Value& c = params["config"];
    if (c.IsObject())
      s.config = to_json(c);
    else if (c.IsString())
      s.config.assign(c.GetString(), c.GetStringLength());
    else if (!c.IsNull())
      errors["config"].push_back("Must be a JSON object (or its text)");
  }
  if (s.url.empty())
    errors["url"].push_back("Missing value");
  else if (!catalog::is_valid_url(s.url))
    errors["url"].push_back("Please provide a valid URL (http:// or https://)");
  if (s.name.empty() && !s.url.empty()) s.name = catalog::slugify(s.title.empty() ? s.url : s.title);
  if (!catalog::is_valid_name(s.name))
    errors["name"].push_back(
        "Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_ "
        "(2 to 100 characters)");
  if (s.title.empty()) s.title = s.name;
  if (!one_of(s.type, catalog::kHarvestSourceTypes))
    errors["source_type"].push_back("Unknown source type: use ckan, dcat, datajson or datago");
  if (!one_of(s.frequency, catalog::kHarvestFrequencies))
    errors["frequency"].push_back("Frequency must be one of MANUAL, HOURLY, DAILY, WEEKLY");
}

// The config's text, parsed only once the caller may manage the source: whoever may not gets
// a 403 before any of their text is parsed.
void check_config(const HarvestSource& s) {
  if (s.config.empty()) return;
  Document c;
  if (auto error = catalog::parse_untrusted_json(s.config, c))
    throw ValidationError("config", "Must be a JSON object (or its text): " + error->message());
  if (!c.IsObject()) throw ValidationError("config", "Must be a JSON object (or its text)");
}

// The owner agency: by id or name, resolved to its id; it must exist.
void resolve_owner(ActionContext& ctx, HarvestSource& s, FieldErrors& errors) {
  if (s.owner_org.empty()) return;
  auto org = resolve_organization(*ctx.services.store, s.owner_org);
  if (!org)
    errors["owner_org"].push_back("Organization does not exist");
  else
    s.owner_org = org->id;
}

void harvest_source_create(ActionContext& ctx, const Value& params, Document& result) {
  auto& svc = service(ctx);
  actions::require_login(ctx.caller);
  HarvestSource s;
  FieldErrors errors;
  read_source(params, s, errors);
  resolve_owner(ctx, s, errors);
  if (!errors.empty()) throw ValidationError(errors);
  require_manage(ctx, s);
  check_config(s);
  if (auto other = svc.records().source(s.name); other && other->state == "active")
    throw ValidationError("name", "A harvest source with this name already exists");
  s.creator_user_id = ctx.caller.user->id;
  svc.records().put_source(s);
  write_source(ctx, s, result, result.GetAllocator());
}

void harvest_source_show(ActionContext& ctx, const Value& params, Document& result) {
  write_source(ctx, find_source(ctx, need_string(params, "id")), result, result.GetAllocator());
}

void harvest_source_list(ActionContext& ctx, const Value& params, Document& result) {
  auto& svc = service(ctx);
  std::string org = opt_string(params, "organization_id").value_or("");
  if (!org.empty()) {
    auto o = resolve_organization(*ctx.services.store, org);
    if (!o) throw NotFound("Organization not found");
    org = o->id;
  }
  result.SetArray();
  auto& a = result.GetAllocator();
  for (const auto& s : svc.records().sources(org)) {
    Value v;
    write_source(ctx, s, v, a);
    result.PushBack(v, a);
  }
}

// Reads, checks and writes the source in one records transaction (HarvestRecords::
// update_source): `change` sees the row as it is now, so the caller's rights are checked against
// its current owner, a concurrent change of another field stays, and a source deleted meanwhile
// is a 404, never brought back.
HarvestSource change_source(ActionContext& ctx, const std::string& ref,
                            const std::function<void(HarvestSource&)>& change) {
  auto s = service(ctx).records().update_source(ref, [&](HarvestSource& current) {
    require_manage(ctx, current);
    change(current);
  });
  if (!s) throw NotFound("Harvest source not found");
  return *s;
}

void harvest_source_update(ActionContext& ctx, const Value& params, Document& result) {
  service(ctx);
  // A new owner is resolved first, outside the records' transaction: the Store is never read
  // under their lock.
  std::optional<std::string> new_owner = opt_string(params, "owner_org");
  FieldErrors owner_errors;
  if (new_owner) {
    HarvestSource probe;
    probe.owner_org = *new_owner;
    resolve_owner(ctx, probe, owner_errors);
    new_owner = probe.owner_org;
  }
  HarvestSource s = change_source(ctx, need_string(params, "id"), [&](HarvestSource& s) {
    std::string old_url = s.url;
    FieldErrors errors = owner_errors;
    read_source(params, s, errors);
    if (new_owner) s.owner_org = *new_owner;
    if (!errors.empty()) throw ValidationError(errors);
    require_manage(ctx, s);  // moving a source needs rights in the new agency too
    check_config(s);
    if (s.url != old_url) s.etag.clear(), s.last_modified.clear();
  });
  write_source(ctx, s, result, result.GetAllocator());
}

void harvest_source_delete(ActionContext& ctx, const Value& params, Document& result) {
  auto& svc = service(ctx);
  // Only a delete that finds the source active deletes it (a second one is a 404); its
  // datasets stay, their provenance still names it.
  HarvestSource s =
      change_source(ctx, need_string(params, "id"), [](HarvestSource& s) { s.state = "deleted"; });
  // After the delete: a job queued meanwhile is aborted here, or refuses to start on a deleted
  // source (JobRunner).
  for (const auto& j : svc.records().jobs(s.id, 5))
    if (j.status == "New" || j.status == "Running") svc.abort_job(j.id);
  result.SetNull();
}

void harvest_source_show_status(ActionContext& ctx, const Value& params, Document& result) {
  auto& svc = service(ctx);
  HarvestSource s = find_source(ctx, need_string(params, "id"));
  auto& a = result.GetAllocator();
  result.SetObject();
  auto jobs = svc.records().jobs(s.id, 1000);
  result.AddMember("job_count", static_cast<std::int64_t>(jobs.size()), a);
  Value last(rapidjson::kNullType);
  if (!jobs.empty()) write_job(jobs.front(), last, a);
  result.AddMember("last_job", last, a);
  result.AddMember("next_harvest", json_string(svc.next_run(s), a), a);
  result.AddMember("total_datasets", svc.records().count_provenances(s.id), a);
}

void harvest_job_create(ActionContext& ctx, const Value& params, Document& result) {
  auto& svc = service(ctx);
  HarvestSource s = find_source(ctx, need_string(params, "source_id"));
  require_manage(ctx, s);
  write_job(svc.create_job(s.id), result, result.GetAllocator());
}

void harvest_job_list(ActionContext& ctx, const Value& params, Document& result) {
  auto& svc = service(ctx);
  HarvestSource s = find_source(ctx, need_string(params, "source_id"));
  std::string status = opt_string(params, "status").value_or("");
  std::int64_t limit = opt_int(params, "limit", 100, 1, 1000);
  result.SetArray();
  auto& a = result.GetAllocator();
  for (const auto& j : svc.records().jobs(s.id, 1000)) {
    if (!status.empty() && j.status != status) continue;
    if (static_cast<std::int64_t>(result.Size()) >= limit) break;
    Value v;
    write_job(j, v, a);
    result.PushBack(v, a);
  }
}

HarvestJob find_job(ActionContext& ctx, const std::string& id) {
  auto j = service(ctx).records().job(id);
  if (!j) throw NotFound("Harvest job not found");
  return *j;
}

void harvest_job_show(ActionContext& ctx, const Value& params, Document& result) {
  write_job(find_job(ctx, need_string(params, "id")), result, result.GetAllocator());
}

// The job with its errors: every errored object's identifier and reason, a page of `limit`
// from `offset`; object_error_count is all of them and next_offset where the next page starts.
void harvest_job_report(ActionContext& ctx, const Value& params, Document& result) {
  auto& svc = service(ctx);
  HarvestJob j = find_job(ctx, need_string(params, "id"));
  std::int64_t limit = opt_int(params, "limit", 100, 0, 10000);
  std::int64_t offset = opt_int(params, "offset", 0, 0, std::numeric_limits<std::int32_t>::max());
  write_job(j, result, result.GetAllocator());
  auto& a = result.GetAllocator();
  Value gather(rapidjson::kArrayType);
  if (!j.error.empty()) gather.PushBack(json_string(j.error, a), a);
  result.AddMember("gather_errors", gather, a);
  Value errors(rapidjson::kArrayType);
  for (const auto& o : svc.records().objects(j.id, "ERROR", offset, limit)) {
    Value e(rapidjson::kObjectType);
    e.AddMember("object_id", json_string(o.id, a), a);
    e.AddMember("guid", json_string(o.remote_id, a), a);
    e.AddMember("message", json_string(o.error, a), a);
    errors.PushBack(e, a);
  }
  const auto listed = static_cast<std::int64_t>(errors.Size());
  result.AddMember("object_errors", errors, a);
  result.AddMember("object_error_count", Value(j.errored), a);
  if (listed > 0 && offset + listed < j.errored)
    result.AddMember("next_offset", Value(offset + listed), a);
}

void harvest_job_abort(ActionContext& ctx, const Value& params, Document& result) {
  auto& svc = service(ctx);
  HarvestJob j;
  if (auto id = opt_string(params, "id"); id && !id->empty()) {
    j = find_job(ctx, *id);
  } else {
    HarvestSource s = find_source(ctx, need_string(params, "source_id"));
    auto jobs = svc.records().jobs(s.id, 1);
    if (jobs.empty()) throw NotFound("The source has no job");
    j = jobs.front();
  }
  require_manage(ctx, find_source(ctx, j.source_id));
  if (!svc.abort_job(j.id))
    throw ValidationError("status", "Only a New or Running job can be aborted (this one is " +
                                        j.status + ")");
  write_job(*svc.records().job(j.id), result, result.GetAllocator());
}

void harvest_object_show(ActionContext& ctx, const Value& params, Document& result) {
  auto o = service(ctx).records().object(need_string(params, "id"));
  if (!o) throw NotFound("Harvest object not found");
  write_object(*o, result, result.GetAllocator());
}

}  // namespace

void register_harvest_actions(Registry& r) {
  r.add({"harvest_source_create", harvest_source_create, true,
         "Registers a remote catalog to harvest. Parameters: url, source_type (ckan, dcat, "
         "datajson, datago), name, title, frequency (MANUAL, HOURLY, DAILY, WEEKLY), config (JSON "
         "object), owner_org. Editors of owner_org may create; sources without one need a "
         "sysadmin."});
  r.add({"harvest_source_show", harvest_source_show, false,
         "One harvest source with its status (last job, next harvest, datasets). Parameter: id "
         "(id or name)."});
  r.add({"harvest_source_list", harvest_source_list, false,
         "Active harvest sources, by name. Parameter: organization_id (optional)."});
  r.add({"harvest_source_update", harvest_source_update, true,
         "Changes a harvest source. Parameters: id and any of harvest_source_create's."});
  r.add({"harvest_source_delete", harvest_source_delete, true,
         "Deletes a harvest source (its datasets stay). Parameter: id."});
  r.add({"harvest_source_show_status", harvest_source_show_status, false,
         "A source's job count, last job report, next scheduled harvest and dataset count. "
         "Parameter: id."});
  r.add({"harvest_job_create", harvest_job_create, true,
         "Queues a harvest job for a source (409 if one is already queued or running). "
         "Parameter: source_id."});
  r.add({"harvest_job_list", harvest_job_list, false,
         "A source's jobs, newest first. Parameters: source_id, status, limit."});
  r.add({"harvest_job_show", harvest_job_show, false,
         "One job: status and stats (added, updated, not modified, deleted, errored). "
         "Parameter: id."});
  r.add({"harvest_job_report", harvest_job_report, false,
         "A job with its gather error and each errored object's identifier and reason. "
         "Parameters: id, limit (default 100, at most 10000), offset; object_error_count is "
         "the job's errors in all, next_offset where the next page starts."});
  r.add({"harvest_job_abort", harvest_job_abort, true,
         "Aborts a queued or running job. Parameter: id, or source_id for its latest job."});
  r.add({"harvest_object_show", harvest_object_show, false,
         "One harvested record: state, report status, error, dataset. Parameter: id."});
}

}  // namespace datamap::api

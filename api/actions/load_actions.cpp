// The DataStore's load jobs over HTTP: datastore_job_status (CKAN xloader's xloader_status) shows
// a resource's newest load job; datastore_submit (xloader_submit) loads its file again.
#include "api/actions/datastore_load.h"
#include "api/actions/support.h"
#include "api/params.h"
#include "catalog/errors.h"

namespace datamap::api {
namespace {

using rapidjson::Document;
using rapidjson::Value;

datastore::LoadQueue& queue(ActionContext& ctx) {
  if (!ctx.services.loads) throw BadRequest("The DataStore is not enabled on this server");
  return *ctx.services.loads;
}

// CKAN's xloader takes `resource_id`; `id` is accepted too, as resource_show names it.
std::string resource_param(const Value& params) {
  if (auto id = opt_string(params, "resource_id"); id && !id->empty()) return *id;
  if (auto id = opt_string(params, "id"); id && !id->empty()) return *id;
  throw ValidationError("resource_id", "Missing value");
}

// The resource and its dataset, as visible to the caller: one the caller may not see is 404.
std::pair<catalog::Resource, catalog::Dataset> visible_resource(ActionContext& ctx,
                                                                const std::string& id) {
  auto r = ctx.services.store->resource(id);
  std::optional<catalog::Dataset> d;
  if (r) d = ctx.services.store->dataset(r->package_id);
  if (!d || !actions::may_see(ctx, *d)) throw NotFound("Resource not found");
  return {std::move(*r), std::move(*d)};
}

void write_job(const datastore::LoadJob& j, Value& out, Alloc& a) {
  out.SetObject();
  out.AddMember("job_id", json_string(j.id, a), a);
  out.AddMember("resource_id", json_string(j.resource_id, a), a);
  out.AddMember("status", json_string(j.status, a), a);
  out.AddMember("rows_done", j.rows_done, a);
  if (j.phase.empty())
    out.AddMember("phase", Value(rapidjson::kNullType), a);
  else
    out.AddMember("phase", json_string(j.phase, a), a);
  if (j.total_rows >= 0)
    out.AddMember("total_rows", j.total_rows, a);
  else
    out.AddMember("total_rows", Value(rapidjson::kNullType), a);
  out.AddMember("file_hash", json_string(j.file_hash, a), a);
  out.AddMember("format", json_string(j.format, a), a);
  if (j.error.empty()) {
    out.AddMember("error", Value(rapidjson::kNullType), a);
  } else {
    Value error(rapidjson::kObjectType);
    error.AddMember("message", json_string(j.error, a), a);
    error.AddMember("line", j.error_line, a);
    error.AddMember("column", j.error_column, a);
    out.AddMember("error", error, a);
  }
  out.AddMember("created", json_string(j.created, a), a);
  out.AddMember("started", json_string(j.started, a), a);
  out.AddMember("finished", json_string(j.finished, a), a);
  // xloader_status's name for the time of the last change.
  const std::string& last = !j.finished.empty()  ? j.finished
                            : !j.started.empty() ? j.started
                                                 : j.created;
  out.AddMember("last_updated", json_string(last, a), a);
}

void datastore_job_status(ActionContext& ctx, const Value& params, Document& result) {
  auto id = resource_param(params);
  visible_resource(ctx, id);
  auto job = queue(ctx).status(id);
  if (!job) throw NotFound("No load job for this resource");
  write_job(*job, result, result.GetAllocator());
}

void datastore_submit(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_login(ctx.caller);
  auto id = resource_param(params);
  auto [resource, dataset] = visible_resource(ctx, id);
  if (!ctx.caller.can_edit_org(dataset.owner_org))
    throw NotAuthorized("user " + ctx.caller.user->name + " may not edit dataset " + dataset.name);
  auto request = load_request(ctx.services, resource);
  if (!request)
    throw ValidationError("resource_id",
                          "The resource has no uploaded tabular file (CSV, TSV, XLSX, XLS, JSON, "
                          "ZIP) to load");
  write_job(queue(ctx).submit(*request, true), result, result.GetAllocator());
}

}  // namespace

void register_load_actions(Registry& r) {
  const char* status_help =
      "The newest load job of a resource's uploaded file into the DataStore: status (pending, "
      "running, complete, error), the running job's phase (profile, load, full_text: the rows "
      "are queryable, q answers 409 until the full-text index is built), rows done of total, "
      "the error with its line and column, and "
      "timestamps. Parameter: resource_id. Visible to whoever may see the resource.";
  r.add({"datastore_job_status", datastore_job_status, false, status_help});
  r.add({"xloader_status", datastore_job_status, false,
         std::string("CKAN xloader's name for datastore_job_status. ") + status_help});
  const char* submit_help =
      "Loads a resource's uploaded file into the DataStore again (a new job, even for bytes "
      "loaded before). Parameter: resource_id. Needs edit rights in the dataset's organization.";
  r.add({"datastore_submit", datastore_submit, true, submit_help});
  r.add({"xloader_submit", datastore_submit, true,
         std::string("CKAN xloader's name for datastore_submit. ") + submit_help});
}

}  // namespace datamap::api

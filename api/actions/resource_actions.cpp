// resource_create / resource_update / resource_patch / resource_delete: CKAN's resource
// actions, with the file upload of a multipart request (ctx.upload) stored in the FileStore
// (datastore/file_store.h). resource_show is with the package actions.
//
// Order of effects, so that a failure leaves nothing half-done: the permission check first
// (403/404: nothing stored), then the file (content-addressed, a reference added for the
// resource), then the catalog transaction; if that fails the reference is dropped again (and
// the file with it when nothing else uses it). An old file's reference is dropped only after
// the catalog committed the change that stopped using it.
#include <algorithm>

#include "api/actions/support.h"
#include "api/config.h"
#include "api/multipart.h"
#include "api/params.h"
#include "api/resolve.h"
#include "catalog/errors.h"
#include "catalog/ids.h"
#include "catalog/package_json.h"
#include "catalog/text.h"
#include "catalog/validation.h"
#include "datastore/file_store.h"
#include "datastore/load_queue.h"
#include "datastore/resource_fetcher.h"
#include "datastore/table_store.h"

namespace datamap::api {
namespace {

using catalog::Dataset;
using catalog::Resource;
using rapidjson::Document;
using rapidjson::Value;

// Members the catalog manages for uploads; what a client sends for them is not believed.
constexpr std::string_view kManaged[] = {"url_type", "hash", "upload", "clear_upload"};

std::string extra(const Resource& r, std::string_view key) {
  for (const auto& [k, v] : r.extras)
    if (k == key) return v;
  return "";
}

void set_extra(Resource& r, const std::string& key, const std::string& value) {
  for (auto& [k, v] : r.extras)
    if (k == key) {
      v = value;
      return;
    }
  r.extras.emplace_back(key, value);
}

void drop_managed(Resource& r) {
  std::erase_if(r.extras, [](const auto& kv) {
    return std::find(std::begin(kManaged), std::end(kManaged), kv.first) != std::end(kManaged);
  });
}

bool is_upload(const Resource& r) {
  return extra(r, "url_type") == "upload";
}

// The one permission rule of these actions: a dataset the caller may not see is 404 (as if it
// did not exist), one the caller sees but may not edit is 403.
void check_editor(ActionContext& ctx, const Dataset& d, const char* not_found) {
  if (!actions::may_see(ctx, d)) throw NotFound(not_found);
  if (!ctx.caller.can_edit_dataset(d))
    throw NotAuthorized("user " + ctx.caller.user->name + " may not edit dataset " + d.name);
}

// The resource `id` and its dataset, checked as above.
std::pair<Dataset, Resource> editable_resource(ActionContext& ctx, const std::string& id) {
  auto r = ctx.services.store->resource(id);
  std::optional<Dataset> d;
  if (r) d = ctx.services.store->dataset(r->package_id);
  if (!d) throw NotFound("Resource not found");
  check_editor(ctx, *d, "Resource not found");
  return {*d, *r};
}

Resource read_input(const Value& params) {
  FieldErrors errors;
  Resource r = catalog::read_resource(params, errors, "");
  if (!errors.empty()) throw ValidationError(errors);
  drop_managed(r);
  return r;
}

// Stores the upload and points `r` at it (CKAN: url_type "upload", the download URL as url).
// Returns the stored file; the caller owns the reference added for r.id.
datastore::StoredFile attach_upload(ActionContext& ctx, const Dataset& d, Resource& r) {
  if (!ctx.services.files)
    throw BadRequest("Bad request", "File uploads are not enabled on this server");
  const MultipartFile& up = *ctx.upload;
  datastore::StoredFile f = ctx.services.files->put(up.data);
  ctx.services.files->add_reference(f.sha256, r.id);
  if (r.format.empty()) r.format = datastore::format_from_filename(up.filename);
  if (r.name.empty()) r.name = up.filename;
  std::string base = ctx.base_url;
  if (base.empty()) base = ctx.services.config ? ctx.services.config->site.base_url : "";
  if (base.empty()) base = "http://localhost";
  r.url = base + "/dataset/" + d.id + "/resource/" + r.id + "/download/" +
          catalog::url_encode(up.filename);
  r.size = f.size;
  r.mimetype = datastore::mimetype_for_format(r.format);
  r.last_modified = catalog::now_iso8601();
  set_extra(r, "url_type", "upload");
  set_extra(r, "hash", f.sha256);
  return f;
}

// Puts `r` into its dataset (replacing the resource with its id, or appending) in one
// transaction, validated like package_update; on failure the new file's reference goes.
void commit(ActionContext& ctx, const Dataset& checked, Resource& r,
            const std::optional<datastore::StoredFile>& stored, bool replace) {
  try {
    actions::write_as_caller(ctx, [&](catalog::Transaction& tx) {
      auto d = tx.find_dataset(checked.id);
      if (!d) throw NotFound("Dataset not found");
      if (d->owner_org != checked.owner_org) check_editor(ctx, *d, "Dataset not found");
      auto it = std::find_if(d->resources.begin(), d->resources.end(),
                             [&](const Resource& x) { return x.id == r.id; });
      if (replace && it == d->resources.end()) throw NotFound("Resource not found");
      if (!replace && it != d->resources.end())
        throw ValidationError("id", "Resource id already exists");
      if (replace)
        *it = r;
      else
        d->resources.push_back(r);
      FieldErrors errors;
      catalog::validate_dataset(*d, errors);
      if (!errors.empty()) throw ValidationError(errors);
      tx.update_dataset(*d);
    });
  } catch (...) {
    if (stored) ctx.services.files->remove_reference(stored->sha256, r.id);
    throw;
  }
  if (stored && ctx.services.on_resource_file) ctx.services.on_resource_file(r, stored->path);
}

void resource_create(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_login(ctx.caller);
  std::string package_id = need_string(params, "package_id");
  Resource r = read_input(params);
  auto d = resolve_dataset(*ctx.services.store, package_id);
  if (!d) throw NotFound("Dataset not found");
  check_editor(ctx, *d, "Dataset not found");
  // Anyone may choose the id (CKAN: a UUID no other resource has; commit() and the store check).
  if (r.id.empty())
    r.id = catalog::new_id();
  else
    actions::check_uuid("id", r.id);
  r.package_id = d->id;
  r.created = catalog::now_iso8601();
  r.datastore_active = false;  // set by the load queue once rows are in (not by the client)
  r.columns.clear();
  r.validation = {};
  r.points = {};
  std::optional<datastore::StoredFile> stored;
  if (ctx.upload) stored = attach_upload(ctx, *d, r);
  commit(ctx, *d, r, stored, false);
  catalog::write_resource(r, result, result.GetAllocator());
}

// resource_update and resource_patch: `params` is the whole new dict of resource `id`.
void update_resource(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_login(ctx.caller);
  auto [d, old] = editable_resource(ctx, need_string(params, "id"));
  Resource r = read_input(params);
  r.id = old.id;
  // The DataStore's state is the load queue's to write (datastore/profile_writer.h): an edit of
  // the resource keeps it; a new file's load replaces it when it completes.
  r.datastore_active = old.datastore_active;
  r.columns = old.columns;
  r.validation = old.validation;
  r.points = old.points;
  r.package_id = old.package_id;
  r.created = old.created;
  std::optional<datastore::StoredFile> stored;
  if (ctx.upload) {
    stored = attach_upload(ctx, d, r);
  } else if (is_upload(old) && (r.url.empty() || r.url == old.url)) {
    // The stored file stays the resource's data (CKAN keeps an upload while the url is unchanged).
    r.url = old.url;
    set_extra(r, "url_type", "upload");
    set_extra(r, "hash", extra(old, "hash"));
    r.size = old.size;
    r.mimetype = datastore::mimetype_for_format(r.format);
  }
  if (r.last_modified.empty()) r.last_modified = catalog::now_iso8601();
  commit(ctx, d, r, stored, true);
  std::string old_hash = is_upload(old) ? extra(old, "hash") : "";
  if (!old_hash.empty() && old_hash != extra(r, "hash") && ctx.services.files)
    ctx.services.files->remove_reference(old_hash, old.id);
  catalog::write_resource(r, result, result.GetAllocator());
}

void resource_update(ActionContext& ctx, const Value& params, Document& result) {
  update_resource(ctx, params, result);
}

// The stored dict with the given members replaced, then the path of resource_update.
void resource_patch(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_login(ctx.caller);
  auto [d, old] = editable_resource(ctx, need_string(params, "id"));
  Document merged;
  catalog::write_resource(old, merged, merged.GetAllocator());
  auto& a = merged.GetAllocator();
  for (const auto& m : params.GetObject()) {
    Value copy(m.value, a);
    auto it = merged.FindMember(m.name);
    if (it != merged.MemberEnd())
      it->value = copy;
    else
      merged.AddMember(Value(m.name, a), copy, a);
  }
  update_resource(ctx, merged, result);
}

void resource_delete(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_login(ctx.caller);
  // Not a structured binding: clang 14 cannot capture one in the lambda below.
  auto found = editable_resource(ctx, need_string(params, "id"));
  const auto& d = found.first;
  const auto& old = found.second;
  actions::write_as_caller(ctx, [&](catalog::Transaction& tx) {
    auto fresh = tx.find_dataset(d.id);
    if (!fresh) throw NotFound("Resource not found");
    if (fresh->owner_org != d.owner_org) check_editor(ctx, *fresh, "Resource not found");
    std::erase_if(fresh->resources, [&](const Resource& x) { return x.id == old.id; });
    tx.update_dataset(*fresh);
  });
  delete_resource_data(ctx.services, old);
  result.SetNull();
}

}  // namespace

void delete_resource_data(Services& services, const catalog::Resource& resource) {
  // An uploaded file is named in the catalog; a fetched copy of a harvested resource's URL
  // (datastore/resource_fetcher.h) by its newest load job, read before forget() drops the jobs.
  std::string fetched;
  if (services.loads && !is_upload(resource))
    fetched = datastore::fetched_file_hash(*services.loads, resource.id);
  if (services.loads) services.loads->forget(resource.id);  // a running load stops first
  if (services.files && is_upload(resource))
    services.files->remove_reference(extra(resource, "hash"), resource.id);
  if (services.files && !fetched.empty()) services.files->remove_reference(fetched, resource.id);
  if (services.tables) services.tables->drop(resource.id);
}

void register_resource_actions(Registry& r) {
  r.add({"resource_create", resource_create, true,
         "Adds a resource to dataset `package_id` (name, url, format, description, ...). With a "
         "multipart/form-data body, the file part `upload` is stored and served at the "
         "resource's download URL (url_type \"upload\", hash, size, mimetype; format and name "
         "from the file name when not given). `id` may be chosen (CKAN: a UUID no other "
         "resource has; 409 otherwise). Needs edit rights in the dataset's organization."});
  r.add({"resource_update", resource_update, true,
         "Replaces resource `id` with the dict given (an `upload` file part replaces its file; "
         "without one an uploaded file is kept while `url` is unchanged)."});
  r.add({"resource_patch", resource_patch, true,
         "Changes only the members given of resource `id` (and its file, with an `upload` "
         "part); everything else is kept."});
  r.add({"resource_delete", resource_delete, true,
         "Removes resource `id` from its dataset, with its DataStore table; its stored file "
         "goes when no other resource uses the same bytes."});
}

}  // namespace datamap::api

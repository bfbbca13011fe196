// Data validation of loaded tables (issue 15, datastore/validator.h): datastore_validate runs
// the validator over a resource's DataStore table and records the report in the catalog with
// the column profile; datastore_validation_show reads it from there. A report is as visible as
// its dataset (a private one is 404 to outsiders); validating needs editor rights.
#include <rapidjson/document.h>

#include "api/action.h"
#include "api/actions/support.h"
#include "api/actions/validation.h"
#include "api/json.h"
#include "api/params.h"
#include "catalog/column_profile_json.h"
#include "catalog/errors.h"
#include "catalog/ids.h"
#include "datastore/validator.h"
#include "graph/service.h"

namespace datamap::api {

const catalog::StandardTermIndex* standard_term_index(const Services& services) {
  return services.map ? &services.map->standard_terms().index() : nullptr;
}

namespace {

using rapidjson::Document;
using rapidjson::Value;

std::string resource_param(const Value& params) {
  if (auto id = opt_string(params, "resource_id"); id && !id->empty()) return *id;
  if (auto id = opt_string(params, "id"); id && !id->empty()) return *id;
  throw ValidationError("resource_id", "Missing value");
}

catalog::Resource visible_resource(ActionContext& ctx, const std::string& rid) {
  auto r = ctx.services.store->resource(rid);
  std::optional<catalog::Dataset> d;
  if (r) d = ctx.services.store->dataset(r->package_id);
  if (!d || !actions::may_see(ctx, *d)) throw NotFound("Not found: Resource \"" + rid + "\"");
  return *r;
}

void write_report(const catalog::Resource& r, Document& result) {
  auto& a = result.GetAllocator();
  result.SetObject();
  result.AddMember("resource_id", json_string(r.id, a), a);
  result.AddMember("package_id", json_string(r.package_id, a), a);
  Value summary(rapidjson::kNullType);
  if (r.validation.done) summary = catalog::resource_validation_to_json(r.validation, a);
  result.AddMember("validation", summary, a);
  Value columns(rapidjson::kArrayType);
  for (const auto& c : r.columns) {
    Value col(rapidjson::kObjectType);
    col.AddMember("name", json_string(c.name, a), a);
    col.AddMember("standard_term", json_string(c.standard_term, a), a);
    col.AddMember("semantic_type", json_string(c.semantic_type, a), a);
    Value full = catalog::column_profile_to_json(c, a);
    Value v(rapidjson::kNullType);
    if (auto it = full.FindMember("validation"); it != full.MemberEnd()) v = it->value;
    col.AddMember("validation", v, a);
    columns.PushBack(col, a);
  }
  result.AddMember("columns", columns, a);
}

void datastore_validation_show(ActionContext& ctx, const Value& params, Document& result) {
  write_report(visible_resource(ctx, resource_param(params)), result);
}

void datastore_validate(ActionContext& ctx, const Value& params, Document& result) {
  std::string rid = resource_param(params);
  catalog::Resource r = visible_resource(ctx, rid);
  auto d = ctx.services.store->dataset(r.package_id);
  if (!ctx.caller.can_edit_org(d->owner_org))
    throw NotAuthorized("Not authorized to validate resource \"" + rid + "\"");
  if (!ctx.services.tables) throw BadRequest("The DataStore is not enabled on this server");
  if (!ctx.services.tables->info(rid))
    throw NotFound("Resource " + rid + " has no DataStore table (its data is not loaded)");
  std::vector<catalog::ColumnProfile> columns = r.columns;
  catalog::ResourceValidation summary = datastore::validate_table(
      *ctx.services.tables, rid, columns, standard_term_index(ctx.services));
  summary.validated_at = catalog::now_iso8601();
  // Recorded like any change to the dataset: the change log tells search and quality.
  actions::write_as_caller(ctx, [&](catalog::Transaction& tx) {
    auto ds = tx.find_dataset(r.package_id);
    if (!ds) throw NotFound("Not found: Resource \"" + rid + "\"");
    for (auto& res : ds->resources)
      if (res.id == rid) {
        res.columns = columns;
        res.validation = summary;
        r = res;
      }
    tx.update_dataset(*ds);
  });
  write_report(r, result);
}

}  // namespace

void register_validation_actions(Registry& r) {
  r.add({"datastore_validation_show", datastore_validation_show, false,
         "The data validation report of a resource (`id`): per column the missing, invalid and "
         "valid counts with example rows per problem, duplicate and ragged rows, the error "
         "rate (오류율)."});
  r.add({"datastore_validate", datastore_validate, true,
         "Validates a resource's (`id`) DataStore table against the common standard and records "
         "the report with its column profile; answers the report."});
}

}  // namespace datamap::api

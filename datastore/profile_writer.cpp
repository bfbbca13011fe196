#include "datastore/profile_writer.h"

#include <algorithm>
#include <functional>

#include "catalog/errors.h"
#include "catalog/ids.h"

namespace datamap::datastore {
namespace {

// Runs `change` on the resource inside one catalog write; false when the resource is gone.
bool change_resource(catalog::Store& store, const std::string& resource_id,
                     const std::function<void(catalog::Dataset&, catalog::Resource&)>& change) {
  auto resource = store.resource(resource_id);
  if (!resource) return false;
  bool found = false;
  store.write([&](catalog::Transaction& tx) {
    auto d = tx.find_dataset(resource->package_id);
    if (!d) return;
    auto r = std::find_if(d->resources.begin(), d->resources.end(),
                          [&](const catalog::Resource& x) { return x.id == resource_id; });
    if (r == d->resources.end()) return;
    found = true;
    change(*d, *r);
    tx.update_dataset(*d);
  });
  return found;
}

}  // namespace

void merge_dataset_columns(std::vector<catalog::Column>& columns,
                           const std::vector<catalog::ColumnProfile>& profile) {
  for (const auto& p : profile) {
    auto c = std::find_if(columns.begin(), columns.end(),
                          [&](const catalog::Column& x) { return x.name == p.name; });
    if (c == columns.end()) {
      columns.push_back({p.name, p.type, "", p.standard_term});
      continue;
    }
    c->type = p.type;
    if (!p.standard_term.empty()) c->standard_term = p.standard_term;
  }
}

void write_profile(catalog::Store& store, const std::string& resource_id,
                   const std::vector<catalog::ColumnProfile>& columns,
                   const catalog::ResourceValidation* validation,
                   const catalog::PointSummary* points) {
  bool found = change_resource(store, resource_id, [&](catalog::Dataset& d, catalog::Resource& r) {
    r.columns = columns;
    if (validation) {
      r.validation = *validation;
      r.validation.validated_at = catalog::now_iso8601();
    }
    if (points) r.points = *points;
    r.datastore_active = true;
    merge_dataset_columns(d.columns, columns);
  });
  if (!found) throw NotFound("Resource not found");
}

void clear_profile(catalog::Store& store, const std::string& resource_id) {
  change_resource(store, resource_id, [](catalog::Dataset&, catalog::Resource& r) {
    r.columns.clear();
    r.validation = {};
    r.points = {};
    r.datastore_active = false;
  });
}

}  // namespace datamap::datastore

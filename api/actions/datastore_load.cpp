#include "api/actions/datastore_load.h"

#include "datastore/file_store.h"
#include "datastore/profile_writer.h"

namespace datamap::api {
namespace {

std::string extra(const catalog::Resource& r, std::string_view key) {
  for (const auto& [k, v] : r.extras)
    if (k == key) return v;
  return "";
}

}  // namespace

std::optional<datastore::LoadRequest> load_request(const Services& services,
                                                   const catalog::Resource& r) {
  if (!services.files || extra(r, "url_type") != "upload") return std::nullopt;
  if (!datastore::is_loadable_format(r.format)) return std::nullopt;
  auto file = services.files->find(extra(r, "hash"));
  if (!file) return std::nullopt;
  return datastore::LoadRequest{r.id, file->path, file->sha256, r.format};
}

void wire_load_queue(Services& services, datastore::LoadQueue& queue) {
  services.loads = &queue;
  services.on_resource_file = [&services, &queue](const catalog::Resource& r, const std::string&) {
    if (auto request = load_request(services, r)) {
      queue.submit(*request);
    } else if (r.datastore_active) {
      // A file that is not tabular replaced a loaded one: its rows and profile no longer apply.
      queue.forget(r.id);
      datastore::clear_profile(*services.store, r.id);
    }
  };
}

}  // namespace datamap::api

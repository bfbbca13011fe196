#include "api/actions/datastore_load.h"

#include "datastore/file_store.h"

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
    if (auto request = load_request(services, r)) queue.submit(*request);
  };
}

}  // namespace datamap::api

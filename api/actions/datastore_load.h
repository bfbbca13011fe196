// The glue between the resource actions and the DataStore's load queue (datastore/load_queue.h):
// a resource whose uploaded file is tabular gets a load job; a deleted resource loses its jobs
// and table. The server wires it once (wire_load_queue); the CLI (`datamap attach`) runs the
// same request synchronously.
#pragma once

#include <optional>

#include "api/action.h"
#include "datastore/load_queue.h"

namespace datamap::api {

// The load request for the resource's uploaded file (url_type "upload", its hash found in the
// FileStore), or nullopt when it has none or its format is not tabular (CSV, TSV, XLSX, XLS,
// JSON, ZIP).
std::optional<datastore::LoadRequest> load_request(const Services& services,
                                                   const catalog::Resource& r);

// Sets services.loads and hooks the queue into the resource actions: a committed upload queues
// a load (the same bytes as the last complete load: nothing to do).
void wire_load_queue(Services& services, datastore::LoadQueue& queue);

}  // namespace datamap::api

// The DataStore as `serve` and `attach` set it up from a data directory: the table store
// (DIR/datastore.db), the uploaded files (DIR/files), the load jobs (DIR/datastore_jobs.db) and
// the load queue over them, with the common standard terms for matching column names. With the
// catalog on PostgreSQL all of them are the cluster's (the catalog's database), DIR/files being
// this node's cache of the files.
#pragma once

#include <memory>
#include <string>

#include "api/config.h"
#include "catalog/standard_terms.h"
#include "catalog/store.h"
#include "datastore/file_store.h"
#include "datastore/load_jobs.h"
#include "datastore/load_queue.h"
#include "datastore/table_store.h"

namespace datamap::app {

struct DataStoreParts {
  std::unique_ptr<datastore::TableStore> tables;
  std::unique_ptr<datastore::FileStore> files;
  std::unique_ptr<datastore::LoadJobs> jobs;
  std::shared_ptr<const catalog::StandardTermIndex> terms;  // null when the list is missing
  std::unique_ptr<datastore::LoadQueue> loads;              // not started
};

DataStoreParts open_datastore(catalog::Store& store, const api::Config& config);

}  // namespace datamap::app

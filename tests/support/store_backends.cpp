#include "tests/support/store_backends.h"

#include "tests/support/pg_cluster.h"

namespace datamap::testing {

std::string StoreBackendTest::catalog_location() {
  if (!on_postgres()) return dir_.file("catalog.db");
  if (!pg_url_) pg_url_ = PgCluster::shared().new_database();
  return *pg_url_;
}

std::unique_ptr<catalog::Store> StoreBackendTest::open() {
  const std::string where = catalog_location();
  return on_postgres() ? catalog::open_postgres_store(where) : catalog::open_sqlite_store(where);
}

std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kPostgres ? "postgresql" : "sqlite";
}

}  // namespace datamap::testing

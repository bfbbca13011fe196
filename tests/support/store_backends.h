// The Store tests run on both backends with the same assertions (gtest value-parameterised):
//   class MyStoreTest : public testing::StoreBackendTest {};
//   TEST_P(MyStoreTest, Something) { auto store = open(); ... }
//   DATAMAP_STORE_BACKENDS(MyStoreTest);
// open() gives an empty catalog of this test's own on the test's backend (SQLite: a file in a
// temporary directory; PostgreSQL: a new database on the binary's shared throwaway server,
// tests/support/pg_cluster.h); calling it again reopens the same catalog, as a restart would.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "catalog/store.h"
#include "tests/support/temp_dir.h"

namespace datamap::testing {

enum class Backend { kSqlite, kPostgres };

class StoreBackendTest : public ::testing::TestWithParam<Backend> {
 protected:
  std::unique_ptr<catalog::Store> open();
  // What --catalog would name: the SQLite file's path or the PostgreSQL URL.
  std::string catalog_location();
  bool on_postgres() const { return GetParam() == Backend::kPostgres; }

 private:
  TempDir dir_;
  std::optional<std::string> pg_url_;
};

std::string backend_name(const ::testing::TestParamInfo<Backend>& info);

}  // namespace datamap::testing

#define DATAMAP_STORE_BACKENDS(fixture)                                               \
  INSTANTIATE_TEST_SUITE_P(Backends, fixture,                                         \
                           ::testing::Values(::datamap::testing::Backend::kSqlite,    \
                                             ::datamap::testing::Backend::kPostgres), \
                           ::datamap::testing::backend_name)

#include "app/data_dir.h"

#include <filesystem>
#include <stdexcept>

#include "catalog/postgres/pg_connection.h"

namespace datamap::app {

std::string catalog_path(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "catalog.db").string();
}

std::unique_ptr<catalog::Store> open_catalog(const std::string& data_dir) {
  std::filesystem::create_directories(data_dir);
  return catalog::open_sqlite_store(catalog_path(data_dir));
}

std::unique_ptr<catalog::Store> open_catalog(const std::string& data_dir,
                                             const std::string& catalog) {
  if (catalog.empty()) return open_catalog(data_dir);
  if (!catalog::postgres::is_postgres_url(catalog))
    throw std::invalid_argument("--catalog takes a postgresql:// URL");
  auto store = catalog::open_postgres_store(catalog);
  std::filesystem::create_directories(data_dir);  // the node's own index and map live there
  return store;
}

}  // namespace datamap::app

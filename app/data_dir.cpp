#include "app/data_dir.h"

#include <filesystem>

namespace datamap::app {

std::string catalog_path(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "catalog.db").string();
}

std::unique_ptr<catalog::Store> open_catalog(const std::string& data_dir) {
  std::filesystem::create_directories(data_dir);
  return catalog::open_sqlite_store(catalog_path(data_dir));
}

}  // namespace datamap::app

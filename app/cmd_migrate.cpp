// `datamap migrate --to postgresql://… [--data DIR] [--config FILE]`: copies the data directory's
// SQLite catalog, with the record stores beside it, and its SQLite DataStore into PostgreSQL, then
// prints each catalog table's rows, counted and checksummed on both sides. Progress goes to
// stderr, a line per table. Run it with the server stopped; afterwards start the nodes with
// --catalog URL (each rebuilds its own search index and map from the change log:
// `datamap reindex --catalog URL`).
//
// Order, and what a rerun after an interruption does: the catalog is checked first (holding rows:
// refused, a finished migration is never run twice); then the DataStore tables, each committed
// on its own (a rerun skips those already there with equal checksums: datastore/table_copy.h);
// last the catalog in one transaction (a rerun repeats it whole: catalog/postgres/pg_copy.h).
// The catalog's commit is the migration's last step.
#include <filesystem>
#include <iomanip>
#include <iostream>

#include "app/commands.h"
#include "app/data_dir.h"
#include "catalog/postgres/pg_connection.h"
#include "catalog/postgres/pg_copy.h"
#include "datastore/pg_table_store.h"
#include "datastore/table_copy.h"

namespace datamap::app {
namespace {

struct MigrateOptions {
  std::string data_dir, config, to;
};

std::string short_sum(const std::string& hex) {
  return hex.substr(0, 16);
}

// The DataStore's tables, when the data directory has a DataStore; returns how many.
std::size_t migrate_datastore(const std::string& dir, const std::string& url) {
  const std::filesystem::path file = std::filesystem::path(dir) / "datastore.db";
  if (!std::filesystem::exists(file)) {
    std::cerr << "datastore: no " << file.string() << ", nothing to copy" << std::endl;
    return 0;
  }
  auto from = datastore::open_sqlite_table_store(file.string());
  auto to = datastore::open_pg_table_store(url);
  const auto copied = datastore::copy_tables(*from, *to, [](const datastore::CopiedStoreTable& t) {
    std::cerr << "datastore " << t.resource_id << ": " << t.rows << " / " << t.rows
              << (t.already_there ? " rows already there, checksums equal"
                                  : " rows copied, checksums equal")
              << " (sha256 " << short_sum(t.checksum) << "…)" << std::endl;
  });
  return copied.size();
}

int migrate(const MigrateOptions& o) {
  if (!catalog::postgres::is_postgres_url(o.to)) {
    std::cerr << "datamap migrate: --to takes a postgresql:// URL" << std::endl;
    return 2;
  }
  CatalogOptions where{o.data_dir, "", o.config};
  const api::Config config = load_config(where);
  // Opening the SQLite catalog brings it to the latest schema before it is read.
  open_catalog(config.data.dir).reset();
  catalog::postgres::require_empty_postgres_catalog(o.to);
  const std::size_t tables = migrate_datastore(config.data.dir, o.to);
  // Uploaded files (--data/files) are not copied here: docs/DEPLOY.md, "Uploaded files and
  // `migrate`", says where they go.
  std::int64_t total = 0;
  catalog::postgres::copy_sqlite_catalog(
      catalog_path(config.data.dir), o.to, [&](const catalog::postgres::CopiedTable& t) {
        std::cerr << "catalog " << t.table << ": " << t.rows << " / " << t.rows
                  << " rows copied, checksums equal (sha256 " << short_sum(t.checksum) << "…)"
                  << std::endl;
        std::cout << "  " << std::left << std::setw(28) << t.table << std::right << std::setw(10)
                  << t.rows << "\n";
        total += t.rows;
      });
  std::cout << "migrated " << total << " rows from " << catalog_path(config.data.dir) << " and "
            << tables << " DataStore tables; counts and checksums equal on both sides" << std::endl;
  return 0;
}

}  // namespace

void add_migrate_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("migrate",
                                 "Copy the data directory's SQLite catalog and DataStore into an "
                                 "empty PostgreSQL database");
  auto o = std::make_shared<MigrateOptions>();
  cmd->add_option("--to", o->to, "the PostgreSQL catalog (postgresql://user@host:port/db)")
      ->required();
  cmd->add_option("--data", o->data_dir, "data directory holding catalog.db (default var/data)");
  cmd->add_option("--config", o->config, "TOML configuration file (see config/datamap.toml)")
      ->check(CLI::ExistingFile);
  cmd->callback([o] { exit_code = migrate(*o); });
}

}  // namespace datamap::app

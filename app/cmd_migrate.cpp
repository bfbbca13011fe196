// `datamap migrate --to postgresql://… [--data DIR] [--config FILE]`: copies the data directory's
// SQLite catalog, with the record stores beside it, into an empty PostgreSQL catalog
// (catalog/postgres/pg_copy.h), then prints each table's rows, counted on both sides. Run it with
// the server stopped; afterwards start the nodes with --catalog URL (each rebuilds its own search
// index and map from the change log: `datamap reindex --catalog URL`).
#include <iomanip>
#include <iostream>

#include "app/commands.h"
#include "app/data_dir.h"
#include "catalog/postgres/pg_connection.h"
#include "catalog/postgres/pg_copy.h"

namespace datamap::app {
namespace {

struct MigrateOptions {
  std::string data_dir, config, to;
};

int migrate(const MigrateOptions& o) {
  if (!catalog::postgres::is_postgres_url(o.to)) {
    std::cerr << "datamap migrate: --to takes a postgresql:// URL" << std::endl;
    return 2;
  }
  CatalogOptions where{o.data_dir, "", o.config};
  const api::Config config = load_config(where);
  // Opening the SQLite catalog brings it to the latest schema before it is read.
  open_catalog(config.data.dir).reset();
  std::int64_t total = 0;
  catalog::postgres::copy_sqlite_catalog(
      catalog_path(config.data.dir), o.to, [&](const catalog::postgres::CopiedTable& t) {
        std::cout << "  " << std::left << std::setw(28) << t.table << std::right << std::setw(10)
                  << t.rows << "\n";
        total += t.rows;
      });
  std::cout << "migrated " << total << " rows from " << catalog_path(config.data.dir)
            << "; counts equal on both sides" << std::endl;
  return 0;
}

}  // namespace

void add_migrate_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "migrate", "Copy the data directory's SQLite catalog into an empty PostgreSQL catalog");
  auto o = std::make_shared<MigrateOptions>();
  cmd->add_option("--to", o->to, "the PostgreSQL catalog (postgresql://user@host:port/db)")
      ->required();
  cmd->add_option("--data", o->data_dir, "data directory holding catalog.db (default var/data)");
  cmd->add_option("--config", o->config, "TOML configuration file (see config/datamap.toml)")
      ->check(CLI::ExistingFile);
  cmd->callback([o] { exit_code = migrate(*o); });
}

}  // namespace datamap::app
